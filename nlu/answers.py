"""Reading a free-text answer to one of the rubric's two clarifying questions.

Buttons send the answer's id ("stopped"); the terminal's numbered choices send the same id.
People also type: "1", "no, nothing works", "partly", "yes it's fine". Each answer has a few
words that mean it; the first answer whose words appear wins, checked in an order that puts
the more specific words first ("partly" before "no"). Unclear text gives None, and the
question is asked again.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z]+")
# Per question: (answer id, words that mean it), most specific first.
_LEXICON: dict[str, tuple[tuple[str, frozenset[str]], ...]] = {
    "impact": (
        ("trivial", frozenset({"cosmetic", "trivial", "question", "request", "typo", "feature"})),
        (
            "degraded",
            frozenset({"partly", "partially", "slower", "slow", "some", "sometimes", "degraded"}),
        ),
        ("unaffected", frozenset({"unaffected", "yes", "yeah", "yep", "hard", "unusable"})),
        ("stopped", frozenset({"stopped", "no", "nope", "nobody", "nothing", "everyone"})),
    ),
    "workaround": (
        ("partial", frozenset({"partly", "partially", "partial", "somewhat", "degraded", "bit"})),
        ("works", frozenset({"yes", "yeah", "yep", "works", "normally", "fine"})),
        ("none", frozenset({"no", "none", "nope", "nothing"})),
    ),
}


def read_answer(question: str, text: str, *, values: tuple[str, ...]) -> str | None:
    """The answer id `text` gives to `question` (values in button order), or None."""
    cleaned = text.strip().lower().strip(".!?")
    if cleaned in values:
        return cleaned
    if cleaned.isdigit() and 1 <= int(cleaned) <= len(values):
        return values[int(cleaned) - 1]
    words = set(_WORD.findall(cleaned.replace("n't", " not")))
    for answer, meaning in _LEXICON.get(question, ()):
        if words & meaning and answer in values:
            return answer
    return None
