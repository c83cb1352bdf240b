"""One person's slow or many messages never delay another's (issue 12, item 2).

The scheduler alone, with Events (a bound on a wait only says "did not wait for the other"),
then once through the real Bolt app on signed requests.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from bot.slack import create_app
from bot.slack.fair_pool import FairPool
from tests.slack.conftest import REPORT, SlackDriver, last_post

WAIT = 10.0  # generous: each wait only proves one thing did not wait for another


@pytest.fixture
def pools() -> Iterator[Callable[..., FairPool]]:
    made: list[FairPool] = []

    def make(**options: Any) -> FairPool:
        made.append(FairPool(**options))
        return made[-1]

    yield make
    for pool in made:
        pool.shutdown(wait=True)


def test_work_of_one_key_runs_in_order_and_never_at_the_same_time(pools) -> None:
    pool = pools(workers=4)
    guard = threading.Lock()
    ran: list[int] = []
    overlaps: list[int] = []

    def item(n: int) -> Callable[[], None]:
        def work() -> None:
            if not guard.acquire(blocking=False):
                overlaps.append(n)
                return
            try:
                ran.append(n)
                threading.Event().wait(0.001)  # widen the window another worker could use
            finally:
                guard.release()

        return work

    for n in range(40):
        assert pool.submit("D01AAA", f"U{n % 3}", item(n))  # several people, one conversation
    assert pool.drain(timeout=WAIT)
    assert overlaps == [] and ran == list(range(40))


def test_a_blocked_conversation_does_not_delay_another(pools) -> None:
    pool = pools(workers=2)
    release, entered, other = threading.Event(), threading.Event(), threading.Event()

    def held() -> None:
        entered.set()
        assert release.wait(WAIT * 3)

    for _ in range(10):  # a stuck turn and more messages behind it: still one worker
        pool.submit("D01AAA", "U01AAA", held)
    assert entered.wait(WAIT)
    pool.submit("D02AAA", "U02AAA", other.set)
    try:
        assert other.wait(WAIT), "the other conversation waited for the blocked one"
    finally:
        release.set()
    assert pool.drain(timeout=WAIT)


@pytest.mark.parametrize("conversations", [1, 50], ids=["one conversation", "fifty"])
def test_fifty_items_from_one_person_do_not_delay_another_person(pools, conversations) -> None:
    pool = pools(workers=4, per_user_backlog=100)
    release, other = threading.Event(), threading.Event()
    started: list[int] = []

    def held(n: int) -> Callable[[], None]:
        def work() -> None:
            started.append(n)
            assert release.wait(WAIT * 3)

        return work

    for n in range(50):
        assert pool.submit(f"C0GENERAL:{n % conversations}", "U01AAA", held(n))
    pool.submit("D02AAA", "U02AAA", other.set)
    try:
        assert other.wait(WAIT), "the second person waited for the first one's work"
        assert len(started) <= pool.per_user_workers  # the first holds a share, not the pool
    finally:
        release.set()
    assert pool.drain(timeout=WAIT)
    assert sorted(started) == list(range(50))


def test_a_person_over_the_cap_is_refused_and_told_once(pools) -> None:
    pool = pools(workers=2, per_user_backlog=3)
    release, told, other = threading.Event(), threading.Event(), threading.Event()
    notices: list[str] = []

    def held() -> None:
        assert release.wait(WAIT * 3)

    def tell() -> None:
        notices.append("slow down")
        told.set()

    accepted = [pool.submit("D01AAA", "U01AAA", held, on_refused=tell) for _ in range(6)]
    assert accepted == [True, True, True, False, False, False]
    assert told.wait(WAIT), "the notice waited for the person's own blocked work"
    assert pool.submit("D02AAA", "U02AAA", other.set)  # someone else is not capped
    assert other.wait(WAIT)
    release.set()
    assert pool.drain(timeout=WAIT)
    assert notices == ["slow down"]  # once for the whole burst
    assert pool.submit("D01AAA", "U01AAA", held)  # the backlog cleared: welcome again


def test_shutdown_finishes_queued_work_and_refuses_more(pools) -> None:
    pool = pools(workers=1)
    ran: list[int] = []

    def failing() -> None:
        raise RuntimeError("one bad item")

    pool.submit("D01AAA", "U01AAA", failing)  # a failure does not stop the worker
    for n in range(5):
        pool.submit("D01AAA", "U01AAA", lambda n=n: ran.append(n))
    pool.shutdown(wait=True)
    assert ran == [0, 1, 2, 3, 4]
    assert not pool.submit("D01AAA", "U01AAA", lambda: ran.append(5))


class HeldEngine:
    """The real engine, except that one person's turns wait until the test lets them go."""

    def __init__(self, engine: Any, held_user: str) -> None:
        self.engine = engine
        self.held_user = held_user
        self.entered = threading.Event()
        self.release = threading.Event()

    def handle(self, inbound: Any) -> Any:
        if inbound.sender_id == self.held_user:
            self.entered.set()
            assert self.release.wait(60)
        return self.engine.handle(inbound)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.engine, name)


def test_a_held_conversation_does_not_stop_another_persons_dm(engine, store, settings, fake_slack):
    held = HeldEngine(engine, "U01AAA")
    app = create_app(
        engine=held, store=store, directory=engine.directory, settings=settings, workers=4
    )
    slack = SlackDriver(app, fake_slack)
    try:
        # More stuck turns than the pool has workers: five in the DM, two in channel threads.
        for n in range(5):
            assert slack.dm("U01AAA", f"{REPORT} ({n})").status == 200
        for _ in range(2):
            assert slack.mention("U01AAA", "C0GENERAL", REPORT)[0].status == 200
        assert held.entered.wait(WAIT)

        started = slack.dm("U02AAA", REPORT)
        assert started.status == 200 and started.elapsed < 3  # type: ignore[attr-defined]
        assert last_post(slack, channel="D02AAA", containing="suggest Severity", timeout=WAIT)
        assert not held.release.is_set()  # answered while the first person was still stuck
        first = [c for c in fake_slack.calls_to("chat.postMessage") if c["channel"] == "D01AAA"]
        assert first == []

        held.release.set()
        assert last_post(slack, channel="D01AAA", containing="suggest Severity", timeout=30)
    finally:
        held.release.set()
        app.listener_pool.shutdown(wait=True)
