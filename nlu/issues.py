"""Detecting several distinct problems in one message, so the bot can take them one at a time.

A message is cut at sentence ends and list markers ("1)", "-", "•"). A piece starts a new
issue when it describes a problem and is introduced as a new one ("also", "another issue",
"separately", a list number); other pieces continue the issue before them, so a long
description of one problem stays one issue.
"""

from __future__ import annotations

import re

from nlu.budget import Deadline

# A repeat of blanks below starts only where the blanks start (`(?<!\s)`): tried from every
# blank of a run, `\s+` rescanned the rest of the run each time, and a message of 4,000 em
# spaces (which the markup cleaner keeps) took 0.6 s to split. Now each run is scanned once.
_PIECES = re.compile(
    r"(?:(?<=[.!?;\n])\s+|(?<!\s)\s*\n+\s*|(?:^|\s)(?=\(?\d[).]\s)|(?:^|\s)(?=[•*-]\s))"
)
_NEW_ISSUE = re.compile(
    r"^\s*(?:\(?\d[).]|[•*-]\s|also\b|another\b|separately\b|second(?:ly)?\b|third\b|"
    r"in addition\b|additionally\b|on top of that\b|plus\b|and also\b|unrelated\b|"
    r"other (?:issue|problem|thing)\b|oh and\b|and another\b)",
    re.I,
)
_INLINE_NEW_ISSUE = re.compile(
    r"[,;]?(?<!\s)\s+(?:(?:and )?also,? (?=the |our |my |we |some |all )|"
    r"plus,? (?=the |our |my )|on top of that,? |separately,? |"
    r"another (?:issue|problem) ?(?:is)?:? )",
    re.I,
)
_PROBLEM = re.compile(
    r"\b(?:fail\w*|broken|error\w*|not (?:working|loading|routing|arriving|showing|connecting)|"
    r"down|outage|stuck|missing|empty|drop\w*|can'?t|cannot|won'?t|doesn'?t|didn'?t|isn'?t|"
    r"aren'?t|unable|no audio|one[- ]way|echo|slow|delay\w*|crash\w*|offline|rebooting|"
    r"stopped|paused|wrong|issue|problem|bug|5\d\ds?|disconnect\w*|time(?:s)? ?out|choppy|"
    r"blank|loop\w*|nothing|not|never|no longer|missed|lost|nobody|no one|none)\b",
    re.I,
)
_HEADER = re.compile(
    r"^\s*(?:i have |we have |there are )?(?:two|three|four|several|a few|a couple of|\d+)\s+"
    r"(?:things|issues|problems)\b(?: (?:today|here|to report))?\s*[:,-]?\s*",
    re.I,
)


_LEADING_AND = re.compile(r"^(?:and|plus)\s+", re.I)
_LIST_ITEM = re.compile(r"^\s*(?:\(?\d[).]|[•*-]\s)")
# After "two issues:", a plain ", and the ..." also separates the announced problems.
_ANNOUNCED_AND = re.compile(r",?(?<!\s)\s+and (?=(?:the|our|my|a|an|all|some) )", re.I)


# A sentence about every problem at once ("we can still work around both") belongs to each.
_ABOUT_ALL = re.compile(
    r"\b(?:both|all of them|all three|all of these|each of them|either of them|neither|"
    r"these (?:issues|problems)|all (?:these|those) (?:issues|problems))\b",
    re.I,
)
_DANGLING = frozenset({"and", "plus", "also", "but", "or", "then"})


def _tidy(piece: str) -> str:
    """No leading "and"/"plus", no trailing conjunction or comma: each problem reads whole.

    Words come off the end in place, so "... and and and" costs one pass, not one per word."""
    piece = _LEADING_AND.sub("", piece.strip()).rstrip(" ,;:-")
    cut = piece.rfind(" ")
    while cut >= 0 and piece[cut + 1 :].lower() in _DANGLING:
        piece = piece[:cut].rstrip(" ,;:-")
        cut = piece.rfind(" ")
    return piece.strip()


_BLANKS = re.compile(r"[^\S\n]+")  # every blank but a line break: tabs, em spaces, ...


def split_issues(text: str, *, deadline: Deadline | None = None) -> list[str]:
    """The text of each separate problem in the message (empty when none is described).

    Stops with BudgetExceeded once `deadline` has passed."""
    # One space for every run of blanks first: the patterns below then never rescan a run,
    # so splitting stays linear in the message length.
    text = _BLANKS.sub(" ", text)
    announced = _HEADER.search(text) is not None
    pieces = [_HEADER.sub("", piece).strip() for piece in _split(text, announced=announced)]
    pieces = [piece for piece in pieces if piece]
    groups: list[list[str]] = []
    about_all: list[str] = []
    for piece in pieces:
        if deadline is not None:
            deadline.tick("issues")
        is_problem = bool(_PROBLEM.search(piece))
        if len(groups) > 1 and _ABOUT_ALL.search(piece) and not _NEW_ISSUE.match(piece):
            about_all.append(piece)
            continue
        if _LIST_ITEM.match(piece):
            groups.append([piece])  # every item of a list is its own problem
        elif is_problem and (not groups or _NEW_ISSUE.match(piece) or announced):
            groups.append([piece])
        elif groups:
            groups[-1].append(piece)
        elif is_problem:
            groups.append([piece])
    return [_joined([_tidy(" ".join(group)), *about_all]) for group in groups]


def _joined(parts: list[str]) -> str:
    """Sentences joined with the full stop a cut piece lost ("... totals. We can ...")."""
    text = parts[0]
    for part in parts[1:]:
        text += (" " if text.endswith((".", "!", "?")) else ". ") + part
    return text


def _split(text: str, *, announced: bool) -> list[str]:
    pieces: list[str] = []
    for sentence in _PIECES.split(text):
        if not sentence:
            continue
        start = 0
        boundaries = list(_INLINE_NEW_ISSUE.finditer(sentence))
        if announced:
            boundaries += list(_ANNOUNCED_AND.finditer(sentence))
        for match in sorted(boundaries, key=lambda found: found.start()):
            pieces.append(sentence[start : match.start()])
            start = match.start()
        pieces.append(sentence[start:].lstrip(",; "))
    return pieces
