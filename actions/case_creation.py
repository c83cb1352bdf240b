"""From a filled intake to a case: summary, explicit confirmation, creation and handoff.

Creation is idempotent: the key is derived from the conversation and the confirmed draft, so
a double "yes" or a retried delivery returns the case already created instead of a second one.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import FollowupAction, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.attachments import PENDING_ATTACHMENTS, attach_pending, attached_text
from actions.common import INTAKE_FORM, clear_intake, conversation_key, requester
from actions.edit_fields import EDITABLE, field_buttons, field_named
from actions.followups import schedule_target_clocks
from actions.ports import PersonView, now, organization_targets, phone_line, staff_channel
from actions.replies import CONFIRM_BUTTONS, STAFF, YES_NO_BUTTONS, button, quote, say
from actions.runtime import current
from actions.texts import ROLE_LABELS, local_time, optional_details, severity_text
from actions.understanding import read, to_parse_data
from actions.validation import NOT_PROVIDED, parse_severity, split_background
from cases.entity import CaseDraft, change_id

PRIORITY_FOR_SEVERITY = {1: "critical", 2: "high", 3: "medium", 4: "low"}
TITLE_CHARS = 80


def draft_from(tracker: Tracker, person: PersonView) -> CaseDraft:
    description = str(tracker.get_slot("description") or "").strip()
    conversation_id = tracker.get_slot("conversation_id")
    severity = parse_severity(str(tracker.get_slot("severity") or "")) or int(
        tracker.get_slot("suggested_severity") or 3
    )
    troubleshooting, changes = split_background(str(tracker.get_slot("background") or ""))
    critical = bool(tracker.get_slot("critical_reported"))
    if critical:
        description += "\n[Reported as Critical: the customer will call to raise it.]"
    if reporter := tracker.get_slot("reported_by"):
        description += f"\n[Reported by {reporter}, who is not a designated contact.]"
    return CaseDraft(
        org_short_name=person.org_short_name or "",
        org_id=person.org_id or "",
        requester_id=person.slack_id,
        requester_name=person.name,
        title=quote(description.splitlines()[0] if description else "", limit=TITLE_CHARS),
        description=description,
        business_impact=str(tracker.get_slot("business_impact") or "").strip(),
        severity=severity,
        priority=PRIORITY_FOR_SEVERITY[severity],
        conversation_id=None if conversation_id in (None, NOT_PROVIDED) else conversation_id,
        troubleshooting=troubleshooting,
        environment_changes=changes,
        origin_thread=conversation_key(tracker),
    )


def summary_text(draft: CaseDraft, person: PersonView) -> str:
    lines = [
        "Here's the case I'm ready to open:",
        f"  Organization: {person.org_name or draft.org_short_name} "
        f"(short name {draft.org_short_name}, ID {draft.org_id})",
        f"  Requester: {person.name}, {ROLE_LABELS.get(person.role, person.role)}",
        f"  Severity: {severity_text(draft.severity)}",
        f"  Description: {quote(draft.description, limit=600)}",
        "  Business impact: "
        + (
            "as described above"
            if draft.description.startswith(draft.business_impact)
            else quote(draft.business_impact, limit=600)
        ),
    ]
    lines += [f"  {label}: {quote(text, limit=400)}" for label, text in optional_details(draft)]
    lines.append("Shall I open it? (Confirm / Edit / Cancel)")
    return "\n".join(lines)


def idempotency_key(conversation: str, draft: CaseDraft) -> str:
    fields = {
        "conversation": conversation,
        "org": draft.org_short_name,
        "requester": draft.requester_id,
        "description": draft.description,
        "impact": draft.business_impact,
        "severity": draft.severity,
        "conversation_id": draft.conversation_id,
    }
    encoded = json.dumps(fields, sort_keys=True, ensure_ascii=False).encode()
    return "chat:" + hashlib.sha256(encoded).hexdigest()[:40]


class ActionCaseSummary(Action):
    def name(self) -> str:
        return "action_case_summary"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        person = requester(tracker, dispatcher)
        if person is None:
            return clear_intake()
        draft = draft_from(tracker, person)
        say(
            dispatcher,
            summary_text(draft, person),
            kind="case_summary",
            buttons=CONFIRM_BUTTONS,
            data={
                "org_short_name": draft.org_short_name,
                "severity": draft.severity,
                "description": draft.description,
                "business_impact": draft.business_impact,
                "conversation_id": draft.conversation_id,
            },
        )
        return [SlotSet("pending_confirmation", "create_case")]


class ActionCreateCase(Action):
    def name(self) -> str:
        return "action_create_case"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        person = requester(tracker, dispatcher)
        if person is None:
            return clear_intake()
        if not person.is_designated:
            say(
                dispatcher,
                "Only designated contacts may open cases, so I haven't opened one.",
                kind="permission_denied",
            )
            return clear_intake()
        opened_at = now()
        draft = draft_from(tracker, person)
        targets = organization_targets(person.org_short_name, tz=person.tz, around=opened_at)
        draft = CaseDraft(
            **{
                **vars(draft),
                "response_due_at": targets.response_due(severity=draft.severity, start=opened_at),
                "restoration_due_at": targets.restoration_due(
                    severity=draft.severity, start=opened_at, platform_level=draft.platform_level
                ),
            }
        )
        case, created = current().store.cases.create_case(
            draft,
            idempotency_key=idempotency_key(conversation_key(tracker), draft),
            actor_id=person.slack_id,
            now=opened_at,
        )
        case, attached = attach_pending(tracker, case, actor_id=person.slack_id, now=opened_at)
        due_text = local_time(case.response_due_at, person.tz) if case.response_due_at else None
        if created:
            text = (
                f"Opened {case.number} with {severity_text(case.severity)} "
                f"for {case.org_short_name}."
            )
        else:
            text = f"That case is already open: {case.number}, {severity_text(case.severity)}."
        if due_text:
            text += (
                f" Support's initial response is due by {due_text} (your time). An automated "
                "reply doesn't count: the clock stops when a support engineer acknowledges it."
            )
        if tracker.get_slot("critical_reported"):
            line = phone_line(person.country)
            text += (
                f" Now call the {line.region} outage line ({' / '.join(line.numbers)}) and "
                f"quote {case.number} to raise it to Critical."
            )
        say(
            dispatcher,
            text,
            kind="case_created",
            case_number=case.number,
            data={
                "created": created,
                "severity": case.severity,
                "response_due_at": case.response_due_at.isoformat()
                if case.response_due_at
                else None,
            },
        )
        if attached:
            say(
                dispatcher,
                attached_text(case.number, attached),
                kind="attached",
                case_number=case.number,
            )
        if created:
            schedule_target_clocks(current().store, case, now=opened_at)
        if created or case.staff_thread is None:
            # A replayed confirmation means the creating turn failed after the case was
            # written; staff may never have received it, and a repeat beats a lost handoff.
            say(
                dispatcher,
                staff_handoff_text(case, person, due_text),
                kind="staff_handoff",
                audience=STAFF,
                recipients=(staff_channel(),),
                case_number=case.number,
                buttons=(button("take_case", "Take", case.number),),
                data={
                    "org_short_name": case.org_short_name,
                    "severity": case.severity,
                    "repeat": not created,
                    # The store wrote the case's cards into its outbox with the case itself.
                    "outbox_id": change_id(case.number, 1),
                },
            )
        return [
            *clear_intake(),
            SlotSet("last_case_number", case.number),
            SlotSet(PENDING_ATTACHMENTS, None),
            FollowupAction("action_offer_next_issue"),
        ]


def staff_handoff_text(case: Any, person: PersonView, due_text: str | None) -> str:
    role = ROLE_LABELS.get(person.role, person.role)
    lines = [
        f"New case {case.number} · {severity_text(case.severity)} · {case.org_short_name} "
        f"(org ID {case.org_id}) · from {person.name} ({role})",
        f"Description: {quote(case.description, limit=800)}",
        f"Business impact: {quote(case.business_impact, limit=500)}",
    ]
    lines += [f"{label}: {quote(text, limit=500)}" for label, text in optional_details(case)]
    if case.attachments:
        lines.append("Attachments: " + ", ".join(a.label for a in case.attachments))
    if due_text:
        lines.append(f"Initial response due: {due_text} (customer's time)")
    return "\n".join(lines)


class ActionCancelIntake(Action):
    def name(self) -> str:
        return "action_cancel_intake"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        closing = tracker.get_slot("close_target")
        if tracker.active_loop_name and tracker.get_slot("pending_confirmation") == "close_case":
            # "Keep it open" asked in the middle of an intake: the intake goes on.
            say(dispatcher, f"OK, {closing} stays open.", kind="close_cancelled")
            return [SlotSet("pending_confirmation", None), SlotSet("close_target", None)]
        say(
            dispatcher,
            "OK, I've cancelled that. Nothing was created or changed.",
            kind="cancelled",
        )
        return [
            *clear_intake(),
            SlotSet("close_target", None),
            SlotSet(PENDING_ATTACHMENTS, None),
            FollowupAction("action_offer_next_issue"),
        ]


class ActionEditCase(Action):
    """Change one detail of the summary: which one, then only its question, then the summary."""

    def name(self) -> str:
        return "action_edit_case"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if tracker.get_slot("pending_confirmation") not in ("create_case", "edit_field"):
            say(dispatcher, "There's no case summary to edit right now.", kind="nothing_pending")
            return []
        message = read(tracker.latest_message)
        field = message.entity("field") or field_named(str(message.text or ""))
        if field not in EDITABLE:
            say(
                dispatcher,
                "Which detail do you want to change?",
                kind="edit_case",
                buttons=field_buttons(),
            )
            return [SlotSet("pending_confirmation", "edit_field")]
        say(dispatcher, f"OK, the {EDITABLE[field].lower()}.", kind="edit_case")
        return [
            SlotSet("pending_confirmation", None),
            SlotSet(field, None),
            FollowupAction(INTAKE_FORM),
        ]


class ActionShowSummaryAgain(Action):
    """Nothing to change after all: the summary again, waiting for Confirm."""

    def name(self) -> str:
        return "action_show_summary_again"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return await ActionCaseSummary().run(dispatcher, tracker, domain)


class ActionChangeSeverity(Action):
    """A severity picked on the summary: update it and show the summary again."""

    def name(self) -> str:
        return "action_change_severity"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        if tracker.get_slot("pending_confirmation") == "open_as_high":
            return not_critical_after_all(dispatcher, tracker)
        if tracker.get_slot("pending_confirmation") != "create_case":
            say(dispatcher, "There's no case summary to change right now.", kind="nothing_pending")
            return []
        entity = read(tracker.latest_message).entity("severity")
        chosen = parse_severity(entity or tracker.latest_message.get("text") or "")
        if chosen is None or chosen == 1:
            say(
                dispatcher,
                "Choose High, Medium or Low (Critical must be raised by phone).",
                kind="validation_error",
            )
            return []
        return [SlotSet("severity", str(chosen)), FollowupAction("action_case_summary")]


def not_critical_after_all(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> list[dict[str, Any]]:
    """The reporter says it isn't Critical: tell staff no call is coming, go on normally."""
    person = requester(tracker, dispatcher)
    if person is None:
        return clear_intake()
    say(
        dispatcher,
        f"Update: {person.name} ({person.org_short_name}) says the problem isn't Critical "
        "after all, so no Critical call is expected.",
        kind="critical_alert_withdrawn",
        audience=STAFF,
        recipients=(staff_channel(),),
    )
    say(dispatcher, "Thanks, then let's go through it as a normal case.", kind="not_critical")
    return [
        SlotSet("pending_confirmation", None),
        SlotSet("critical_reported", None),
        SlotSet("suggested_severity", 2.0),
        SlotSet("severity", None),
        FollowupAction(INTAKE_FORM),
    ]


