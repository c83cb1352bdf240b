"""Staff actions on a case card: Take, Request info, Propose resolution, Change severity, Join.

Each button and each modal submission checks that the person is staff before anything
changes; the engine checks again and audits the change.
"""

from __future__ import annotations

from typing import Any

from bot.slack import blocks
from bot.slack import interactive as ix
from bot.slack.context import SlackPart
from bot.slack.payloads import view_metadata, view_values
from bot.slack.places import Place


class StaffActions(SlackPart):
    def staff_button(self, *, body: dict[str, Any]) -> None:
        """Take / Request info / Propose resolution / Change severity on a staff card."""
        user_id = str(body["user"]["id"])
        action = body["actions"][0]
        number = str(action.get("value", ""))
        place = self._container_place(body)
        if (refusal := self.gate.staff_only(user_id)) is not None:
            self.delivery.ephemeral(place, user_id, refusal.text)
            return
        action_id = action["action_id"]
        if action_id == ix.STAFF_TAKE:
            replies = self.engine.staff_take(number, user_id)
            self.delivery.deliver(replies, origin=place, owner_id=None, actor_id=user_id)
            return
        if action_id == ix.STAFF_SEVERITY:
            case = self.store.cases.get_case(number)
            if case is None:
                self.delivery.ephemeral(place, user_id, f"There is no case {number}.")
                return
            view = blocks.staff_severity_modal(
                case_number=number, current=case.severity, channel=place.channel
            )
        else:
            view = blocks.staff_text_modal(
                action_id=action_id, case_number=number, channel=place.channel
            )
        self.client.views_open(trigger_id=body["trigger_id"], view=view)

    def staff_join(self, *, body: dict[str, Any]) -> None:
        user_id = str(body["user"]["id"])
        place = self._container_place(body)
        if (refusal := self.gate.staff_only(user_id)) is not None:
            self.delivery.ephemeral(place, user_id, refusal.text)
            return
        key = str(body["actions"][0].get("value", ""))
        if self.cards.handoff_thread(key) is None:
            self.delivery.ephemeral(place, user_id, "That conversation is no longer waiting.")
            return
        self.say_as_support(
            key, user_id=user_id, text="I've joined this conversation and will reply here."
        )

    def staff_modal(self, *, user_id: str, view: dict[str, Any], callback_id: str) -> None:
        """The staff modals, re-checked on submission: a forged submission changes nothing."""
        meta = view_metadata(view)
        number = str(meta.get("case", ""))
        place = Place(str(meta.get("channel") or self.staff_channel))
        if (refusal := self.gate.staff_only(user_id)) is not None:
            self.delivery.ephemeral(place, user_id, refusal.text)
            return
        values = view_values(view)
        if callback_id == ix.STAFF_SEVERITY_MODAL:
            try:
                level = int(values.get("severity") or 0)
            except ValueError:
                level = 0
            replies = self.engine.staff_change_severity(
                number, user_id, level, values.get("reason") or ""
            )
        elif meta.get("action") == ix.STAFF_REQUEST_INFO:
            replies = self.engine.staff_request_info(number, user_id, values.get("text") or "")
        elif meta.get("action") == ix.STAFF_PROPOSE:
            replies = self.engine.staff_propose_resolution(
                number, user_id, values.get("text") or ""
            )
        else:
            return
        self.delivery.deliver(replies, origin=place, owner_id=None, actor_id=user_id)
