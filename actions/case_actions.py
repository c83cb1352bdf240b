"""What a person can do with an existing case: status, update, priority, close, escalate, RCA.

Every change goes through the store's `update_case`, which records who changed what and when;
every action first checks the speaker may act on the case (see case_access).
"""

from __future__ import annotations

import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.case_access import open_case_for
from actions.common import requester
from actions.ports import now, organization_targets, staff_channel
from actions.replies import STAFF, YES_NO_BUTTONS, quote, say
from actions.runtime import current
from actions.texts import STATUS_LABELS, case_line, local_time, severity_text
from cases import operations as ops
from cases.entity import Case
from cases.errors import CaseError
from cases.vocabulary import ACTIVE_STATUS_VALUES, CaseStatus, NoteKind, Priority, UpdatedBy
from policy.contacts import ContactAction
from policy.escalation import EscalationCase, EscalationReason, check_escalation
from policy.priority import PHONE_PATH, priority_change_path
from policy.severity import Severity

_ORG_WORDS = re.compile(r"\b(organi[sz]ation'?s?|org'?s?|company'?s?|team'?s?|our)\b", re.I)
_PRIORITY_WORDS = re.compile(r"\b(critical|urgent|high|medium|low)\b", re.I)
_RCA_WORDS = re.compile(r"\b(rca|root cause)\b", re.I)
_IMPACT_WORDS = re.compile(
    r"\b(urgent|urgency|priority|impact|worse|more (?:users|people|agents)|spread|wider)\b", re.I
)
_IMPACT_OVER = re.compile(r"\b(no longer|not anymore|resolved|fixed|back to normal)\b", re.I)
MAX_NOTE_CHARS = 4000
LISTED_CASES = 20  # the newest open cases a status answer lists
COUNTED_CASES = 1000  # counted beyond that, then shown as "1000+"


class ActionCaseStatus(Action):
    def name(self) -> str:
        return "action_case_status"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        from actions.case_access import mentioned_case_number

        if mentioned_case_number(tracker):
            access = open_case_for(dispatcher, tracker, ContactAction.VIEW)
            if access is None:
                return []
            case = access.case
            lines = [case_line(case, access.person.tz)]
            if case.response_due_at and case.acknowledged_at is None and case.is_active:
                lines.append(
                    "Initial response due by "
                    f"{local_time(case.response_due_at, access.person.tz)} (your time)."
                )
            if case.assignee_id:
                lines.append(f"Assigned to a support engineer ({case.assignee_id}).")
            say(
                dispatcher,
                "\n".join(lines),
                kind="status",
                case_number=case.number,
                data={"status": case.status, "severity": case.severity},
            )
            return [SlotSet("last_case_number", case.number)]
        person = requester(tracker, dispatcher)
        if person is None:
            return []
        text = str(tracker.latest_message.get("text") or "")
        whole_org = bool(_ORG_WORDS.search(text))
        # The newest few from the store's index with a count that stops early, read together:
        # the answer costs the same however many cases the organization has.
        org, who = person.org_short_name, None if whole_org else person.slack_id
        page = current().store.cases.newest_cases(
            org_short_name=org,
            requester_id=who,
            statuses=ACTIVE_STATUS_VALUES,
            limit=LISTED_CASES,
            count_at_most=COUNTED_CASES,
        )
        cases, total = page.cases[::-1], page.total
        scope = f"{person.org_short_name}'s open cases" if whole_org else "Your open cases"
        if not cases:
            say(dispatcher, f"{scope}: none.", kind="status", data={"cases": []})
            return []
        plus = "+" if total >= COUNTED_CASES else ""
        listed = "\n".join(f"  {case_line(c, person.tz)}" for c in cases)
        hidden = total - len(cases)
        more = f"\n  …and {hidden}{plus} older ones." if hidden else ""
        say(
            dispatcher,
            f"{scope} ({total}{plus}):\n{listed}{more}",
            kind="status",
            data={"cases": [c.number for c in cases]},  # the listed ones, oldest first
        )
        return []


def requested_priority(text: str) -> str | None:
    match = _PRIORITY_WORDS.search(text)
    if not match:
        return None
    word = match.group(1).lower()
    return "critical" if word == "urgent" else word


def priority_answer(case: Any, requested: str) -> str:
    """The answer when nothing is changed: the current priority, or Critical by phone."""
    path = priority_change_path(current=case.priority, requested=requested)
    if requested == case.priority:
        return f"{case.number} already has {requested} priority; nothing to change."
    if path == PHONE_PATH:
        return (
            f"Critical can't be requested in chat: call the outage line and quote {case.number} "
            "to raise it to Critical. Critical issues must be raised by phone."
        )
    return f"{case.number} has {case.priority} priority."


