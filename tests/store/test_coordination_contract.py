"""Contract of LockManager and TimerStore: coordination between bot replicas."""

from __future__ import annotations

import dataclasses
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.store.base import Store
from bot.store.errors import InvalidInput, LockNotAcquired
from tests.store.conftest import NOW, StoreOpener


def test_lock_is_exclusive_until_its_owner_releases(open_store_again: StoreOpener) -> None:
    first, second = open_store_again(), open_store_again()
    held = first.locks.acquire("case:CS-1001", ttl_seconds=30)
    assert held is not None and held.key == "case:CS-1001"
    assert second.locks.acquire("case:CS-1001", ttl_seconds=30) is None
    assert second.locks.acquire("case:CS-1002", ttl_seconds=30) is not None
    assert first.locks.release(held) is True
    assert second.locks.acquire("case:CS-1001", ttl_seconds=30) is not None


def test_only_the_owner_token_releases(open_store_again: StoreOpener) -> None:
    first, second = open_store_again(), open_store_again()
    held = first.locks.acquire("conv:D1", ttl_seconds=30)
    assert held is not None
    forged = dataclasses.replace(held, token="not-the-owner")
    assert second.locks.release(forged) is False
    assert second.locks.acquire("conv:D1", ttl_seconds=30) is None
    assert first.locks.release(held) is True
    assert first.locks.release(held) is False  # second release is a no-op


def test_expired_lock_can_be_taken_and_the_old_owner_cannot_free_it(
    open_store_again: StoreOpener,
) -> None:
    crashed, other = open_store_again(), open_store_again()
    stale = crashed.locks.acquire("conv:D1", ttl_seconds=0.3)
    assert stale is not None
    time.sleep(0.45)
    fresh = other.locks.acquire("conv:D1", ttl_seconds=30)
    assert fresh is not None
    assert crashed.locks.release(stale) is False
    assert crashed.locks.acquire("conv:D1", ttl_seconds=30) is None  # still held by `other`
    assert other.locks.release(fresh) is True


def test_waiting_acquire_gets_the_lock_once_it_is_released(open_store_again: StoreOpener) -> None:
    holder, waiter = open_store_again(), open_store_again()
    held = holder.locks.acquire("conv:D1", ttl_seconds=30)
    assert held is not None
    threading.Timer(0.2, holder.locks.release, args=(held,)).start()
    started = time.monotonic()
    got = waiter.locks.acquire("conv:D1", ttl_seconds=30, wait_seconds=5)
    assert got is not None
    assert 0.15 <= time.monotonic() - started < 4


def test_waiting_acquire_gives_up_after_wait_seconds(store: Store) -> None:
    assert store.locks.acquire("conv:D1", ttl_seconds=30) is not None
    started = time.monotonic()
    assert store.locks.acquire("conv:D1", ttl_seconds=30, wait_seconds=0.2) is None
    assert 0.15 <= time.monotonic() - started < 2


def test_locked_context_releases_even_when_the_body_fails(store: Store) -> None:
    with pytest.raises(RuntimeError), store.locks.locked("conv:D1", ttl_seconds=30):
        assert store.locks.acquire("conv:D1", ttl_seconds=30) is None
        raise RuntimeError("handler failed")
    assert store.locks.acquire("conv:D1", ttl_seconds=30) is not None


def test_locked_context_refuses_when_busy(open_store_again: StoreOpener) -> None:
    first, second = open_store_again(), open_store_again()
    assert first.locks.acquire("conv:D1", ttl_seconds=30) is not None
    with (
        pytest.raises(LockNotAcquired, match="busy"),
        second.locks.locked("conv:D1", ttl_seconds=30, wait_seconds=0.05),
    ):
        pytest.fail("body must not run without the lock")


def test_racing_acquirers_get_one_lock(open_store_again: StoreOpener) -> None:
    clients = [open_store_again() for _ in range(6)]
    start = threading.Barrier(len(clients))

    def grab(client: Store) -> bool:
        start.wait()
        return client.locks.acquire("case:CS-1001", ttl_seconds=30) is not None

    with ThreadPoolExecutor(len(clients)) as pool:
        assert sum(pool.map(grab, clients)) == 1


def test_timer_is_due_from_its_due_time_on(store: Store) -> None:
    due = NOW + timedelta(hours=2)
    store.timers.schedule("remind:CS-1001", due_at=due, payload={"case": "CS-1001"})
    assert store.timers.due(due - timedelta(microseconds=1)) == []
    [timer] = store.timers.due(due)
    assert timer.timer_id == "remind:CS-1001"
    assert timer.due_at == due and timer.payload == {"case": "CS-1001"}


