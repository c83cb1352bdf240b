"""Everything a person can do to a case, as pure functions: the changes to store and the
events to announce.

Every operation takes the case as read, who acts, `now` and (where targets matter) the
`Targets` of the case's organization, and returns a `Change`. Nothing is stored here; the
caller hands `Change.fields` to the store's `update_case` (which audits it under
`Change.action`) and tells people about `Change.events`. Operations refuse, with a
`CaseError` a person can read, what the case's state does not allow; the status table in
`cases.transitions` is checked by every one of them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from cases.entity import Attachment, Case, CaseDraft, Note, utc
from cases.errors import NotAllowedNow
from cases.transitions import check_transition
from cases.vocabulary import SEVERITIES, CaseStatus, NoteKind, Priority, UpdatedBy

MAX_NOTE_CHARS = 4000


class Targets(Protocol):
    """The support policy as it applies to one organization (see `policy.case_targets`)."""

    def priority_for(self, severity: int) -> Priority: ...

    def response_due(self, *, severity: int, start: datetime) -> datetime: ...

    def restoration_due(
        self, *, severity: int, start: datetime, platform_level: bool
    ) -> datetime | None: ...


class EventKind(StrEnum):
    TAKEN = "taken"
    INFO_REQUESTED = "info_requested"
    NOTE_ADDED = "note_added"
    ATTACHED = "attached"
    RESOLUTION_PROPOSED = "resolution_proposed"
    SEVERITY_CHANGED = "severity_changed"
    PRIORITY_CHANGED = "priority_changed"
    PRIORITY_REQUESTED = "priority_requested"
    PRIORITY_REQUEST_DECLINED = "priority_request_declined"
    RESTORED = "restored"
    RCA_DELIVERED = "rca_delivered"
    SUMMARY_DELIVERED = "summary_delivered"
    ESCALATED = "escalated"
    CLOSED = "closed"
    REOPENED = "reopened"
    TARGET_MISSED = "target_missed"


@dataclass(frozen=True)
class Event:
    """Something people should hear about; `details` holds what the message needs."""

    kind: EventKind
    case_number: str
    actor_id: str
    at: datetime
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Change:
    """An operation's result: fields for `update_case`, its audit action, and the events."""

    action: str
    fields: Mapping[str, Any]
    events: tuple[Event, ...]


def _change(
    case: Case,
    action: str,
    fields: Mapping[str, Any],
    event_kind: EventKind,
    *,
    actor_id: str,
    now: datetime,
    **details: Any,
) -> Change:
    if "status" in fields:
        check_transition(case.status, fields["status"])
    event = Event(event_kind, case.number, actor_id, now, details)
    return Change(action=action, fields=dict(fields), events=(event,))


def _require_active(case: Case) -> None:
    if not case.is_active:
        raise NotAllowedNow(f"{case.number} is closed; reopen it first")


def _note(case: Case, kind: NoteKind, author_id: str, text: str, now: datetime) -> tuple[Note, ...]:
    cleaned = text.strip()
    if not cleaned:
        raise NotAllowedNow("the note is empty")
    entry = Note(kind=kind.value, author_id=author_id, at=now, text=cleaned[:MAX_NOTE_CHARS])
    return (*case.notes, entry)


def _support_spoke(case: Case, now: datetime) -> dict[str, Any]:
    """Support wrote to the customer: the initial response, if there was none yet."""
    spoke: dict[str, Any] = {"last_update_by": UpdatedBy.SUPPORT.value, "last_update_at": now}
    if case.acknowledged_at is None:
        spoke["acknowledged_at"] = now
    return spoke


def open_case(*, draft: CaseDraft, number: str, idempotency_key: str, now: datetime) -> Case:
    """The case a confirmed draft becomes: open, spoken last by the customer (the store calls
    this with the number it allocated)."""
    moment = utc(now)
    return Case(
        number=number,
        org_short_name=draft.org_short_name,
        org_id=draft.org_id,
        requester_id=draft.requester_id,
        requester_name=draft.requester_name,
        title=draft.title,
        description=draft.description,
        business_impact=draft.business_impact,
        severity=draft.severity,
        priority=draft.priority,
        status=CaseStatus.OPEN.value,
        conversation_id=draft.conversation_id,
        environment_changes=draft.environment_changes,
        troubleshooting=draft.troubleshooting,
        created_at=moment,
        updated_at=moment,
        last_update_by=UpdatedBy.CUSTOMER.value,
        last_update_at=moment,
        acknowledged_at=None,
        response_due_at=draft.response_due_at,
        restored_at=None,
        platform_level=draft.platform_level,
        origin_thread=draft.origin_thread,
        staff_thread=draft.staff_thread,
        assignee_id=draft.assignee_id,
        closed_at=None,
        idempotency_key=idempotency_key,
        version=1,
        restoration_due_at=draft.restoration_due_at,
    )