def store_change(case: Case, change: ops.Change, *, actor_id: str, moment: Any) -> Case:
    """Persist what a `cases.operations` call decided (the store audits it)."""
    updated: Case = current().store.cases.update_case(
        case.number,
        actor_id=actor_id,
        now=moment,
        changes=dict(change.fields),
        expected_version=case.version,
        action=change.action,
    )
    return updated


class ActionRequestPriorityChange(Action):
    """Seed 003: medium or low is set with a work note (staff told); high goes to staff as a
    request to approve; Critical is raised by phone."""

    def name(self) -> str:
        return "action_request_priority_change"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        access = open_case_for(dispatcher, tracker, ContactAction.UPDATE)
        if access is None:
            return []
        case, person = access.case, access.person
        remember = [SlotSet("last_case_number", case.number)]
        text = str(tracker.latest_message.get("text") or "")
        wanted = requested_priority(text)
        if wanted is None:
            say(
                dispatcher,
                f"Which priority should {case.number} have: high, medium or low?",
                kind="ask_priority",
                case_number=case.number,
            )
            return remember
        data = {"current": case.priority, "requested": wanted}
        moment = now()
        try:
            change = ops.request_priority(
                case, priority=Priority(wanted), requester_id=person.slack_id, now=moment
            )
        except CaseError:
            if case.priority_requested == wanted:
                answer = (
                    f"{wanted.capitalize()} priority for {case.number} is already with the "
                    "support team for approval; I'll tell you when they decide."
                )
            else:
                answer = priority_answer(case, wanted)
            say(dispatcher, answer, kind="priority_change", case_number=case.number, data=data)
            return remember
        store_change(case, change, actor_id=person.slack_id, moment=moment)
        if change.events[0].kind is ops.EventKind.PRIORITY_REQUESTED:
            answer = (
                f"I've asked the support team to raise {case.number} from {case.priority} to "
                f"{wanted} priority. Nothing changes until they approve; I'll tell you here."
            )
            staff_text = (
                f"Priority request on {case.number} ({case.org_short_name}): {person.name} asks "
                f"for {wanted} (now {case.priority}). Approve or decline."
            )
            staff_kind = "staff_priority_request"
        else:
            answer = (
                f"Done: {case.number} now has {wanted} priority (recorded as a work note on the "
                "case). A priority change is not an escalation."
            )
            staff_text = (
                f"{case.number} priority changed from {case.priority} to {wanted} by "
                f"{person.name} (work note)."
            )
            staff_kind = "staff_priority_changed"
        say(dispatcher, answer, kind="priority_change", case_number=case.number, data=data)
        say(
            dispatcher,
            staff_text,
            kind=staff_kind,
            audience=STAFF,
            recipients=(staff_channel(),),
            case_number=case.number,
            data=data,
        )
        return remember


_UPDATE_COMMAND = re.compile(
    r"^(?:please\s+)?(?:update|add(?:\s+(?:this|a\s+note))?(?:\s+to)?|note(?:\s+for|\s+on)?)"
    r"(?:\s+(?:on|for|to|with))?\b",
    re.IGNORECASE,
)


def note_from(text: str, number: str) -> str:
    """The user's words minus the command and the case reference, as a work note.

    "update CS-1001: it also fails", "add to case #1001 - it also fails" and "cs 1001 it also
    fails" all give "it also fails".
    """
    digits = number.split("-", 1)[-1]
    # One blank run before and one after "#": `\s*#?\s*` backtracks quadratically on spaces.
    reference = rf"(?<!\w)(?:cs[-\s]?|case\s*(?:#\s*)?|ticket\s*(?:#\s*)?|#)0*{digits}(?!\d)"
    cleaned = re.sub(reference, " ", text, flags=re.IGNORECASE).strip(" :,-")
    cleaned = _UPDATE_COMMAND.sub("", cleaned).strip(" :,-")
    return re.sub(r" {2,}", " ", cleaned)[:MAX_NOTE_CHARS]


def add_customer_note(access: Any, note: str, dispatcher: CollectingDispatcher) -> Case:
    """Add the note to the case's timeline (audited; it reopens a waiting case) and pass it
    to staff."""
    moment = now()
    case = access.case
    change = ops.add_note(
        case, author_id=access.person.slack_id, kind=NoteKind.CUSTOMER_UPDATE, text=note, now=moment
    )
    updated = store_change(case, change, actor_id=access.person.slack_id, moment=moment)
    say(
        dispatcher,
        f"Update on {case.number} from {access.person.name}: “{quote(note, limit=800)}”",
        kind="staff_case_update",
        audience=STAFF,
        recipients=(staff_channel(),),
        case_number=case.number,
    )
    return updated


