"""Escalation eligibility: each criterion of seed 003 is one named rule.

All rules must pass for an escalation to be approved. A failing rule contributes its name, an
explanation and the step the designated contact can take instead.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Any, Protocol
from zoneinfo import ZoneInfo

from cases.vocabulary import CaseStatus, Priority, UpdatedBy
from policy.calendar import add_clock_time, as_zone, local_time, require_aware
from policy.loader import Policy, load_policy
from policy.priority import PHONE_PATH, priority_change_path
from policy.severity import Severity
from policy.targets import business_calendar


class EscalationReason(StrEnum):
    NO_PROGRESS = "no_progress"
    IMPACT_CHANGE = "impact_change"
    RCA = "rca"


class CaseDataError(ValueError):
    """A case field is missing or invalid; the message starts with the field's name."""


@dataclass(frozen=True)
class EscalationCase:
    status: CaseStatus
    priority: Priority
    severity: Severity
    last_update_at: datetime
    last_update_by: UpdatedBy
    awaiting_customer: bool
    reason: EscalationReason
    restored_at: datetime | None
    business_impact_ongoing: bool
    tz: ZoneInfo

    def __post_init__(self) -> None:
        """Callers building a case in code get the same guarantees as the JSON path."""
        object.__setattr__(self, "tz", _zone_field("tz", self.tz))
        require_aware(self.last_update_at, "last_update_at")
        if self.restored_at is not None:
            require_aware(self.restored_at, "restored_at")

    @classmethod
    def from_mapping(cls, raw: Mapping[str, Any]) -> EscalationCase:
        """Build from the JSON case file; errors name the field and what is wrong with it."""
        if not isinstance(raw, Mapping):
            raise CaseDataError("case: must be a JSON object")
        unknown = sorted(set(raw) - set(_FIELDS))
        if unknown:
            raise CaseDataError(f"{unknown[0]}: unknown field; expected {', '.join(_FIELDS)}")
        values = {name: parse(name, _get(raw, name)) for name, parse in _FIELDS.items()}
        return cls(**values)


def _get(raw: Mapping[str, Any], name: str) -> Any:
    if name not in raw:
        raise CaseDataError(f"{name}: is missing")
    return raw[name]


def _enum_field(enum: type[StrEnum]) -> Callable[[str, Any], Any]:
    def parse(name: str, value: Any) -> Any:
        try:
            return enum(value)
        except ValueError:
            allowed = ", ".join(str(member) for member in enum)
            raise CaseDataError(f"{name}: must be one of {allowed}, got {value!r}") from None

    return parse


def _severity_field(name: str, value: Any) -> Severity:
    if isinstance(value, bool) or not isinstance(value, int) or value not in range(1, 5):
        raise CaseDataError(f"{name}: must be a whole number 1-4, got {value!r}")
    return Severity(value)


