"""From factor probabilities to a severity, the questions still needed, and quoted reasons.

SEVERITY_RUBRIC.md reads four factors from a message: function (critical / non-critical /
none), effect (stopped / degraded / hard to use / cosmetic / none), scope (organization /
share / few) and workaround (works / partial / none / not said). The classifiers give a
probability for each value; the rubric's section 2 turns one combination into an impact
(`impact_of`), and the policy matrix turns impact x workaround into a severity. Summing over
every combination gives a probability per severity; when no severity is likely enough, the
question whose answer would settle it is asked (section 3), never a question the message
already answers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from nlu.cues import CueMatch
from nlu.intervals import DisjointSpans
from policy.loader import load_policy
from policy.questions import QuestionId, answered_impact, answered_workaround
from policy.severity import Impact, Severity, Workaround, suggest_severity

FUNCTIONS = ("critical", "non-critical", "none")
EFFECTS = ("stopped", "degraded", "hard_to_use", "cosmetic", "none")
SCOPES = ("organization", "share", "few")
WORKAROUNDS = ("works", "partial", "none", "not_said")
FACTOR_TASKS = ("function", "effect", "scope", "workaround")

# The three numbers below were chosen by leave-one-voice-out cross-validation over the five
# training voices (each voice scored by a model trained without it; BENCHMARKS.md).
# Missing a Critical costs the most, so Severity 1 wins as soon as its probability reaches
# this, not only when it is the most likely level (0.25: S1 recall 0.94, precision 0.65;
# 0.35: 0.90 and 0.73; 0.45: 0.87 and 0.78 from the message alone).
CRITICAL_THRESHOLD = 0.35
# A severity this likely needs no question; below it the most useful question is asked
# (0.80: 0.49 questions per report, 0.935 accurate after answers; 0.85: 0.55 and 0.942;
# 0.88: 0.60 and 0.948, at the 0.6 questions-per-report budget's edge).
DECIDED_AT = 0.85
# Weight of the direct impact classifier against the factor composition (0: macro-F1
# 0.720, 0.5: 0.766, 0.6: 0.783, 1.0: 0.785 but S1 recall 0.89 against 0.90).
DIRECT_WEIGHT = 0.6
# Weight of the classifier that reads the severity itself, for the message alone (answers
# decide by the rubric's table instead). CV at the 0.35 threshold: 0: macro-F1 0.769, S1
# precision 0.695; 0.3: 0.785 and 0.738 with S1 recall unchanged (0.926); 0.5: S1 recall 0.908.
SEVERITY_WEIGHT = 0.3

_WORKAROUND_VALUE = {
    "works": Workaround.YES,
    "partial": Workaround.PARTIAL,
    "none": Workaround.NO,
    "not_said": Workaround.UNKNOWN,
}
# How a person answers "Is there a way to keep working meanwhile?" when the message says
# nothing: usually no (they would have said), sometimes partly or yes.
_NOT_SAID_ANSWERS = {"none": 0.6, "partial": 0.2, "works": 0.2}
_IMPACT_ANSWER = {
    Impact.BLOCKED: "stopped",
    Impact.DEGRADED: "degraded",
    Impact.MINOR: "unaffected",
    Impact.TRIVIAL: "trivial",
    Impact.REQUEST: "trivial",
}

_ANSWER_IMPACT = {
    "stopped": Impact.BLOCKED,
    "degraded": Impact.DEGRADED,
    "unaffected": Impact.MINOR,
    "trivial": Impact.TRIVIAL,
}


def impact_of(function: str, effect: str, scope: str) -> Impact:
    """The rubric's section 2 for one combination of factors (workaround aside)."""
    if effect == "cosmetic":
        return Impact.TRIVIAL
    if function == "none" or effect == "none":
        return Impact.REQUEST
    if function == "non-critical" or effect == "hard_to_use" or scope == "few":
        return Impact.MINOR
    if effect == "stopped":
        return Impact.BLOCKED if scope == "organization" else Impact.DEGRADED
    return Impact.DEGRADED


@dataclass(frozen=True)
class SeverityReading:
    severity: Severity
    confidence: float
    impact: Impact
    workaround: Workaround
    reasons: tuple[str, ...]
    ask: tuple[str, ...] = ()
    factors: Mapping[str, str] = field(default_factory=dict)
    probabilities: Mapping[Severity, float] = field(default_factory=dict)


def _normalised(scores: Mapping[str, float], labels: Sequence[str]) -> dict[str, float]:
    values = {label: max(float(scores.get(label, 0.0)), 0.0) for label in labels}
    total = sum(values.values())
    if total <= 0:
        return {label: 1.0 / len(labels) for label in labels}
    return {label: value / total for label, value in values.items()}


def impact_distribution(
    factors: Mapping[str, Mapping[str, float]], *, direct_weight: float = DIRECT_WEIGHT
) -> dict[Impact, float]:
    """P(impact): the rubric applied to every factor combination, averaged with a classifier
    that reads the impact answer directly (`impact` scores, when present). The two err on
    different messages; their mean is more accurate than either (cross-validation)."""
    composed = _composed_impacts(factors)
    if "impact" not in factors:
        return composed
    direct = _normalised(factors["impact"], tuple(_ANSWER_IMPACT))
    mixed = {impact: (1 - direct_weight) * p for impact, p in composed.items()}
    for answer, p in direct.items():
        mixed[_ANSWER_IMPACT[answer]] += direct_weight * p
    return mixed