class ActionUpdateCase(Action):
    def name(self) -> str:
        return "action_update_case"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        text = str(tracker.latest_message.get("text") or "")
        if re.search(r"\bpriority\b", text, re.I) and requested_priority(text):
            return await ActionRequestPriorityChange().run(dispatcher, tracker, domain)
        access = open_case_for(dispatcher, tracker, ContactAction.UPDATE)
        if access is None:
            return []
        if not access.case.is_active:
            say(
                dispatcher,
                f"{access.case.number} is closed, so I can't update it. Ask support to reopen "
                "it, or describe the problem again to open a new case.",
                kind="case_closed",
                case_number=access.case.number,
            )
            return []
        note = note_from(text, access.case.number)
        if len(note.split()) < 2:
            say(
                dispatcher,
                f"What should I add to {access.case.number}? Write the update in one message, "
                f"e.g. “update {access.case.number}: it also fails in the EU site”.",
                kind="ask_update",
                case_number=access.case.number,
            )
            return [SlotSet("last_case_number", access.case.number)]
        updated = add_customer_note(access, note, dispatcher)
        say(
            dispatcher,
            f"Added your update to {updated.number} and passed it to support. "
            f"Status: {STATUS_LABELS.get(updated.status, updated.status)}.",
            kind="case_updated",
            case_number=updated.number,
        )
        return [SlotSet("last_case_number", updated.number)]


class ActionRequestClose(Action):
    def name(self) -> str:
        return "action_request_close"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        access = open_case_for(dispatcher, tracker, ContactAction.CLOSE)
        if access is None:
            return []
        case = access.case
        if not case.is_active:
            say(
                dispatcher,
                f"{case.number} is already closed.",
                kind="case_closed",
                case_number=case.number,
            )
            return []
        say(
            dispatcher,
            f"Close {case.number} (“{quote(case.title, limit=100)}”)? Support will stop working "
            "on it. Yes to close, no to keep it open.",
            kind="confirm_close",
            case_number=case.number,
            buttons=YES_NO_BUTTONS,
        )
        return [
            SlotSet("pending_confirmation", "close_case"),
            SlotSet("close_target", case.number),
            SlotSet("last_case_number", case.number),
        ]


class ActionCloseCase(Action):
    def name(self) -> str:
        return "action_close_case"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        done = [SlotSet("pending_confirmation", None), SlotSet("close_target", None)]
        number = tracker.get_slot("close_target")
        access = open_case_for(dispatcher, tracker, ContactAction.CLOSE, number=number)
        if access is None:
            return done
        if not access.case.is_active:
            say(
                dispatcher,
                f"{access.case.number} is already closed.",
                kind="case_closed",
                case_number=access.case.number,
            )
            return done
        moment = now()
        change = ops.close(
            access.case,
            actor_id=access.person.slack_id,
            by=UpdatedBy.CUSTOMER,
            now=moment,
            reason="designated contact",
        )
        store_change(access.case, change, actor_id=access.person.slack_id, moment=moment)
        say(
            dispatcher,
            f"Closed {access.case.number}. If the problem comes back, tell me and I'll help you "
            "open a new case.",
            kind="case_closed",
            case_number=access.case.number,
        )
        say(
            dispatcher,
            f"{access.case.number} was closed by {access.person.name} (designated contact).",
            kind="staff_case_closed",
            audience=STAFF,
            recipients=(staff_channel(),),
            case_number=access.case.number,
        )
        return done


def escalation_reason(text: str) -> EscalationReason:
    if _RCA_WORDS.search(text):
        return EscalationReason.RCA
    if _IMPACT_WORDS.search(text):
        return EscalationReason.IMPACT_CHANGE
    return EscalationReason.NO_PROGRESS


def escalation_view(case: Any, text: str, tz: Any) -> EscalationCase:
    return EscalationCase(
        status=CaseStatus(case.status),
        priority=Priority(case.priority),
        severity=Severity(int(case.severity)),
        last_update_at=case.last_update_at,
        last_update_by=UpdatedBy(case.last_update_by),
        awaiting_customer=case.status == CaseStatus.WAITING_ON_CUSTOMER.value,
        reason=escalation_reason(text),
        restored_at=case.restored_at,
        business_impact_ongoing=not _IMPACT_OVER.search(text),
        tz=tz,
    )


