"""Starting a report outside a DM: `/support`, the message shortcut and the details modal.

Each turns into a conversation in the person's DM with the app, so the answers, buttons and
case card all land in one place.
"""

from __future__ import annotations

from typing import Any

from bot.slack import blocks
from bot.slack.context import SlackContext, SlackPart
from bot.slack.conversations import Conversations
from bot.slack.markup import plain_text
from bot.slack.payloads import view_values
from bot.slack.places import Place


class Reports(SlackPart):
    def __init__(self, context: SlackContext, *, conversations: Conversations) -> None:
        super().__init__(context)
        self.converse = conversations.converse

    def support_command(self, *, command: dict[str, Any]) -> None:
        """`/support [text]`: with text, a turn in the user's DM; without, the details modal."""
        user_id = str(command["user_id"])
        text = str(command.get("text") or "").strip()
        if not text:
            self.open_report_modal(user_id=user_id, trigger_id=command["trigger_id"])
            return
        dm = Place(self.delivery.open_dm(user_id))
        plain = plain_text(text, bot_user_id=None, directory=self.directory)
        self.converse(user_id=user_id, text=plain, place=dm)

    def open_report_modal(
        self, *, user_id: str, trigger_id: str, initial_text: str = "", source: str = ""
    ) -> None:
        view = blocks.report_modal(
            initial_text=initial_text, metadata={"source": source, "user": user_id}
        )
        self.client.views_open(trigger_id=trigger_id, view=view)

    def shortcut(self, *, body: dict[str, Any]) -> None:
        """ "Report to support" on any message: the details modal, prefilled with that message."""
        user_id = str(body["user"]["id"])
        if (refusal := self.gate.known(user_id)) is not None:
            self.delivery.ephemeral(self._container_place(body), user_id, refusal.text)
            return
        message = body.get("message") or {}
        text = plain_text(str(message.get("text", "")), bot_user_id=None, directory=self.directory)
        source = f"{(body.get('channel') or {}).get('id', '')}:{message.get('ts', '')}"
        self.open_report_modal(
            user_id=user_id, trigger_id=body["trigger_id"], initial_text=text, source=source
        )

    def report_submitted(self, *, user_id: str, view: dict[str, Any]) -> None:
        """The details modal: its fields become the first message of a DM conversation."""
        values = view_values(view)
        parts = [values.get("description", "").strip()]
        if values.get("impact"):
            parts.append(f"Business impact: {values['impact'].strip()}")
        if values.get("conversation_id"):
            parts.append(f"Conversation ID: {values['conversation_id'].strip()}")
        dm = Place(self.delivery.open_dm(user_id))
        self.converse(user_id=user_id, text="\n".join(p for p in parts if p), place=dm)
