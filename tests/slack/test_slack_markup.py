"""The Slack adapter's normaliser: Slack's markup becomes plain text before the engine sees it."""

from __future__ import annotations

from typing import Any

import pytest

from bot.directory import load_directory
from bot.slack.markup import plain_text
from tests.support.fake_slack.server import BOT_USER_ID


@pytest.mark.parametrize(
    ("slack_text", "plain"),
    [
        (
            "<@U123ABC> see <#C42|ops> and <https://x.example/a|the runbook> :fire: &amp; go",
            "@U123ABC see #ops and the runbook (https://x.example/a) & go",
        ),
        ("ask <@U123|ana> about <#C42>", "ask @ana about #channel"),
        ("ask <@U01AAA>, not <@U9NOBODY>", "ask @Ana Ruiz, not @U9NOBODY"),
        ("<!here> logs at <https://logs.example/x>", "@here logs at https://logs.example/x"),
        ("ping <!subteam^S1|@oncall> now", "ping @oncall now"),
        ("mail <mailto:it@acme.example|it@acme.example> :sos:", "mail it@acme.example"),
        ("I typed &lt;!here&gt; and &amp;lt;", "I typed <!here> and &lt;"),  # never markup
        ("10:05:30 the time, not an emoji", "10:05:30 the time, not an emoji"),
    ],
)
def test_slack_markup_reads_as_plain_text(slack_text: str, plain: str) -> None:
    assert plain_text(slack_text, bot_user_id="U0BOT", directory=load_directory()) == plain


def test_the_bots_own_mention_is_dropped_and_lines_are_kept() -> None:
    assert plain_text("<@U0BOT>   status of CS-1001", bot_user_id="U0BOT") == "status of CS-1001"
    pasted = "<@U0BOT> calls fail:\n```\n408  Request Timeout\n```"
    assert plain_text(pasted, bot_user_id="U0BOT") == "calls fail:\n```\n408  Request Timeout\n```"


def test_a_slack_dm_reaches_the_engine_and_the_nlu_as_plain_text(
    slack: Any, engine: Any, nlu: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    received: list[str] = []
    parsed: list[str] = []
    handle, parse = engine.handle, nlu.parse

    def recording_handle(inbound: Any) -> Any:
        received.append(inbound.text)
        return handle(inbound)

    def recording_parse(text: str, **options: Any) -> Any:
        parsed.append(text)
        return parse(text, **options)

    monkeypatch.setattr(engine, "handle", recording_handle)
    monkeypatch.setattr(nlu, "parse", recording_parse)

    slack.dm("U01AAA", f"<@{BOT_USER_ID}> <https://status.example.com|status page> is down :fire:")

    assert slack.posted(lambda call: call.get("channel") == "D01AAA")
    expected = "status page (https://status.example.com) is down"
    assert received == [expected]
    assert parsed and set(parsed) == {expected}  # read more than once
