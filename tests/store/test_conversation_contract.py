"""Contract of TrackerStore, EventDeduplicator and ConversationTurns."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.store.base import Store, Turn, turn_lock_key
from bot.store.errors import InvalidInput, LockNotAcquired
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


# ---- ConversationTurns: a turn's lock + de-duplication + load, then its write + unlock ----

LOCK_TTL = 30.0
DEDUP_TTL = 3600.0


def begin(store: Store, key: str, event_id: str | None = None, **options: float) -> Turn | None:
    return store.turns.begin(
        key,
        event_id=event_id,
        lock_ttl_seconds=options.get("lock_ttl", LOCK_TTL),
        wait_seconds=options.get("wait", 0.0),
        dedup_ttl_seconds=DEDUP_TTL,
    )


def test_a_turn_loads_the_events_and_finish_adds_only_its_own(store: Store) -> None:
    key = "D1:1"
    store.trackers.append(key, [USER_SAID])
    turn = begin(store, key, "Ev1")
    assert turn is not None and turn.events == [USER_SAID]
    assert store.turns.finish(turn, added=[BOT_SAID, SLOT]) is True
    assert store.trackers.load(key) == [USER_SAID, BOT_SAID, SLOT]
    assert begin(store, key, "Ev2") is not None  # the lock was released with the write


def test_finish_with_a_replacement_rewrites_the_history(store: Store) -> None:
    key = "D1:1"
    store.trackers.append(key, [USER_SAID, BOT_SAID])
    turn = begin(store, key)
    assert turn is not None
    store.turns.finish(turn, added=[SLOT], replace=[SLOT])
    assert store.trackers.load(key) == [SLOT]
    turn = begin(store, key)
    assert turn is not None and turn.events == [SLOT]


def test_a_seen_event_id_is_a_duplicate_that_locks_nothing(open_store_again: StoreOpener) -> None:
    first, second = open_store_again(), open_store_again()
    turn = begin(first, "D1:1", "Ev-dup")
    assert turn is not None
    assert begin(second, "D1:1", "Ev-dup") is None  # while the first delivery still runs
    first.turns.finish(turn, added=[USER_SAID])
    assert begin(second, "D1:1", "Ev-dup") is None  # and afterwards, on another replica
    assert first.dedup.first_time("Ev-dup", ttl_seconds=60) is False  # one memory of ids
    assert begin(second, "D1:1", "Ev-next") is not None


def test_a_turn_excludes_other_turns_and_lock_holders(open_store_again: StoreOpener) -> None:
    first, second = open_store_again(), open_store_again()
    turn = begin(first, "D1:1", "Ev1")
    assert turn is not None
    with pytest.raises(LockNotAcquired):
        begin(second, "D1:1", "Ev2", wait=0.05)
    assert second.locks.acquire(turn_lock_key("D1:1"), ttl_seconds=30) is None
    assert begin(second, "D2:1", "Ev3") is not None  # other conversations go on
    first.turns.abandon(turn)
    held = second.locks.acquire(turn_lock_key("D1:1"), ttl_seconds=30)
    assert held is not None
    with pytest.raises(LockNotAcquired):
        begin(first, "D1:1", "Ev2", wait=0.05)
    second.locks.release(held)
    # A refused turn recorded nothing: its event is new once the conversation is free.
    assert begin(first, "D1:1", "Ev2") is not None


def test_a_waiting_turn_starts_once_the_holder_finishes(open_store_again: StoreOpener) -> None:
    holder, waiter = open_store_again(), open_store_again()
    turn = begin(holder, "D1:1", "Ev1")
    assert turn is not None
    threading.Timer(0.2, holder.turns.finish, args=(turn,), kwargs={"added": [USER_SAID]}).start()
    started = time.monotonic()
    later = begin(waiter, "D1:1", "Ev2", wait=5.0)
    assert later is not None and later.events == [USER_SAID]
    assert 0.15 <= time.monotonic() - started < 4


def test_racing_deliveries_of_one_event_make_one_turn(open_store_again: StoreOpener) -> None:
    clients = [open_store_again() for _ in range(6)]
    start = threading.Barrier(len(clients))

    def deliver(client: Store) -> Turn | None:
        start.wait()
        return begin(client, "D1:1", "Ev-race", wait=5.0)

    with ThreadPoolExecutor(len(clients)) as pool:
        turns = list(pool.map(deliver, clients))
    assert sum(turn is not None for turn in turns) == 1


def test_abandon_releases_without_writing_and_is_a_no_op_after_finish(store: Store) -> None:
    turn = begin(store, "D1:1", "Ev1")
    assert turn is not None
    store.turns.abandon(turn)
    assert store.trackers.load("D1:1") == []
    again = begin(store, "D1:1", "Ev2")
    assert again is not None
    store.turns.finish(again, added=[USER_SAID])
    store.turns.abandon(again)  # the engine always calls it; it must not touch a new holder
    third = begin(store, "D1:1", "Ev3")
    assert third is not None
    store.turns.abandon(again)
    with pytest.raises(LockNotAcquired):
        begin(store, "D1:1", "Ev4")


def test_events_that_are_not_plain_data_finish_nothing(store: Store) -> None:
    turn = begin(store, "D1:1", "Ev1")
    assert turn is not None
    with pytest.raises(InvalidInput, match="plain JSON"):
        store.turns.finish(turn, added=[{"event": "user", "when": object()}])
    assert not turn.finished
    store.turns.abandon(turn)
    assert store.trackers.load("D1:1") == []
    assert begin(store, "D1:1", "Ev2") is not None


def test_an_expired_turn_lock_can_be_taken_and_its_finish_says_so(
    open_store_again: StoreOpener,
) -> None:
    slow, other = open_store_again(), open_store_again()
    stale = begin(slow, "D1:1", "Ev1", lock_ttl=0.3)
    assert stale is not None
    time.sleep(0.45)
    fresh = begin(other, "D1:1", "Ev2")
    assert fresh is not None
    assert slow.turns.finish(stale, added=[USER_SAID]) is False  # written, but it was late
    with pytest.raises(LockNotAcquired):
        begin(slow, "D1:1", "Ev3")  # the stale finish did not free the new holder's lock
    other.turns.finish(fresh, added=[BOT_SAID])
    assert other.trackers.load("D1:1") == [USER_SAID, BOT_SAID]


def test_appending_outside_a_turn_waits_for_the_turn(open_store_again: StoreOpener) -> None:
    engine_side, staff_side = open_store_again(), open_store_again()
    turn = begin(engine_side, "D1:1", "Ev1")
    assert turn is not None
    with pytest.raises(LockNotAcquired):
        staff_side.turns.append("D1:1", [BOT_SAID], wait_seconds=0.05)
    threading.Timer(
        0.2, engine_side.turns.finish, args=(turn,), kwargs={"added": [USER_SAID]}
    ).start()
    staff_side.turns.append("D1:1", [BOT_SAID], wait_seconds=5.0)
    assert staff_side.trackers.load("D1:1") == [USER_SAID, BOT_SAID]


@pytest.mark.parametrize(
    ("key", "event_id", "lock_ttl"), [("", "Ev1", 30.0), ("D1", "", 30.0), ("D1", "Ev1", 0.0)]
)
def test_bad_turn_input_is_refused(store: Store, key: str, event_id: str, lock_ttl: float) -> None:
    with pytest.raises(InvalidInput):
        begin(store, key, event_id, lock_ttl=lock_ttl)
    assert begin(store, "D1", "Ev1") is not None