def test_due_timers_come_earliest_first_across_time_zones(store: Store) -> None:
    berlin = ZoneInfo("Europe/Berlin")
    store.timers.schedule("b", due_at=datetime(2026, 3, 6, 16, 15, tzinfo=berlin), payload={})
    store.timers.schedule("a", due_at=NOW - timedelta(days=1), payload={})
    store.timers.schedule("later", due_at=NOW + timedelta(days=1), payload={})
    assert [t.timer_id for t in store.timers.due(NOW)] == ["a", "b"]


def test_a_due_timer_is_claimed_exactly_once(open_store_again: StoreOpener) -> None:
    clients = [open_store_again() for _ in range(6)]
    clients[0].timers.schedule("close:CS-1001", due_at=NOW, payload={"case": "CS-1001"})
    start = threading.Barrier(len(clients))

    def fire(client: Store) -> bool:
        start.wait()
        return any(client.timers.claim(t.timer_id) for t in client.timers.due(NOW))

    with ThreadPoolExecutor(len(clients)) as pool:
        assert sum(pool.map(fire, clients)) == 1
    assert clients[0].timers.due(NOW + timedelta(days=30)) == []


def test_rescheduling_replaces_and_cancel_removes(store: Store) -> None:
    store.timers.schedule("remind", due_at=NOW, payload={"n": 1})
    store.timers.schedule("remind", due_at=NOW + timedelta(hours=1), payload={"n": 2})
    assert store.timers.due(NOW) == []
    [timer] = store.timers.due(NOW + timedelta(hours=1))
    assert timer.payload == {"n": 2}
    assert store.timers.cancel("remind") is True
    assert store.timers.cancel("remind") is False
    assert store.timers.claim("remind") is False


def test_timers_set_together_are_each_due_at_their_own_time(store: Store) -> None:
    store.timers.schedule("missed:CS-1001", due_at=NOW, payload={"n": 0})
    store.timers.schedule_all(
        {
            "remind:CS-1001": (NOW - timedelta(minutes=30), {"n": 1}),
            "missed:CS-1001": (NOW + timedelta(hours=1), {"n": 2}),  # replaces the one above
        }
    )
    assert [(t.timer_id, t.payload) for t in store.timers.due(NOW)] == [
        ("remind:CS-1001", {"n": 1})
    ]
    assert [t.timer_id for t in store.timers.due(NOW + timedelta(hours=1))] == [
        "remind:CS-1001",
        "missed:CS-1001",
    ]


def test_a_bad_timer_among_several_sets_none_of_them(store: Store) -> None:
    with pytest.raises(InvalidInput):
        store.timers.schedule_all(
            {
                "remind:CS-1001": (NOW, {"n": 1}),
                "missed:CS-1001": (datetime(2026, 3, 6, 12, 0), {"n": 2}),  # naive: refused
            }
        )
    assert store.timers.due(NOW + timedelta(days=1)) == []


def test_timers_survive_reopening(open_store_again: StoreOpener) -> None:
    first = open_store_again()
    first.timers.schedule("remind", due_at=NOW, payload={"case": "CS-1001"})
    first.close()
    assert [t.timer_id for t in open_store_again().timers.due(NOW)] == ["remind"]


def test_bad_timer_input_is_refused(store: Store) -> None:
    with pytest.raises(InvalidInput, match="timezone-aware"):
        store.timers.schedule("t", due_at=datetime(2026, 3, 6, 9, 0), payload={})
    with pytest.raises(InvalidInput, match="plain JSON"):
        store.timers.schedule("t", due_at=NOW, payload={"at": NOW})
    with pytest.raises(InvalidInput, match="timer_id"):
        store.timers.schedule("", due_at=NOW, payload={})
    assert store.timers.due(NOW + timedelta(days=365)) == []


def test_repeated_local_hour_at_dst_end_keeps_two_distinct_instants(store: Store) -> None:
    chicago = ZoneInfo("America/Chicago")  # 2026-11-01 01:30 happens twice: CDT, then CST
    first = datetime(2026, 11, 1, 1, 30, tzinfo=chicago, fold=0)
    second = datetime(2026, 11, 1, 1, 30, tzinfo=chicago, fold=1)
    store.timers.schedule("cdt", due_at=first, payload={})
    store.timers.schedule("cst", due_at=second, payload={})
    [due] = store.timers.due(datetime(2026, 11, 1, 7, 0, tzinfo=UTC))  # 01:00 CST
    assert due.timer_id == "cdt" and due.due_at == first.astimezone(UTC)  # PEP 495: compare in UTC
    assert [t.timer_id for t in store.timers.due(second)] == ["cdt", "cst"]
