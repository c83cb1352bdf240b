"""The policy as one organization's cases see it: the `cases.operations.Targets` port.

Operations stay pure by asking this object for priorities and due times; it carries the
organization's time zone, policy profile and holidays, so every due time (response,
restoration, closure, RCA) uses them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from cases.vocabulary import Priority
from policy.lifecycle import (
    ClosurePlan,
    RcaPlan,
    inactivity_closure,
    rca_plan,
    resolution_proposed_close_at,
)
from policy.loader import Policy, Target, load_policy
from policy.priority import priority_for_severity
from policy.targets import (
    business_calendar,
    initial_response_due,
    response_target,
    restoration_due,
    restoration_target,
    time_left,
)

RESPONSE = "response"
RESTORATION = "restoration"


@dataclass(frozen=True)
class OrganizationTargets:
    tz: ZoneInfo
    profile: str | None = None
    holidays: frozenset[date] = field(default_factory=frozenset)
    policy: Policy | None = None

    @classmethod
    def of(
        cls,
        tz: ZoneInfo,
        *,
        profile: str | None = None,
        holidays: Iterable[date] = (),
        policy: Policy | None = None,
    ) -> OrganizationTargets:
        return cls(tz, profile, frozenset(holidays), policy)

    def priority_for(self, severity: int) -> Priority:
        return priority_for_severity(severity)

    def response_due(self, *, severity: int, start: datetime) -> datetime:
        return initial_response_due(
            severity=severity,
            opened_at=start,
            tz=self.tz,
            profile=self.profile,
            holidays=self.holidays,
            policy=self.policy or load_policy(),
        )

    def restoration_due(
        self, *, severity: int, start: datetime, platform_level: bool
    ) -> datetime | None:
        return restoration_due(
            severity=severity,
            opened_at=start,
            tz=self.tz,
            profile=self.profile,
            holidays=self.holidays,
            platform_level=platform_level,
            policy=self.policy or load_policy(),
        )

    def target_rule(self, *, target: str, severity: int) -> Target | None:
        """The profile's RESPONSE or RESTORATION target for a severity (None: it sets none)."""
        chosen = self.policy or load_policy()
        if target == RESPONSE:
            return response_target(severity=severity, profile=self.profile, policy=chosen)
        return restoration_target(severity=severity, profile=self.profile, policy=chosen)

    def time_left(
        self, *, target: str, severity: int, due_at: datetime, now: datetime
    ) -> timedelta:
        """Time until a case's `target` (RESPONSE or RESTORATION) is due, negative once it
        has passed, counted in business time where the profile counts that target so."""
        rule = self.target_rule(target=target, severity=severity)
        if rule is None:  # a due time the profile no longer sets: count it on the clock
            return due_at - now
        calendar = business_calendar(self.tz, holidays=self.holidays, policy=self.policy)
        return time_left(due_at=due_at, now=now, target=rule, calendar=calendar)

    def counts_business_time(self, *, target: str, severity: int) -> bool:
        """Whether the profile counts this target only while the customer is open."""
        rule = self.target_rule(target=target, severity=severity)
        return rule is not None and not rule.unit.around_the_clock

    def is_open(self, at: datetime) -> bool:
        return business_calendar(self.tz, holidays=self.holidays, policy=self.policy).is_open(at)

    def inactivity_closure(self, *, waiting_since: datetime) -> ClosurePlan:
        return inactivity_closure(
            waiting_since=waiting_since, tz=self.tz, holidays=self.holidays, policy=self.policy
        )

    def resolution_close_at(self, *, proposed_at: datetime) -> datetime:
        return resolution_proposed_close_at(
            proposed_at=proposed_at, tz=self.tz, holidays=self.holidays, policy=self.policy
        )

    def rca_plan(self, *, severity: int, platform_level: bool, restored_at: datetime) -> RcaPlan:
        return rca_plan(
            severity=severity,
            platform_level=platform_level,
            restored_at=restored_at,
            tz=self.tz,
            holidays=self.holidays,
            policy=self.policy,
        )
