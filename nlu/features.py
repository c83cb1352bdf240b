"""Turning a message into the text the classifiers read.

Bag-of-words models cannot see that "no workaround" and "workaround is X" mean opposite
things, or that a UUID is an ID rather than a word. So before classification we lower-case,
replace IDs and numbers with placeholders, mark words inside a negation's scope (`neg_` prefix)
and append one token per matching cue regex (`cue_workaround_no`, ...), much like Rasa's
RegexFeaturizer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlu.cues import CueGrammar, CueMatch, share_of, tokenize

_UUID = re.compile(
    r"\{?\b(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})\b\}?"
)
# No two adjacent unbounded repeats: "case" + 4,000 spaces must not backtrack.
_CASE = re.compile(
    r"(?:\b(?:cs[- ]?#?\d{3,8}|(?:case|ticket)\s{0,3}(?:#\s{0,2})?\d{3,8})|(?<![\w#])#\d{3,8})\b"
)
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
    clean_text: str, cues: CueGrammar, *, found: Sequence[CueMatch] | None = None
) -> str:
    """The featurised text: placeholders, negation-scope tokens and cue tokens appended.

    `found` passes cue matches the caller already has, so the text is scanned once.
    """
    lowered = clean_text.lower()
    matches = cues.find(clean_text) if found is None else found
    cue_tokens = sorted({f"cue_{match.cue}" for match in matches})
    cue_tokens += share_tokens(clean_text)
    text = _UUID.sub(" uuidtoken ", lowered)
    text = _CASE.sub(" casenumber ", text)
    text = _NUMBER.sub(" num ", text)
    negated = _mark_negations(text)
    return " ".join([text, *negated, *cue_tokens])


def share_tokens(clean_text: str) -> list[str]:
    """A feature per "N of M" in the text: a few, a share, or most of them."""
    tokens = []
    for n, m, _, _ in share_of(tokenize(clean_text)):
        tokens.append("share_few" if n <= 3 else "share_most" if n / m >= 0.8 else "share_part")
    return sorted(set(tokens))
