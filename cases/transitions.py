"""Which status changes a case may make; every operation is checked against this table."""

from __future__ import annotations

from cases.errors import InvalidTransition
from cases.vocabulary import CaseStatus

_LABELS = {
    CaseStatus.OPEN: "open",
    CaseStatus.WAITING_ON_CUSTOMER: "waiting for the customer",
    CaseStatus.RESOLUTION_PROPOSED: "resolution proposed",
    CaseStatus.CLOSED: "closed",
}

# From each status, the statuses an operation may move the case to (staying is always fine).
# A closed case only reopens; it never goes straight back to waiting or proposed.
ALLOWED: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.OPEN: frozenset(
        {CaseStatus.WAITING_ON_CUSTOMER, CaseStatus.RESOLUTION_PROPOSED, CaseStatus.CLOSED}
    ),
    CaseStatus.WAITING_ON_CUSTOMER: frozenset(
        {CaseStatus.OPEN, CaseStatus.RESOLUTION_PROPOSED, CaseStatus.CLOSED}
    ),
    CaseStatus.RESOLUTION_PROPOSED: frozenset(
        {CaseStatus.OPEN, CaseStatus.WAITING_ON_CUSTOMER, CaseStatus.CLOSED}
    ),
    CaseStatus.CLOSED: frozenset({CaseStatus.OPEN}),
}


def allowed(current: str, new: str) -> bool:
    old_status, new_status = CaseStatus(current), CaseStatus(new)
    return old_status is new_status or new_status in ALLOWED[old_status]


def check_transition(current: str, new: str) -> None:
    """Raise InvalidTransition, in words, when the table forbids `current` -> `new`."""
    if not allowed(current, new):
        raise InvalidTransition(
            f"a case that is {_LABELS[CaseStatus(current)]} can't become {_LABELS[CaseStatus(new)]}"
        )
