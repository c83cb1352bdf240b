"""Slack adapter tests: the real Bolt app on signed requests, against a fake Slack Web API.

Everything is real except Slack's servers: the Bolt app with its request verification, the
engine with the rasa-sdk executor, the trained spaCy NLU (built once per test run, see
tests/conftest.py), the SQLite store in a temp directory and the sample directory.

The driver, the fake Web API and the scenario helpers live in tests/support/ (the fault tests
and bench/ use them too); they are re-exported here under their old names.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_bolt import App

from bot.directory import load_directory
from bot.engine import Engine
from bot.slack import SlackSettings, create_app
from bot.store.factory import open_store
from tests.support.fake_slack.server import FakeSlack
from tests.support.slack import (
    BOT_TOKEN,
    CRITICAL,
    IMPACT,
    REPORT,
    SIGNING_SECRET,
    STAFF_CHANNEL,
    WEDNESDAY_MORNING_CHICAGO,
    Clock,
    SlackDriver,
    button_labels,
    confirm_report,
    ephemeral_to,
    last_post,
    open_case,
    sign,
    staff_cards,
    text_of,
)

__all__ = [
    "BOT_TOKEN",
    "CRITICAL",
    "IMPACT",
    "REPORT",
    "SIGNING_SECRET",
    "STAFF_CHANNEL",
    "WEDNESDAY_MORNING_CHICAGO",
    "Clock",
    "SlackDriver",
    "button_labels",
    "confirm_report",
    "ephemeral_to",
    "last_post",
    "open_case",
    "sign",
    "staff_cards",
    "text_of",
]


@pytest.fixture
def nlu(nlu_service: Any, nlu_env: Path) -> Any:
    """The run's trained NLU; `SUPPORTBOT_DATA_DIR` points at it while the test runs, so code
    that loads the NLU itself (`main(["serve", ...])`) reads it and not the user's data dir."""
    return nlu_service


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    with FakeSlack() as slack:
        yield slack


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Any]:
    opened = open_store(data_dir=tmp_path / "data")
    yield opened
    opened.close()


@pytest.fixture
def clock() -> Clock:
    return Clock(WEDNESDAY_MORNING_CHICAGO)


@pytest.fixture
def engine(store: Any, nlu: Any, clock: Clock) -> Engine:
    return Engine(store=store, directory=load_directory(), nlu=nlu, clock=clock)


@pytest.fixture
def settings(fake_slack: FakeSlack) -> SlackSettings:
    return SlackSettings(bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake_slack.url)


@pytest.fixture
def app(engine: Engine, store: Any, settings: SlackSettings) -> Iterator[App]:
    created = create_app(engine=engine, store=store, directory=engine.directory, settings=settings)
    yield created
    created.listener_pool.shutdown(wait=True)  # finish in-flight work before the fake stops


@pytest.fixture
def slack(app: App, fake_slack: FakeSlack) -> SlackDriver:
    return SlackDriver(app, fake_slack)
