"""From classifier probabilities to a severity suggestion with confidence and quoted reasons.

The policy matrix itself lives in `policy.severity`; here we only weigh it by how sure the
classifiers are. Every (impact, workaround) pair votes for the severity the policy gives it
with the product of their probabilities. Missing a Critical costs the most, so Severity 1 is
chosen as soon as its total probability reaches `CRITICAL_THRESHOLD`, not only when it wins.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from nlu.features import CueMatch
from policy.severity import Impact, Severity, Workaround, suggest_severity

# Chosen by 4-fold cross-validation on the training reports: the lowest threshold whose
# severity macro-F1 stays within 0.01 of the best (0.25: S1 recall 0.90, macro-F1 0.743;
# 0.30: 0.86 and 0.748; 0.20: 0.92 but 0.729).
CRITICAL_THRESHOLD = 0.25
_CUE_PREFIX = {"impact": "impact_", "workaround": "workaround_"}


@dataclass(frozen=True)
class SeverityReading:
    severity: Severity
    confidence: float
    impact: Impact
    workaround: Workaround
    reasons: tuple[str, ...]


def read_severity(
    *,
    impact_scores: Mapping[str, float],
    workaround_scores: Mapping[str, float],
    cues: list[CueMatch],
    critical_threshold: float = CRITICAL_THRESHOLD,
) -> SeverityReading:
    votes: dict[Severity, float] = dict.fromkeys(Severity, 0.0)
    best_pair: dict[Severity, tuple[float, Impact, Workaround]] = {}
    for impact_name, impact_p in impact_scores.items():
        for workaround_name, workaround_p in workaround_scores.items():
            impact, workaround = Impact(impact_name), Workaround(workaround_name)
            severity = suggest_severity(impact, workaround).severity
            weight = impact_p * workaround_p
            votes[severity] += weight
            if weight > best_pair.get(severity, (-1.0,))[0]:
                best_pair[severity] = (weight, impact, workaround)
    if votes[Severity.CRITICAL] >= critical_threshold:
        chosen = Severity.CRITICAL
    else:
        chosen = max(votes, key=lambda level: (votes[level], -int(level)))
    _, impact, workaround = best_pair[chosen]
    suggestion = suggest_severity(impact, workaround)
    reasons = _quoted_reasons(impact, workaround, cues, suggestion.reasons)
    return SeverityReading(chosen, round(votes[chosen], 3), impact, workaround, reasons)


def _quoted_reasons(
    impact: Impact, workaround: Workaround, cues: list[CueMatch], policy_reasons: tuple[str, ...]
) -> tuple[str, ...]:
    """Policy reasons, each preceded by the user's own words that support it."""
    impact_words = _quotes(cues, f"impact_{impact.value}")
    workaround_words = _quotes(cues, f"workaround_{workaround.value}")
    reasons = []
    for index, reason in enumerate(policy_reasons):
        words = impact_words if index == 0 else workaround_words if index == 1 else []
        if words:
            reasons.append(f"you wrote {', '.join(words)}: {reason}")
        else:
            reasons.append(reason)
    return tuple(reasons)


def _quotes(cues: list[CueMatch], cue_name: str, *, limit: int = 3) -> list[str]:
    seen: list[str] = []
    for cue in cues:
        quoted = f'"{cue.text.strip()}"'
        if cue.cue == cue_name and quoted not in seen:
            seen.append(quoted)
    return seen[:limit]