def _composed_impacts(factors: Mapping[str, Mapping[str, float]]) -> dict[Impact, float]:
    function = _normalised(factors["function"], FUNCTIONS)
    effect = _normalised(factors["effect"], EFFECTS)
    scope = _normalised(factors["scope"], SCOPES)
    impacts = dict.fromkeys(Impact, 0.0)
    for f_name, f_p in function.items():
        for e_name, e_p in effect.items():
            for s_name, s_p in scope.items():
                impacts[impact_of(f_name, e_name, s_name)] += f_p * e_p * s_p
    return impacts


def _severities(
    impacts: Mapping[Impact, float], workarounds: Mapping[Workaround, float]
) -> dict[Severity, float]:
    matrix = load_policy().severity_matrix
    votes = dict.fromkeys(Severity, 0.0)
    for impact, i_p in impacts.items():
        for workaround, w_p in workarounds.items():
            votes[matrix[(impact, workaround)]] += i_p * w_p
    return votes


def _choose(votes: Mapping[Severity, float], critical_threshold: float) -> Severity:
    if votes[Severity.CRITICAL] >= critical_threshold:
        return Severity.CRITICAL
    return max(votes, key=lambda level: (votes[level], -int(level)))


def _certainty(votes: Mapping[Severity, float], critical_threshold: float) -> float:
    return votes[_choose(votes, critical_threshold)]


def read_severity(
    *,
    factor_scores: Mapping[str, Mapping[str, float]],
    cues: Sequence[CueMatch],
    answers: Mapping[str, str] | None = None,
    critical_threshold: float = CRITICAL_THRESHOLD,
    decided_at: float = DECIDED_AT,
    direct_weight: float = DIRECT_WEIGHT,
    severity_weight: float = SEVERITY_WEIGHT,
) -> SeverityReading:
    """Severity from the factors (and any answers), with the questions still worth asking."""
    answers = dict(answers or {})
    questions = load_policy().severity_questions
    impacts = impact_distribution(factor_scores, direct_weight=direct_weight)
    workaround_scores = _normalised(factor_scores["workaround"], WORKAROUNDS)
    workarounds = {_WORKAROUND_VALUE[name]: p for name, p in workaround_scores.items()}
    if QuestionId.IMPACT in answers:
        answered = answered_impact(questions[QuestionId.IMPACT], answers[QuestionId.IMPACT])
        impacts = {impact: float(impact is answered) for impact in Impact}
    if QuestionId.WORKAROUND in answers:
        answered_w = answered_workaround(
            questions[QuestionId.WORKAROUND], answers[QuestionId.WORKAROUND]
        )
        workarounds = {workaround: float(workaround is answered_w) for workaround in Workaround}
    votes = _severities(impacts, workarounds)
    if not answers and "severity" in factor_scores and severity_weight:
        direct = _normalised(factor_scores["severity"], [str(int(level)) for level in Severity])
        votes = {
            level: (1 - severity_weight) * p + severity_weight * direct[str(int(level))]
            for level, p in votes.items()
        }
    chosen = _choose(votes, critical_threshold)
    impact, workaround = _best_pair(chosen, impacts, workarounds)
    ask = _questions_to_ask(
        impacts, workarounds, answers, critical_threshold=critical_threshold, decided_at=decided_at
    )
    factors = {task: _top(factor_scores[task]) for task in FACTOR_TASKS}
    reasons = _reasons(impact, workaround, cues, answers)
    return SeverityReading(
        severity=chosen,
        confidence=round(votes[chosen], 3),
        impact=impact,
        workaround=workaround,
        reasons=reasons,
        ask=ask,
        factors=factors,
        probabilities={level: round(p, 4) for level, p in votes.items()},
    )


def _top(scores: Mapping[str, float]) -> str:
    return max(scores, key=scores.__getitem__)


def _best_pair(
    chosen: Severity, impacts: Mapping[Impact, float], workarounds: Mapping[Workaround, float]
) -> tuple[Impact, Workaround]:
    matrix = load_policy().severity_matrix
    pairs = [
        (i_p * w_p, impact, workaround)
        for impact, i_p in impacts.items()
        for workaround, w_p in workarounds.items()
        if matrix[(impact, workaround)] is chosen
    ]
    _, impact, workaround = max(pairs, key=lambda pair: pair[0])
    return impact, workaround


