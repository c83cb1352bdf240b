"""Initial response and restoration due times for a case, in the customer's time zone.

Severity 1 runs around the clock; the other levels count only business hours of the customer's
calendar, starting at the next opening when a case arrives outside hours.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from policy.calendar import BusinessCalendar, add_clock_time, as_zone, require_aware
from policy.loader import Policy, Profile, RestorationScope, Target, Unit, load_policy
from policy.severity import Severity


def as_severity(severity: int | Severity) -> Severity:
    """Severity from 1-4; anything else raises ValueError naming the allowed levels."""
    if isinstance(severity, bool):
        raise ValueError("severity must be 1, 2, 3 or 4")
    try:
        return Severity(int(severity))
    except (TypeError, ValueError):
        raise ValueError(f"severity must be 1, 2, 3 or 4, got {severity!r}") from None


def business_calendar(
    tz: str | ZoneInfo, *, holidays: Iterable[date] = (), policy: Policy | None = None
) -> BusinessCalendar:
    """The customer's calendar built from the policy's business hours."""
    hours = (policy or load_policy()).hours
    return BusinessCalendar.for_zone(
        tz, holidays=holidays, open=hours.open, close=hours.close, weekdays=hours.weekdays
    )


def apply_target(target: Target, *, start: datetime, calendar: BusinessCalendar) -> datetime:
    """The instant `target` after `start`, counted the way the target's unit says."""
    if target.unit is Unit.MINUTES:
        return add_clock_time(start, timedelta(minutes=target.amount), calendar.tz)
    if target.unit is Unit.HOURS:
        return add_clock_time(start, timedelta(hours=target.amount), calendar.tz)
    if target.unit is Unit.BUSINESS_HOURS:
        return calendar.add_business_time(start, timedelta(hours=target.amount))
    return calendar.add_business_days(start, target.amount)


def _inputs(
    severity: int | Severity,
    opened_at: datetime,
    tz: str | ZoneInfo,
    profile: str | None,
    policy: Policy | None,
) -> tuple[Severity, Profile, ZoneInfo]:
    require_aware(opened_at, "opened_at")
    chosen = policy or load_policy()
    return as_severity(severity), chosen.profile(profile), as_zone(tz)


def initial_response_due(
    *,
    severity: int | Severity,
    opened_at: datetime,
    tz: str | ZoneInfo,
    profile: str | None = None,
    holidays: Iterable[date] = (),
    policy: Policy | None = None,
) -> datetime:
    """When a person from support should first answer, in `tz`."""
    level, chosen_profile, zone = _inputs(severity, opened_at, tz, profile, policy)
    calendar = business_calendar(zone, holidays=holidays, policy=policy)
    return apply_target(chosen_profile.initial_response[level], start=opened_at, calendar=calendar)


def restoration_due(
    *,
    severity: int | Severity,
    opened_at: datetime,
    tz: str | ZoneInfo,
    profile: str | None = None,
    holidays: Iterable[date] = (),
    platform_level: bool = True,
    policy: Policy | None = None,
) -> datetime | None:
    """When service should be restored, in `tz`; None when the profile sets no target.

    Profiles whose restoration targets cover platform-level issues only return None for an
    issue that affects a single customer (`platform_level=False`).
    """
    level, chosen_profile, zone = _inputs(severity, opened_at, tz, profile, policy)
    if chosen_profile.restoration_scope is RestorationScope.PLATFORM_LEVEL and not platform_level:
        return None
    target = chosen_profile.restoration[level]
    if target is None:
        return None
    calendar = business_calendar(zone, holidays=holidays, policy=policy)
    return apply_target(target, start=opened_at, calendar=calendar)


def response_target(
    *, severity: int | Severity, profile: str | None = None, policy: Policy | None = None
) -> Target:
    """The initial-response target the profile sets for a severity."""
    return (policy or load_policy()).profile(profile).initial_response[as_severity(severity)]


def restoration_target(
    *, severity: int | Severity, profile: str | None = None, policy: Policy | None = None
) -> Target | None:
    """The restoration target the profile sets for a severity (None when it sets none)."""
    return (policy or load_policy()).profile(profile).restoration[as_severity(severity)]


def time_left(
    *, due_at: datetime, now: datetime, target: Target, calendar: BusinessCalendar
) -> timedelta:
    """How long until `due_at`, counted the way `target` is (negative once it has passed).

    A business-hours target only runs while the customer is open, so on Friday at 16:40 a
    target due Monday at 08:15 has 35 minutes left, and a target missed on Friday evening is
    still "missed by" the same amount on Sunday.
    """
    require_aware(due_at, "due_at")
    require_aware(now, "now")
    if target.unit.around_the_clock:
        return due_at.astimezone(UTC) - now.astimezone(UTC)
    if now <= due_at:
        return calendar.business_time_between(now, due_at)
    return -calendar.business_time_between(due_at, now)
