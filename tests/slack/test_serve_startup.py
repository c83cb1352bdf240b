"""`supportbot serve` starts without a misleading warning, and says where it serves at INFO."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import App

from bot.cli.cmd_serve import STARTUP_LOGGER, show_startup_lines
from bot.cli.main import configure_logging
from bot.directory import load_directory
from bot.engine import Engine
from bot.slack import SlackSettings, create_app
from bot.slack.bolt_client import CLIENT_OVER_TOKEN, client_over_token_unsaid
from tests.slack.conftest import BOT_TOKEN, WEDNESDAY_MORNING_CHICAGO


class _NoNlu:
    """Nothing is said to this app: building it needs no NLU."""


@pytest.fixture
def engine(store: Any) -> Engine:
    return Engine(
        store=store,
        directory=load_directory(),
        nlu=_NoNlu(),  # type: ignore[arg-type]
        clock=lambda: WEDNESDAY_MORNING_CHICAGO,
    )


@pytest.fixture
def restored_logging() -> Iterator[None]:
    root = logging.getLogger()
    startup = logging.getLogger(STARTUP_LOGGER)
    saved = (root.level, list(root.handlers), startup.level)
    yield
    root.setLevel(saved[0])
    root.handlers[:] = saved[1]
    startup.setLevel(saved[2])


def test_the_app_is_built_without_the_client_over_token_warning(
    engine: Engine,
    store: Any,
    settings: SlackSettings,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)  # as under `supportbot serve`
    with caplog.at_level(logging.WARNING, logger="slack_bolt"):
        app = create_app(engine=engine, store=store, directory=engine.directory, settings=settings)
    try:
        assert app.client.token == BOT_TOKEN
        assert CLIENT_OVER_TOKEN not in caplog.messages
    finally:
        app.listener_pool.shutdown(wait=True)  # type: ignore[attr-defined]


def test_only_that_warning_is_dropped_and_only_while_the_app_is_built(
    caplog: pytest.LogCaptureFixture,
) -> None:
    bolt = logging.getLogger(f"slack_bolt.{App.__name__}")
    with caplog.at_level(logging.WARNING, logger="slack_bolt"):
        with client_over_token_unsaid():
            bolt.warning(CLIENT_OVER_TOKEN)
            bolt.warning("something else")
        bolt.warning(CLIENT_OVER_TOKEN)
    assert caplog.messages == ["something else", CLIENT_OVER_TOKEN]


@pytest.mark.usefixtures("restored_logging")
def test_the_startup_line_is_info_yet_shown_without_verbose() -> None:
    configure_logging(verbose=False, payloads=False)
    startup = logging.getLogger(STARTUP_LOGGER)
    assert not startup.isEnabledFor(logging.INFO)
    show_startup_lines()
    assert startup.isEnabledFor(logging.INFO)
    assert not logging.getLogger("bot.slack.flows").isEnabledFor(logging.INFO)


@pytest.mark.usefixtures("restored_logging")
def test_verbose_still_shows_the_serve_debug_lines() -> None:
    configure_logging(verbose=True, payloads=False)
    show_startup_lines()
    assert logging.getLogger(STARTUP_LOGGER).isEnabledFor(logging.DEBUG)
