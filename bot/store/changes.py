"""Pure rules for what a case may contain and how a change is applied and audited.

Every backend calls these before touching its data, so bad input is refused the same way
everywhere and nothing is half-written.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from typing import Any, TypedDict, Unpack

from bot.store.codec import to_json_value
from bot.store.errors import InvalidChange, InvalidInput, VersionConflict
from bot.store.models import (
    PRIORITIES,
    SEVERITIES,
    STATUSES,
    Attachment,
    Case,
    CaseDraft,
    Note,
    UpdatedBy,
    parse_case_number,
    utc,
)
from cases.vocabulary import ACTIVE_STATUS_VALUES, CaseStatus, NoteKind

MAX_TITLE_CHARS = 500
MAX_TEXT_CHARS = 100_000
MAX_ID_CHARS = 200
MAX_FILE_NAME_CHARS = 500
MAX_LINK_CHARS = 4000
MAX_ATTACHMENTS = 500

_Check = Callable[[str, Any], Any]


def _text(*, required: bool, limit: int) -> _Check:
    def check(name: str, value: Any) -> Any:
        if value is None and not required:
            return None
        if not isinstance(value, str):
            raise InvalidChange(f"{name} must be text, got {type(value).__name__}")
        if required and not value.strip():
            raise InvalidChange(f"{name} must not be empty")
        if len(value) > limit:
            raise InvalidChange(f"{name} is too long ({len(value)} characters, at most {limit})")
        return value

    return check


def _moment(*, required: bool) -> _Check:
    def check(name: str, value: Any) -> Any:
        if value is None and not required:
            return None
        if not isinstance(value, datetime):
            raise InvalidChange(f"{name} must be a datetime, got {type(value).__name__}")
        try:
            return utc(value)
        except ValueError:
            raise InvalidChange(f"{name} must be timezone-aware") from None

    return check


def _choice(allowed: Iterable[str]) -> _Check:
    allowed_set = frozenset(allowed)
    shown = ", ".join(sorted(allowed_set))

    def check(name: str, value: Any) -> Any:
        if not isinstance(value, str) or value not in allowed_set:
            raise InvalidChange(f"{name} must be one of {shown}, got {value!r}")
        return str(value)

    return check


def _severity(name: str, value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int) or int(value) not in SEVERITIES:
        raise InvalidChange(f"{name} must be 1, 2, 3 or 4, got {value!r}")
    return int(value)


def _notes(name: str, value: Any) -> Any:
    if not isinstance(value, tuple) or not all(isinstance(note, Note) for note in value):
        raise InvalidChange(f"{name} must be a tuple of notes")
    for note in value:
        _text(required=True, limit=MAX_TEXT_CHARS)("note", note.text)
        _choice(kind.value for kind in NoteKind)("note kind", note.kind)
    return value


def _attachments(name: str, value: Any) -> Any:
    if not isinstance(value, tuple) or not all(isinstance(a, Attachment) for a in value):
        raise InvalidChange(f"{name} must be a tuple of attachments")
    if len(value) > MAX_ATTACHMENTS:
        raise InvalidChange(f"{name}: at most {MAX_ATTACHMENTS} files per case")
    for attachment in value:
        _text(required=True, limit=MAX_FILE_NAME_CHARS)("attachment name", attachment.name)
        _text(required=True, limit=MAX_ID_CHARS)("attachment type", attachment.mimetype)
        _text(required=True, limit=MAX_LINK_CHARS)("attachment link", attachment.permalink)
        _text(required=True, limit=MAX_ID_CHARS)("attachment added_by", attachment.added_by)
        _moment(required=True)("attachment time", attachment.at)
        size = attachment.size
        if isinstance(size, bool) or not isinstance(size, int) or size < 0:
            raise InvalidChange(f"attachment size must be a number of bytes, got {size!r}")
    return value


def _flag(name: str, value: Any) -> Any:
    if not isinstance(value, bool):
        raise InvalidChange(f"{name} must be true or false, got {value!r}")
    return value


_OPTIONAL_TEXT = _text(required=False, limit=MAX_TEXT_CHARS)


def _optional_priority(name: str, value: Any) -> Any:
    return None if value is None else _choice(PRIORITIES)(name, value)


_OPTIONAL_ID = _text(required=False, limit=MAX_ID_CHARS)


def _optional_minutes(name: str, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidChange(f"{name} must be a whole number of minutes, got {value!r}")
    return value


UPDATABLE_FIELDS: dict[str, _Check] = {
    "title": _text(required=True, limit=MAX_TITLE_CHARS),
    "description": _text(required=True, limit=MAX_TEXT_CHARS),
    "business_impact": _text(required=False, limit=MAX_TEXT_CHARS),
    "severity": _severity,
    "priority": _choice(PRIORITIES),
    "status": _choice(STATUSES),
    "conversation_id": _OPTIONAL_ID,
    "environment_changes": _OPTIONAL_TEXT,
    "troubleshooting": _OPTIONAL_TEXT,
    "last_update_by": _choice(u.value for u in UpdatedBy),
    "last_update_at": _moment(required=True),
    "acknowledged_at": _moment(required=False),
    "response_due_at": _moment(required=False),
    "restored_at": _moment(required=False),
    "platform_level": _flag,
    "origin_thread": _OPTIONAL_ID,
    "staff_thread": _OPTIONAL_ID,
    "assignee_id": _OPTIONAL_ID,
    "closed_at": _moment(required=False),
    "restoration_due_at": _moment(required=False),
    "priority_requested": _optional_priority,
    "priority_requested_by": _OPTIONAL_ID,
    "escalated_at": _moment(required=False),
    "rca_delivered_at": _moment(required=False),
    "response_missed_at": _moment(required=False),
    "restoration_missed_at": _moment(required=False),
    "response_late_minutes": _optional_minutes,
    "notes": _notes,
    "attachments": _attachments,
}

_DRAFT_ONLY_FIELDS: dict[str, _Check] = {
    "org_short_name": _text(required=True, limit=MAX_ID_CHARS),
    "org_id": _text(required=True, limit=MAX_ID_CHARS),
    "requester_id": _text(required=True, limit=MAX_ID_CHARS),
    "requester_name": _text(required=True, limit=MAX_ID_CHARS),
}


def require_text(name: str, value: Any, *, limit: int = MAX_ID_CHARS) -> str:
    """Refuse empty or non-text identifiers (actor ids, keys) with a clear message."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{name} must be non-empty text, got {value!r}")
    if len(value) > limit:
        raise InvalidInput(f"{name} is too long ({len(value)} characters, at most {limit})")
    return value


