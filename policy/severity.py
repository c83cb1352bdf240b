"""Severity levels and the impact x workaround matrix that suggests one.

The definitions come from the seeds (both documents agree). The matrix is deliberately biased
towards Severity 1 when the workaround is unknown: missing a Critical costs far more than
asking once whether a workaround exists.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum


class Severity(IntEnum):
    CRITICAL = 1
    HIGH = 2
    MEDIUM = 3
    LOW = 4

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self]


SEVERITY_LABELS: dict[Severity, str] = {
    Severity.CRITICAL: "Critical (Code Red)",
    Severity.HIGH: "High",
    Severity.MEDIUM: "Medium",
    Severity.LOW: "Low",
}

SEVERITY_DEFINITIONS: dict[Severity, str] = {
    Severity.CRITICAL: (
        "A severe problem: a critical business function cannot be performed and there is "
        "no workaround."
    ),
    Severity.HIGH: (
        "Job functions can be performed, but performance is degraded or severely limited."
    ),
    Severity.MEDIUM: (
        "Job functions are largely unaffected, but non-critical functions or procedures are "
        "unusable or hard to use. A workaround is available."
    ),
    Severity.LOW: (
        "Minimal impact: feature requests, questions, information or help with configuration."
    ),
}


class Impact(StrEnum):
    """Business impact as the NLU reads it from the message."""

    BLOCKED = "blocked"  # a critical business function cannot be performed
    DEGRADED = "degraded"  # job functions possible, performance degraded or limited
    MINOR = "minor"  # non-critical functions unusable or hard to use
    REQUEST = "request"  # question, information, configuration help, feature request


class Workaround(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class SeveritySuggestion:
    severity: Severity
    reasons: tuple[str, ...]


_MATRIX: dict[tuple[Impact, Workaround], Severity] = {
    (Impact.BLOCKED, Workaround.NO): Severity.CRITICAL,
    (Impact.BLOCKED, Workaround.UNKNOWN): Severity.CRITICAL,
    (Impact.BLOCKED, Workaround.YES): Severity.HIGH,
    (Impact.DEGRADED, Workaround.NO): Severity.HIGH,
    (Impact.DEGRADED, Workaround.UNKNOWN): Severity.HIGH,
    (Impact.DEGRADED, Workaround.YES): Severity.MEDIUM,
    (Impact.MINOR, Workaround.NO): Severity.MEDIUM,
    (Impact.MINOR, Workaround.UNKNOWN): Severity.MEDIUM,
    (Impact.MINOR, Workaround.YES): Severity.MEDIUM,
    (Impact.REQUEST, Workaround.NO): Severity.LOW,
    (Impact.REQUEST, Workaround.UNKNOWN): Severity.LOW,
    (Impact.REQUEST, Workaround.YES): Severity.LOW,
}

_IMPACT_REASONS: dict[Impact, str] = {
    Impact.BLOCKED: "a critical business function cannot be performed",
    Impact.DEGRADED: "work goes on, but performance is degraded or limited",
    Impact.MINOR: "job functions are largely unaffected; a non-critical function is hard to use",
    Impact.REQUEST: "this is a question, a request for information or a feature request",
}

_WORKAROUND_REASONS: dict[Workaround, str] = {
    Workaround.NO: "there is no workaround",
    Workaround.YES: "a workaround is available",
    Workaround.UNKNOWN: "no workaround was mentioned",
}


def suggest_severity(impact: Impact, workaround: Workaround) -> SeveritySuggestion:
    """Apply the policy matrix; reasons explain the choice in plain words."""
    severity = _MATRIX[(impact, workaround)]
    reasons = [_IMPACT_REASONS[impact]]
    if impact is not Impact.REQUEST:
        reasons.append(_WORKAROUND_REASONS[workaround])
    if impact is Impact.BLOCKED and workaround is Workaround.UNKNOWN:
        reasons.append("if a workaround exists, this would be High instead")
    if impact is Impact.BLOCKED and workaround is Workaround.YES:
        reasons.append("Critical needs a blocked function with no workaround, so this is High")
    return SeveritySuggestion(severity=severity, reasons=tuple(reasons))