def _bool_field(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise CaseDataError(f"{name}: must be true or false, got {value!r}")
    return value


def parse_timestamp(name: str, value: Any) -> datetime:
    """ISO 8601 with a UTC offset; a local time without one is rejected, not guessed."""
    if not isinstance(value, str):
        raise CaseDataError(f"{name}: must be an ISO 8601 timestamp text, got {value!r}")
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        raise CaseDataError(f"{name}: not an ISO 8601 timestamp: {value!r}") from None
    if moment.tzinfo is None:
        raise CaseDataError(
            f"{name}: needs a UTC offset, e.g. 2026-03-06T16:59-05:00 or 2026-03-06T21:59Z "
            f"(got {value!r})"
        )
    return moment


def _optional_timestamp(name: str, value: Any) -> datetime | None:
    return None if value is None else parse_timestamp(name, value)


def _zone_field(name: str, value: Any) -> ZoneInfo:
    try:
        return as_zone(value)
    except ValueError as error:
        raise CaseDataError(f"{name}: {error}") from None


_FIELDS: dict[str, Callable[[str, Any], Any]] = {
    "status": _enum_field(CaseStatus),
    "priority": _enum_field(Priority),
    "severity": _severity_field,
    "last_update_at": parse_timestamp,
    "last_update_by": _enum_field(UpdatedBy),
    "awaiting_customer": _bool_field,
    "reason": _enum_field(EscalationReason),
    "restored_at": _optional_timestamp,
    "business_impact_ongoing": _bool_field,
    "tz": _zone_field,
}


@dataclass(frozen=True)
class RuleResult:
    name: str
    passed: bool
    explanation: str
    next_step: str = ""


@dataclass(frozen=True)
class EscalationDecision:
    eligible: bool
    failed: tuple[str, ...]
    next_step: str
    explanations: tuple[str, ...]
    results: tuple[RuleResult, ...] = ()


ELIGIBLE_NEXT_STEP = (
    "Request the escalation now; it will be recorded on the case and routed to Product Support."
)


def _elapsed(start: datetime, end: datetime) -> timedelta:
    """Real time between two aware instants; subtracting same-zone datetimes ignores DST."""
    return end.astimezone(UTC) - start.astimezone(UTC)


def _sentence(text: str) -> str:
    return text[:1].upper() + text[1:] + "."


def _priority_raise_steps(current: Priority) -> str:
    """Ways up from `current` priority, each with the path the seed prescribes."""
    order = list(Priority)
    higher = order[order.index(current) + 1 :]
    if not higher:
        return f"The case is already critical priority; {PHONE_PATH} for urgent help."
    steps = [
        f"to {wanted}, {priority_change_path(current=current, requested=wanted)}"
        for wanted in higher
    ]
    return "To raise the priority " + "; ".join(steps) + "."


# --- the six rules, in the seed's order -----------------------------------------------------


def case_is_active(case: EscalationCase, *, now: datetime, policy: Policy) -> RuleResult:
    """Criterion 1: only an open case can be escalated."""
    if case.status is CaseStatus.CLOSED:
        return RuleResult(
            "case_is_active",
            False,
            "The case is closed; a closed case cannot be escalated.",
            "Reopen the case through the Support Portal or contact Product Support, "
            "then ask again if it still needs escalating.",
        )
    return RuleResult("case_is_active", True, f"The case is active ({case.status}).")


def nothing_awaiting_customer(case: EscalationCase, *, now: datetime, policy: Policy) -> RuleResult:
    """Criterion 2: support is not waiting on the customer, and no recent update was missed.

    "Recent" means a support update within the last `recent_update_hours` (24) that the
    customer has not answered yet.
    """
    if case.awaiting_customer:
        return RuleResult(
            "nothing_awaiting_customer",
            False,
            "Product Support is waiting for more information from you.",
            "Send the information Product Support asked for in a case update.",
        )
    recent = timedelta(hours=policy.escalation.recent_update_hours)
    if case.last_update_by is UpdatedBy.SUPPORT and _elapsed(case.last_update_at, now) < recent:
        return RuleResult(
            "nothing_awaiting_customer",
            False,
            "Product Support updated the case recently and the update has not been answered.",
            "Read the latest update from Product Support on the case and reply to it.",
        )
    return RuleResult("nothing_awaiting_customer", True, "Nothing on the case is waiting for you.")


def not_an_impact_change(case: EscalationCase, *, now: datetime, policy: Policy) -> RuleResult:
    """Criterion 3: a change in urgency or impact is a priority change, not an escalation."""
    if case.reason is EscalationReason.IMPACT_CHANGE:
        return RuleResult(
            "not_an_impact_change",
            False,
            "A change in urgency or impact is a priority change, not an escalation.",
            _priority_raise_steps(case.priority),
        )
    return RuleResult("not_an_impact_change", True, "The request is not about changed impact.")


def rca_window_elapsed(case: EscalationCase, *, now: datetime, policy: Policy) -> RuleResult:
    """Criterion 4: an RCA escalation needs 5 business days since service was restored."""
    if case.reason is not EscalationReason.RCA:
        return RuleResult("rca_window_elapsed", True, "The request is not about an RCA.")
    days = policy.escalation.rca_wait_business_days
    if case.restored_at is None:
        return RuleResult(
            "rca_window_elapsed",
            False,
            "Service has not been restored yet, so the RCA period has not started.",
            f"Wait until service is restored; the RCA is due {days} business days later.",
        )
    calendar = business_calendar(case.tz, policy=policy)
    due = calendar.add_business_days(case.restored_at, days)
    if now.astimezone(UTC) < due.astimezone(UTC):
        return RuleResult(
            "rca_window_elapsed",
            False,
            f"Product Support has {days} business days after restoration to deliver the RCA.",
            f"Wait until {local_time(due, case.tz)}; escalate then if there is no RCA.",
        )
    return RuleResult(
        "rca_window_elapsed", True, f"{days} business days have passed since restoration."
    )


def high_priority_wait_and_impact(
    case: EscalationCase, *, now: datetime, policy: Policy
) -> RuleResult:
    """Criterion 5: a high-priority case needs 24 hours since its last update and ongoing impact.

    The 24 hours are clock hours. Critical cases are worked around the clock by phone, so this
    waiting rule applies to high priority only.
    """
    name = "high_priority_wait_and_impact"
    if case.priority is not Priority.HIGH:
        return RuleResult(name, True, "The case is not high priority.")
    wait = timedelta(hours=policy.escalation.high_priority_wait_hours)
    problems: list[str] = []
    steps: list[str] = []
    if _elapsed(case.last_update_at, now) < wait:
        ready = add_clock_time(case.last_update_at, wait, case.tz)
        problems.append(
            f"the last update was less than {policy.escalation.high_priority_wait_hours} hours ago"
        )
        steps.append(f"wait until {local_time(ready, case.tz)}")
    if not case.business_impact_ongoing:
        problems.append("the issue is not causing significant business impact now")
        steps.append("escalate only while the issue actively causes significant business impact")
    if problems:
        return RuleResult(
            name,
            False,
            "High-priority escalation not yet possible: " + "; ".join(problems) + ".",
            _sentence(" and ".join(steps)),
        )
    return RuleResult(name, True, "24 hours since the last update and business impact ongoing.")


def priority_eligible(case: EscalationCase, *, now: datetime, policy: Policy) -> RuleResult:
    """Criterion 6: low-priority cases are not eligible for escalation."""
    if case.priority is Priority.LOW:
        return RuleResult(
            "priority_eligible",
            False,
            "Low-priority cases are not eligible for escalation.",
            _priority_raise_steps(Priority.LOW),
        )
    return RuleResult("priority_eligible", True, f"{case.priority.capitalize()} priority.")


class Rule(Protocol):
    """One criterion: judges a case at `now` under `policy`."""

    __name__: str

    def __call__(self, case: EscalationCase, *, now: datetime, policy: Policy) -> RuleResult: ...


RULES: tuple[Rule, ...] = (
    case_is_active,
    nothing_awaiting_customer,
    not_an_impact_change,
    rca_window_elapsed,
    high_priority_wait_and_impact,
    priority_eligible,
)
RULE_NAMES: tuple[str, ...] = tuple(rule.__name__ for rule in RULES)


def check_escalation(
    case: EscalationCase, *, now: datetime | None = None, policy: Policy | None = None
) -> EscalationDecision:
    """Apply every rule at `now` (default: the current time); failed rules in seed order.

    The next step joins what to do for each failed rule, in the same order.
    """
    if now is None:
        now = datetime.now(UTC)
    require_aware(now, "now")
    chosen = policy or load_policy()
    results = tuple(rule(case, now=now, policy=chosen) for rule in RULES)
    failed = tuple(result for result in results if not result.passed)
    next_step = " ".join(result.next_step for result in failed) if failed else ELIGIBLE_NEXT_STEP
    return EscalationDecision(
        eligible=not failed,
        failed=tuple(result.name for result in failed),
        next_step=next_step,
        explanations=tuple(result.explanation for result in results),
        results=results,
    )
