"""A small token cue grammar that runs in linear time on any input.

Cues are the phrases the rubric reads factors from ("no way round it", "15 of our 120
agents", "purely cosmetic", "can still answer, but ..."). Regular expressions written by hand
for these can backtrack badly on long runs of spaces or punctuation, and one such message
stalls the bot. Here a message is cut into tokens by one linear scan, and each pattern is a
short sequence of token slots with bounded gaps, so the work per token is bounded by the
pattern set, never by the input.

Pattern syntax (one pattern per string, slots separated by spaces):
- `word`: that token; `a|b|c`: any of them; `word?` / `a|b?`: optional slot;
- `#`: a number; `_`: any one token; `..N`: up to N tokens of any kind (N <= 6);
- apostrophes are dropped, so write `cant`, `dont`, `isnt`.
Gaps never cross a clause break (`.`, `!`, `?`, `;`, a new line, "but", "however",
"though") nor `:` or a bracket.
A cue group marked `negatable` drops a match that a negator ("not", "no", "never", ...)
precedes within three tokens of the same clause ("not everyone" is not total scope).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import yaml

from nlu.budget import Deadline

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*|[.!?;\n,:()]")
CLAUSE_BREAKS = frozenset({".", "!", "?", ";", "\n", "but", "however", "though"})
NEGATORS = frozenset(
    {
        "not",
        "no",
        "never",
        "cant",
        "cannot",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "arent",
        "wasnt",
        "werent",
        "wont",
        "without",
        "nobody",
        "nothing",
        "zero",
        "hardly",
        "barely",
    }
)
_PUNCTUATION = frozenset({":", "(", ")"})  # a comma may sit in a gap: "can still answer, but"
MAX_GAP = 6
NEGATION_WINDOW = 3


class Token(NamedTuple):
    """A named tuple, not a frozen dataclass: a 4,000-character message has thousands of
    tokens, and a frozen dataclass takes ten times as long to build (bench worst case)."""

    text: str  # lower-cased, apostrophes removed
    start: int  # offset in the text the grammar was given
    end: int


@dataclass(frozen=True)
class CueMatch:
    """A cue that matched: which cue, the words that triggered it, and where."""

    cue: str
    text: str
    start: int
    end: int


def tokenize(text: str) -> list[Token]:
    """Lower-cased word and clause tokens; one pass of a regex without nested repetition."""
    lowered = text.lower().replace("\u2019", "'").replace("\u2018", "'")
    return [
        Token(found.group(0).replace("'", ""), found.start(), found.end())
        for found in _TOKEN.finditer(lowered)
    ]


@dataclass(frozen=True)
class _Slot:
    words: frozenset[str] | None  # None: any token
    number: bool = False
    optional: bool = False
    gap: int = 0  # > 0: a gap of up to `gap` tokens (words is None)

    def accepts(self, token: str) -> bool:
        if self.words is not None:
            return token in self.words
        if token in CLAUSE_BREAKS or token in _PUNCTUATION:
            return False  # a gap or `_` never spans a clause break, `:` or a bracket
        return token.isdigit() if self.number else True


def _compile(pattern: str) -> tuple[_Slot, ...]:
    slots: list[_Slot] = []
    for raw in pattern.split():
        if raw.startswith(".."):
            size = int(raw[2:])
            if not 0 < size <= MAX_GAP:
                raise ValueError(f"cue pattern {pattern!r}: gap must be 1..{MAX_GAP}")
            slots.append(_Slot(None, gap=size))
            continue
        optional = raw.endswith("?") and len(raw) > 1
        raw = raw.rstrip("?") if optional else raw
        if raw == "#":
            slots.append(_Slot(None, number=True, optional=optional))
        elif raw == "_":
            slots.append(_Slot(None, optional=optional))
        else:
            slots.append(_Slot(frozenset(raw.replace("'", "").split("|")), optional=optional))
    if not slots or slots[0].gap or slots[0].optional:
        raise ValueError(f"cue pattern {pattern!r} must start with a required word slot")
    return tuple(slots)


def _match_at(slots: Sequence[_Slot], tokens: Sequence[str], start: int) -> int | None:
    """End index of the shortest match of `slots` starting at `start`, or None.

    Depth-first over a handful of slots with bounded gaps: the work is bounded by the
    pattern's shape (at most MAX_GAP + 1 ways per gap), not by the length of the input.
    """
    stack = [(0, start)]
    while stack:
        slot_index, position = stack.pop()
        if slot_index == len(slots):
            return position
        slot = slots[slot_index]
        if slot.gap:
            for skip in range(slot.gap, -1, -1):
                end = position + skip
                if end > len(tokens):
                    continue
                if all(slots[slot_index].accepts(t) for t in tokens[position:end]):
                    stack.append((slot_index + 1, end))
            continue
        if slot.optional:
            stack.append((slot_index + 1, position))
        if position < len(tokens) and slot.accepts(tokens[position]):
            stack.append((slot_index + 1, position + 1))
    return None


@dataclass(frozen=True)
class CueGroup:
    name: str
    patterns: tuple[tuple[_Slot, ...], ...]
    negatable: bool = False


class CueGrammar:
    """Compiled cue groups; `find` returns every match in one left-to-right pass."""

    def __init__(self, groups: Iterable[CueGroup]) -> None:
        self.groups = tuple(groups)
        # Index patterns by the words their first slot accepts, so each token only tries
        # the few patterns that can start with it.
        self._by_first: dict[str, list[tuple[CueGroup, tuple[_Slot, ...]]]] = {}
        self._by_number: list[tuple[CueGroup, tuple[_Slot, ...]]] = []
        for group in self.groups:
            for slots in group.patterns:
                first = slots[0]
                if first.number:
                    self._by_number.append((group, slots))
                else:
                    for word in first.words or ():
                        self._by_first.setdefault(word, []).append((group, slots))

    @property
    def names(self) -> list[str]:
        return sorted({group.name for group in self.groups})

    def find(self, text: str, *, deadline: Deadline | None = None) -> list[CueMatch]:
        """Every cue match, left to right; stops with BudgetExceeded past `deadline`."""
        tokens = tokenize(text)
        words = [token.text for token in tokens]
        matches: list[CueMatch] = []
        seen: set[tuple[str, int]] = set()
        for index, word in enumerate(words):
            if deadline is not None:
                deadline.tick("cues")
            candidates = self._by_first.get(word, [])
            if word.isdigit():
                candidates = candidates + self._by_number
            for group, slots in candidates:
                if (group.name, index) in seen:
                    continue
                end = _match_at(slots, words, index)
                if end is None or (group.negatable and _negated(words, index)):
                    continue
                seen.add((group.name, index))
                start_char, end_char = tokens[index].start, tokens[end - 1].end
                matches.append(
                    CueMatch(group.name, text[start_char:end_char], start_char, end_char)
                )
        return matches


def _negated(words: Sequence[str], index: int) -> bool:
    for back in range(1, NEGATION_WINDOW + 1):
        position = index - back
        if position < 0 or words[position] in CLAUSE_BREAKS:
            return False
        if words[position] in NEGATORS:
            return True
    return False


def load_grammar(path: Path) -> CueGrammar:
    """Read cue groups from YAML: `{cues: {name: {negatable: bool, patterns: [...]}}}`."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return grammar_from_mapping(document.get("cues") or {})