def acknowledge(case: Case, *, staff_id: str, now: datetime) -> Change:
    """Staff take the case: it is theirs, and the initial-response clock stops."""
    _require_active(case)
    fields = {"assignee_id": staff_id, **_support_spoke(case, now)}
    return _change(case, "take", fields, EventKind.TAKEN, actor_id=staff_id, now=now)


def _support_writes(
    case: Case,
    *,
    action: str,
    event_kind: EventKind,
    status: CaseStatus,
    note_kind: NoteKind,
    staff_id: str,
    text: str,
    now: datetime,
) -> Change:
    """Support writes to the customer and the case changes status (a question, a proposal)."""
    _require_active(case)
    fields = {
        "status": status.value,
        "notes": _note(case, note_kind, staff_id, text, now),
        **_support_spoke(case, now),
    }
    return _change(case, action, fields, event_kind, actor_id=staff_id, now=now, text=text.strip())


def request_info(case: Case, *, staff_id: str, question: str, now: datetime) -> Change:
    return _support_writes(
        case,
        action="request_info",
        event_kind=EventKind.INFO_REQUESTED,
        status=CaseStatus.WAITING_ON_CUSTOMER,
        note_kind=NoteKind.STAFF_QUESTION,
        staff_id=staff_id,
        text=question,
        now=now,
    )


def add_note(case: Case, *, author_id: str, kind: NoteKind, text: str, now: datetime) -> Change:
    """A timeline entry. A customer's update answers a question or says it isn't solved, so a
    waiting or proposed case opens again; a staff reply is support speaking."""
    if kind is not NoteKind.STAFF_REPLY:
        _require_active(case)
    fields: dict[str, Any] = {"notes": _note(case, kind, author_id, text, now)}
    if kind is NoteKind.CUSTOMER_UPDATE:
        fields.update(last_update_by=UpdatedBy.CUSTOMER.value, last_update_at=now)
        if case.status in (CaseStatus.WAITING_ON_CUSTOMER, CaseStatus.RESOLUTION_PROPOSED):
            fields["status"] = CaseStatus.OPEN.value
    elif kind is NoteKind.STAFF_REPLY:
        fields.update(_support_spoke(case, now))
    action = {NoteKind.CUSTOMER_UPDATE: "customer_update", NoteKind.STAFF_REPLY: "staff_reply"}
    return _change(
        case,
        action.get(kind, "work_note"),
        fields,
        EventKind.NOTE_ADDED,
        actor_id=author_id,
        now=now,
        note_kind=kind.value,
        text=text.strip(),
    )


def attach(
    case: Case, *, attachments: Sequence[Attachment], author_id: str, now: datetime
) -> Change:
    """Files from the customer's side (the requester or a designated contact; who may is the
    caller's rule). Like a customer update, they are the customer speaking: a case waiting
    on them, or on their word about a proposal, opens again. A file already on the case (the
    same permalink) is not attached twice."""
    _require_active(case)
    if not attachments:
        raise NotAllowedNow("there is no file to attach")
    known = {existing.permalink for existing in case.attachments}
    added: list[Attachment] = []
    for attachment in attachments:
        if attachment.permalink not in known:
            known.add(attachment.permalink)
            added.append(attachment)
    if not added:
        names = ", ".join(a.name for a in attachments)
        raise NotAllowedNow(f"{names} is already attached to {case.number}")
    fields: dict[str, Any] = {
        "attachments": (*case.attachments, *added),
        "last_update_by": UpdatedBy.CUSTOMER.value,
        "last_update_at": now,
    }
    if case.status in (CaseStatus.WAITING_ON_CUSTOMER, CaseStatus.RESOLUTION_PROPOSED):
        fields["status"] = CaseStatus.OPEN.value
    return _change(
        case,
        "attach",
        fields,
        EventKind.ATTACHED,
        actor_id=author_id,
        now=now,
        attachments=tuple(added),
    )


def propose_resolution(case: Case, *, staff_id: str, proposal: str, now: datetime) -> Change:
    return _support_writes(
        case,
        action="propose_resolution",
        event_kind=EventKind.RESOLUTION_PROPOSED,
        status=CaseStatus.RESOLUTION_PROPOSED,
        note_kind=NoteKind.PROPOSAL,
        staff_id=staff_id,
        text=proposal,
        now=now,
    )