def _questions_to_ask(
    impacts: Mapping[Impact, float],
    workarounds: Mapping[Workaround, float],
    answers: Mapping[str, str],
    *,
    critical_threshold: float,
    decided_at: float,
) -> tuple[str, ...]:
    """The rubric's question ids still worth asking, most useful first.

    A question is worth asking when the severity is not yet likely enough and its answer is
    expected to make it so (or, failing that, when both are needed). The expected certainty
    after an answer weighs each possible answer by how likely the message makes it.
    """
    votes = _severities(impacts, workarounds)
    if _certainty(votes, critical_threshold) >= decided_at:
        return ()
    gains: dict[QuestionId, float] = {}
    if QuestionId.IMPACT not in answers:
        by_answer: dict[str, float] = {}
        for impact, p in impacts.items():
            by_answer[_IMPACT_ANSWER[impact]] = by_answer.get(_IMPACT_ANSWER[impact], 0.0) + p
        expected = 0.0
        for answer, p in by_answer.items():
            fixed = {impact: float(_IMPACT_ANSWER[impact] == answer) for impact in Impact}
            fixed = _first_of_answer(fixed, answer)
            expected += p * _certainty(_severities(fixed, workarounds), critical_threshold)
        gains[QuestionId.IMPACT] = expected
    if QuestionId.WORKAROUND not in answers:
        answer_p = {
            "none": workarounds.get(Workaround.NO, 0.0),
            "partial": workarounds.get(Workaround.PARTIAL, 0.0),
            "works": workarounds.get(Workaround.YES, 0.0),
        }
        for answer, share in _NOT_SAID_ANSWERS.items():
            answer_p[answer] += workarounds.get(Workaround.UNKNOWN, 0.0) * share
        means = {"none": Workaround.NO, "partial": Workaround.PARTIAL, "works": Workaround.YES}
        expected = 0.0
        for answer, p in answer_p.items():
            fixed_w = {workaround: float(workaround is means[answer]) for workaround in Workaround}
            expected += p * _certainty(_severities(impacts, fixed_w), critical_threshold)
        gains[QuestionId.WORKAROUND] = expected
    if not gains:
        return ()
    order = [QuestionId.IMPACT, QuestionId.WORKAROUND]
    best = max(gains, key=lambda question: (gains[question], -order.index(question)))
    if gains[best] >= decided_at or len(gains) == 1:
        return (str(best),)
    return tuple(str(question) for question in order if question in gains)


def _first_of_answer(fixed: dict[Impact, float], answer: str) -> dict[Impact, float]:
    """ "trivial" stands for two matrix rows with the same severity: keep one of them."""
    if answer == "trivial":
        return {impact: float(impact is Impact.TRIVIAL) for impact in Impact}
    return fixed


def _reasons(
    impact: Impact, workaround: Workaround, cues: Sequence[CueMatch], answers: Mapping[str, str]
) -> tuple[str, ...]:
    """Policy reasons, each preceded by the user's own words (or answer) that support it."""
    policy_reasons = suggest_severity(impact, workaround).reasons
    questions = load_policy().severity_questions
    impact_words = _impact_quotes(impact, cues)
    workaround_words = _quotes(cues, _WORKAROUND_CUES.get(workaround, ()))
    if QuestionId.IMPACT in answers:
        choice = questions[QuestionId.IMPACT].choice(answers[QuestionId.IMPACT])
        impact_words = [f'you answered "{choice.label}"'] if choice else impact_words
    if QuestionId.WORKAROUND in answers:
        choice = questions[QuestionId.WORKAROUND].choice(answers[QuestionId.WORKAROUND])
        workaround_words = [f'you answered "{choice.label}"'] if choice else workaround_words
    reasons = []
    for index, reason in enumerate(policy_reasons):
        words = impact_words if index == 0 else workaround_words if index == 1 else []
        if not words:
            reasons.append(reason)
        elif words[0].startswith("you answered"):
            reasons.append(f"{words[0]}: {reason}")
        else:
            reasons.append(f"you wrote {', '.join(words)}: {reason}")
    return tuple(reasons)


_WORKAROUND_CUES: dict[Workaround, tuple[str, ...]] = {
    Workaround.NO: ("wk_none",),
    Workaround.PARTIAL: ("wk_partial", "still_but"),
    Workaround.YES: ("wk_works",),
}
_IMPACT_CUES: dict[Impact, tuple[str, ...]] = {
    Impact.BLOCKED: ("stopped", "scope_org"),
    Impact.DEGRADED: ("degraded", "still_but", "scope_share", "stopped"),
    Impact.MINOR: ("hard_to_use", "scope_few", "noncritical_fn", "scope_share"),
    Impact.TRIVIAL: ("trivial",),
    Impact.REQUEST: ("request",),
}


def _impact_quotes(impact: Impact, cues: Sequence[CueMatch]) -> list[str]:
    return _quotes(cues, _IMPACT_CUES.get(impact, ()))


def _quotes(cues: Sequence[CueMatch], names: Sequence[str], *, limit: int = 3) -> list[str]:
    """The user's words behind the named cues, longest first, without overlaps."""
    free = DisjointSpans()
    chosen = [
        cue
        for cue in sorted(
            (cue for cue in cues if cue.cue in names), key=lambda c: (-(c.end - c.start), c.start)
        )
        if free.take(cue.start, cue.end)
    ]
    chosen.sort(key=lambda cue: cue.start)
    quoted: list[str] = []
    for cue in chosen:
        text = f'"{cue.text.strip()}"'
        if text not in quoted:
            quoted.append(text)
    return quoted[:limit]