def grammar_from_mapping(raw: Mapping[str, object]) -> CueGrammar:
    groups = []
    for name, spec in raw.items():
        if isinstance(spec, list):
            patterns, negatable = spec, False
        elif isinstance(spec, dict):
            patterns, negatable = spec.get("patterns") or [], bool(spec.get("negatable"))
        else:
            raise ValueError(f"cue {name!r}: expected a list of patterns")
        groups.append(
            CueGroup(str(name), tuple(_compile(str(p)) for p in patterns), negatable=negatable)
        )
    return CueGrammar(groups)


_SHARE = re.compile(r"^\d{1,6}$")


def share_of(tokens: Sequence[Token]) -> list[tuple[int, int, int, int]]:
    """Every "N of (our|the) M" with N < M: (n, m, start, end) character spans.

    "a dozen of our 250 agents" counts too (dozen = 12). Linear: each token is looked at once.
    """
    found = []
    words = [token.text for token in tokens]
    named = {"dozen": 12, "couple": 2, "handful": 5, "few": 3, "one": 1, "two": 2, "three": 3}
    for index, word in enumerate(words):
        if word != "of" or index == 0:
            continue
        before = words[index - 1]
        n = int(before) if _SHARE.match(before) else named.get(before)
        if n is None:
            continue
        after = index + 1
        while after < len(words) and after <= index + 3 and not _SHARE.match(words[after]):
            if words[after] not in {"our", "the", "my", "about", "roughly", "around", "their"}:
                break
            after += 1
        if after < len(words) and _SHARE.match(words[after]):
            m = int(words[after])
            if 0 < n < m:
                found.append((n, m, tokens[index - 1].start, tokens[after].end))
    return found
