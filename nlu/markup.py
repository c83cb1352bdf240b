"""Message text as the NLU reads it, remembering where every character came from.

The NLU reads plain text. Each adapter turns its channel's markup into plain text before the
engine sees it (Slack's in `bot/slack/markup.py`), so a ":fire:" or "<b>" typed in the
terminal reaches the classifiers as typed. What the NLU folds itself is channel-neutral: lone
surrogates, the length cap, runs of blanks and of one punctuation mark. Entity offsets must
point into the text the adapter handed over, so every character read keeps the index of its
source character.

Slack's markup rules live here as a utility, not as a step of parsing: the Slack adapter
reads messages with them, and the corpus reader reads `nlu/data/` with them, because those
examples were written as Slack messages. (Here and not in `bot/slack/`: the NLU's training,
below the bot in the layers, needs them too.)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

MAX_TEXT_CHARS = 20_000  # longer messages are read up to here; nothing else changes
# A lone surrogate (half of a UTF-16 pair) cannot be encoded, and spaCy encodes every token.
_SURROGATE = re.compile(r"[\ud800-\udfff]")

# Every repeat stops at the next "<", so a run of unclosed markup is scanned once, not once
# per "<" (linear time on any input).
_SLACK_MARKUP = re.compile(
    r"<@(?P<user>[UW][A-Z0-9]+)(?:\|(?P<user_label>[^<>]*))?>"
    r"|<#(?P<channel>C[A-Z0-9]+)(?:\|(?P<channel_name>[^<>]*))?>"
    r"|<!(?P<special>[a-z]+)(?:\^[^<>|]*)?(?:\|(?P<special_label>[^<>]*))?>"
    r"|<(?P<url>(?:https?|mailto):[^<>|\s]+)(?:\|(?P<label>[^<>]*))?>"
    r"|(?<![\w:]):(?P<emoji>[a-z0-9_+\-']+):(?!\w)"
    r"|&(?P<entity>amp|lt|gt);"
)
_HTML_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_BROADCASTS = frozenset({"here", "channel", "everyone"})

MentionText = Callable[[str, str | None], str]
"""How a user mention reads, from the user ID and the label Slack sent with it (if any)."""

LinkText = Callable[[str, str], str]
"""How a labelled link reads, from its URL and its label."""


@dataclass(frozen=True)
class CleanText:
    """Text as read, plus, for each character, its index in the original text."""

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


def without_lone_surrogates(text: str) -> str:
    """Each lone surrogate as U+FFFD, one for one, so offsets into the text stay valid."""
    return _SURROGATE.sub("\ufffd", text)


def read_plain(text: str) -> CleanText:
    """What the NLU reads of a plain-text message, whatever channel it came from: lone
    surrogates replaced, the first MAX_TEXT_CHARS, blanks and punctuation runs folded."""
    original = without_lone_surrogates(str(text))[:MAX_TEXT_CHARS]
    folded, kept = _squeeze(original, list(range(len(original))))
    return CleanText(original=original, text=folded, source_index=tuple(kept))


def anonymous_mention(_user_id: str, _label: str | None) -> str:
    """Everyone as "@user": how the model has always seen mentions in the corpus."""
    return "@user"


def slack_to_plain(
    original: str,
    *,
    mention: MentionText = anonymous_mention,
    labelled_link: LinkText | None = None,
) -> CleanText:
    """Slack's markup as plain words: mentions (as `mention` says), channel links as "#name",
    links as their label (else their URL; `labelled_link` may say otherwise for a labelled
    one), emoji codes as a blank, &amp; &lt; &gt; decoded.

    One pass, so an escaped "&lt;!here&gt;" (what the person typed) stays the text "<!here>"
    and is never read as markup. Blanks are left as they are (see `read_plain`)."""
    pieces: list[str] = []
    sources: list[int] = []

    def emit(text: str, start: int, *, inner_start: int | None = None) -> None:
        pieces.append(text)
        if inner_start is not None:
            sources.extend(range(inner_start, inner_start + len(text)))
        else:
            sources.extend([start] * len(text))

    cursor = 0
    for match in _SLACK_MARKUP.finditer(original):
        emit(original[cursor : match.start()], cursor, inner_start=cursor)
        start = match.start()
        if match.group("user"):
            emit(mention(match.group("user"), match.group("user_label")), start)
        elif match.group("channel"):
            name = match.group("channel_name")
            emit("#" + name if name else "#channel", start)
        elif match.group("special"):
            special, label = match.group("special"), match.group("special_label")
            if label and special not in _BROADCASTS:  # a user group, a date: Slack's fallback
                emit(label, start, inner_start=match.start("special_label"))
            else:
                emit("@" + special, start)
        elif match.group("url"):
            label = match.group("label")
            if label and labelled_link is not None:
                emit(labelled_link(match.group("url"), label), start)
            elif label:
                emit(label, start, inner_start=match.start("label"))
            else:
                emit(match.group("url"), start, inner_start=match.start("url"))
        elif match.group("emoji"):
            emit(" ", start)
        elif match.group("entity"):
            emit(_HTML_ENTITIES[match.group("entity")], start)
        cursor = match.end()
    emit(original[cursor:], cursor, inner_start=cursor)
    return CleanText(original=original, text="".join(pieces), source_index=tuple(sources))


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
