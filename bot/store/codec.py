"""JSON-friendly dict forms of store records, shared by backends, the CLI and audit entries.

Datetimes become ISO 8601 strings in UTC and come back as aware datetimes, so a record
survives any backend that stores text (SQLite columns, Redis hashes) unchanged.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from bot.store.models import Attachment, AuditEntry, Case, Note, Timer, utc

CASE_DATETIME_FIELDS: frozenset[str] = frozenset(
    {
        "created_at",
        "updated_at",
        "last_update_at",
        "acknowledged_at",
        "response_due_at",
        "restored_at",
        "closed_at",
        "restoration_due_at",
        "escalated_at",
        "rca_delivered_at",
        "response_missed_at",
        "restoration_missed_at",
    }
)
CASE_FIELDS: tuple[str, ...] = tuple(f.name for f in dataclasses.fields(Case))


def to_json_value(value: Any) -> Any:
    """A value as it appears in JSON: datetimes as UTC ISO strings, notes and attachments as
    objects."""
    if isinstance(value, datetime):
        return utc(value).isoformat()
    if isinstance(value, Note | Attachment):
        return value.to_dict()
    if isinstance(value, tuple):
        return [to_json_value(item) for item in value]
    return value


def parse_datetime(text: str | None) -> datetime | None:
    if text is None:
        return None
    return utc(datetime.fromisoformat(text))


def case_to_dict(case: Case) -> dict[str, Any]:
    return {name: to_json_value(getattr(case, name)) for name in CASE_FIELDS}


def case_from_dict(data: dict[str, Any]) -> Case:
    values: dict[str, Any] = {name: data.get(name) for name in CASE_FIELDS}
    for name in CASE_DATETIME_FIELDS:
        values[name] = parse_datetime(values[name])
    values["severity"] = int(values["severity"])
    values["platform_level"] = bool(values["platform_level"])
    values["version"] = int(values["version"] or 1)
    late = values["response_late_minutes"]
    values["response_late_minutes"] = None if late is None else int(late)
    values["notes"] = tuple(Note.from_dict(note) for note in values["notes"] or ())
    values["attachments"] = tuple(Attachment.from_dict(a) for a in values["attachments"] or ())
    return Case(**values)


def audit_to_dict(entry: AuditEntry) -> dict[str, Any]:
    return {
        "case_number": entry.case_number,
        "at": to_json_value(entry.at),
        "actor_id": entry.actor_id,
        "action": entry.action,
        "changes": entry.changes,
    }


def audit_from_dict(data: dict[str, Any]) -> AuditEntry:
    at = parse_datetime(data["at"])
    assert at is not None
    return AuditEntry(
        case_number=data["case_number"],
        at=at,
        actor_id=data["actor_id"],
        action=data["action"],
        changes=dict(data.get("changes") or {}),
    )


def timer_to_dict(timer: Timer) -> dict[str, Any]:
    return {
        "timer_id": timer.timer_id,
        "due_at": to_json_value(timer.due_at),
        "payload": timer.payload,
    }
