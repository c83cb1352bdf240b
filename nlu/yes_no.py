"""Clear answers to a yes/no question, and questions about the question.

At "Shall I open it?" a case is opened only on a clear yes: "maybe", "ok", "sure", "wait" or
"looks good" are not consent, and "hmm not sure" is not a refusal. The classifier's
affirm/deny is too generous for that, so a yes/no step reads answers from these short lists.
"""

from __future__ import annotations

import re
from typing import Literal

YesNo = Literal["yes", "no"]

_YES = frozenset(
    {
        "yes",
        "y",
        "yes please",
        "yes pls",
        "yep",
        "yeah",
        "yup",
        "confirm",
        "confirmed",
        "i confirm",
        "yes confirm",
        "open it",
        "yes open it",
        "please open it",
        "go ahead",
        "yes go ahead",
        "do it",
        "yes do it",
        "👍",
        ":+1:",
        ":thumbsup:",
        "✅",
        ":white_check_mark:",
    }
)
_NO = frozenset(
    {
        "no",
        "n",
        "nope",
        "nah",
        "no thanks",
        "no thank you",
        "cancel",
        "cancel it",
        "no cancel",
        "don't",
        "dont",
        "do not",
        "don't open it",
        "do not open it",
        "stop",
        "👎",
        ":-1:",
        ":thumbsdown:",
        "❌",
        ":x:",
    }
)
# Letters, digits, apostrophes and the emoji/shortcode answers; everything else is spacing.
_NOISE = re.compile(r"[\s.!,;]+")
_STEP_WORDS = re.compile(
    r"\b(edit|cancel|confirm|what happens|what does|what do|mean|difference|why)\b", re.I
)


def _normalised(text: str) -> str:
    return _NOISE.sub(" ", text.strip().lower()).strip()


# "yes, create the case" and "no, cancel it" are clear too: a clear first word, then a few
# words with no hedge, negation or question in them.
_YES_FIRST = frozenset({"yes", "yep", "yeah", "yup", "confirm", "confirmed", "👍"})
_NO_FIRST = frozenset({"no", "nope", "nah", "cancel", "👎"})
_HEDGES = frozenset(
    {"but", "not", "no", "yes", "maybe", "wait", "unless", "if", "hmm", "or", "dont", "don't"}
)
_MAX_WORDS = 8


def read_yes_no(text: str) -> YesNo | None:
    """The answer "yes" or "no" when it is clear; None for anything else (re-ask, don't guess)."""
    answer = _normalised(text)
    if answer in _YES:
        return "yes"
    if answer in _NO:
        return "no"
    words = answer.split()
    if not words or len(words) > _MAX_WORDS or "?" in answer or _HEDGES & set(words[1:]):
        return None
    if words[0] in _YES_FIRST:
        return "yes"
    if words[0] in _NO_FIRST:
        return "no"
    return None


def asks_about_the_step(text: str) -> bool:
    """A question about the choice itself ("what does edit do?"), not an answer to it."""
    stripped = text.strip()
    return stripped.endswith("?") and bool(_STEP_WORDS.search(stripped))
