"""Escaping user text for mrkdwn: nothing a user types can ping, mention, link or format."""

from __future__ import annotations

import pytest

from bot.slack.mrkdwn import escape, escape_literal, mention

WJ = "\u2060"
SHY = "\u00ad"


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
        ("@hereabouts", f"@{WJ}hereabouts"),  # so no cut of it can end in a live "@here"
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


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("*Severity*", "\u2217Severity\u2217"),
        ("_italic_", "\u02cditalic\u02cd"),
        ("~struck~", "\u223cstruck\u223c"),
        ("`code`", "\u02cbcode\u02cb"),
        ("```block```", "\u02cb\u02cb\u02cbblock\u02cb\u02cb\u02cb"),
        ("> quoted", f"{SHY}&gt; quoted"),
        ("first\n> quoted", f"first\n{SHY}&gt; quoted"),
        ("  > indented quote", f"  {SHY}&gt; indented quote"),
        ("a > b", "a &gt; b"),  # not at a line's start: no quote, nothing added
        ("snake_case_name", "snake_case_name"),  # inside a word Slack never italicises
        ("trailing_ and _leading", "trailing\u02cd and \u02cdleading"),
        ("line one\nline two", "line one\nline two"),
        ("A & B <@U1>", "A &amp; B &lt;@U1&gt;"),
    ],
)
def test_escape_literal_neutralises_formatting(typed: str, shown: str) -> None:
    assert escape_literal(typed) == shown


def test_escaped_literal_text_has_no_live_markup_or_formatting_left() -> None:
    hostile = "*b* _i_ ~s~ `c`\n> q\n<!channel> <@U1> <https://x.example|y> @here https://x.example"
    escaped = escape_literal(hostile)
    assert not set("*~`<>") & set(escaped)
    assert "_" not in escaped and "@here" not in escaped and "https://" not in escaped
    assert escaped.count("\n") == 2


def test_escape_literal_cuts_without_leaving_half_an_entity() -> None:
    assert escape_literal("&&&&", limit=7) == "&amp;…"