def change_severity(
    case: Case, *, severity: int, staff_id: str, now: datetime, targets: Targets
) -> Change:
    """A new severity brings its priority and due times. A raise restarts the clocks at the
    raise (Severity 1 is due 10 minutes after it, not 10 minutes after the case opened); a
    lowering keeps counting from when the case opened."""
    _require_active(case)
    if severity not in SEVERITIES:
        raise NotAllowedNow("severity must be 1, 2, 3 or 4")
    if severity == case.severity:
        raise NotAllowedNow(f"{case.number} already has Severity {severity}")
    start = now if severity < case.severity else case.created_at
    fields: dict[str, Any] = {
        "severity": severity,
        "priority": targets.priority_for(severity).value,
        "last_update_by": UpdatedBy.SUPPORT.value,
        "last_update_at": now,
    }
    if case.acknowledged_at is None:
        fields["response_due_at"] = targets.response_due(severity=severity, start=start)
    if case.restored_at is None:
        fields["restoration_due_at"] = targets.restoration_due(
            severity=severity, start=start, platform_level=case.platform_level
        )
    return _change(
        case,
        "change_severity",
        fields,
        EventKind.SEVERITY_CHANGED,
        actor_id=staff_id,
        now=now,
        old=case.severity,
        new=severity,
    )


def change_priority(case: Case, *, priority: Priority, staff_id: str, now: datetime) -> Change:
    """Staff set any priority; a waiting request is settled by it."""
    _require_active(case)
    if priority.value == case.priority:
        raise NotAllowedNow(f"{case.number} already has {priority.value} priority")
    fields = {
        "priority": priority.value,
        "priority_requested": None,
        "priority_requested_by": None,
    }
    return _change(
        case,
        "change_priority",
        fields,
        EventKind.PRIORITY_CHANGED,
        actor_id=staff_id,
        now=now,
        old=case.priority,
        new=priority.value,
    )


def request_priority(case: Case, *, priority: Priority, requester_id: str, now: datetime) -> Change:
    """Seed 003: medium (or low) is asked in a work note and takes effect; high goes to staff
    as a request and changes nothing until they approve; Critical is raised by phone."""
    _require_active(case)
    if priority.value == case.priority:
        raise NotAllowedNow(f"{case.number} already has {priority.value} priority")
    if priority is Priority.CRITICAL:
        raise NotAllowedNow("Critical priority is raised by phone, not in chat")
    if priority is Priority.HIGH:
        if case.priority_requested == Priority.HIGH.value:
            raise NotAllowedNow(f"high priority for {case.number} is already requested")
        fields: dict[str, Any] = {
            "priority_requested": priority.value,
            "priority_requested_by": requester_id,
        }
        return _change(
            case,
            "priority_requested",
            fields,
            EventKind.PRIORITY_REQUESTED,
            actor_id=requester_id,
            now=now,
            old=case.priority,
            new=priority.value,
        )
    note = f"Please change the priority to {priority.value}."
    fields = {
        "priority": priority.value,
        "notes": _note(case, NoteKind.WORK_NOTE, requester_id, note, now),
        "last_update_by": UpdatedBy.CUSTOMER.value,
        "last_update_at": now,
    }
    return _change(
        case,
        "change_priority",
        fields,
        EventKind.PRIORITY_CHANGED,
        actor_id=requester_id,
        now=now,
        old=case.priority,
        new=priority.value,
    )


def decline_priority_request(case: Case, *, staff_id: str, now: datetime) -> Change:
    if case.priority_requested is None:
        raise NotAllowedNow(f"{case.number} has no priority request waiting")
    fields = {"priority_requested": None, "priority_requested_by": None}
    return _change(
        case,
        "priority_request_declined",
        fields,
        EventKind.PRIORITY_REQUEST_DECLINED,
        actor_id=staff_id,
        now=now,
        requested=case.priority_requested,
        requester_id=case.priority_requested_by,
    )


def record_restoration(case: Case, *, platform_level: bool, staff_id: str, now: datetime) -> Change:
    """Service is back; whether it was platform-level decides RCA or case summary."""
    _require_active(case)
    if case.restored_at is not None:
        raise NotAllowedNow(f"{case.number} is already recorded as restored")
    fields = {
        "restored_at": now,
        "platform_level": platform_level,
        "last_update_by": UpdatedBy.SUPPORT.value,
        "last_update_at": now,
    }
    return _change(
        case,
        "record_restoration",
        fields,
        EventKind.RESTORED,
        actor_id=staff_id,
        now=now,
        platform_level=platform_level,
    )


