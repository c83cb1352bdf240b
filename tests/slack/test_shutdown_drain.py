"""Graceful stop at unit level (issue 16): Socket Mode closes its client before draining, the
acknowledged work finishes within the bound, the outbox is swept last; the pool's bounded
shutdown drops only work that never started."""

from __future__ import annotations

import threading
import time
from typing import Any

from bot.slack import serving
from bot.slack.fair_pool import FairPool


class FakeHandler:
    """Stands for WatchedSocketModeHandler: what matters is when close() runs."""

    def __init__(self, events: list[str]) -> None:
        self.events = events

    def close(self) -> None:
        self.events.append("socket closed")


def test_socket_mode_closes_the_client_then_finishes_the_work_then_flushes(  # type: ignore[no-untyped-def]
    app, store, monkeypatch
) -> None:
    events: list[str] = []
    lock = threading.Lock()

    def work(n: int) -> None:
        time.sleep(0.1)
        with lock:
            events.append(f"turn {n}")

    for n in range(6):  # queued behind each other on 3 conversations
        assert app.listener_pool.submit(f"conv-{n % 3}", f"U{n}", lambda n=n: work(n))
    monkeypatch.setattr(app.flows, "outbox", lambda: events.append("outbox swept") or 0)

    started = time.monotonic()
    finished = serving.stop_socket_mode(
        app, FakeHandler(events), store=store, loops=None, drain_seconds=10
    )

    assert finished is True
    assert events[0] == "socket closed"
    assert sorted(e for e in events if e.startswith("turn")) == [f"turn {n}" for n in range(6)]
    assert events[-1] == "outbox swept"
    assert time.monotonic() - started < 5
    assert app.listener_pool.submit("late", "U9", lambda: None) is False  # no new work


def test_the_drain_is_bounded_and_says_what_did_not_finish(app, store, monkeypatch, caplog) -> None:  # type: ignore[no-untyped-def]
    release = threading.Event()
    ran: list[int] = []
    for n in range(3):  # one conversation: the first runs, two wait behind it
        app.listener_pool.submit("stuck", "U1", lambda n=n: (release.wait(10), ran.append(n)))
    monkeypatch.setattr(app.flows, "outbox", lambda: 0)

    started = time.monotonic()
    finished = serving.stop_socket_mode(
        app, FakeHandler([]), store=store, loops=None, drain_seconds=0.5
    )
    took = time.monotonic() - started
    release.set()

    assert finished is False
    assert took < 3
    assert "2 queued requests dropped and 1 still running" in caplog.text
    time.sleep(0.2)
    assert ran == [0]  # the running one finished on its own; the dropped ones never ran


def test_the_last_outbox_sweep_repeats_until_nothing_is_due(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    due = [50, 7, 0]
    monkeypatch.setattr(app.flows, "outbox", lambda: due.pop(0))
    assert serving.flush_outbox(app) == 57
    assert due == []


def test_a_failing_last_sweep_does_not_stop_the_shutdown(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def down() -> int:
        raise ConnectionError("store down")

    monkeypatch.setattr(app.flows, "outbox", down)
    assert serving.flush_outbox(app) == 0


def test_a_store_down_at_shutdown_leaves_the_locks_to_expire(caplog) -> None:  # type: ignore[no-untyped-def]
    from bot.store.redis_store import RedisStore

    store = RedisStore("redis://127.0.0.1:1/0", namespace="shutdown-test")  # nothing listens
    store.locks._remember_orphan("conversation:D1", "t1")
    assert serving.release_orphan_locks(store) == 0  # the stop goes on
    assert "could not release a lock at shutdown: StoreUnavailable" in caplog.text


def test_pool_shutdown_without_timeout_still_waits_for_everything() -> None:
    pool = FairPool(workers=2)
    done: list[int] = []
    for n in range(4):
        pool.submit(f"k{n}", f"U{n}", lambda n=n: (time.sleep(0.05), done.append(n)))
    assert pool.shutdown(wait=True) is True
    assert sorted(done) == [0, 1, 2, 3]
    assert pool.busy() == 0


def test_pool_shutdown_with_a_timeout_drops_only_what_never_started() -> None:
    pool = FairPool(workers=1)
    release = threading.Event()
    ran: list[str] = []

    def blocker() -> None:
        release.wait(5)
        ran.append("first")

    pool.submit("a", "U1", blocker)
    pool.submit("a", "U1", lambda: ran.append("second"))
    pool.submit("b", "U2", lambda: ran.append("other"))
    time.sleep(0.1)
    assert pool.shutdown(wait=True, timeout=0.2) is False
    assert pool.busy() == 1  # the running one
    release.set()
    assert pool.drain(timeout=5)
    assert ran == ["first"]


def serve_socket_stops_in_order(app: Any, store: Any, monkeypatch: Any) -> list[str]:
    """serve_socket itself on a signal: the handler is closed, then the pool drained."""
    events: list[str] = []

    class Handler(FakeHandler):
        def __init__(self, _app: Any, _token: str) -> None:
            super().__init__(events)

        def connect(self) -> None:
            events.append("connected")

    class NoLoops:
        def __init__(self, _app: Any) -> None:
            pass

        def stop(self) -> None:
            events.append("loops stopped")

    stop = threading.Event()
    stop.set()  # as if SIGTERM had arrived
    monkeypatch.setattr("bot.slack.socket_mode.WatchedSocketModeHandler", Handler)
    monkeypatch.setattr(serving, "Loops", NoLoops)
    monkeypatch.setattr(serving, "stop_on_signals", lambda: stop)
    monkeypatch.setattr(app.flows, "outbox", lambda: events.append("outbox swept") or 0)
    app.listener_pool.submit("k", "U1", lambda: events.append("turn"))
    settings = type("S", (), {"app_token": "xapp-unused"})()
    serving.serve_socket(app, settings, store=store, drain_seconds=5)  # type: ignore[arg-type]
    return events


def test_serve_socket_on_sigterm_closes_the_client_before_draining(app, store, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    events = serve_socket_stops_in_order(app, store, monkeypatch)
    assert events.index("socket closed") < events.index("loops stopped")
    assert events.index("connected") < events.index("socket closed")
    assert "turn" in events and events[-1] == "outbox swept"


def test_drain_seconds_option_is_read_and_checked() -> None:
    import pytest

    from bot.cli.cmd_serve import parse_seconds
    from bot.cli.errors import UsageError

    assert parse_seconds(None) == serving.DRAIN_SECONDS
    assert parse_seconds("7.5") == 7.5
    for bad in ("soon", "-1", "601"):
        with pytest.raises(UsageError, match="--drain-seconds"):
            parse_seconds(bad)
