"""Escaping user text for mrkdwn: nothing a user types can ping, mention or link."""

from __future__ import annotations

import pytest

from bot.slack.mrkdwn import escape, mention

WJ = "\u2060"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("<!channel> wake up", "&lt;!channel&gt; wake up"),
        ("<!here|here>", "&lt;!here|here&gt;"),
        ("ping <@U0STAFF1>", "ping &lt;@U0STAFF1&gt;"),
        ("<#C0STAFF|staff>", "&lt;#C0STAFF|staff&gt;"),
        ("<https://evil.example|click>", f"&lt;https{WJ}://evil.example|click&gt;"),
        ("see https://evil.example now", f"see https{WJ}://evil.example now"),
        ("mail me mailto:a@b.example", f"mail me mailto{WJ}:a@b.example"),
        ("@channel and @Here and @everyone", f"@{WJ}channel and @{WJ}Here and @{WJ}everyone"),
        ("A & B > C < D", "A &amp; B &gt; C &lt; D"),
        ("already &lt;escaped&gt;", "already &amp;lt;escaped&amp;gt;"),
        ("Grüße 🚀 — 日本語", "Grüße 🚀 — 日本語"),
        ("", ""),
    ],
)
def test_escape_neutralises_markup(typed: str, shown: str) -> None:
    assert escape(typed) == shown


def test_escaped_text_has_no_live_markup_left() -> None:
    hostile = "<!channel> <@U1> <https://x.example|y> <!subteam^S1> @here https://x.example"
    escaped = escape(hostile)
    assert "<" not in escaped and ">" not in escaped
    assert "@here" not in escaped and "https://" not in escaped


def test_mention_only_for_real_ids() -> None:
    assert mention("U0STAFF1") == "<@U0STAFF1>"
    assert mention("<!channel>") == "&lt;!channel&gt;"
    assert mention("") == "someone"