class ActionCheckEscalation(Action):
    def name(self) -> str:
        return "action_check_escalation"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        access = open_case_for(dispatcher, tracker, ContactAction.ESCALATE)
        if access is None:
            return []
        case, person = access.case, access.person
        if case.escalated_at is not None:
            say(
                dispatcher,
                f"{case.number} is already escalated: the support team has had it since "
                f"{local_time(case.escalated_at, person.tz)}. Asking again doesn't speed it up; "
                f"add what changed with “update {case.number}: …”.",
                kind="escalation_answer",
                case_number=case.number,
                data={"eligible": True, "already": True},
            )
            return [SlotSet("last_case_number", case.number)]
        text = str(tracker.latest_message.get("text") or "")
        moment = now()
        decision = check_escalation(escalation_view(case, text, person.tz), now=moment)
        failed = [r for r in decision.results if not r.passed]
        if not decision.eligible:
            reasons = "\n".join(f"  • {r.explanation}" for r in failed)
            say(
                dispatcher,
                f"{case.number} can't be escalated right now:\n{reasons}\n"
                f"What to do instead: {decision.next_step}",
                kind="escalation_answer",
                case_number=case.number,
                data={"eligible": False, "failed": list(decision.failed)},
            )
            return [SlotSet("last_case_number", case.number)]
        store_change(
            case,
            ops.escalate(case, requester_id=person.slack_id, now=moment),
            actor_id=person.slack_id,
            moment=moment,
        )
        say(
            dispatcher,
            f"{case.number} meets every escalation criterion, so I've passed your escalation "
            "to the support team; they'll follow up in the case.",
            kind="escalation_answer",
            case_number=case.number,
            data={"eligible": True, "failed": []},
        )
        say(
            dispatcher,
            f"Escalation request for {case.number} ({severity_text(case.severity)}, "
            f"{case.priority} priority, {case.org_short_name}) from {person.name}: "
            f"“{quote(text, limit=500)}”. All escalation criteria are met.",
            kind="staff_escalation",
            audience=STAFF,
            recipients=(staff_channel(),),
            case_number=case.number,
        )
        return [SlotSet("last_case_number", case.number)]


class ActionRcaPlan(Action):
    def name(self) -> str:
        return "action_rca_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        access = open_case_for(dispatcher, tracker, ContactAction.REQUEST_RCA)
        if access is None:
            return []
        case, person = access.case, access.person
        text, kind = rca_answer(case, person.tz)
        say(dispatcher, text, kind=kind, case_number=case.number)
        return [SlotSet("last_case_number", case.number)]


def rca_answer(case: Case, tz: Any) -> tuple[str, str]:
    """What the requester hears about the RCA of `case`, and the reply's kind."""
    delivered = [note for note in case.notes if note.kind in ("rca", "case_summary")]
    if delivered:
        what = "RCA" if delivered[-1].kind == "rca" else "case summary"
        return (
            f"The {what} for {case.number} was delivered {local_time(delivered[-1].at, tz)}: "
            f"“{quote(delivered[-1].text, limit=1500)}”",
            f"rca_delivered_{delivered[-1].kind}",
        )
    if case.restored_at is None:
        return (
            f"{case.number} hasn't been restored yet. The RCA timeline starts when service is "
            "restored: for a Severity 1 platform-level incident an RCA follows within five "
            "business days; isolated incidents get a case summary.",
            "rca_pending",
        )
    targets = organization_targets(case.org_short_name, tz=tz, around=case.restored_at)
    plan = targets.rca_plan(
        severity=case.severity, platform_level=case.platform_level, restored_at=case.restored_at
    )
    if plan.kind == "rca" and plan.due_at is not None:
        text = (
            f"{case.number} was a Severity 1 platform-level incident, so support will share a "
            "full RCA document in the case within five business days of restoration: by "
            f"{local_time(plan.due_at, tz)} (your time)."
        )
    elif plan.kind == "case_summary":
        text = (
            f"{case.number} was an isolated (non-platform) incident, which isn't eligible for an "
            "official RCA. Support provides a case summary instead: the problem, its cause or "
            "findings, and the restoration or corrective actions taken."
        )
    else:
        text = (
            f"RCA documents are for Severity 1 platform-level incidents; {case.number} is "
            f"{severity_text(case.severity)}, so no RCA is planned. Support's case notes "
            "describe the cause and fix."
        )
    return text, f"rca_{plan.kind}"
