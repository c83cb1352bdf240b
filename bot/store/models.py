"""Plain records the store keeps: the audit trail, locks and timers (cases: `cases.entity`).

They are frozen dataclasses so a value read from the store cannot drift from what is stored:
changes go through `CaseStore.update_case`, which records who changed what and when.
All datetimes are timezone-aware and kept in UTC.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from bot.store.errors import InvalidCaseNumber
from cases import entity
from cases.entity import (
    CASE_NUMBER_PREFIX,
    FIRST_CASE_SEQUENCE,
    Attachment,
    Case,
    CaseDraft,
    Note,
    change_id,
    format_case_number,
    utc,
)
from cases.errors import InvalidCaseNumber as CaseNumberError
from cases.vocabulary import PRIORITIES, SEVERITIES, STATUSES, CaseStatus, Priority, UpdatedBy

__all__ = [
    "CASE_NUMBER_PREFIX",
    "FIRST_CASE_SEQUENCE",
    "OUTBOX_GRACE",
    "PRIORITIES",
    "SEVERITIES",
    "STATUSES",
    "Attachment",
    "Case",
    "CaseDraft",
    "CasePage",
    "CaseStatus",
    "Note",
    "OutboxItem",
    "Priority",
    "UpdatedBy",
    "change_id",
    "format_case_number",
    "utc",
]


def parse_case_number(text: str) -> int:
    """`cases.entity.parse_case_number`, refusing with the store's InvalidCaseNumber."""
    try:
        return entity.parse_case_number(text)
    except CaseNumberError as error:
        raise InvalidCaseNumber(str(error)) from None


def normalize_case_number(text: str) -> str:
    """Canonical spelling of a case number ("cs-1001 " -> "CS-1001")."""
    return format_case_number(parse_case_number(text))


@dataclass(frozen=True, kw_only=True)
class AuditEntry:
    """One recorded change: `changes` maps a field to {"old": ..., "new": ...} (JSON values)."""

    case_number: str
    at: datetime
    actor_id: str
    action: str
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class Lock:
    """A held lock; only the holder of `token` can release it."""

    key: str
    token: str
    expires_at: datetime


@dataclass(frozen=True, kw_only=True)
class Timer:
    """A scheduled reminder or deadline; `payload` tells the firing code what to do."""

    timer_id: str
    due_at: datetime
    payload: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class CasePage:
    """The newest matching cases (newest first) and how many match in all, counted up to a cap."""

    cases: list[Case]
    total: int


# The turn that changed a case delivers what the change owes at once; the outbox worker steps
# in only for items nobody settled within this time (a turn that died, Slack or the store down).
OUTBOX_GRACE = timedelta(seconds=10)


@dataclass(frozen=True, kw_only=True)
class OutboxItem:
    """What one case change owes to people: its cards shown as they now are, and `messages`.

    `messages` are the adapter-neutral outbound messages (JSON dicts) the change produced;
    `delivered` counts those already accepted, so a retry never sends one twice. `action` is
    the audit action ("create" means the case's cards must first be posted). `attempts`
    counts claims: above 1, someone may have posted a card and died before recording it.
    """

    item_id: str
    case_number: str
    version: int
    action: str
    messages: tuple[dict[str, Any], ...] = ()
    delivered: int = 0
    attempts: int = 0
    available_at: datetime
    last_error: str = ""
