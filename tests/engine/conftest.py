"""Engine tests: real store, real directory, real rasa-sdk executor; scripted parse results.

The NLU has its own tests; here each message's parse result is written by hand so a test
states exactly what was understood and checks what the engine does with it. The scripted NLU
and the conversation driver live in tests/support/engine.py (the fault tests and bench/ use
them too); they are re-exported here under their old names.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.directory import load_directory
from bot.engine import Engine
from bot.store.factory import open_store
from tests.support.engine import (
    FRIDAY_AFTERNOON_UTC,
    Clock,
    Conversation,
    Parse,
    ScriptedNlu,
    by_kind,
    texts,
)

__all__ = [
    "FRIDAY_AFTERNOON_UTC",
    "Clock",
    "Conversation",
    "Parse",
    "ScriptedNlu",
    "by_kind",
    "texts",
]


@pytest.fixture
def nlu() -> ScriptedNlu:
    return ScriptedNlu()


@pytest.fixture
def clock() -> Clock:
    return Clock(FRIDAY_AFTERNOON_UTC)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[object]:
    opened = open_store(data_dir=data_dir)
    yield opened
    opened.close()


@pytest.fixture
def engine(store: object, nlu: ScriptedNlu, clock: Clock) -> Engine:
    return Engine(store=store, directory=load_directory(), nlu=nlu, clock=clock)


@pytest.fixture
def talk(engine: Engine, clock: Clock):  # type: ignore[no-untyped-def]
    def start(sender_id: str, key: str = "D-test") -> Conversation:
        return Conversation(engine, sender_id, key, clock)

    return start
