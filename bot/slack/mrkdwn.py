"""Escaping user text for Slack mrkdwn, so nobody can ping, link or mention through the bot.

Slack's own rule is to escape &, < and >; that alone turns `<!channel>`, `<@U123>` and
`<https://evil|click>` into inert text. Two more tricks remain in plain text: a bare
`@channel`/`@here`/`@everyone` (Slack may still notify when `link_names` is on) and
auto-linked URLs. A zero-width joiner after the "@" and the URL scheme defuses both while the
text still reads the same.
"""

from __future__ import annotations

import re

_ZWJ = "\u2060"  # word joiner: invisible, breaks Slack's keyword and link detection
_BROADCAST = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_SCHEME = re.compile(r"\b(https?|mailto|ftp|slack)(:)", re.IGNORECASE)
_MARKUP = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})


def escape(text: str) -> str:
    """Text safe to put inside mrkdwn: it shows the same words and triggers nothing."""
    escaped = str(text).translate(_MARKUP)
    escaped = _BROADCAST.sub(lambda m: "@" + _ZWJ + m.group(1), escaped)
    return _SCHEME.sub(lambda m: m.group(1) + _ZWJ + m.group(2), escaped)


def escape_plain(text: str, *, limit: int = 3000) -> str:
    """Escaped text cut to a Block Kit text field's limit."""
    escaped = escape(text)
    return escaped if len(escaped) <= limit else escaped[: limit - 1] + "…"


def mention(user_id: str) -> str:
    """A real mention, only for IDs the bot itself knows (directory or Slack payload)."""
    if not re.fullmatch(r"[UW][A-Z0-9]{2,20}", user_id or ""):
        return escape(user_id or "someone")
    return f"<@{user_id}>"