def require_moment(name: str, value: Any) -> datetime:
    if not isinstance(value, datetime) or value.tzinfo is None or value.utcoffset() is None:
        raise InvalidInput(f"{name} must be a timezone-aware datetime, got {value!r}")
    return utc(value)


def require_statuses(statuses: Iterable[str] | None) -> frozenset[str] | None:
    if statuses is None:
        return None
    wanted = frozenset(statuses) if not isinstance(statuses, str) else frozenset({statuses})
    unknown = sorted(str(s) for s in wanted - STATUSES)
    if unknown:
        known = ", ".join(sorted(STATUSES))
        raise InvalidInput(f"unknown status {unknown[0]!r}; use one of {known}")
    return wanted


def validate_draft(draft: CaseDraft) -> CaseDraft:
    """The draft with datetimes in UTC, or InvalidChange naming the first bad field."""
    if not isinstance(draft, CaseDraft):
        raise InvalidChange(f"a case is created from a CaseDraft, got {type(draft).__name__}")
    checks = {**_DRAFT_ONLY_FIELDS, **UPDATABLE_FIELDS}
    values = {}
    for draft_field in dataclasses.fields(CaseDraft):
        values[draft_field.name] = checks[draft_field.name](
            draft_field.name, getattr(draft, draft_field.name)
        )
    return CaseDraft(**values)


