"""Severity levels and the impact x workaround matrix that suggests one.

The definitions come from the seeds (both documents agree) and live, with the matrix, in
policy/data/policy.yaml. The matrix is deliberately biased towards Severity 1 when the
workaround is unknown: missing a Critical costs far more than asking once whether a workaround
exists.
"""

from __future__ import annotations

from dataclasses import dataclass

from policy.levels import Impact, Severity, Workaround
from policy.loader import load_policy

__all__ = ["Impact", "Severity", "SeveritySuggestion", "Workaround", "severity_label"]


def severity_label(severity: int | Severity) -> str:
    """ "Critical", "High", ... as the policy names the level."""
    return load_policy().severities[Severity(int(severity))].label


def __getattr__(name: str) -> dict[Severity, str]:
    """SEVERITY_LABELS and SEVERITY_DEFINITIONS, read from the policy data file on first use."""
    if name not in ("SEVERITY_LABELS", "SEVERITY_DEFINITIONS"):
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    levels = load_policy().severities
    if name == "SEVERITY_LABELS":
        return {severity: level.label for severity, level in levels.items()}
    return {severity: level.definition for severity, level in levels.items()}


@dataclass(frozen=True)
class SeveritySuggestion:
    severity: Severity
    reasons: tuple[str, ...]


_IMPACT_REASONS: dict[Impact, str] = {
    Impact.BLOCKED: "a critical business function cannot be performed",
    Impact.DEGRADED: "work goes on, but performance is degraded or limited",
    Impact.MINOR: "job functions are largely unaffected; a non-critical function is hard to use",
    Impact.TRIVIAL: "the impact is trivial: cosmetic, or an annoyance with no effect on the work",
    Impact.REQUEST: "this is a question, a request for information or a feature request",
}

_WORKAROUND_REASONS: dict[Workaround, str] = {
    Workaround.NO: "there is no workaround",
    Workaround.YES: "a workaround keeps the work going normally",
    Workaround.PARTIAL: "a workaround keeps the work going, but still degraded",
    Workaround.UNKNOWN: "no workaround was mentioned",
}


def suggest_severity(impact: Impact, workaround: Workaround) -> SeveritySuggestion:
    """Apply the policy matrix; reasons explain the choice in plain words."""
    severity = load_policy().severity_matrix[(Impact(impact), Workaround(workaround))]
    reasons = [_IMPACT_REASONS[impact]]
    if impact not in (Impact.REQUEST, Impact.TRIVIAL):
        reasons.append(_WORKAROUND_REASONS[workaround])
    if impact is Impact.BLOCKED and workaround is Workaround.UNKNOWN:
        reasons.append("if a workaround keeps the work going, this would be High or Medium instead")
    if impact is Impact.BLOCKED and workaround in (Workaround.YES, Workaround.PARTIAL):
        reasons.append(
            "Critical needs a stopped function with no workaround, so it is not Critical"
        )
    return SeveritySuggestion(severity=severity, reasons=tuple(reasons))