def deliver_rca(case: Case, *, staff_id: str, text: str, now: datetime) -> Change:
    """The RCA document of a restored Severity 1 platform-level incident."""
    if case.restored_at is None:
        raise NotAllowedNow(f"{case.number} isn't recorded as restored yet")
    if case.severity != 1 or not case.platform_level:
        raise NotAllowedNow(
            f"{case.number} isn't a Severity 1 platform-level incident: deliver a case summary"
        )
    fields = {
        "notes": _note(case, NoteKind.RCA, staff_id, text, now),
        "rca_delivered_at": now,
        "last_update_by": UpdatedBy.SUPPORT.value,
        "last_update_at": now,
    }
    return _change(
        case, "deliver_rca", fields, EventKind.RCA_DELIVERED, actor_id=staff_id, now=now, text=text
    )


def deliver_case_summary(case: Case, *, staff_id: str, text: str, now: datetime) -> Change:
    """The problem, its cause or findings and what was done: for incidents without an RCA."""
    fields = {
        "notes": _note(case, NoteKind.CASE_SUMMARY, staff_id, text, now),
        "last_update_by": UpdatedBy.SUPPORT.value,
        "last_update_at": now,
    }
    return _change(
        case,
        "deliver_case_summary",
        fields,
        EventKind.SUMMARY_DELIVERED,
        actor_id=staff_id,
        now=now,
        text=text,
    )


def escalate(case: Case, *, requester_id: str, now: datetime) -> Change:
    """Record an eligible escalation once (eligibility: `policy.escalation`)."""
    _require_active(case)
    if case.escalated_at is not None:
        raise NotAllowedNow(f"{case.number} is already escalated")
    fields = {
        "escalated_at": now,
        "last_update_by": UpdatedBy.CUSTOMER.value,
        "last_update_at": now,
    }
    return _change(
        case, "escalation_requested", fields, EventKind.ESCALATED, actor_id=requester_id, now=now
    )


# A target and the case fields that say when it is due, met and recorded as missed.
_TARGET_FIELDS = {
    "response": ("response_due_at", "acknowledged_at", "response_missed_at"),
    "restoration": ("restoration_due_at", "restored_at", "restoration_missed_at"),
}


def record_missed_target(case: Case, *, target: str, actor_id: str, now: datetime) -> Change:
    """A target passed unmet: recorded once, without touching who spoke last (a missed
    target is not an update, so the closure clocks that count silence run on)."""
    _require_active(case)
    if target not in _TARGET_FIELDS:
        raise NotAllowedNow(f"unknown target {target!r}")
    due_field, met_field, missed_field = _TARGET_FIELDS[target]
    due = getattr(case, due_field)
    if due is None:
        raise NotAllowedNow(f"{case.number} has no {target} target")
    if getattr(case, met_field) is not None:
        raise NotAllowedNow(f"{case.number} met its {target} target")
    if getattr(case, missed_field) is not None:
        raise NotAllowedNow(f"{case.number} already missed its {target} target")
    if utc(now) < utc(due):
        raise NotAllowedNow(f"{case.number}'s {target} target is not due yet")
    return _change(
        case,
        f"{target}_target_missed",
        {missed_field: now},
        EventKind.TARGET_MISSED,
        actor_id=actor_id,
        now=now,
        target=target,
        due_at=due,
    )


def with_late_response(change: Change, case: Case, *, minutes_late: int) -> Change:
    """The change that gives a case its first human response after the target: it also
    records how late (in the target's own minutes) and, if no timer did yet, the miss."""
    if "acknowledged_at" not in change.fields or case.response_due_at is None:
        return change
    if utc(change.fields["acknowledged_at"]) <= utc(case.response_due_at):
        return change
    fields = {**change.fields, "response_late_minutes": max(minutes_late, 0)}
    if case.response_missed_at is None:
        fields["response_missed_at"] = case.response_due_at
    return Change(action=change.action, fields=fields, events=change.events)


def close(case: Case, *, actor_id: str, by: UpdatedBy, now: datetime, reason: str) -> Change:
    """Closed by the customer, by staff, or by a closure timer (`reason` says which)."""
    _require_active(case)
    fields = {
        "status": CaseStatus.CLOSED.value,
        "closed_at": now,
        "last_update_by": by.value,
        "last_update_at": now,
    }
    return _change(
        case, "close", fields, EventKind.CLOSED, actor_id=actor_id, now=now, reason=reason
    )


def reopen(case: Case, *, staff_id: str, now: datetime) -> Change:
    if case.is_active:
        raise NotAllowedNow(f"{case.number} is not closed")
    fields = {
        "status": CaseStatus.OPEN.value,
        "closed_at": None,
        "escalated_at": None,
        "last_update_by": UpdatedBy.SUPPORT.value,
        "last_update_at": now,
    }
    return _change(case, "reopen", fields, EventKind.REOPENED, actor_id=staff_id, now=now)
