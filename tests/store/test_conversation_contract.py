"""Contract of TrackerStore and EventDeduplicator."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.store.base import Store
from bot.store.errors import InvalidInput
from tests.store.conftest import StoreOpener

USER_SAID = {"event": "user", "text": "our agents can't log in", "timestamp": 1.5}
BOT_SAID = {"event": "bot", "text": "Is there a workaround?", "metadata": {"ts": "1700.01"}}
SLOT = {"event": "slot", "name": "severity", "value": 2}


def test_unknown_conversation_has_no_events(store: Store) -> None:
    assert store.trackers.load("D123:1700000000.0001") == []


def test_appended_events_come_back_in_order(store: Store) -> None:
    key = "D123:1700000000.0001"
    store.trackers.append(key, [USER_SAID])
    store.trackers.append(key, [BOT_SAID, SLOT])
    assert store.trackers.load(key) == [USER_SAID, BOT_SAID, SLOT]


def test_save_replaces_and_delete_forgets(store: Store) -> None:
    key = "C9:1.2"
    store.trackers.append(key, [USER_SAID, BOT_SAID])
    store.trackers.save(key, [SLOT])
    assert store.trackers.load(key) == [SLOT]
    store.trackers.delete(key)
    assert store.trackers.load(key) == []
    store.trackers.delete(key)  # deleting twice is fine


def test_conversations_do_not_mix(store: Store) -> None:
    store.trackers.append("D1:1", [USER_SAID])
    store.trackers.append("D2:1", [BOT_SAID])
    assert store.trackers.load("D1:1") == [USER_SAID]
    assert store.trackers.load("D2:1") == [BOT_SAID]


def test_conversation_survives_reopening(open_store_again: StoreOpener) -> None:
    first = open_store_again()
    first.trackers.append("D1:1", [USER_SAID, {"event": "user", "text": "Grüße 👋"}])
    first.close()
    assert open_store_again().trackers.load("D1:1")[1]["text"] == "Grüße 👋"


def test_concurrent_appends_keep_every_event(open_store_again: StoreOpener) -> None:
    clients = [open_store_again() for _ in range(4)]

    def talk(index: int) -> None:
        for turn in range(10):
            clients[index].trackers.append("D1:1", [{"event": "user", "text": f"{index}-{turn}"}])

    with ThreadPoolExecutor(len(clients)) as pool:
        list(pool.map(talk, range(len(clients))))
    texts = [e["text"] for e in clients[0].trackers.load("D1:1")]
    assert sorted(texts) == sorted(f"{i}-{t}" for i in range(4) for t in range(10))
    for index in range(4):  # each speaker's turns stay in order
        own = [t for t in texts if t.startswith(f"{index}-")]
        assert own == [f"{index}-{t}" for t in range(10)]


def test_events_that_are_not_plain_data_are_refused_whole(store: Store) -> None:
    store.trackers.append("D1:1", [USER_SAID])
    with pytest.raises(InvalidInput, match="plain JSON"):
        store.trackers.append("D1:1", [BOT_SAID, {"event": "user", "when": object()}])
    with pytest.raises(InvalidInput, match="list of dicts"):
        store.trackers.save("D1:1", ["not an event"])  # type: ignore[list-item]
    with pytest.raises(InvalidInput, match="conversation_key"):
        store.trackers.load("")
    assert store.trackers.load("D1:1") == [USER_SAID]


def test_first_delivery_is_new_and_retries_are_not(open_store_again: StoreOpener) -> None:
    first, second = open_store_again(), open_store_again()
    assert first.dedup.first_time("Ev01", ttl_seconds=3600) is True
    assert first.dedup.first_time("Ev01", ttl_seconds=3600) is False
    assert second.dedup.first_time("Ev01", ttl_seconds=3600) is False  # another replica
    assert second.dedup.first_time("Ev02", ttl_seconds=3600) is True


def test_retry_racing_the_original_is_handled_once(open_store_again: StoreOpener) -> None:
    clients = [open_store_again() for _ in range(6)]
    start = threading.Barrier(len(clients))

    def deliver(client: Store) -> bool:
        start.wait()
        return client.dedup.first_time("Ev-race", ttl_seconds=60)

    with ThreadPoolExecutor(len(clients)) as pool:
        assert sorted(pool.map(deliver, clients)) == [False] * 5 + [True]


def test_seen_ids_are_forgotten_after_their_ttl(store: Store) -> None:
    assert store.dedup.first_time("Ev-short", ttl_seconds=0.3) is True
    assert store.dedup.first_time("Ev-short", ttl_seconds=0.3) is False
    time.sleep(0.45)
    assert store.dedup.first_time("Ev-short", ttl_seconds=0.3) is True


def test_dedup_survives_reopening(open_store_again: StoreOpener) -> None:
    first = open_store_again()
    first.dedup.first_time("Ev-durable", ttl_seconds=3600)
    first.close()
    assert open_store_again().dedup.first_time("Ev-durable", ttl_seconds=3600) is False


@pytest.mark.parametrize(("event_id", "ttl"), [("", 10), ("Ev1", 0), ("Ev1", -5)])
def test_bad_dedup_input_is_refused(store: Store, event_id: str, ttl: float) -> None:
    with pytest.raises(InvalidInput):
        store.dedup.first_time(event_id, ttl_seconds=ttl)
    assert store.dedup.first_time("Ev1", ttl_seconds=10) is True
