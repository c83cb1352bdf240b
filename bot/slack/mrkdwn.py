"""Escaping user text for Slack mrkdwn: nothing a person types pings, links or formats.

Slack's own rule is to escape &, < and >; that alone turns `<!channel>`, `<@U123>` and
`<https://evil|click>` into inert text. Two more tricks remain in plain text: a bare
`@channel`/`@here`/`@everyone` (Slack may still notify when `link_names` is on) and
auto-linked URLs. A word joiner after the "@" and the URL scheme defuses both while the
text still reads the same.

On cards a person's words must not format either, or a line "*Severity*" in their business
impact reads as a second field. Slack has no escape for `*`, `_`, `~` and `` ` `` (a
backslash shows as typed), so `escape_literal` swaps them for look-alikes that are not
markup, and puts a soft hyphen before a `>` that starts a line (a quote): the approach of
jsx-slack's <Escape> (yhatt/jsx-slack, src/mrkdwn/escape.ts). An underscore inside a word
(snake_case) stays, as italics open and close only at a word's edge, so such names survive
copy and paste.
"""

from __future__ import annotations

import re

from bot.slack import limits

_ZWJ = "\u2060"  # word joiner: invisible, breaks Slack's keyword and link detection
# Not anchored at a word's end, so a cut text can't end in a live "@here" either.
_BROADCAST = re.compile(r"@(channel|here|everyone)", re.IGNORECASE)
_SCHEME = re.compile(r"\b(https?|mailto|ftp|slack)(:)", re.IGNORECASE)
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_LOOK_ALIKES = str.maketrans({"*": "\u2217", "~": "\u223c", "`": "\u02cb"})  # ∗ ∼ ˋ
_LOOSE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")  # not between letters or digits
_UNDERSCORE_LOOK_ALIKE = "\u02cd"  # ˍ
_QUOTE = re.compile(r"^([ \t]*)&gt;", re.MULTILINE)
_SOFT_HYPHEN = "\u00ad"  # invisible; the line no longer starts with ">"


def escape(text: str) -> str:
    """Text safe to put inside mrkdwn: it shows the same words and triggers nothing."""
    escaped = str(text).translate(_MARKUP)
    escaped = _BROADCAST.sub(lambda m: "@" + _ZWJ + m.group(1), escaped)
    return _SCHEME.sub(lambda m: m.group(1) + _ZWJ + m.group(2), escaped)


def escape_plain(text: str, *, limit: int = limits.TEXT) -> str:
    """Escaped text cut to `limit` in Slack's units (see `limits.cut`)."""
    return limits.cut(escape(text), limit)


def escape_literal(text: str, *, limit: int = limits.TEXT) -> str:
    """A person's words for a card: as `escape`, and no bold, italics, strike, code or quote.

    Newlines stay, so the words keep their lines inside the one field they are shown in.
    """
    escaped = escape(text).translate(_LOOK_ALIKES)
    escaped = _LOOSE_UNDERSCORE.sub(_UNDERSCORE_LOOK_ALIKE, escaped)
    return limits.cut(_QUOTE.sub(r"\1" + _SOFT_HYPHEN + "&gt;", escaped), limit)


def mention(user_id: str) -> str:
    """A real mention, only for IDs the bot itself knows (directory or Slack payload)."""
    if not re.fullmatch(r"[UW][A-Z0-9]{2,20}", user_id or ""):
        return escape(user_id or "someone")
    return f"<@{user_id}>"
