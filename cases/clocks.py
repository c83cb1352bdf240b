"""Target clocks: which target a case is racing next, how long is left, and those words.

A case first races its initial-response target (until someone from support answers), then its
restoration target (until service is restored), and none once both are met or it closes. How
time is counted (around the clock, or only while the customer is open) is the policy's, asked
through the `Clocks` port, so this module stays pure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Protocol

from cases.entity import Case

# The "at risk": the next target is due within an hour of (counted) time.
AT_RISK_WITHIN = timedelta(hours=1)


class Target(StrEnum):
    RESPONSE = "response"
    RESTORATION = "restoration"


TARGET_NAMES = {Target.RESPONSE: "Response", Target.RESTORATION: "Restoration"}


class Clocks(Protocol):
    """How one organization's policy counts a target (see `policy.case_targets`)."""

    def time_left(
        self, *, target: str, severity: int, due_at: datetime, now: datetime
    ) -> timedelta: ...

    def counts_business_time(self, *, target: str, severity: int) -> bool: ...

    def is_open(self, at: datetime) -> bool: ...


@dataclass(frozen=True, kw_only=True)
class TargetClock:
    """One running target of a case, read at `now`."""

    target: Target
    due_at: datetime
    left: timedelta  # counted as the target counts; negative once missed
    missed: bool  # the due instant has passed (even when no business time has since)
    business: bool  # counted only while the customer is open
    paused: bool  # business time while the customer is closed: the clock stands still

    @property
    def at_risk(self) -> bool:
        return not self.missed and self.left <= AT_RISK_WITHIN

    def words(self) -> str:
        """ "due in 25 min", "missed by 1 h 10 min"."""
        if self.missed:
            return f"missed by {duration_words(-self.left)}"
        return f"due in {duration_words(self.left)}"

    def phrase(self) -> str:
        """ "Response due in 25 min", "Restoration missed by 2 h"."""
        return f"{TARGET_NAMES[self.target]} {self.words()}"

    def basis(self) -> str:
        """How the time is counted, when not around the clock: " (business hours)"."""
        if not self.business:
            return ""
        if self.paused:
            return " (business hours, paused while the customer is closed)"
        return " (business hours)"


def duration_words(span: timedelta) -> str:
    """A span as staff read it at a glance: "under 1 min", "25 min", "1 h 10 min", "2 d 3 h".

    Whole minutes, rounded down, so "due in 25 min" is never more than there is.
    """
    minutes = int(max(span, timedelta(0)) // timedelta(minutes=1))
    if minutes < 1:
        return "under 1 min"
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days >= 2:
        return f"{days} d {hours} h" if hours else f"{days} d"
    hours += days * 24
    if not hours:
        return f"{mins} min"
    return f"{hours} h {mins} min" if mins else f"{hours} h"


def next_target(case: Case, *, now: datetime, clocks: Clocks) -> TargetClock | None:
    """The target the case races now: the initial response until someone from support has
    answered, then restoration until service is restored; None when neither runs."""
    if not case.is_active:
        return None
    if case.acknowledged_at is None and case.response_due_at is not None:
        return _clock(Target.RESPONSE, case.response_due_at, case=case, now=now, clocks=clocks)
    if case.restored_at is None and case.restoration_due_at is not None:
        return _clock(
            Target.RESTORATION, case.restoration_due_at, case=case, now=now, clocks=clocks
        )
    return None


def _clock(
    target: Target, due_at: datetime, *, case: Case, now: datetime, clocks: Clocks
) -> TargetClock:
    business = clocks.counts_business_time(target=target.value, severity=case.severity)
    return TargetClock(
        target=target,
        due_at=due_at,
        left=clocks.time_left(target=target.value, severity=case.severity, due_at=due_at, now=now),
        missed=now.astimezone(UTC) > due_at.astimezone(UTC),
        business=business,
        paused=business and not clocks.is_open(now),
    )


def minutes_late(left: timedelta) -> int:
    """How late a target was met, in whole minutes of its own counting (0 if on time)."""
    return int(max(-left, timedelta(0)) // timedelta(minutes=1))
