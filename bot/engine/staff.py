"""What support staff do from their channel; each result reaches the requester's thread.

Every operation checks the actor is staff in the directory, changes the case through the
store (so it is audited) and records the message in the requester's conversation.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from actions.followups import schedule_resolution_close, schedule_waiting_on_customer
from actions.ports import PersonView, find_person, staff_channel
from actions.replies import quote
from actions.runtime import bound
from actions.texts import local_time, severity_text
from bot.engine.inputs import clean
from bot.messages import Audience, Outbound
from bot.store.errors import InvalidCaseNumber, StoreError, StoreUnavailable
from bot.store.models import CaseStatus, UpdatedBy, normalize_case_number

if TYPE_CHECKING:
    from bot.engine.engine import Engine

STORE_DOWN = "I couldn't reach the case store, please try again in a moment. Nothing was changed."


def _to_staff(text: str, kind: str, case_number: str | None = None) -> list[Outbound]:
    return [Outbound(audience=Audience.STAFF, text=text, kind=kind, case_number=case_number)]


def acknowledging(case: Any, now: datetime, **changes: Any) -> dict[str, Any]:
    """A support person wrote to the customer: that is the initial response if none was."""
    result: dict[str, Any] = {
        **changes,
        "last_update_by": UpdatedBy.SUPPORT.value,
        "last_update_at": now,
    }
    if case.acknowledged_at is None:
        result["acknowledged_at"] = now
    return result


class StaffDesk:
    def __init__(self, *, engine: Engine) -> None:
        self.engine = engine

    def take(self, case_number: str, staff_id: str) -> list[Outbound]:
        def change(case: Any, staff: PersonView) -> tuple[dict[str, Any], str]:
            now = self.engine.clock()
            changes: dict[str, Any] = {
                "assignee_id": staff.slack_id,
                "last_update_by": UpdatedBy.SUPPORT.value,
                "last_update_at": now,
            }
            if case.acknowledged_at is None:
                changes["acknowledged_at"] = now
            return changes, (
                f"{staff.name} from support has taken {case.number} and is looking into it."
            )

        return self._operate(case_number, staff_id, "take", change, kind="staff_took_case")

    def request_info(self, case_number: str, staff_id: str, text: str) -> list[Outbound]:
        question = clean(text).text
        if not question:
            return _to_staff("Write the question for the requester after the command.", "usage")

        def change(case: Any, staff: PersonView) -> tuple[dict[str, Any], str]:
            return (
                acknowledging(
                    case,
                    self.engine.clock(),
                    status=CaseStatus.WAITING_ON_CUSTOMER.value,
                ),
                f"Support ({staff.name}) needs more information on {case.number}: “{question}” "
                f"Reply with “update {case.number}: …”.",
            )

        return self._operate(
            case_number, staff_id, "request_info", change, kind="staff_info_request"
        )

    def propose_resolution(self, case_number: str, staff_id: str, text: str) -> list[Outbound]:
        proposal = clean(text).text
        if not proposal:
            return _to_staff("Write the proposed resolution after the command.", "usage")

        def change(case: Any, staff: PersonView) -> tuple[dict[str, Any], str]:
            return (
                acknowledging(
                    case,
                    self.engine.clock(),
                    status=CaseStatus.RESOLUTION_PROPOSED.value,
                ),
                f"Support ({staff.name}) proposes a resolution for {case.number}: “{proposal}” "
                f"If the problem persists, reply with “update {case.number}: …”.",
            )

        return self._operate(
            case_number, staff_id, "propose_resolution", change, kind="staff_resolution"
        )

    def change_severity(
        self, case_number: str, staff_id: str, severity: int, reason: str = ""
    ) -> list[Outbound]:
        if severity not in (1, 2, 3, 4):
            return _to_staff("Severity must be 1, 2, 3 or 4.", "usage")
        why = clean(reason).text

        def change(case: Any, staff: PersonView) -> tuple[dict[str, Any], str]:
            text = (
                f"Support ({staff.name}) changed the severity of {case.number} from "
                f"{severity_text(case.severity)} to {severity_text(severity)}."
            )
            if why:
                text += f" Reason: “{why}”"
            return (
                {
                    "severity": severity,
                    "last_update_by": UpdatedBy.SUPPORT.value,
                    "last_update_at": self.engine.clock(),
                },
                text,
            )

        return self._operate(
            case_number, staff_id, "change_severity", change, kind="staff_severity_change"
        )

    def reply(self, case_number: str, staff_id: str, text: str) -> list[Outbound]:
        message = clean(text).text
        if not message:
            return _to_staff("Write the reply after the command.", "usage")

        def change(case: Any, staff: PersonView) -> tuple[dict[str, Any], str]:
            changes: dict[str, Any] = {
                "last_update_by": UpdatedBy.SUPPORT.value,
                "last_update_at": self.engine.clock(),
            }
            if case.acknowledged_at is None:
                changes["acknowledged_at"] = self.engine.clock()
            return changes, f"Support ({staff.name}) on {case.number}: “{message}”"

        return self._operate(case_number, staff_id, "staff_reply", change, kind="staff_reply")

    def _schedule_followups(self, action: str, case: Any, tz: ZoneInfo) -> str:
        """Closure timers for the states that close by themselves; returns text to add."""
        store = self.engine.store
        if action == "request_info":
            close_at = schedule_waiting_on_customer(store, case, tz=tz)
            return f" Without an answer, the case may be closed after {local_time(close_at, tz)}."
        if action == "propose_resolution":
            close_at = schedule_resolution_close(store, case, tz=tz)
            return f" (It closes at {local_time(close_at, tz)} unless you report a problem.)"
        return ""

    def _operate(
        self, case_number: str, staff_id: str, action: str, change: Any, *, kind: str
    ) -> list[Outbound]:
        try:
            with bound(self.engine.services):
                return self._operate_bound(case_number, staff_id, action, change, kind=kind)
        except StoreUnavailable:
            return _to_staff(STORE_DOWN, "store_unavailable")
        except StoreError as error:
            return _to_staff(f"Couldn't do that: {error}. Nothing was changed.", "store_error")

    def _operate_bound(
        self, case_number: str, staff_id: str, action: str, change: Any, *, kind: str
    ) -> list[Outbound]:
        staff = find_person(staff_id)
        if staff is None or not staff.is_staff:
            return _to_staff(
                "Only support staff can do that; nothing was changed.", "permission_denied"
            )
        try:
            number = normalize_case_number(case_number)
        except InvalidCaseNumber as error:
            return _to_staff(f"{error}. Nothing was changed.", "invalid_case_number")
        case = self.engine.store.cases.get_case(number)
        if case is None:
            return _to_staff(f"There is no case {number}.", "case_not_found", number)
        if not case.is_active and action != "staff_reply":
            return _to_staff(f"{number} is closed; reopen it first.", "case_closed", number)
        changes, requester_text = change(case, staff)
        now = self.engine.clock()
        updated = self.engine.store.cases.update_case(
            number,
            actor_id=staff.slack_id,
            now=now,
            changes=changes,
            expected_version=case.version,
            action=action,
        )
        tz = self.engine.case_zone(updated)
        requester_text += self._schedule_followups(action, updated, tz)
        to_requester = Outbound(
            audience=Audience.REQUESTER,
            text=requester_text,
            kind=kind,
            recipients=(updated.requester_id,),
            case_number=number,
            data={"conversation_key": updated.origin_thread, "staff_id": staff.slack_id},
        )
        due = ""
        if updated.response_due_at and updated.acknowledged_at is None:
            due = f" Initial response due {local_time(updated.response_due_at, tz)}."
        receipt = Outbound(
            audience=Audience.STAFF,
            text=f"Done: {number} ({action.replace('_', ' ')}) by {staff.name}. "
            f"Sent to the requester: “{quote(requester_text, limit=200)}”{due}",
            kind=f"{kind}_receipt",
            recipients=(staff_channel(),),
            case_number=number,
        )
        if updated.origin_thread:
            self.engine.append_bot_messages(updated.origin_thread, [to_requester])
        return [to_requester, receipt]
