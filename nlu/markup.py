"""Slack markup normalisation that remembers where every character came from.

Classifiers should see "the Edge is down", not "<@U123> :fire: the Edge is down", but entity
offsets must point into the text the user actually sent, so every clean character keeps the
index of its source character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Every repeat stops at the next "<", so a run of unclosed markup is scanned once, not once
# per "<" (linear time on any input).
_MARKUP = re.compile(
    r"<@(?P<user>[UW][A-Z0-9]+)(?:\|[^<>]*)?>"
    r"|<#(?P<channel>C[A-Z0-9]+)(?:\|(?P<channel_name>[^<>]*))?>"
    r"|<!(?P<special>[a-z]+)(?:\^[^<>|]*)?(?:\|[^<>]*)?>"
    r"|<(?P<url>(?:https?|mailto):[^<>|\s]+)(?:\|(?P<label>[^<>]*))?>"
    r"|(?<![\w:]):(?P<emoji>[a-z0-9_+\-']+):(?!\w)"
    r"|&(?P<entity>amp|lt|gt);"
)
_HTML_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}


@dataclass(frozen=True)
class CleanText:
    """Text without Slack markup plus, for each character, its index in the original text."""

    original: str
    text: str
    source_index: tuple[int, ...]

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the clean text back to the original message."""
        if start >= end:
            position = (
                self.source_index[start] if start < len(self.source_index) else len(self.original)
            )
            return position, position
        return self.source_index[start], self.source_index[end - 1] + 1


def clean_slack_text(original: str) -> CleanText:
    """Replace mentions, channel links, links and emoji with plain words, keeping offsets."""
    pieces: list[str] = []
    sources: list[int] = []

    def emit(text: str, start: int, *, inner_start: int | None = None) -> None:
        pieces.append(text)
        if inner_start is not None:
            sources.extend(range(inner_start, inner_start + len(text)))
        else:
            sources.extend([start] * len(text))

    cursor = 0
    for match in _MARKUP.finditer(original):
        emit(original[cursor : match.start()], cursor, inner_start=cursor)
        start = match.start()
        if match.group("user"):
            emit("@user", start)
        elif match.group("channel"):
            name = match.group("channel_name")
            if name:
                emit("#" + name, start, inner_start=None)
            else:
                emit("#channel", start)
        elif match.group("special"):
            emit("@" + match.group("special"), start)
        elif match.group("url"):
            label = match.group("label")
            if label:
                emit(label, start, inner_start=match.start("label"))
            else:
                emit(match.group("url"), start, inner_start=match.start("url"))
        elif match.group("emoji"):
            emit(" ", start)
        elif match.group("entity"):
            emit(_HTML_ENTITIES[match.group("entity")], start)
        cursor = match.end()
    emit(original[cursor:], cursor, inner_start=cursor)
    text, kept = _squeeze("".join(pieces), sources)
    return CleanText(original=original, text=text, source_index=tuple(kept))


MAX_REPEAT = 3  # longer runs of one punctuation mark say nothing more ("!!!!!!" reads as "!!!")


def _squeeze(text: str, sources: list[int]) -> tuple[str, list[int]]:
    """Fold runs of spaces and tabs into one space and cut runs of one punctuation mark to
    MAX_REPEAT, keeping each kept character's source. A 4,000-space or 6,000-backtick
    message then costs the rules no more than a short one."""
    out: list[str] = []
    kept: list[int] = []
    run = 0
    for index, char in enumerate(text):
        previous = out[-1] if out else ""
        if char in " \t\xa0" and previous == " ":
            continue
        if previous == char and not char.isalnum() and not char.isspace():
            run += 1
            if run >= MAX_REPEAT:
                continue
        else:
            run = 0
        out.append(" " if char in "\t\xa0" else char)
        kept.append(sources[index])
    return "".join(out), kept
