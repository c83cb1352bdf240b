"""The terminal chat hands the engine plain text as typed: no Slack rules apply there."""

from __future__ import annotations

import io
from typing import Any

import pytest

from bot.chat.terminal import TerminalChat, typed_text
from bot.engine import Engine

TYPED = "the wallboard is blank again :fire: <b>since 9</b> &amp; nobody sees <@U123> stats"


def test_a_typed_line_is_only_trimmed() -> None:
    assert typed_text(f"  {TYPED}\n") == TYPED


def test_slack_syntax_typed_in_the_terminal_reaches_the_nlu_as_typed(
    engine: Engine, nlu_service: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    received: list[str] = []
    parsed: list[str] = []
    handle, parse = engine.handle, nlu_service.parse

    def recording_handle(inbound: Any) -> Any:
        received.append(inbound.text)
        return handle(inbound)

    def recording_parse(text: str, **options: Any) -> Any:
        parsed.append(text)
        return parse(text, **options)

    monkeypatch.setattr(engine, "handle", recording_handle)
    monkeypatch.setattr(nlu_service, "parse", recording_parse)
    chat = TerminalChat(engine, sender_id="U01AAA", clock=engine.clock, out=io.StringIO())

    chat.run([f"  {TYPED}\n"], echo=False)

    assert received == [TYPED]
    assert parsed and set(parsed) == {TYPED}  # read more than once
    result = parse(TYPED)
    assert result.text == TYPED  # offsets point into what was typed, ":fire:" included
    for entity in result.entities:
        assert 0 <= entity.start <= entity.end <= len(TYPED)
