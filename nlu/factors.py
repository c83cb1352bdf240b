"""Rules that make the factor classifiers agree with what the user's words plainly say.

The classifiers learn from examples; a few readings the rubric states outright are safer as
rules, because a learned model can miss a phrasing it has not seen:
- "N of (our) M agents" is a share, not everyone (rubric tie-breaker 2): three or fewer is
  a few users, most of them (80 % or more) stays the whole organization.
- A workaround counts only when the message shows one: without words we can quote for a
  working or partial workaround, that probability moves to "not said". A workaround lowers
  Critical, and missing a Critical is the costliest mistake.
- When the words say "no workaround" and nothing else about one, "not said" is not an
  answer either. (The same rule for words of a working workaround lowered cross-validated
  macro-F1 from 0.783 to 0.767: those words are too often about something else.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from nlu.cues import CueMatch

_SCOPE_RULE_WEIGHT = 0.85  # how far an explicit "N of M" overrides the scope classifier


def adjust_factors(
    scores: Mapping[str, Mapping[str, float]],
    cues: Sequence[CueMatch],
    *,
    shares: Sequence[tuple[int, int]] = (),
) -> dict[str, dict[str, float]]:
    """Factor scores after the rules above; `scores` also holds the intent (left as is)."""
    adjusted = {task: dict(values) for task, values in scores.items()}
    names = {cue.cue for cue in cues}
    if shares and "scope" in adjusted:
        adjusted["scope"] = _scope_from_shares(adjusted["scope"], shares)
    if "workaround" in adjusted:
        adjusted["workaround"] = _workaround_needs_words(adjusted["workaround"], names)
    return adjusted


def _scope_from_shares(
    scope: Mapping[str, float], shares: Sequence[tuple[int, int]]
) -> dict[str, float]:
    n, m = max(shares, key=lambda share: share[0] / share[1])
    target = "few" if n <= 3 else "organization" if n / m >= 0.8 else "share"
    return {
        label: (1 - _SCOPE_RULE_WEIGHT) * value + (_SCOPE_RULE_WEIGHT if label == target else 0.0)
        for label, value in scope.items()
    }


def _workaround_needs_words(workaround: Mapping[str, float], names: set[str]) -> dict[str, float]:
    adjusted = dict(workaround)
    shown = {"wk_works", "wk_partial", "still_but"} & names
    if not shown:
        moved = adjusted.get("works", 0.0) + adjusted.get("partial", 0.0)
        adjusted["works"] = adjusted["partial"] = 0.0
        adjusted["not_said"] = adjusted.get("not_said", 0.0) + moved
    if "wk_none" in names and not shown and max(adjusted, key=adjusted.__getitem__) == "not_said":
        adjusted["none"] = adjusted.get("none", 0.0) + adjusted["not_said"]
        adjusted["not_said"] = 0.0
    return adjusted
