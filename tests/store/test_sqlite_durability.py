"""The embedded store's durability setting: WAL; cases fsync'd, bookkeeping not (issue 13)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from bot.store.sqlite import SqliteStore
from bot.store.sqlite_connection import BUSY_TIMEOUT_SECONDS
from tests.store.conftest import NOW, make_draft

FULL, NORMAL = 2, 1  # PRAGMA synchronous values


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteStore]:
    with SqliteStore(tmp_path / "supportbot.sqlite3") as opened:
        yield opened


@pytest.fixture
def durable_flags(store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """The `durable` flag of every write transaction from now on."""
    flags: list[bool] = []
    real: Callable[..., AbstractContextManager[Any]] = store._db.write

    def write(*, durable: bool = True) -> AbstractContextManager[Any]:
        flags.append(durable)
        return real(durable=durable)

    monkeypatch.setattr(store._db, "write", write)
    return flags


def test_the_file_is_in_wal_mode_and_writes_are_full_unless_bookkeeping(
    store: SqliteStore,
) -> None:
    with store._db.read() as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    for durable, expected in ((False, NORMAL), (True, FULL), (False, NORMAL), (True, FULL)):
        with store._db.write(durable=durable) as conn:
            assert conn.execute("PRAGMA synchronous").fetchone()[0] == expected
    with store._db.write() as conn:
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == FULL


def test_reads_wait_for_a_busy_file_again_after_a_polling_write(store: SqliteStore) -> None:
    with store._db.write(durable=False):
        pass
    with store._db.read() as conn:
        assert conn.execute("PRAGMA busy_timeout").fetchone()[0] == BUSY_TIMEOUT_SECONDS * 1000


def test_conversations_ids_and_locks_are_bookkeeping(
    store: SqliteStore, durable_flags: list[bool]
) -> None:
    store.trackers.append("D1", [{"event": "user", "text": "hi"}])
    store.trackers.save("D1", [{"event": "user", "text": "hi"}])
    store.dedup.first_time("Ev1", ttl_seconds=60)
    lock = store.locks.acquire("conversation:D2", ttl_seconds=30)
    assert lock is not None
    store.locks.release(lock)
    turn = store.turns.begin(
        "D1", event_id="Ev2", lock_ttl_seconds=30, wait_seconds=0, dedup_ttl_seconds=60
    )
    assert turn is not None
    store.turns.finish(turn, added=[{"event": "bot", "text": "hello"}])
    store.turns.append("D1", [{"event": "bot", "text": "support wrote"}])
    assert durable_flags == [False] * 8


def test_a_case_and_its_timer_are_fsynced(store: SqliteStore, durable_flags: list[bool]) -> None:
    store.cases.create_case(make_draft(), idempotency_key="k", actor_id="U01AAA", now=NOW)
    store.timers.schedule("remind", due_at=NOW, payload={})
    assert durable_flags == [True, True]
