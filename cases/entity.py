"""The support case record and its case numbers.

Frozen dataclasses: a value read from the store cannot drift from what is stored. Changes are
made by `cases.operations`, recorded by the store with who changed what and when. All
datetimes are timezone-aware and kept in UTC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from cases.errors import InvalidCaseNumber
from cases.vocabulary import CaseStatus, NoteKind, Priority

CASE_NUMBER_PREFIX = "CS-"
FIRST_CASE_SEQUENCE = 1001
_CASE_NUMBER = re.compile(r"^CS-([1-9][0-9]{0,17})$")


def format_case_number(sequence: int) -> str:
    return f"{CASE_NUMBER_PREFIX}{sequence}"


def change_id(case_number: str, version: int) -> str:
    """Names one change of a case by the version it produced ("CS-1001:v3").

    The store keeps what a change owes to people (its outbox item) under this name, so a
    replayed change adds nothing and anyone holding the changed case can find it.
    """
    return f"{case_number}:v{version}"


def parse_case_number(text: str) -> int:
    """Return the sequence of a case number such as "CS-1001" (spaces and case forgiven).

    Raises InvalidCaseNumber so callers can answer with one clear line.
    """
    if not isinstance(text, str):
        raise InvalidCaseNumber(f"a case number looks like CS-1001, got {text!r}")
    match = _CASE_NUMBER.match(text.strip().upper())
    if not match:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise InvalidCaseNumber(f"a case number looks like CS-1001, got {shown!r}")
    return int(match.group(1))


def normalize_case_number(text: str) -> str:
    """Canonical spelling of a case number ("cs-1001 " -> "CS-1001")."""
    return format_case_number(parse_case_number(text))


def utc(moment: datetime) -> datetime:
    """The same instant in UTC; naive datetimes are refused because their zone is a guess."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetimes must be timezone-aware")
    return moment.astimezone(UTC)


@dataclass(frozen=True, kw_only=True)
class Note:
    """One entry of the case's timeline: who wrote what, when, and what kind of entry it is."""

    kind: str
    author_id: str
    at: datetime
    text: str

    def to_dict(self) -> dict[str, str]:
        return {
            "kind": self.kind,
            "author_id": self.author_id,
            "at": utc(self.at).isoformat(),
            "text": self.text,
        }

    @classmethod
    def from_dict(cls, data: dict[str, str]) -> Note:
        return cls(
            kind=NoteKind(data["kind"]).value,
            author_id=str(data["author_id"]),
            at=utc(datetime.fromisoformat(data["at"])),
            text=str(data["text"]),
        )


def size_text(size: int) -> str:
    """A file size as people read it: "512 bytes", "12 KB", "2.1 MB"."""
    if size < 1024:
        return f"{size} byte" + ("" if size == 1 else "s")
    if size < 1024 * 1024:
        return f"{round(size / 1024)} KB"
    if size < 1024**3:
        return f"{size / 1024**2:.1f} MB"
    return f"{size / 1024**3:.1f} GB"


@dataclass(frozen=True, kw_only=True)
class Attachment:
    """A file attached to a case, by reference: nothing is downloaded or stored but these facts.

    `permalink` is where the file lives: a Slack permalink, or a local path in the terminal.
    """

    name: str
    mimetype: str
    size: int  # bytes
    permalink: str
    added_by: str
    at: datetime

    @property
    def label(self) -> str:
        """The name and size as people read them, e.g. "report.pdf (12 KB)"."""
        return f"{self.name} ({size_text(self.size)})"

    def to_dict(self) -> dict[str, str | int]:
        return {
            "name": self.name,
            "mimetype": self.mimetype,
            "size": self.size,
            "permalink": self.permalink,
            "added_by": self.added_by,
            "at": utc(self.at).isoformat(),
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Attachment:
        return cls(
            name=str(data["name"]),
            mimetype=str(data.get("mimetype") or "application/octet-stream"),
            size=int(data.get("size") or 0),
            permalink=str(data["permalink"]),
            added_by=str(data["added_by"]),
            at=utc(datetime.fromisoformat(str(data["at"]))),
        )


@dataclass(frozen=True, kw_only=True)
class CaseDraft:
    """What the dialogue has collected and the designated contact confirmed."""

    org_short_name: str
    org_id: str
    requester_id: str
    requester_name: str
    title: str
    description: str
    business_impact: str
    severity: int
    priority: str = Priority.MEDIUM.value
    restoration_due_at: datetime | None = None
    conversation_id: str | None = None
    environment_changes: str | None = None
    troubleshooting: str | None = None
    response_due_at: datetime | None = None
    platform_level: bool = False
    origin_thread: str | None = None
    staff_thread: str | None = None
    assignee_id: str | None = None


@dataclass(frozen=True, kw_only=True)
class Case:
    """A support case as stored. `version` grows by one with every recorded change."""

    number: str
    org_short_name: str
    org_id: str
    requester_id: str
    requester_name: str
    title: str
    description: str
    business_impact: str
    severity: int
    priority: str
    status: str
    conversation_id: str | None
    environment_changes: str | None
    troubleshooting: str | None
    created_at: datetime
    updated_at: datetime
    last_update_by: str
    last_update_at: datetime
    acknowledged_at: datetime | None
    response_due_at: datetime | None
    restored_at: datetime | None
    platform_level: bool
    origin_thread: str | None
    staff_thread: str | None
    assignee_id: str | None
    closed_at: datetime | None
    idempotency_key: str
    version: int = 1
    restoration_due_at: datetime | None = None
    # A request for a higher priority waiting for staff ("high"), with who asked.
    priority_requested: str | None = None
    priority_requested_by: str | None = None
    escalated_at: datetime | None = None
    rca_delivered_at: datetime | None = None
    # When a target passed unmet (recorded once, by the deadline timer or a late answer),
    # and how late the initial response came, in minutes of the time its target counts.
    response_missed_at: datetime | None = None
    restoration_missed_at: datetime | None = None
    response_late_minutes: int | None = None
    notes: tuple[Note, ...] = ()
    attachments: tuple[Attachment, ...] = ()

    @property
    def sequence(self) -> int:
        return parse_case_number(self.number)

    @property
    def is_active(self) -> bool:
        return self.status != CaseStatus.CLOSED
