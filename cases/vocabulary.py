"""The words a case is described with, defined once for the policy, the store and the bot."""

from __future__ import annotations

from enum import StrEnum


class Priority(StrEnum):
    """Customer-designated priority (seed 003); it follows the severity unless staff set it."""

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"
    CRITICAL = "critical"


class CaseStatus(StrEnum):
    OPEN = "open"
    WAITING_ON_CUSTOMER = "waiting_on_customer"
    RESOLUTION_PROPOSED = "resolution_proposed"
    CLOSED = "closed"


class UpdatedBy(StrEnum):
    """Which side spoke last: the closure and escalation rules depend on it."""

    SUPPORT = "support"
    CUSTOMER = "customer"


class NoteKind(StrEnum):
    """What a timeline entry on the case is."""

    CUSTOMER_UPDATE = "customer_update"
    STAFF_QUESTION = "staff_question"
    STAFF_REPLY = "staff_reply"
    WORK_NOTE = "work_note"
    PROPOSAL = "proposal"
    RCA = "rca"
    CASE_SUMMARY = "case_summary"


ACTIVE_STATUSES: frozenset[CaseStatus] = frozenset(
    {CaseStatus.OPEN, CaseStatus.WAITING_ON_CUSTOMER, CaseStatus.RESOLUTION_PROPOSED}
)
# The same, as the plain strings stores filter on (sorted, so a query reads the same each time).
ACTIVE_STATUS_VALUES: tuple[str, ...] = tuple(sorted(status.value for status in ACTIVE_STATUSES))
PRIORITIES: frozenset[str] = frozenset(priority.value for priority in Priority)
STATUSES: frozenset[str] = frozenset(status.value for status in CaseStatus)
SEVERITIES: frozenset[int] = frozenset({1, 2, 3, 4})
