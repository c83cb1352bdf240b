"""The report's figures, computed from cases, their audit trails, the policy and the directory.

Pure: the caller reads the store and resolves each case's zone, profile and holidays (as
`actions.ports.organization_targets` does when a case is created), and hands them in one case
at a time through `FigureBuilder.add`; nothing here reads a file, the clock or the store.

"Business time" is the policy's own: `policy.targets.business_calendar` with the
organization's zone and holidays, and `BusinessCalendar.business_time_between`, the inverse of
the `add_business_time` that set `response_due_at`. Whether a severity counts business time is
the unit of its initial-response target in the organization's profile.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.store.models import AuditEntry, Case
from policy.loader import Policy, Target, Unit
from policy.severity import Severity
from policy.targets import business_calendar

SEVERITY_LEVELS: tuple[int, ...] = (1, 2, 3, 4)
CLOSED = "closed"
# Audit actions (bot/engine/timers.py: the closure timers record their kind as the action).
INACTIVITY_CLOSE = "inactivity_close"
RESOLUTION_CLOSE = "resolution_close"
ESCALATION_REQUESTED = "escalation_requested"

BUSINESS = "business"
CLOCK = "clock"
MIXED = "mixed"

ESCALATION_NOTE = (
    "Escalations: cases with a recorded escalation. Eligibility is not reported: a refused "
    "escalation request is answered in the conversation but not stored, and the rules depend "
    "on the request's wording (reason, ongoing impact) and the moment it was made, so neither "
    "the requests asked nor the eligible cases can be counted from stored data. Every recorded "
    "escalation met all criteria when it was asked."
)

DEFINITIONS: dict[str, str] = {
    "window": "cases whose created_at (UTC) is on or after --from 00:00 UTC and before --to "
    "00:00 UTC (--to is exclusive)",
    "severity": "the case's severity when the report is made",
    "opened": "cases opened in the window",
    "first_response": "acknowledged_at - created_at of acknowledged cases: median (middle "
    "value, mean of the two middle ones for an even count) and p90 (nearest rank: the "
    "ceil(0.9 n)-th smallest), in minutes; business minutes (the organization's business "
    "hours, zone and holidays) where the organization's profile counts the severity's target "
    "in business hours or days, clock minutes where it runs around the clock",
    "response_target": "met: acknowledged at or before response_due_at; missed: acknowledged "
    "after it, or not acknowledged and past due at report time; pending: not acknowledged and "
    "not yet due (excluded from the share); no_target: no response_due_at; share_within = met "
    "/ (met + missed)",
    "restoration": "platform-level cases only: met: restored_at <= restoration_due_at; "
    "missed: restored later, or not restored and past due at report time; pending: not "
    "restored and not yet due; no_target: no restoration_due_at; share_within = met / (met + "
    "missed)",
    "escalations": ESCALATION_NOTE,
    "priority_changes": "audit entries (after creation) that changed the priority, including "
    "the priority a severity change brings",
    "severity_changes": "audit entries (after creation) that changed the severity",
    "reopened": "audit entries that moved a case from closed to another status",
    "closed_for_inactivity": "closures recorded by the inactivity timer (3 business days "
    "without the designated contact's answer)",
    "closed_after_resolution_proposed": "closures recorded by the Resolution Proposed timer "
    "(end of the third business day with no reported issues)",
    "weekly_volume": "cases opened per week (weeks start on Monday, UTC dates) by severity",
    "audit_events": "counted over each case's whole trail up to report time, also after --to",
}


@dataclass(frozen=True, kw_only=True)
class CaseContext:
    """What the policy needs to know about a case's organization (from the directory)."""

    tz: ZoneInfo
    profile: str | None = None
    holidays: frozenset[date] = frozenset()
    zone_source: str = "organization"  # organization, requester or utc (nothing known)


def window_bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """The UTC instants of [start 00:00, end 00:00); ValueError unless start < end."""
    if end <= start:
        raise ValueError(f"--to ({end.isoformat()}) must be later than --from ({start})")
    return (
        datetime.combine(start, time(0), tzinfo=UTC),
        datetime.combine(end, time(0), tzinfo=UTC),
    )


def in_window(case: Case, start: datetime, end: datetime) -> bool:
    return start <= case.created_at.astimezone(UTC) < end


def target_minutes(target: Target, *, policy: Policy) -> float:
    """A target as minutes of the time it is counted in (business minutes for business units)."""
    if target.unit is Unit.MINUTES:
        return float(target.amount)
    if target.unit in (Unit.HOURS, Unit.BUSINESS_HOURS):
        return float(target.amount * 60)
    sample = date(2001, 1, 1)
    day = datetime.combine(sample, policy.hours.close) - datetime.combine(sample, policy.hours.open)
    return target.amount * day / timedelta(minutes=1)