class ActionOpenAsHigh(Action):
    """The recommended Critical path: open as High now, then raise it by phone."""

    def name(self) -> str:
        return "action_open_as_high"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        return [
            SlotSet("pending_confirmation", None),
            SlotSet("suggested_severity", 2.0),
            SlotSet("severity", "2"),
            FollowupAction(INTAKE_FORM),
        ]


class ActionOfferNextIssue(Action):
    """After one of several problems is done, offer the next one."""

    def name(self) -> str:
        return "action_offer_next_issue"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        queue = list(tracker.get_slot("issue_queue") or [])
        if not queue:
            return []
        say(
            dispatcher,
            f"Next problem: “{quote(queue[0], limit=200)}”. Shall we go on with it?",
            kind="next_issue",
            buttons=YES_NO_BUTTONS,
        )
        return [SlotSet("pending_confirmation", "next_issue")]


class ActionNextIssue(Action):
    def name(self) -> str:
        return "action_next_issue"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        from actions.triage import triage_or_ask

        person = requester(tracker, dispatcher)
        queue = list(tracker.get_slot("issue_queue") or [])
        if person is None or not queue:
            return [SlotSet("pending_confirmation", None), SlotSet("issue_queue", None)]
        understanding = read(to_parse_data(current().nlu.parse(queue[0])))
        events = [SlotSet("pending_confirmation", None), SlotSet("issue_queue", queue[1:])]
        return events + triage_or_ask(dispatcher, person, understanding)


class ActionSkipIssue(Action):
    def name(self) -> str:
        return "action_skip_issue"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[dict[str, Any]]:
        say(
            dispatcher,
            "OK, I'll leave the remaining problems. Tell me about them any time.",
            kind="skip_issues",
        )
        return [SlotSet("pending_confirmation", None), SlotSet("issue_queue", None)]
