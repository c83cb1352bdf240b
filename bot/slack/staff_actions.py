"""Staff actions on a case card: the buttons, the modals they open, and Join.

Each button and each modal submission checks that the person is staff before anything
changes (a forged submission changes nothing); the engine's staff desk checks again, decides
with the case lifecycle rules and audits the change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from bot.messages import Outbound
from bot.slack import interactive as ix
from bot.slack import staff_blocks
from bot.slack.context import SlackPart
from bot.slack.payloads import view_metadata, view_values
from bot.slack.places import Place

if TYPE_CHECKING:
    from bot.engine.staff import StaffDesk

# A staff verb on the desk: (case number, staff ID, text) -> messages.
_TextVerb = Callable[[str, str, str], list[Outbound]]
_Modal = dict[str, Any]


class StaffActions(SlackPart):
    @property
    def desk(self) -> StaffDesk:
        """The engine's staff desk (bot.engine.staff.StaffDesk): one path for every verb."""
        return self.engine.staff

    def staff_button(self, *, body: dict[str, Any]) -> None:
        """A case card button: Take, Close and Reopen act at once; the others open a modal."""
        user_id = str(body["user"]["id"])
        action = body["actions"][0]
        number = str(action.get("value", ""))
        place = self._container_place(body)
        if (refusal := self.gate.staff_only(user_id)) is not None:
            self.delivery.ephemeral(place, user_id, refusal.text)
            return
        action_id = str(action["action_id"])
        direct = {
            ix.STAFF_TAKE: self.desk.take,
            ix.STAFF_CLOSE: self.desk.close,
            ix.STAFF_REOPEN: self.desk.reopen,
        }.get(action_id)
        if direct is not None:
            replies = direct(number, user_id)
            self.delivery.deliver(replies, origin=place, owner_id=None, actor_id=user_id)
            return
        if action_id in staff_blocks.TEXT_MODALS:
            view: _Modal | None = staff_blocks.staff_text_modal(
                action_id=action_id, case_number=number, channel=place.channel
            )
        else:
            view = self._choice_modal(action_id, number=number, place=place, user_id=user_id)
        if view is not None:
            self.client.views_open(trigger_id=body["trigger_id"], view=view)

    def _choice_modal(
        self, action_id: str, *, number: str, place: Place, user_id: str
    ) -> _Modal | None:
        """The modals that start from the case as it is (its severity, priority, scope)."""
        case = self.store.cases.get_case(number)
        if case is None:
            self.delivery.ephemeral(place, user_id, f"There is no case {number}.")
            return None
        if action_id == ix.STAFF_SEVERITY:
            return staff_blocks.staff_severity_modal(
                case_number=number, current=case.severity, channel=place.channel
            )
        if action_id == ix.STAFF_PRIORITY:
            return staff_blocks.staff_priority_modal(
                case_number=number,
                current=str(case.priority),
                requested=case.priority_requested,
                channel=place.channel,
            )
        if action_id == ix.STAFF_RESTORED:
            return staff_blocks.staff_restoration_modal(
                case_number=number, platform_level=case.platform_level, channel=place.channel
            )
        return None

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
            replies = self.desk.change_severity(number, user_id, level, values.get("reason") or "")
        elif callback_id == ix.STAFF_PRIORITY_MODAL:
            replies = self.desk.change_priority(number, user_id, values.get("priority") or "")
        elif callback_id == ix.STAFF_RESTORATION_MODAL:
            replies = self.desk.record_restoration(number, user_id, values.get("scope") or "")
        elif callback_id == ix.STAFF_TEXT_MODAL:
            verb = self._text_verb(str(meta.get("action", "")))
            if verb is None:
                return
            replies = verb(number, user_id, values.get("text") or "")
        else:
            return
        self.delivery.deliver(replies, origin=place, owner_id=None, actor_id=user_id)

    def _text_verb(self, action_id: str) -> _TextVerb | None:
        verbs: dict[str, _TextVerb] = {
            ix.STAFF_REQUEST_INFO: self.desk.request_info,
            ix.STAFF_PROPOSE: self.desk.propose_resolution,
            ix.STAFF_RCA: self.desk.deliver_rca,
            ix.STAFF_SUMMARY: self.desk.deliver_summary,
        }
        return verbs.get(action_id)
