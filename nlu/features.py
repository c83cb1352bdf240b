"""Turning a message into the text the classifiers read.

Bag-of-words models cannot see that "no workaround" and "workaround is X" mean opposite
things, or that a UUID is an ID rather than a word. So before classification we lower-case,
replace IDs and numbers with placeholders, mark words inside a negation's scope (`neg_` prefix)
and append one token per matching cue regex (`cue_workaround_no`, ...), much like Rasa's
RegexFeaturizer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

_UUID = re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b")
_CASE = re.compile(r"\b(?:cs[- ]?#?\d{3,8}|(?:case|ticket)\s*#?\s*\d{3,8})\b")
_NUMBER = re.compile(r"\b\d+(?:[.:]\d+)?\b")
_WORD = re.compile(r"[a-z']+|[.,;:!?()\n]")
_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "cannot",
        "can't",
        "cant",
        "won't",
        "wont",
        "don't",
        "dont",
        "doesn't",
        "doesnt",
        "didn't",
        "didnt",
        "isn't",
        "isnt",
        "aren't",
        "arent",
        "wasn't",
        "wasnt",
        "couldn't",
        "couldnt",
        "nobody",
        "nothing",
        "without",
        "none",
        "noone",
        "unable",
    ]
)
_SCOPE_ENDS = frozenset(".,;:!?()\n") | {"but", "and", "though", "although", "so"}
_NEGATION_SCOPE = 4


@dataclass(frozen=True)
class CueMatch:
    """A cue regex that matched: which cue, and the words that triggered it."""

    cue: str
    text: str
    start: int
    end: int


class CueSet:
    """Compiled cue regexes from the training data (`regex:` blocks named like `impact_*`)."""

    def __init__(self, regexes: Mapping[str, Sequence[str]]) -> None:
        prefixes = ("impact_", "workaround_")
        # One alternation per cue: a single scan of the text instead of one per pattern.
        self._patterns = {
            name: [re.compile("|".join(f"(?:{pattern})" for pattern in patterns))]
            for name, patterns in regexes.items()
            if name.startswith(prefixes) and patterns
        }

    @property
    def names(self) -> list[str]:
        return sorted(self._patterns)

    def find(self, lowered: str) -> list[CueMatch]:
        matches: list[CueMatch] = []
        for name, patterns in self._patterns.items():
            for pattern in patterns:
                for found in pattern.finditer(lowered):
                    if found.end() > found.start():
                        matches.append(CueMatch(name, found.group(0), found.start(), found.end()))
        matches.sort(key=lambda match: (match.start, match.cue))
        return matches


def _mark_negations(text: str) -> list[str]:
    tokens = _WORD.findall(text)
    marked: list[str] = []
    remaining = 0
    for token in tokens:
        if token in _SCOPE_ENDS:
            remaining = 0
            continue
        if remaining > 0:
            marked.append("neg_" + token.replace("'", ""))
            remaining -= 1
        if token in _NEGATORS or token.endswith("n't"):
            remaining = _NEGATION_SCOPE
    return marked


def classifier_text(
    clean_text: str, cues: CueSet, *, found: Sequence[CueMatch] | None = None
) -> str:
    """The featurised text: placeholders, negation-scope tokens and cue tokens appended.

    `found` passes cue matches the caller already has, so the text is scanned once.
    """
    lowered = clean_text.lower()
    matches = cues.find(lowered) if found is None else found
    cue_tokens = sorted({f"cue_{match.cue}" for match in matches})
    text = _UUID.sub(" uuidtoken ", lowered)
    text = _CASE.sub(" casenumber ", text)
    text = _NUMBER.sub(" num ", text)
    negated = _mark_negations(text)
    return " ".join([text, *negated, *cue_tokens])
