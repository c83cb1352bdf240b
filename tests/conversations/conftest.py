"""End-to-end conversations: the real NLU, a temporary SQLite store, the sample directory.

Every test talks through `Engine.handle`, the same entry the terminal chat and the Slack
adapter use. The NLU is the run's trained service (`nlu_service`, tests/conftest.py), built
once per test session; tests that start `supportbot` link it into their data dir with
`tests.support.nlu.reuse_trained_nlu`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.directory import load_directory
from bot.engine import Engine
from bot.messages import Audience, Inbound, Outbound
from bot.store.factory import open_store


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    directory = tmp_path / "data"
    monkeypatch.setenv("SUPPORTBOT_DATA_DIR", str(directory))
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("SUPPORTBOT_CONTACTS", raising=False)
    return directory


@pytest.fixture
def store(data_dir: Path) -> Iterator[Any]:
    opened = open_store(data_dir=data_dir)
    yield opened
    opened.close()


@pytest.fixture
def engine(store: Any, nlu_service: Any) -> Engine:
    return Engine(store=store, directory=load_directory(), nlu=nlu_service)


class Person:
    """One person in one conversation, as a chat surface would send their messages."""

    def __init__(self, engine: Engine, slack_id: str, key: str) -> None:
        self.engine = engine
        self.slack_id = slack_id
        self.key = key

    def say(self, text: str) -> list[Outbound]:
        return self.engine.handle(
            Inbound(
                sender_id=self.slack_id,
                text=text,
                conversation_key=self.key,
                received_at=self.engine.clock(),
                channel="test",
            )
        )

    def press(self, outbound: Outbound, label: str) -> list[Outbound]:
        """Press the button labelled `label` on a message the assistant sent."""
        button = next(b for b in outbound.buttons if b.label == label)
        return self.engine.handle(
            Inbound(
                sender_id=self.slack_id,
                text=button.label,
                conversation_key=self.key,
                received_at=self.engine.clock(),
                channel="test",
                action=button.action_id,
                action_value=button.value,
            )
        )


@pytest.fixture
def person(engine: Engine):  # type: ignore[no-untyped-def]
    def make(slack_id: str, key: str | None = None) -> Person:
        return Person(engine, slack_id, key or f"D-{slack_id}")

    return make


def kinds(replies: list[Outbound]) -> list[str]:
    return [r.kind for r in replies]


def one(replies: list[Outbound], kind: str) -> Outbound:
    found = [r for r in replies if r.kind == kind]
    assert len(found) == 1, f"expected one {kind!r} in {kinds(replies)}: {texts(replies)}"
    return found[0]


def texts(replies: list[Outbound]) -> str:
    return "\n".join(f"[{r.audience}/{r.kind}] {r.text}" for r in replies)


def to(replies: list[Outbound], audience: Audience) -> list[Outbound]:
    return [r for r in replies if r.audience is audience]
