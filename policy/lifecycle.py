"""Case lifecycle deadlines: closure for inactivity, Resolution Proposed, RCA or case summary.

Seed 003: cases not adequately answered by the designated contact in three business days may be
closed with advance notice; Resolution Proposed cases close at the end of the third business
day; Severity 1 platform-level incidents get an RCA within five business days of restoration,
isolated Severity 1 incidents a case summary.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Literal
from zoneinfo import ZoneInfo

from policy.calendar import require_aware
from policy.loader import Policy, load_policy
from policy.severity import Severity
from policy.targets import as_severity, business_calendar


@dataclass(frozen=True)
class ClosurePlan:
    notice_at: datetime  # when the designated contact is told the case will close
    close_at: datetime  # when the case may be closed if still unanswered


RcaKind = Literal["rca", "case_summary", "none"]


@dataclass(frozen=True)
class RcaPlan:
    kind: RcaKind
    due_at: datetime | None


def inactivity_closure(
    *,
    waiting_since: datetime,
    tz: str | ZoneInfo,
    holidays: Iterable[date] = (),
    policy: Policy | None = None,
) -> ClosurePlan:
    """Notice after two business days of silence, closure after three (policy.yaml)."""
    require_aware(waiting_since, "waiting_since")
    chosen = policy or load_policy()
    calendar = business_calendar(tz, holidays=holidays, policy=chosen)
    rules = chosen.lifecycle
    return ClosurePlan(
        notice_at=calendar.add_business_days(waiting_since, rules.inactivity_notice_business_days),
        close_at=calendar.add_business_days(waiting_since, rules.inactivity_close_business_days),
    )


def resolution_proposed_close_at(
    *,
    proposed_at: datetime,
    tz: str | ZoneInfo,
    holidays: Iterable[date] = (),
    policy: Policy | None = None,
) -> datetime:
    """Close of the third business day that starts after the resolution was proposed.

    The day of the proposal counts only when the proposal came before that day's opening;
    a proposal during the day gives the customer three full business days after it.
    """
    require_aware(proposed_at, "proposed_at")
    chosen = policy or load_policy()
    calendar = business_calendar(tz, holidays=holidays, policy=chosen)
    local = proposed_at.astimezone(calendar.tz)
    full_days = (
        day for day in calendar.business_days_from(local.date()) if calendar.window(day)[0] >= local
    )
    wanted = chosen.lifecycle.resolution_proposed_business_days
    for counted, day in enumerate(full_days, start=1):
        if counted == wanted:
            return calendar.window(day)[1]
    raise AssertionError("unreachable: business_days_from raises when exhausted")


def rca_plan(
    *,
    severity: int | Severity,
    platform_level: bool,
    restored_at: datetime,
    tz: str | ZoneInfo,
    holidays: Iterable[date] = (),
    policy: Policy | None = None,
) -> RcaPlan:
    """RCA due five business days after restoration for Severity 1 platform-level incidents.

    Isolated (non-platform) Severity 1 incidents get a case summary with no stated deadline;
    other severities get neither.
    """
    require_aware(restored_at, "restored_at")
    level = as_severity(severity)
    if level is not Severity.CRITICAL:
        return RcaPlan(kind="none", due_at=None)
    if not platform_level:
        return RcaPlan(kind="case_summary", due_at=None)
    chosen = policy or load_policy()
    calendar = business_calendar(tz, holidays=holidays, policy=chosen)
    due = calendar.add_business_days(restored_at, chosen.lifecycle.rca_business_days)
    return RcaPlan(kind="rca", due_at=due)