def basis_of(target: Target) -> str:
    return CLOCK if target.unit.around_the_clock else BUSINESS


def first_response_minutes(
    case: Case, context: CaseContext, *, policy: Policy
) -> tuple[float, str] | None:
    """(minutes, basis) from creation to the first human response; None if unacknowledged."""
    if case.acknowledged_at is None:
        return None
    target = policy.profile(context.profile).initial_response[Severity(case.severity)]
    if target.unit.around_the_clock:
        elapsed = case.acknowledged_at.astimezone(UTC) - case.created_at.astimezone(UTC)
        return max(elapsed, timedelta(0)) / timedelta(minutes=1), CLOCK
    calendar = business_calendar(context.tz, holidays=context.holidays, policy=policy)
    elapsed = calendar.business_time_between(case.created_at, case.acknowledged_at)
    return elapsed / timedelta(minutes=1), BUSINESS


def target_outcome(done: datetime | None, due: datetime | None, now: datetime) -> str:
    """met / missed / pending / no_target for a deadline and when it was (or wasn't) met."""
    if due is None:
        return "no_target"
    if done is not None:
        return "met" if done.astimezone(UTC) <= due.astimezone(UTC) else "missed"
    return "missed" if now.astimezone(UTC) > due.astimezone(UTC) else "pending"


@dataclass(frozen=True, kw_only=True)
class TrailCounts:
    priority_changes: int = 0
    severity_changes: int = 0
    reopened: int = 0
    closed_for_inactivity: int = 0
    closed_after_resolution_proposed: int = 0
    escalation_recorded: bool = False


def trail_counts(trail: Iterable[AuditEntry]) -> TrailCounts:
    """What a case's audit trail says happened to it after it was opened."""
    counts = {
        "priority_changes": 0,
        "severity_changes": 0,
        "reopened": 0,
        "closed_for_inactivity": 0,
        "closed_after_resolution_proposed": 0,
    }
    escalated = False
    for entry in trail:
        if entry.action == "create":
            continue
        changes = entry.changes
        if _changed(changes, "priority"):
            counts["priority_changes"] += 1
        if _changed(changes, "severity"):
            counts["severity_changes"] += 1
        status = changes.get("status") or {}
        if status.get("old") == CLOSED and status.get("new") not in (None, CLOSED):
            counts["reopened"] += 1
        if entry.action == INACTIVITY_CLOSE:
            counts["closed_for_inactivity"] += 1
        if entry.action == RESOLUTION_CLOSE:
            counts["closed_after_resolution_proposed"] += 1
        if entry.action == ESCALATION_REQUESTED or (changes.get("escalated_at") or {}).get("new"):
            escalated = True
    return TrailCounts(**counts, escalation_recorded=escalated)


def _changed(changes: dict[str, Any], name: str) -> bool:
    change = changes.get(name)
    return isinstance(change, dict) and change.get("old") != change.get("new")


def median(values: Sequence[float]) -> float | None:
    return float(statistics.median(values)) if values else None


def p90(values: Sequence[float]) -> float | None:
    """Nearest-rank 90th percentile: the ceil(0.9 n)-th smallest value."""
    if not values:
        return None
    ordered = sorted(values)
    return float(ordered[max(1, math.ceil(0.9 * len(ordered))) - 1])


def _share(met: int, missed: int) -> float | None:
    return round(met / (met + missed), 4) if met + missed else None


