"""One log line per Slack event's work, naming its conversation and duration, as JSON lines or
text; neither the message text nor a secret is ever in the logs.

A real DM goes through the Bolt app (signed request, fair pool, engine, NLU, fake Web API)
with logging configured as `supportbot --log-format json|text` does it.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from slack_bolt import App

from bot.cli.main import PAYLOAD_LOGGERS, configure_logging
from bot.logs import EVENTS_LOGGER
from bot.slack.listeners import guarded
from tests.slack.conftest import BOT_TOKEN, REPORT, SIGNING_SECRET, SlackDriver

USER = "U01AAA"
DM = "D01AAA"  # the DM's conversation key


@pytest.fixture
def logs() -> Iterator[Callable[..., io.StringIO]]:
    """Configures logging into a buffer (as `main` would, to stderr); restored afterwards."""
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    names = (*PAYLOAD_LOGGERS, EVENTS_LOGGER)
    levels = {name: logging.getLogger(name).level for name in names}

    def configure(fmt: str = "json", *, verbose: bool = False, payloads: bool = False):
        stream = io.StringIO()
        configure_logging(verbose=verbose, payloads=payloads, fmt=fmt, stream=stream)
        return stream

    yield configure
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def send_dm(app: App, slack: SlackDriver, text: str = REPORT) -> None:
    assert slack.dm(USER, text).status == 200
    assert app.listener_pool.drain(timeout=60)  # type: ignore[attr-defined]


def json_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def event_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [line for line in json_lines(stream) if line["logger"] == EVENTS_LOGGER]


def test_a_dm_logs_one_line_with_its_conversation_and_duration(
    app: App, slack: SlackDriver, logs: Callable[..., io.StringIO]
) -> None:
    stream = logs("json")
    send_dm(app, slack)
    (line,) = event_lines(stream)
    assert (line["level"], line["event"], line["outcome"], line["conversation"]) == (
        "INFO",
        "message",
        "ok",
        DM,
    )
    assert line["duration_ms"] > 0 and line["queued_ms"] >= 0


def test_the_dm_text_is_not_in_the_logs_of_a_full_turn_even_with_verbose(
    app: App, slack: SlackDriver, logs: Callable[..., io.StringIO]
) -> None:
    stream = logs("json", verbose=True)
    send_dm(app, slack)
    logged = stream.getvalue()
    assert slack.fake.calls_to("chat.postMessage"), "the turn answered"
    assert len(logged.splitlines()) > 1, "-v logged the turn's debug lines"
    assert REPORT not in logged
    for clause in REPORT.split(", "):  # nor any part of it
        assert clause not in logged


def test_the_bot_token_and_signing_secret_are_not_in_the_logs_even_with_payloads(
    app: App,
    slack: SlackDriver,
    logs: Callable[..., io.StringIO],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)  # as under `supportbot serve`
    stream = logs("json", verbose=True, payloads=True)  # slack_sdk dumps its requests
    send_dm(app, slack)
    logged = stream.getvalue()
    assert "slack_sdk.web.base_client" in logged, "the request dumps were logged"
    assert BOT_TOKEN not in logged
    assert SIGNING_SECRET not in logged


def test_text_lines_carry_the_same_references(
    app: App, slack: SlackDriver, logs: Callable[..., io.StringIO]
) -> None:
    stream = logs("text")
    send_dm(app, slack)
    (line,) = [x for x in stream.getvalue().splitlines() if x.startswith(f"INFO {EVENTS_LOGGER}:")]
    assert line.startswith(f"INFO {EVENTS_LOGGER}: message ok event=message outcome=ok ")
    assert f" conversation={DM} " in line and " duration_ms=" in line


def test_records_inside_the_work_name_its_conversation(
    app: App, slack: SlackDriver, logs: Callable[..., io.StringIO], monkeypatch: pytest.MonkeyPatch
) -> None:
    def message(**_: Any) -> None:
        logging.getLogger("bot.engine.engine").warning("store unavailable during a turn")

    monkeypatch.setattr(app.flows, "message", message)  # type: ignore[attr-defined]
    stream = logs("json")
    send_dm(app, slack)
    (warning,) = [line for line in json_lines(stream) if line["logger"] == "bot.engine.engine"]
    assert (warning["conversation"], warning["event"]) == (DM, "message")


def test_a_failed_event_logs_an_error_with_the_exception_type_not_the_text(
    app: App, slack: SlackDriver, logs: Callable[..., io.StringIO], monkeypatch: pytest.MonkeyPatch
) -> None:
    def message(*, event: dict[str, Any], **_: Any) -> None:
        raise RuntimeError(f"could not handle {event['text']!r}")

    monkeypatch.setattr(app.flows, "message", message)  # type: ignore[attr-defined]
    stream = logs("json")
    send_dm(app, slack)
    (line,) = event_lines(stream)
    assert (line["level"], line["outcome"], line["exc_type"], line["conversation"]) == (
        "ERROR",
        "failed",
        "RuntimeError",
        DM,
    )
    assert "duration_ms" in line
    assert REPORT not in stream.getvalue()


def test_work_on_a_case_names_the_case(logs: Callable[..., io.StringIO]) -> None:
    stream = logs("json")
    guarded(lambda: None, what="staff button", reference="case:CS-1001")
    (line,) = event_lines(stream)
    assert (line["case"], line["event"], line["outcome"]) == ("CS-1001", "staff button", "ok")
    assert "conversation" not in line


def test_a_turn_about_a_case_names_the_case_on_its_line(
    app: App, slack: SlackDriver, store: Any, logs: Callable[..., io.StringIO]
) -> None:
    from tests.slack.test_app_home_pages import add_cases

    add_cases(store, 1)
    stream = logs("json")
    send_dm(app, slack, "status of CS-1001")
    (line,) = event_lines(stream)
    assert (line["conversation"], line["case"]) == (DM, "CS-1001")
