"""What only the embedded SQLite backend promises: several processes, one file."""

from __future__ import annotations

import multiprocessing
import sqlite3
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from freezegun import freeze_time

from bot.store.errors import StoreUnavailable
from bot.store.sqlite import SqliteStore
from tests.store import process_workers
from tests.store.conftest import NOW, make_draft

WORKERS, OWN, SHARED = 4, 20, 10


def test_processes_creating_cases_on_one_file_get_no_duplicates_or_gaps(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    SqliteStore(path).close()  # the file exists before the race starts
    context = multiprocessing.get_context("spawn")
    with context.Pool(WORKERS) as pool:
        results = pool.starmap(
            process_workers.create_cases,
            [(str(path), worker, OWN, SHARED) for worker in range(WORKERS)],
        )
    by_key: dict[str, set[str]] = {}
    created = 0
    for worker_results in results:
        for key, number, was_created in worker_results:
            by_key.setdefault(key, set()).add(number)
            created += was_created
    assert all(len(numbers) == 1 for numbers in by_key.values())  # a key never gets two cases
    assert created == WORKERS * OWN + SHARED
    with SqliteStore(path) as store:
        numbers = [case.sequence for case in store.cases.list_cases()]
    assert numbers == list(range(1001, 1001 + WORKERS * OWN + SHARED))


@pytest.mark.parametrize("attempt", range(3))
def test_processes_opening_a_new_file_at_the_same_moment_all_work(
    tmp_path: Path, attempt: int
) -> None:
    path = tmp_path / f"fresh-{attempt}.sqlite3"  # does not exist: every process creates it
    context = multiprocessing.get_context("spawn")
    processes = 6
    with context.Pool(processes) as pool:
        pool.apply(time.sleep, (0,))  # workers are up before the clock starts
        start_at = time.time() + 1.0
        numbers = pool.starmap(
            process_workers.open_at_and_create,
            [(str(path), start_at, f"key-{n}") for n in range(processes)],
        )
    assert sorted(numbers) == [f"CS-{1001 + n}" for n in range(processes)]


def test_processes_updating_one_case_lose_no_change(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    with SqliteStore(path) as store:
        store.cases.create_case(make_draft(), idempotency_key="k", actor_id="U01AAA", now=NOW)
    context = multiprocessing.get_context("spawn")
    with context.Pool(3) as pool:
        pool.starmap(process_workers.append_notes, [(str(path), worker, 15) for worker in range(3)])
    with SqliteStore(path) as store:
        case = store.cases.get_case("CS-1001")
        trail = store.cases.audit_trail("CS-1001")
    assert case is not None
    notes = [note for note in (case.troubleshooting or "").split(";") if note]
    assert sorted(notes) == sorted(f"p{w}n{n}" for w in range(3) for n in range(15))
    assert case.version == 46 and len(trail) == 46


def test_file_that_is_not_a_database_makes_the_store_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "supportbot.sqlite3"
    path.write_bytes(b"this is not a database, just some bytes " * 100)
    with pytest.raises(StoreUnavailable, match=r"not available \(file is not a database\)"):
        SqliteStore(path)


def test_closed_store_refuses_work_with_store_unavailable(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "s.sqlite3")
    store.ping()
    store.close()
    with pytest.raises(StoreUnavailable, match="closed"):
        store.cases.get_case("CS-1001")
    with pytest.raises(StoreUnavailable):
        store.ping()


def test_writer_blocked_past_the_busy_timeout_gets_store_unavailable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("bot.store.sqlite_connection.BUSY_TIMEOUT_SECONDS", 0.1)
    path = tmp_path / "s.sqlite3"
    store = SqliteStore(path)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreUnavailable, match="database is locked"):
            store.cases.create_case(
                make_draft(), idempotency_key="during-lock", actor_id="U01AAA", now=NOW
            )
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    case, created = store.cases.create_case(
        make_draft(), idempotency_key="after-lock", actor_id="U01AAA", now=NOW
    )
    assert created and case.number == "CS-1001"  # the failed attempt used no number
    assert [c.idempotency_key for c in store.cases.list_cases()] == ["after-lock"]
    store.close()


def test_database_file_uses_wal_so_readers_do_not_block_writers(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    SqliteStore(path).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to count open files")
def test_short_lived_threads_do_not_leak_connections(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "s.sqlite3") as store:
        store.ping()
        before = len(list(Path("/proc/self/fd").iterdir()))
        for index in range(60):  # like an HTTP server starting a thread per request
            worker = threading.Thread(
                target=store.dedup.first_time, args=(f"Ev{index}",), kwargs={"ttl_seconds": 60}
            )
            worker.start()
            worker.join()
        after = len(list(Path("/proc/self/fd").iterdir()))
    assert after - before < 10


def test_seen_event_expires_exactly_at_its_ttl(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "s.sqlite3") as store, freeze_time("2026-03-06 22:59:00") as clock:
        assert store.dedup.first_time("Ev1", ttl_seconds=3600) is True
        clock.tick(timedelta(seconds=3599))
        assert store.dedup.first_time("Ev1", ttl_seconds=3600) is False
        clock.tick(timedelta(seconds=1))
        assert store.dedup.first_time("Ev1", ttl_seconds=3600) is True


def test_waiting_for_a_lock_ends_even_when_the_clock_is_frozen(tmp_path: Path) -> None:
    with SqliteStore(tmp_path / "s.sqlite3") as store, freeze_time("2026-03-06 16:59:00"):
        assert store.locks.acquire("conv:D1", ttl_seconds=30) is not None
        assert store.locks.acquire("conv:D1", ttl_seconds=30, wait_seconds=0.1) is None