def validate_changes(changes: dict[str, Any]) -> dict[str, Any]:
    """Normalized changes, or InvalidChange for unknown, read-only or badly typed fields."""
    if not isinstance(changes, dict):
        raise InvalidChange(f"changes must be a dict, got {type(changes).__name__}")
    normalized: dict[str, Any] = {}
    for name, value in changes.items():
        check = UPDATABLE_FIELDS.get(name)
        if check is None:
            raise InvalidChange(f"{name!r} cannot be changed")
        normalized[name] = check(name, value)
    return normalized


def validate_update(
    *, number: str, actor_id: str, action: str, now: datetime, changes: dict[str, Any]
) -> tuple[int, datetime, dict[str, Any]]:
    """(sequence, moment, changes) of an update request, checked the same way by every backend."""
    sequence = parse_case_number(number)
    require_text("actor_id", actor_id)
    require_text("action", action)
    return sequence, require_moment("now", now), validate_changes(changes)


# Text longer than this is shown in the audit by the part that changed, with some context.
AUDIT_TEXT_CHARS = 160
_AUDIT_CONTEXT = 40


def audit_changes(case: Case, changes: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """{field: {"old": ..., "new": ...}} for the fields whose value really changes; notes and
    attachments as {"added": [...]}, long text as the part that differs (so the trail stays
    readable)."""
    recorded: dict[str, dict[str, Any]] = {}
    for name, new_value in changes.items():
        old_value = getattr(case, name)
        if old_value == new_value:
            continue
        if name in ("notes", "attachments"):
            added = new_value[len(old_value) :]
            recorded[name] = {"added": [to_json_value(note) for note in added]}
        elif isinstance(old_value, str) and isinstance(new_value, str):
            old_part, new_part = _changed_part(old_value, new_value)
            recorded[name] = {"old": old_part, "new": new_part}
        else:
            recorded[name] = {"old": to_json_value(old_value), "new": to_json_value(new_value)}
    return recorded


def _changed_part(old: str, new: str) -> tuple[str, str]:
    """Both texts cut to where they differ (with a little context), when either is long."""
    if max(len(old), len(new)) <= AUDIT_TEXT_CHARS:
        return old, new
    prefix = 0
    while prefix < min(len(old), len(new)) and old[prefix] == new[prefix]:
        prefix += 1
    suffix = 0
    while (
        suffix < min(len(old), len(new)) - prefix
        and old[len(old) - 1 - suffix] == new[len(new) - 1 - suffix]
    ):
        suffix += 1
    start = max(0, prefix - _AUDIT_CONTEXT)

    def window(text: str) -> str:
        end = min(len(text), len(text) - suffix + _AUDIT_CONTEXT)
        shown = text[start:end]
        return ("…" if start else "") + shown + ("…" if end < len(text) else "")

    return window(old), window(new)


def creation_changes(case: Case) -> dict[str, dict[str, Any]]:
    """The audit record of a new case: every field that has a value, as old=None."""
    skip = {"number", "version", "updated_at", "idempotency_key", "notes", "attachments"}
    return {
        f.name: {"old": None, "new": to_json_value(getattr(case, f.name))}
        for f in dataclasses.fields(Case)
        if f.name not in skip and getattr(case, f.name) is not None
    }


def apply_changes(case: Case, changes: dict[str, Any], now: datetime) -> Case:
    return dataclasses.replace(case, **changes, updated_at=utc(now), version=case.version + 1)


def version_conflict(number: str, current: int, expected: int) -> VersionConflict:
    return VersionConflict(
        f"{number} changed meanwhile (version {current}, expected {expected}); read it again"
    )


def planned_update(
    case: Case, wanted: dict[str, Any], *, expected_version: int | None, now: datetime
) -> tuple[dict[str, dict[str, Any]], Case] | None:
    """What an update of `case` records and the case it becomes; None when nothing changes.

    The one pipeline both backends run between reading a case and writing it: the version
    check, the audit of what really changes, the change applied. Raises VersionConflict."""
    if expected_version is not None and case.version != expected_version:
        raise version_conflict(case.number, case.version, expected_version)
    recorded = audit_changes(case, wanted)
    if not recorded:
        return None
    return recorded, apply_changes(case, {k: wanted[k] for k in recorded}, now=now)


def checked_timers(
    timers: Mapping[str, tuple[datetime, dict[str, Any]]],
) -> list[tuple[str, datetime, str]]:
    """Each timer as (ID, due at in UTC, payload as JSON), or InvalidInput naming what is
    wrong, before anything is written."""
    checked = []
    for timer_id, (due_at, payload) in timers.items():
        require_text("timer_id", timer_id)
        if not isinstance(payload, dict):
            raise InvalidInput("payload must be a dict")
        checked.append(
            (timer_id, require_moment("due_at", due_at), require_json("payload", payload))
        )
    return checked


def require_json(name: str, value: Any) -> str:
    """Serialize plain data or refuse it: stores keep JSON, never pickles."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except (TypeError, ValueError) as error:
        raise InvalidInput(f"{name} must be plain JSON data: {error}") from None


def require_owed(owed: Any) -> str:
    """The messages a change owes, as one JSON array of objects (validated before writing)."""
    if isinstance(owed, str | bytes) or not all(isinstance(m, dict) for m in owed):
        raise InvalidInput("owed must be a sequence of message dicts")
    return require_json("owed", [dict(m) for m in owed])


# `assignee_id` filter value for cases nobody has taken (the staff queue); a stored empty
# assignee counts as nobody too, as it does everywhere else.
UNASSIGNED = ""
ACTIVE = frozenset(ACTIVE_STATUS_VALUES)
CLOSED = CaseStatus.CLOSED.value
assert STATUSES - {CLOSED} == ACTIVE, "stores index 'not closed' as the active statuses"


@dataclasses.dataclass(frozen=True, kw_only=True)
class CaseQuery:
    """A checked `list_cases` / `count_cases` filter; None means "any"."""

    org_short_name: str | None = None
    requester_id: str | None = None
    statuses: frozenset[str] | None = None
    assignee_id: str | None = None
    origin_thread: str | None = None

    @property
    def nothing(self) -> bool:
        """An empty status set matches no case."""
        return self.statuses is not None and not self.statuses

    @property
    def active_only(self) -> bool:
        """Only active statuses asked for: the query can be answered from an active index."""
        return bool(self.statuses) and self.statuses is not None and self.statuses <= ACTIVE


class CaseFilters(TypedDict, total=False):
    """The filters of `list_cases`, `count_cases` and `newest_cases`; a missing one means "any"."""

    org_short_name: str | None
    requester_id: str | None
    statuses: Iterable[str] | None
    assignee_id: str | None  # UNASSIGNED: the cases nobody has taken
    origin_thread: str | None  # the requester's conversation key


def case_query(**filters: Unpack[CaseFilters]) -> CaseQuery:
    """The filters checked the same way by every backend (InvalidInput when malformed)."""
    if unknown := sorted(set(filters) - set(CaseFilters.__annotations__)):
        raise TypeError(f"unknown case filters: {', '.join(unknown)}")
    org_short_name = filters.get("org_short_name")
    requester_id = filters.get("requester_id")
    assignee_id = filters.get("assignee_id")
    origin_thread = filters.get("origin_thread")
    for name, value in (
        ("org_short_name", org_short_name),
        ("requester_id", requester_id),
        ("assignee_id", assignee_id),
    ):
        if value is not None and not isinstance(value, str):
            raise InvalidInput(f"{name} must be text, got {value!r}")
    if origin_thread is not None:
        require_text("origin_thread", origin_thread)
    return CaseQuery(
        org_short_name=org_short_name,
        requester_id=requester_id,
        statuses=require_statuses(filters.get("statuses")),
        assignee_id=assignee_id,
        origin_thread=origin_thread,
    )


def require_page(limit: int | None, after: str | None) -> tuple[int | None, int | None]:
    """(limit, sequence to continue after) of a page request."""
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise InvalidInput(f"limit must be a whole number of cases, got {limit!r}")
    return limit, None if after is None else parse_case_number(after)


def index_values(case: Case) -> dict[str, str]:
    """What the stores index a case by, as stored: no assignee or thread is ''."""
    return {
        "status": case.status,
        "org": case.org_short_name,
        "requester": case.requester_id,
        "assignee": case.assignee_id or UNASSIGNED,
        "thread": case.origin_thread or "",
    }
