"""-v shows our own debug lines, never the libraries' request dumps with message texts; lines
come as text or JSON lines, name their unit of work, and never show a secret."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest

from bot.cli import main as cli_main
from bot.cli.cmd_serve import STARTUP_LOGGER, show_startup_lines
from bot.cli.main import PAYLOAD_LOGGERS, build_parser, configure_logging
from bot.logs import EVENTS_LOGGER, FORMAT_ENV, log_context, note_case, work_context

BOT_TOKEN = "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"
SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
SAID = "our payroll export lost every row since Monday"  # stands for what someone wrote


@pytest.fixture(autouse=True)
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    saved = (root.level, list(root.handlers))
    names = (*PAYLOAD_LOGGERS, EVENTS_LOGGER, STARTUP_LOGGER)
    levels = {name: logging.getLogger(name).level for name in names}
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def capture(fmt: str = "text", *, verbose: bool = False) -> io.StringIO:
    stream = io.StringIO()
    configure_logging(verbose=verbose, payloads=False, fmt=fmt, stream=stream)
    return stream


def json_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def raise_quoting_the_message() -> None:
    raise ValueError(f"could not read {SAID!r}")


def test_verbose_logs_our_debug_lines() -> None:
    configure_logging(verbose=True, payloads=False)
    assert logging.getLogger("bot.engine").isEnabledFor(logging.DEBUG)


def test_verbose_keeps_slacks_request_dumps_out_of_the_log() -> None:
    configure_logging(verbose=True, payloads=False)
    assert not logging.getLogger("slack_sdk.web.base_client").isEnabledFor(logging.DEBUG)
    assert not logging.getLogger("slack_bolt.App").isEnabledFor(logging.DEBUG)


def test_the_payload_option_lets_the_request_dumps_in() -> None:
    configure_logging(verbose=True, payloads=True)
    assert logging.getLogger("slack_sdk.web.base_client").isEnabledFor(logging.DEBUG)


def test_the_line_per_event_is_shown_without_verbose() -> None:
    configure_logging(verbose=False, payloads=False)
    assert logging.getLogger(EVENTS_LOGGER).isEnabledFor(logging.INFO)
    assert not logging.getLogger("bot.slack.flows").isEnabledFor(logging.INFO)


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_the_serve_startup_lines_still_show(fmt: str) -> None:
    stream = capture(fmt)
    show_startup_lines()
    logging.getLogger(STARTUP_LOGGER).info("connected to Slack in Socket Mode")
    assert "connected to Slack in Socket Mode" in stream.getvalue()


def test_text_lines_are_level_logger_message_then_fields() -> None:
    stream = capture("text")
    with log_context(conversation="D01AAA", event="message"):
        logging.getLogger("bot.engine.engine").warning("store unavailable")
    assert stream.getvalue() == (
        "WARNING bot.engine.engine: store unavailable event=message conversation=D01AAA\n"
    )


def test_json_lines_are_one_object_per_record() -> None:
    stream = capture("json")
    logging.getLogger("bot.engine.engine").warning("first")
    logging.getLogger("bot.slack.flows").error("second\nwith a line break")
    first, second = json_lines(stream)
    assert {k: first[k] for k in ("level", "logger", "message")} == {
        "level": "WARNING",
        "logger": "bot.engine.engine",
        "message": "first",
    }
    assert second["message"] == "second\nwith a line break"
    assert first["ts"].endswith("Z")


def test_records_name_the_conversation_and_case_of_their_unit_of_work() -> None:
    stream = capture("json")
    with work_context("C0GENERAL:1763478001.000100", event="app_mention"):
        note_case("CS-1001")
        logging.getLogger("bot.slack.delivery").warning("Slack refused a message")
    (line,) = json_lines(stream)
    assert (line["conversation"], line["case"], line["event"]) == (
        "C0GENERAL:1763478001.000100",
        "CS-1001",
        "app_mention",
    )


def test_a_case_key_names_the_case_not_a_conversation() -> None:
    stream = capture("json")
    with work_context("case:CS-1002", event="staff button"):
        logging.getLogger("bot.slack.delivery").warning("could not update the card")
    (line,) = json_lines(stream)
    assert line["case"] == "CS-1002" and "conversation" not in line


def test_the_references_end_with_their_unit_of_work() -> None:
    stream = capture("json")
    with work_context("D01AAA", event="message"):
        note_case("CS-1001")
    logging.getLogger("bot.slack.outbox").warning("outside any work")
    (line,) = json_lines(stream)
    assert not {"conversation", "case", "event"} & set(line)


@pytest.mark.parametrize(
    "token",
    [
        BOT_TOKEN,
        "xoxp-2222222222-333333333333-444444444444-5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f5f",
        "xapp-1-A0SUPPORT-5555555555-6a6a6a6a6a6a6a6a6a6a6a6a6a6a6a6a6a6a6a6a6a6a",
        "xoxe.xoxp-1-Mi0yLTQ0NDQ0NDQ0NDQtMTIzNDU2Nzg5MA",
        "xoxe-1-My0xLTEyMzQ1Njc4OTAtMTIzNDU2Nzg5MA",
    ],
)
def test_slack_tokens_are_masked(token: str) -> None:
    stream = capture("text")
    logging.getLogger("slack_sdk.web.base_client").warning("headers: %s", {"Authorization": token})
    assert token not in stream.getvalue()
    assert "***" in stream.getvalue()


def test_the_signing_secret_is_masked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SLACK_SIGNING_SECRET", SIGNING_SECRET)
    stream = capture("json")
    logging.getLogger("bot.slack.http_server").warning("secret %s", SIGNING_SECRET)
    assert SIGNING_SECRET not in stream.getvalue()


def test_a_redis_url_password_is_masked() -> None:
    stream = capture("text")
    logging.getLogger("bot.store").warning(
        "connecting to %s", "rediss://app:s3cr3t-pw@cache:6380/2"
    )
    assert "s3cr3t-pw" not in stream.getvalue()
    assert "rediss://app:***@cache:6380/2" in stream.getvalue()


def test_the_redis_password_is_masked_even_outside_its_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REDIS_URL", "redis://:hunter2-redis-pw@cache:6379/0")
    stream = capture("text")
    logging.getLogger("redis").warning("AUTH %s", "hunter2-redis-pw")
    assert "hunter2-redis-pw" not in stream.getvalue()


def test_an_error_shows_its_type_and_stack_but_not_its_message() -> None:
    stream = capture("text")
    try:
        raise_quoting_the_message()
    except ValueError:
        logging.getLogger("bot.slack.events").error("message failed: ValueError", exc_info=True)
    shown = stream.getvalue()
    assert "in raise_quoting_the_message" in shown and shown.rstrip().endswith("ValueError")
    assert SAID not in shown


def test_a_json_error_names_its_type_and_frames_but_not_its_message() -> None:
    stream = capture("json")
    try:
        raise_quoting_the_message()
    except ValueError:
        logging.getLogger("bot.slack.events").error("message failed", exc_info=True)
    (line,) = json_lines(stream)
    assert line["exc_type"] == "ValueError"
    assert any(frame.endswith("in raise_quoting_the_message") for frame in line["stack"])
    assert SAID not in stream.getvalue()


def test_reconfiguring_replaces_our_handler() -> None:
    capture("text")
    stream = capture("json")
    ours = [h for h in logging.getLogger().handlers if getattr(h, "supportbot", False)]
    assert len(ours) == 1
    logging.getLogger("bot.x").warning("once")
    assert len(stream.getvalue().splitlines()) == 1


def test_the_log_format_defaults_to_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(FORMAT_ENV, raising=False)
    assert build_parser().parse_args(["policy"]).log_format == "text"


def test_the_log_format_default_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(FORMAT_ENV, "json")
    assert build_parser().parse_args(["policy"]).log_format == "json"


def test_the_option_wins_over_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(FORMAT_ENV, "json")
    assert build_parser().parse_args(["--log-format", "text", "policy"]).log_format == "text"


def test_main_configures_the_chosen_format(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: dict[str, Any] = {}
    monkeypatch.setattr(cli_main, "configure_logging", lambda **kwargs: seen.update(kwargs))
    cli_main.main(["--log-format", "json"])  # no command: prints the help
    assert seen == {"verbose": False, "payloads": False, "fmt": "json"}


def test_an_unknown_format_in_the_environment_is_a_usage_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(FORMAT_ENV, "xml")
    with pytest.raises(SystemExit) as exit_:
        cli_main.main(["policy"])
    assert exit_.value.code == 2
    assert f"{FORMAT_ENV} must be one of text, json, got 'xml'" in capsys.readouterr().err
