"""What support staff do from their channel; each result reaches the requester's thread.

Every verb checks the actor is staff in the directory, asks `cases.operations` for the change
(so the lifecycle rules are the same everywhere), stores it (audited) and records the message
in the requester's conversation. Refusals are one clear line to staff; nothing changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from actions.followups import (
    schedule_resolution_close,
    schedule_target_clocks,
    schedule_waiting_on_customer,
)
from actions.ports import PersonView, find_person, organization_targets, staff_channel
from actions.replies import quote
from actions.runtime import bound
from actions.texts import local_time, severity_text
from bot.engine.desk_port import DeskPort
from bot.engine.inputs import clean
from bot.engine.texts import STORE_DOWN
from bot.messages import Audience, Outbound, outbound_to_dict
from bot.metrics import Metrics
from bot.store.changes import apply_changes
from bot.store.errors import InvalidCaseNumber, StoreError, StoreUnavailable
from bot.store.models import change_id, normalize_case_number
from cases import operations as ops
from cases.clocks import duration_words, minutes_late
from cases.entity import Case
from cases.errors import CaseError
from cases.vocabulary import NoteKind, Priority, UpdatedBy
from policy.case_targets import RESPONSE, OrganizationTargets

RESTORATION_SCOPES = {"platform": True, "isolated": False}


def _to_staff(text: str, kind: str, case_number: str | None = None) -> list[Outbound]:
    return [Outbound(audience=Audience.STAFF, text=text, kind=kind, case_number=case_number)]


@dataclass(frozen=True)
class _Context:
    """What a verb needs to decide its change: the case, the staff member, time and policy."""

    case: Case
    staff: PersonView
    now: datetime
    tz: ZoneInfo
    targets: OrganizationTargets


# A verb: the change (from cases.operations) and the message for the requester.
_Verb = Callable[[_Context], tuple[ops.Change, str]]


class StaffDesk:
    def __init__(self, *, port: DeskPort, metrics: Metrics | None = None) -> None:
        self.port = port
        self.metrics = metrics or Metrics()

    # ---- verbs -------------------------------------------------------------------------

    def take(self, case_number: str, staff_id: str) -> list[Outbound]:
        def verb(c: _Context) -> tuple[ops.Change, str]:
            return (
                ops.acknowledge(c.case, staff_id=c.staff.slack_id, now=c.now),
                f"{c.staff.name} from support has taken {c.case.number} and is looking into it.",
            )

        return self._run(case_number, staff_id, verb, kind="staff_took_case")

    def request_info(self, case_number: str, staff_id: str, text: str) -> list[Outbound]:
        question = clean(text).text
        if not question:
            return _to_staff("Write the question for the requester after the command.", "usage")

        def verb(c: _Context) -> tuple[ops.Change, str]:
            change = ops.request_info(
                c.case, staff_id=c.staff.slack_id, question=question, now=c.now
            )
            return change, (
                f"Support ({c.staff.name}) needs more information on {c.case.number}: "
                f"“{question}” Reply with “update {c.case.number}: …”."
            )

        return self._run(case_number, staff_id, verb, kind="staff_info_request")

    def propose_resolution(self, case_number: str, staff_id: str, text: str) -> list[Outbound]:
        proposal = clean(text).text
        if not proposal:
            return _to_staff("Write the proposed resolution after the command.", "usage")

        def verb(c: _Context) -> tuple[ops.Change, str]:
            change = ops.propose_resolution(
                c.case, staff_id=c.staff.slack_id, proposal=proposal, now=c.now
            )
            return change, (
                f"Support ({c.staff.name}) proposes a resolution for {c.case.number}: "
                f"“{proposal}” If the problem persists, reply with “update {c.case.number}: …”."
            )

        return self._run(case_number, staff_id, verb, kind="staff_resolution")

    def change_severity(
        self, case_number: str, staff_id: str, severity: int, reason: str = ""
    ) -> list[Outbound]:
        if severity not in (1, 2, 3, 4):
            return _to_staff("Severity must be 1, 2, 3 or 4.", "usage")
        why = clean(reason).text

        def verb(c: _Context) -> tuple[ops.Change, str]:
            change = ops.change_severity(
                c.case, severity=severity, staff_id=c.staff.slack_id, now=c.now, targets=c.targets
            )
            text = (
                f"Support ({c.staff.name}) changed the severity of {c.case.number} from "
                f"{severity_text(c.case.severity)} to {severity_text(severity)}; its priority "
                f"is now {change.fields['priority']}."
            )
            return change, text + (f" Reason: “{why}”" if why else "")

        return self._run(case_number, staff_id, verb, kind="staff_severity_change")

    def change_priority(self, case_number: str, staff_id: str, level: str) -> list[Outbound]:
        """Staff set any priority; setting the one the requester asked for approves it."""
        try:
            priority = Priority(level.strip().lower())
        except ValueError:
            return _to_staff("Priority must be low, medium, high or critical.", "usage")

        def verb(c: _Context) -> tuple[ops.Change, str]:
            change = ops.change_priority(
                c.case, priority=priority, staff_id=c.staff.slack_id, now=c.now
            )
            if c.case.priority_requested == priority.value:
                return change, (
                    f"Support ({c.staff.name}) approved your request: {c.case.number} now has "
                    f"{priority.value} priority."
                )
            return change, (
                f"Support ({c.staff.name}) changed the priority of {c.case.number} from "
                f"{c.case.priority} to {priority.value}."
            )

        return self._run(case_number, staff_id, verb, kind="staff_priority_change")

    def decline_priority(self, case_number: str, staff_id: str) -> list[Outbound]:
        def verb(c: _Context) -> tuple[ops.Change, str]:
            change = ops.decline_priority_request(c.case, staff_id=c.staff.slack_id, now=c.now)
            return change, (
                f"Support ({c.staff.name}) declined the request for "
                f"{c.case.priority_requested} priority on {c.case.number}; it stays "
                f"{c.case.priority}."
            )

        return self._run(case_number, staff_id, verb, kind="staff_priority_declined")

    def record_restoration(self, case_number: str, staff_id: str, scope: str) -> list[Outbound]:
        platform_level = RESTORATION_SCOPES.get(scope.strip().lower())
        if platform_level is None:
            return _to_staff(
                "Say whether it was platform-level: restored platform|isolated.", "usage"
            )

        def verb(c: _Context) -> tuple[ops.Change, str]:
            change = ops.record_restoration(
                c.case, platform_level=platform_level, staff_id=c.staff.slack_id, now=c.now
            )
            where = (
                "a platform-level incident" if platform_level else "isolated to your organization"
            )
            text = (
                f"Support ({c.staff.name}) recorded that service is restored on "
                f"{c.case.number} ({where})."
            )
            plan = c.targets.rca_plan(
                severity=c.case.severity, platform_level=platform_level, restored_at=c.now
            )
            if plan.kind == "rca" and plan.due_at is not None:
                text += f" A root-cause analysis (RCA) follows by {local_time(plan.due_at, c.tz)}."
            elif plan.kind == "case_summary":
                text += " You'll get a case summary (cause and fixes) instead of an RCA."
            return change, text

        return self._run(case_number, staff_id, verb, kind="staff_restored")

    def deliver_rca(self, case_number: str, staff_id: str, text: str) -> list[Outbound]:
        return self._deliver(case_number, staff_id, text, rca=True)

    def deliver_summary(self, case_number: str, staff_id: str, text: str) -> list[Outbound]:
        return self._deliver(case_number, staff_id, text, rca=False)

    def _deliver(self, case_number: str, staff_id: str, text: str, *, rca: bool) -> list[Outbound]:
        document = clean(text).text
        what = "RCA" if rca else "case summary"
        if not document:
            return _to_staff(f"Write the {what} after the command.", "usage")
        operation = ops.deliver_rca if rca else ops.deliver_case_summary

        def verb(c: _Context) -> tuple[ops.Change, str]:
            change = operation(c.case, staff_id=c.staff.slack_id, text=document, now=c.now)
            return (
                change,
                f"Support ({c.staff.name}) delivered the {what} for {c.case.number}: “{document}”",
            )

        kind = "staff_rca" if rca else "staff_case_summary"
        return self._run(case_number, staff_id, verb, kind=kind, on_closed=True)

    def reopen(self, case_number: str, staff_id: str) -> list[Outbound]:
        def verb(c: _Context) -> tuple[ops.Change, str]:
            change = ops.reopen(c.case, staff_id=c.staff.slack_id, now=c.now)
            return change, f"Support ({c.staff.name}) reopened {c.case.number}."

        return self._run(case_number, staff_id, verb, kind="staff_reopened", on_closed=True)

    def close(self, case_number: str, staff_id: str) -> list[Outbound]:
        def verb(c: _Context) -> tuple[ops.Change, str]:
            change = ops.close(
                c.case, actor_id=c.staff.slack_id, by=UpdatedBy.SUPPORT, now=c.now, reason="staff"
            )
            return change, (
                f"Support ({c.staff.name}) closed {c.case.number}. If the problem comes back, "
                "tell me and I'll help you open a new case."
            )

        return self._run(case_number, staff_id, verb, kind="staff_closed")

    def reply(self, case_number: str, staff_id: str, text: str) -> list[Outbound]:
        message = clean(text).text
        if not message:
            return _to_staff("Write the reply after the command.", "usage")

        def verb(c: _Context) -> tuple[ops.Change, str]:
            change = ops.add_note(
                c.case,
                author_id=c.staff.slack_id,
                kind=NoteKind.STAFF_REPLY,
                text=message,
                now=c.now,
            )
            return change, f"Support ({c.staff.name}) on {c.case.number}: “{message}”"

        return self._run(case_number, staff_id, verb, kind="staff_reply", on_closed=True)

    # ---- one path for every verb ---------------------------------------------------------

    def _run(
        self, case_number: str, staff_id: str, verb: _Verb, *, kind: str, on_closed: bool = False
    ) -> list[Outbound]:
        try:
            with bound(self.port.services):
                return self._run_bound(case_number, staff_id, verb, kind=kind, on_closed=on_closed)
        except StoreUnavailable:
            return _to_staff(STORE_DOWN, "store_unavailable")
        except StoreError as error:
            return _to_staff(f"Couldn't do that: {error}. Nothing was changed.", "store_error")

    def _run_bound(
        self, case_number: str, staff_id: str, verb: _Verb, *, kind: str, on_closed: bool
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
        case = self.port.store.cases.get_case(number)
        if case is None:
            return _to_staff(f"There is no case {number}.", "case_not_found", number)
        if not case.is_active and not on_closed:
            return _to_staff(f"{number} is closed; reopen it first.", "case_closed", number)
        now = self.port.clock()
        tz = self.port.case_zone(case)
        context = _Context(
            case, staff, now, tz, organization_targets(case.org_short_name, tz=tz, around=now)
        )
        try:
            change, requester_text = verb(context)
        except CaseError as error:
            return _to_staff(f"Couldn't do that: {error}. Nothing was changed.", "refused", number)
        change = _with_lateness(change, context)
        # The requester's message is written with the change (the store's outbox), so it
        # reaches them even if this process or Slack fails right after the write.
        preview = apply_changes(case, dict(change.fields), now)
        requester_text += self._followup_text(change.action, preview, context.targets)
        to_requester = self._to_requester(preview, staff, requester_text, kind=kind)
        updated = self.port.store.cases.update_case(
            number,
            actor_id=staff.slack_id,
            now=now,
            changes=dict(change.fields),
            expected_version=case.version,
            action=change.action,
            owed=[outbound_to_dict(to_requester)],
        )
        if updated.version == case.version:  # nothing changed, so nothing was owed
            to_requester = replace(to_requester, data=_without_item(to_requester.data))
        elif "response_missed_at" in change.fields:  # missed, and no timer recorded it yet
            self.metrics.target_missed(RESPONSE, case.severity)
        self._schedule_followups(change.action, updated, context)
        late = change.fields.get("response_late_minutes")
        return self._announce(
            updated, staff, to_requester, action=change.action, tz=tz, late_minutes=late
        )

    @staticmethod
    def _followup_text(action: str, case: Case, targets: OrganizationTargets) -> str:
        """When a state that closes by itself will close, told to the requester."""
        if action == "request_info":
            closes = targets.inactivity_closure(waiting_since=case.last_update_at).close_at
            return (
                " Without an answer, the case may be closed after "
                f"{local_time(closes, targets.tz)}."
            )
        if action == "propose_resolution":
            closes = targets.resolution_close_at(proposed_at=case.last_update_at)
            return f" (It closes at {local_time(closes, targets.tz)} unless you report a problem.)"
        return ""

    def _schedule_followups(self, action: str, case: Case, context: _Context) -> None:
        """Closure timers for the states that close by themselves; a new severity moves the
        target clocks."""
        if action == "request_info":
            schedule_waiting_on_customer(self.port.store, case, targets=context.targets)
        elif action == "propose_resolution":
            schedule_resolution_close(self.port.store, case, targets=context.targets)
        elif action == "change_severity":
            schedule_target_clocks(self.port.store, case, now=context.now)

    @staticmethod
    def _to_requester(case: Case, staff: PersonView, text: str, *, kind: str) -> Outbound:
        return Outbound(
            audience=Audience.REQUESTER,
            text=text,
            kind=kind,
            recipients=(case.requester_id,),
            case_number=case.number,
            data={
                "conversation_key": case.origin_thread,
                "staff_id": staff.slack_id,
                "outbox_id": change_id(case.number, case.version),
            },
        )

    def _announce(
        self,
        case: Case,
        staff: PersonView,
        to_requester: Outbound,
        *,
        action: str,
        tz: ZoneInfo,
        late_minutes: int | None = None,
    ) -> list[Outbound]:
        due = ""
        if case.response_due_at and case.acknowledged_at is None:
            due_at = local_time(case.response_due_at, tz)
            due = f" Initial response due {due_at}."
        elif late_minutes is not None:
            late = duration_words(timedelta(minutes=late_minutes))
            due = f" This first response came {late} after its target."
        receipt = Outbound(
            audience=Audience.STAFF,
            text=f"Done: {case.number} ({action.replace('_', ' ')}) by {staff.name}. "
            f"Sent to the requester: “{quote(to_requester.text, limit=200)}”{due}",
            kind=f"{to_requester.kind}_receipt",
            recipients=(staff_channel(),),
            case_number=case.number,
        )
        if case.origin_thread:
            self.port.append_bot_messages(case.origin_thread, [to_requester])
        return [to_requester, receipt]


def _with_lateness(change: ops.Change, c: _Context) -> ops.Change:
    """A first response after the target records how late it came, in the target's time."""
    due = c.case.response_due_at
    if due is None or "acknowledged_at" not in change.fields or c.now <= due:
        return change
    left = c.targets.time_left(target=RESPONSE, severity=c.case.severity, due_at=due, now=c.now)
    return ops.with_late_response(change, c.case, minutes_late=minutes_late(left))


def _without_item(data: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in data.items() if k != "outbox_id"}