def _minutes(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


@dataclass
class Group:
    """Running totals for one severity, one organization or everything."""

    opened: int = 0
    response_minutes: list[float] = field(default_factory=list)
    bases: set[str] = field(default_factory=set)
    response: dict[str, int] = field(
        default_factory=lambda: {"met": 0, "missed": 0, "pending": 0, "no_target": 0}
    )
    platform_level: int = 0
    restoration: dict[str, int] = field(
        default_factory=lambda: {"met": 0, "missed": 0, "pending": 0, "no_target": 0}
    )
    escalated: int = 0
    priority_changes: int = 0
    severity_changes: int = 0
    reopened: int = 0
    closed_for_inactivity: int = 0
    closed_after_resolution_proposed: int = 0

    def add(
        self,
        *,
        minutes: tuple[float, str] | None,
        response: str,
        restoration: str | None,
        counts: TrailCounts,
        escalated: bool,
    ) -> None:
        self.opened += 1
        if minutes is not None:
            self.response_minutes.append(minutes[0])
            self.bases.add(minutes[1])
        self.response[response] += 1
        if restoration is not None:
            self.platform_level += 1
            self.restoration[restoration] += 1
        self.escalated += int(escalated)
        self.priority_changes += counts.priority_changes
        self.severity_changes += counts.severity_changes
        self.reopened += counts.reopened
        self.closed_for_inactivity += counts.closed_for_inactivity
        self.closed_after_resolution_proposed += counts.closed_after_resolution_proposed

    def to_dict(self) -> dict[str, Any]:
        basis = None if not self.bases else MIXED if len(self.bases) > 1 else next(iter(self.bases))
        return {
            "opened": self.opened,
            "first_response": {
                "acknowledged": len(self.response_minutes),
                "median_minutes": _minutes(median(self.response_minutes)),
                "p90_minutes": _minutes(p90(self.response_minutes)),
                "basis": basis,
            },
            "response_target": {
                **self.response,
                "share_within": _share(self.response["met"], self.response["missed"]),
            },
            "restoration": {
                "platform_level": self.platform_level,
                **self.restoration,
                "share_within": _share(self.restoration["met"], self.restoration["missed"]),
            },
            "escalations": {"escalated": self.escalated},
            "priority_changes": self.priority_changes,
            "severity_changes": self.severity_changes,
            "reopened": self.reopened,
            "closed_for_inactivity": self.closed_for_inactivity,
            "closed_after_resolution_proposed": self.closed_after_resolution_proposed,
        }


def week_of(moment: datetime) -> date:
    day = moment.astimezone(UTC).date()
    return day - timedelta(days=day.weekday())


class FigureBuilder:
    """Add the window's cases one at a time; `figures()` is the report as plain JSON data.

    Memory grows with one number per acknowledged case (medians need them), never with the
    cases themselves.
    """

    def __init__(
        self,
        *,
        start: date,
        end: date,
        now: datetime,
        policy: Policy,
        organization: str | None = None,
    ) -> None:
        self.start, self.end = start, end
        self.bounds = window_bounds(start, end)
        self.now = now
        self.policy = policy
        self.organization = organization
        self.total = Group()
        self.by_severity = {level: Group() for level in SEVERITY_LEVELS}
        self.by_organization: dict[str, Group] = {}
        self.weekly: dict[date, dict[int, int]] = {}
        self.targets: dict[int, dict[str | None, Target]] = {level: {} for level in SEVERITY_LEVELS}
        self.zone_sources: dict[str, int] = {}

    def add(self, case: Case, trail: Iterable[AuditEntry], context: CaseContext) -> bool:
        """Count the case if it was opened in the window; False (nothing counted) if not."""
        if not in_window(case, *self.bounds):
            return False
        profile = self.policy.profile(context.profile)
        self.targets[case.severity][profile.name] = profile.initial_response[
            Severity(case.severity)
        ]
        counts = trail_counts(trail)
        minutes = first_response_minutes(case, context, policy=self.policy)
        response = target_outcome(case.acknowledged_at, case.response_due_at, self.now)
        restoration = (
            target_outcome(case.restored_at, case.restoration_due_at, self.now)
            if case.platform_level
            else None
        )
        escalated = case.escalated_at is not None or counts.escalation_recorded
        for group in (
            self.total,
            self.by_severity[case.severity],
            self.by_organization.setdefault(case.org_short_name, Group()),
        ):
            group.add(
                minutes=minutes,
                response=response,
                restoration=restoration,
                counts=counts,
                escalated=escalated,
            )
        week = self.weekly.setdefault(week_of(case.created_at), dict.fromkeys(SEVERITY_LEVELS, 0))
        week[case.severity] += 1
        self.zone_sources[context.zone_source] = self.zone_sources.get(context.zone_source, 0) + 1
        return True

    def figures(self) -> dict[str, Any]:
        return {
            "window": {
                "from": self.start.isoformat(),
                "to": self.end.isoformat(),
                "to_exclusive": True,
                "zone": "UTC",
            },
            "generated_at": self.now.astimezone(UTC).isoformat(),
            "organization": self.organization,
            "total": self.total.to_dict(),
            "by_severity": {str(k): g.to_dict() for k, g in self.by_severity.items()},
            "by_organization": {k: g.to_dict() for k, g in sorted(self.by_organization.items())},
            "weekly_volume": self._weekly(),
            "response_targets": {
                str(level): [
                    {
                        "profile": name,
                        "target": target.describe(),
                        "minutes": target_minutes(target, policy=self.policy),
                        "basis": basis_of(target),
                    }
                    for name, target in sorted(by_profile.items(), key=lambda kv: str(kv[0]))
                ]
                for level, by_profile in self.targets.items()
            },
            "zones": dict(sorted(self.zone_sources.items())),
            "escalation_note": ESCALATION_NOTE,
            "definitions": DEFINITIONS,
        }

    def _weekly(self) -> list[dict[str, Any]]:
        """Every week of the window, also those without a case."""
        rows = []
        week = week_of(self.bounds[0])
        while week < self.end:
            counts = self.weekly.get(week, dict.fromkeys(SEVERITY_LEVELS, 0))
            rows.append({"week": week.isoformat(), **{str(k): v for k, v in counts.items()}})
            week += timedelta(days=7)
        return rows
