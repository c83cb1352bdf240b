"""Redis conversations beyond the contract: list storage, old-format trackers, round trips."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import redis

from bot.store.base import turn_lock_key
from bot.store.redis_admin import delete_namespace, unique_namespace
from bot.store.redis_store import RedisStore
from tests.store.conftest import REDIS_TEST_URL

USER_SAID = {"event": "user", "text": "our agents can't log in", "timestamp": 1763478001.000123}
BOT_SAID = {"event": "bot", "text": "Is there a workaround? 👋", "metadata": {}}


@pytest.fixture
def namespace() -> Iterator[str]:
    name = unique_namespace()
    yield name
    delete_namespace(REDIS_TEST_URL, name)


@pytest.fixture
def store(namespace: str) -> Iterator[RedisStore]:
    with RedisStore(REDIS_TEST_URL, namespace=namespace, tracker_ttl_seconds=3600) as opened:
        yield opened


@pytest.fixture
def raw() -> Iterator[redis.Redis]:
    client = redis.Redis.from_url(REDIS_TEST_URL, decode_responses=True)
    yield client
    client.close()


def begin(store: RedisStore, key: str, event_id: str | None = None) -> Any:
    return store.turns.begin(
        key, event_id=event_id, lock_ttl_seconds=30, wait_seconds=0, dedup_ttl_seconds=60
    )


def write_old_format(raw: redis.Redis, namespace: str, key: str, events: list[Any]) -> str:
    """A tracker as code before the list format stored it: one JSON array string."""
    name = f"supportbot:{namespace}:tracker:{key}"
    raw.set(name, json.dumps(events, separators=(",", ":")), px=60_000)
    return name


def test_a_conversation_is_a_list_with_one_event_per_entry_and_a_ttl(
    store: RedisStore, raw: redis.Redis, namespace: str
) -> None:
    store.trackers.append("D1", [USER_SAID, BOT_SAID])
    name = f"supportbot:{namespace}:tracker:D1"
    assert raw.type(name) == "list"
    assert [json.loads(item) for item in raw.lrange(name, 0, -1)] == [USER_SAID, BOT_SAID]
    assert 3_590_000 < raw.pttl(name) <= 3_600_000


def test_an_old_format_tracker_is_read_and_a_turn_rewrites_it_as_a_list(
    store: RedisStore, raw: redis.Redis, namespace: str
) -> None:
    name = write_old_format(raw, namespace, "D-old", [USER_SAID])
    assert store.trackers.load("D-old") == [USER_SAID]
    turn = begin(store, "D-old", "Ev1")
    assert turn.events == [USER_SAID] and turn.rewrite
    store.turns.finish(turn, added=[BOT_SAID])
    assert raw.type(name) == "list"
    assert store.trackers.load("D-old") == [USER_SAID, BOT_SAID]


def test_appending_to_an_old_format_tracker_converts_it(
    store: RedisStore, raw: redis.Redis, namespace: str
) -> None:
    name = write_old_format(raw, namespace, "D-old", [USER_SAID])
    store.trackers.append("D-old", [BOT_SAID])
    assert raw.type(name) == "list"
    assert store.trackers.load("D-old") == [USER_SAID, BOT_SAID]
    write_old_format(raw, namespace, "D-old2", [USER_SAID])
    store.turns.append("D-old2", [BOT_SAID])  # staff replies outside a turn
    assert store.trackers.load("D-old2") == [USER_SAID, BOT_SAID]


def test_saving_over_an_old_format_tracker_replaces_it(
    store: RedisStore, raw: redis.Redis, namespace: str
) -> None:
    name = write_old_format(raw, namespace, "D-old", [USER_SAID])
    store.trackers.save("D-old", [BOT_SAID])
    assert raw.type(name) == "list" and store.trackers.load("D-old") == [BOT_SAID]
    store.trackers.save("D-old", [])
    assert raw.exists(name) == 0


def test_a_long_conversation_is_pushed_in_chunks(store: RedisStore) -> None:
    events = [{"event": "slot", "name": "n", "value": n} for n in range(2500)]
    store.trackers.save("D-long", events)  # Lua's unpack is limited to a few thousand values
    assert store.trackers.load("D-long") == events


def test_each_step_of_a_turn_is_one_round_trip(store: RedisStore) -> None:
    store.trackers.append("D1", [USER_SAID])
    before = store.round_trips
    turn = begin(store, "D1", "Ev1")
    assert store.round_trips - before == 1
    store.turns.finish(turn, added=[BOT_SAID])
    assert store.round_trips - before == 2
    assert begin(store, "D1", "Ev1") is None  # a retried delivery
    assert store.round_trips - before == 3
    store.turns.append("D1", [BOT_SAID])
    assert store.round_trips - before == 4


def test_finish_sends_only_the_events_the_turn_added(
    store: RedisStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.trackers.save("D1", [USER_SAID] * 100)
    turn = begin(store, "D1", "Ev1")
    sent: list[list[Any]] = []
    real = store.turns._finish

    def spy(*, keys: list[str], args: list[Any], client: Any) -> Any:
        sent.append(args)
        return real(keys=keys, args=args, client=client)

    monkeypatch.setattr(store.turns, "_finish", spy)
    store.turns.finish(turn, added=[BOT_SAID])
    [args] = sent
    assert args[3:] == [json.dumps(BOT_SAID, ensure_ascii=False, separators=(",", ":"))]
    assert len(store.trackers.load("D1")) == 101


def test_a_turn_token_left_by_a_timed_out_request_is_reused(
    store: RedisStore, raw: redis.Redis, namespace: str
) -> None:
    """A BEGIN that timed out may have taken the lock (and the event id) with its token."""
    name = turn_lock_key("D1")
    late = "token-of-a-request-that-timed-out"
    raw.set(f"supportbot:{namespace}:lock:{name}", late, px=60_000)
    raw.set(f"supportbot:{namespace}:seen:Ev1", late, px=60_000)
    store.locks._remember_orphan(name, late)
    turn = begin(store, "D1", "Ev1")  # its own late request is neither busy nor a duplicate
    assert turn is not None and turn.lock.token == late
    store.turns.finish(turn, added=[USER_SAID])
    assert raw.exists(f"supportbot:{namespace}:lock:{name}") == 0
