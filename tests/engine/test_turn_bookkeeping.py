"""What one turn costs the store (issue 13): round trips on Redis, transactions on SQLite.

A turn's own bookkeeping is two steps (lock + de-duplication + load; write of what the turn
added + unlock); the actions of a turn (case creation, its reminder) write on their own.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

import pytest

from bot.engine.tracker import MAX_STORED_EVENTS
from bot.messages import Audience, Inbound, Outbound
from bot.store.redis_store import RedisStore
from bot.store.sqlite import SqliteStore
from tests.engine.conftest import FRIDAY_AFTERNOON_UTC, by_kind
from tests.support.intake import REPORT, conversation, engine_on, walk_to_summary
from tests.support.stores import redis_backend

MAX_ROUND_TRIPS_PER_TURN = 3
MAX_ROUND_TRIPS_PER_INTAKE = 15


@pytest.fixture
def redis_store(tmp_path: Path) -> Iterator[RedisStore]:
    with redis_backend(tmp_path) as opener:
        store = opener()
        assert isinstance(store, RedisStore)
        yield store
        store.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[SqliteStore]:
    with SqliteStore(tmp_path / "supportbot.sqlite3") as store:
        yield store


@pytest.fixture(params=["sqlite", "redis"])
def any_store(request: pytest.FixtureRequest) -> Any:
    return request.getfixturevalue(f"{request.param}_store")


def message(key: str, text: str, event_id: str | None) -> Inbound:
    return Inbound(
        sender_id="U01AAA",
        text=text,
        conversation_key=key,
        received_at=FRIDAY_AFTERNOON_UTC,
        channel="test",
        event_id=event_id,
    )


class CountedWrites:
    """Counts SQLite write transactions and whether each was durable (fsync'd)."""

    def __init__(self, store: SqliteStore, monkeypatch: pytest.MonkeyPatch) -> None:
        self.durable: list[bool] = []
        real: Callable[..., AbstractContextManager[Any]] = store._db.write

        def write(*, durable: bool = True) -> AbstractContextManager[Any]:
            self.durable.append(durable)
            return real(durable=durable)

        monkeypatch.setattr(store._db, "write", write)


def test_an_ordinary_turn_costs_two_redis_round_trips(redis_store: RedisStore) -> None:
    engine = engine_on(redis_store)
    engine.handle(message("D-rt", "hello", "Ev-warm"))
    before = redis_store.round_trips
    replies = engine.handle(message("D-rt", REPORT, "Ev-1"))
    assert "utter_ask_conversation_id" in [r.kind for r in replies]
    assert redis_store.round_trips - before == 2 <= MAX_ROUND_TRIPS_PER_TURN


def test_a_retried_delivery_costs_one_round_trip_and_changes_nothing(
    redis_store: RedisStore,
) -> None:
    engine = engine_on(redis_store)
    engine.handle(message("D-rt", REPORT, "Ev-1"))
    events = redis_store.trackers.load("D-rt")
    before = redis_store.round_trips
    assert engine.handle(message("D-rt", REPORT, "Ev-1")) == []
    assert redis_store.round_trips - before == 1
    assert redis_store.trackers.load("D-rt") == events


def test_a_complete_intake_stays_within_fifteen_round_trips(redis_store: RedisStore) -> None:
    engine = engine_on(redis_store)
    talk = conversation(engine, "D-intake")
    before = redis_store.round_trips
    walk_to_summary(talk)
    assert by_kind(talk.say("yes"), "case_created").case_number == "CS-1001"
    # 5 turns x (begin + finish), plus the case's own script and its response reminder.
    assert redis_store.round_trips - before == 12 <= MAX_ROUND_TRIPS_PER_INTAKE


def test_a_staff_reply_is_recorded_in_one_round_trip(redis_store: RedisStore) -> None:
    engine = engine_on(redis_store)
    engine.handle(message("D-rt", REPORT, "Ev-1"))
    before = redis_store.round_trips
    reply = Outbound(audience=Audience.REQUESTER, text="Support: we are on it", kind="reply")
    engine.append_bot_messages("D-rt", [reply])
    assert redis_store.round_trips - before == 1
    assert redis_store.trackers.load("D-rt")[-1]["text"] == "Support: we are on it"


def test_a_turn_is_two_write_transactions_neither_fsynced(
    sqlite_store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = engine_on(sqlite_store)
    engine.handle(message("D-tx", "hello", "Ev-warm"))
    writes = CountedWrites(sqlite_store, monkeypatch)
    engine.handle(message("D-tx", REPORT, "Ev-1"))
    assert writes.durable == [False, False]


def test_only_the_case_and_its_reminder_are_fsynced_in_the_creating_turn(
    sqlite_store: SqliteStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    talk = conversation(engine_on(sqlite_store), "D-tx")
    walk_to_summary(talk)
    writes = CountedWrites(sqlite_store, monkeypatch)
    assert by_kind(talk.say("yes"), "case_created").case_number == "CS-1001"
    assert writes.durable == [False, True, True, False]  # begin, case, reminder, finish


def test_a_turn_leaves_earlier_events_untouched(sqlite_store: SqliteStore) -> None:
    engine = engine_on(sqlite_store)
    engine.handle(message("D-rows", REPORT, "Ev-1"))

    def rows() -> list[tuple[int, int]]:
        with sqlite_store._db.read() as conn:
            return conn.execute(
                "SELECT rowid, position FROM tracker_events WHERE conversation_key = ?"
                " ORDER BY position",
                ("D-rows",),
            ).fetchall()

    first = rows()
    engine.handle(message("D-rows", "skip", "Ev-2"))
    assert rows()[: len(first)] == first  # same rows, not rewritten
    assert len(rows()) > len(first)


def test_a_long_conversation_is_compacted_when_stored(any_store: Any) -> None:
    old = [{"event": "slot", "name": "org_short_name", "value": "acme"}] + [
        {"event": "bot", "text": f"old message {n}", "timestamp": 1.0, "metadata": {}}
        for n in range(MAX_STORED_EVENTS)
    ]
    any_store.trackers.save("D-long", old)
    engine = engine_on(any_store)
    engine.handle(message("D-long", "hello", "Ev-1"))
    stored = any_store.trackers.load("D-long")
    assert len(stored) < len(old)
    assert {"event": "slot", "name": "org_short_name", "value": "acme"} in stored
    assert "old message 0" not in [e.get("text") for e in stored]
    engine.handle(message("D-long", "hello", "Ev-2"))  # later turns append to the compacted
    assert any_store.trackers.load("D-long")[: len(stored)] == stored


def test_a_failing_turn_releases_the_conversation(any_store: Any) -> None:
    engine = engine_on(any_store)

    class Broken:
        def parse(self, text: str) -> Any:
            raise RuntimeError("the parser broke")

    engine.nlu = Broken()
    assert [r.kind for r in engine.handle(message("D-fail", "hello", "Ev-1"))] == ["error"]
    assert any_store.trackers.load("D-fail") == []
    engine.nlu = engine_on(any_store).nlu
    replies = engine.handle(message("D-fail", REPORT, "Ev-2"))
    assert "busy" not in [r.kind for r in replies]
