"""Approve or Decline on a requester's priority request (seed 003: high waits for staff).

The button names the request as staff saw it. A press acts only while that same request is
still waiting, so a second press, or one after a colleague already decided, changes nothing;
the answered request loses its buttons and says who decided.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.messages import Audience
from bot.slack import interactive as ix
from bot.slack.context import SlackPart

if TYPE_CHECKING:
    from bot.engine.staff import StaffDesk

NO_LONGER_WAITING = "That priority request is no longer waiting; nothing was changed."


class PriorityRequests(SlackPart):
    @property
    def desk(self) -> StaffDesk:
        return self.engine.staff

    def answer(self, *, body: dict[str, Any]) -> None:
        user_id = str(body["user"]["id"])
        action = body["actions"][0]
        place = self._container_place(body)
        if (refusal := self.gate.staff_only(user_id)) is not None:
            self.delivery.ephemeral(place, user_id, refusal.text)
            return
        request = ix.read_priority_request(str(action.get("value", "")))
        if request is None:
            self.delivery.ephemeral(place, user_id, "That button is no longer valid.")
            return
        number, level = request
        case = self.store.cases.get_case(number)
        if case is None or case.priority_requested != level:
            self.delivery.ephemeral(place, user_id, NO_LONGER_WAITING)
            return
        approve = action.get("action_id") == ix.STAFF_APPROVE_PRIORITY
        if approve:
            replies = self.desk.change_priority(number, user_id, level)
        else:
            replies = self.desk.decline_priority(number, user_id)
        if any(reply.audience is Audience.REQUESTER for reply in replies):  # it was decided
            label = f"Approve {level}" if approve else "Decline"
            self.mark_answered(body, chooser_id=user_id, label=label)
        self.delivery.deliver(replies, origin=place, owner_id=None, actor_id=user_id)
