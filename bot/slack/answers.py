"""Answers to the engine's questions: its buttons and the severity picker.

Only the person a question was asked may answer it, a case-changing answer needs a
designated contact (policy.contacts), and a button only acts in the conversation it was
posted in. An answered question loses its buttons, so it can't be answered twice.
"""

from __future__ import annotations

from typing import Any

from bot.logs import note_case
from bot.slack import blocks
from bot.slack import interactive as ix
from bot.slack.context import SlackPart
from bot.slack.payloads import action_event_id
from bot.slack.people import Refusal
from bot.slack.places import Place


class Answers(SlackPart):
    def press(self, *, body: dict[str, Any]) -> None:
        """A requester-side button: only its owner may press it, with the policy's permission."""
        user_id = str(body["user"]["id"])
        action = body["actions"][0]
        press = ix.Press.decode(str(action.get("value", "")))
        place = self._container_place(body)
        if press is None:
            self.delivery.ephemeral(place, user_id, "That button is no longer valid.")
            return
        refusal = self.gate.answer(
            user_id=user_id, owner_id=press.owner_id, contact_action=press.contact_action
        )
        if refusal is None and Place.from_key(press.conversation_key).channel != place.channel:
            refusal = Refusal("That button belongs to another conversation; nothing was changed.")
        if refusal is not None:
            self.delivery.ephemeral(place, user_id, refusal.text)
            return
        label = str((action.get("text") or {}).get("text") or press.action_id)
        self.mark_answered(body, chooser_id=user_id, label=label)
        self._engine_press(
            user_id=user_id,
            place=Place.from_key(press.conversation_key),
            action_id=press.action_id,
            payload=press.payload,
            label=label,
            event_id=action_event_id(body, action),
        )

    def severity_choice(self, *, body: dict[str, Any]) -> None:
        user_id = str(body["user"]["id"])
        action = body["actions"][0]
        place = self._container_place(body)
        context = ix.read_block_context(str(action.get("block_id", "")))
        level = str((action.get("selected_option") or {}).get("value", ""))
        if context is None or level not in ("2", "3", "4"):
            self.delivery.ephemeral(place, user_id, "That choice is no longer valid.")
            return
        key, owner = context
        refusal = self.gate.answer(user_id=user_id, owner_id=owner, contact_action="open")
        if refusal is None and Place.from_key(key).channel != place.channel:
            refusal = Refusal("That choice belongs to another conversation; nothing was changed.")
        if refusal is not None:
            self.delivery.ephemeral(place, user_id, refusal.text)
            return
        self.mark_answered(body, chooser_id=user_id, label=blocks.severity_label(int(level)))
        self._engine_press(
            user_id=user_id,
            place=Place.from_key(key),
            action_id="change_severity",
            payload=f'/change_severity{{"severity": "{level}"}}',
            label=blocks.severity_label(int(level)),
            event_id=action_event_id(body, action),
        )

    def _engine_press(
        self,
        *,
        user_id: str,
        place: Place,
        action_id: str,
        payload: str,
        label: str,
        event_id: str | None,
    ) -> None:
        inbound = place.inbound(
            sender_id=user_id,
            text=label,
            received_at=self.clock(),
            event_id=event_id,
            sender_tz=self.zones.slack_name(user_id),
            action=action_id,
            action_value=payload,
        )
        replies = self.engine.handle(inbound)
        if case_number := next((r.case_number for r in replies if r.case_number), None):
            note_case(case_number)  # the event's log line names the case the turn was about
        self.delivery.deliver(replies, origin=place, owner_id=user_id, actor_id=user_id)
