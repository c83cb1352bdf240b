"""Redis killed, restarted and frozen while two replicas confirm a burst of cases.

Two real Bolt apps (two replicas, each with its own Redis client) share one private
redis-server and one fake Slack. Twelve designated-contact conversations reach their summary,
then all confirm at once, split across the replicas, while Redis is killed, restarted and
frozen. People whose confirmation was not answered confirm again, as they would. Afterwards
every case exists once and has exactly one staff card, and the outbox is empty.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from typing import Any

import pytest

from bot.directory import load_directory
from bot.engine import Engine
from bot.engine.engine import TURN_LOCK_TTL_SECONDS
from bot.slack import SlackSettings, create_app
from bot.store.redis_store import RedisStore
from tests.support.fake_slack.server import FakeSlack
from tests.support.intake import IMPACT, REPORT, scripted_nlu
from tests.support.redis_server import RedisServer
from tests.support.slack import (
    BOT_TOKEN,
    SIGNING_SECRET,
    WEDNESDAY_MORNING_CHICAGO,
    Clock,
    SlackDriver,
    staff_cards,
    text_of,
)

CHANNEL = "C0GENERAL"
CONTACTS = ("U01AAA", "U01BBB", "U02AAA", "U02BBB", "U03AAA", "U03BBB")
THREADS_PER_CONTACT = 2
# The first words of each intake question, and what a cooperative contact answers.
ANSWERS = {
    "business impact": IMPACT,
    "conversation ID": "skip",
    "Anything support should know": "skip",
    "Shall I use": "yes",
}
# The person has been told their case's number. A write whose reply timed out on the frozen
# server may still run when it wakes; then the next "yes" is taken as a reply to the case.
CONFIRMED = ("Opened CS-", "already open", "answer to CS-")
BURST_SPACING = 0.25  # seconds between confirmations, so they meet every phase of the faults
SOCKET_TIMEOUT = 1.0  # a frozen Redis answers "try again" after a second, not never
LEASE_SECONDS = 2.0  # a lease lost with its holder runs out within the test


class Replicas:
    def __init__(self, server: RedisServer, fake: FakeSlack) -> None:
        self.clock = Clock(WEDNESDAY_MORNING_CHICAGO)
        settings = SlackSettings(
            bot_token=BOT_TOKEN, signing_secret=SIGNING_SECRET, api_url=fake.url
        )
        self.stores = [
            RedisStore(server.url, namespace="burst", socket_timeout=SOCKET_TIMEOUT)
            for _ in range(2)
        ]
        self.apps = [
            create_app(
                engine=Engine(
                    store=store, directory=load_directory(), nlu=scripted_nlu(), clock=self.clock
                ),
                store=store,
                directory=load_directory(),
                settings=settings,
                clock=self.clock,
            )
            for store in self.stores
        ]
        for app in self.apps:  # a lease lost in a fault comes back within the test
            app.flows.courier.lease_seconds = LEASE_SECONDS
        self.drivers = [SlackDriver(app, fake) for app in self.apps]
        self.drivers[1].counter = 10**6  # event IDs and timestamps never collide
        self.fake = fake
        self._turn = 0

    def driver(self) -> SlackDriver:
        self._turn += 1
        return self.drivers[self._turn % 2]

    def close(self) -> None:
        for app in self.apps:
            app.listener_pool.shutdown(wait=True)
        for store in self.stores:
            store.close()


@pytest.fixture
def replicas(redis_server: RedisServer) -> Iterator[Replicas]:
    with FakeSlack() as fake:
        running = Replicas(redis_server, fake)
        try:
            yield running
        finally:
            running.close()


def thread_posts(fake: FakeSlack, root: str) -> list[Any]:
    return [
        c
        for c in fake.calls_to("chat.postMessage")
        if c.get("channel") == CHANNEL and c.get("thread_ts") == root and c.response.get("ok")
    ]


def wait_for_post(fake: FakeSlack, root: str, *, after: int, timeout: float = 15.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        posts = thread_posts(fake, root)
        if len(posts) > after:
            return posts[-1]
        time.sleep(0.02)
    return None


def walk_to_summary(replicas: Replicas, contact: str) -> str:
    """Report in a new thread and answer until the summary; returns the thread's root ts."""
    _, root = replicas.driver().mention(contact, CHANNEL, REPORT)
    seen = 0
    for _ in range(8):
        post = wait_for_post(replicas.fake, root, after=seen)
        assert post is not None, f"no answer in {root}"
        seen = len(thread_posts(replicas.fake, root))
        if "ready to open" in text_of(post):
            return root
        answer = next((a for q, a in ANSWERS.items() if q in text_of(post)), None)
        if answer is None:
            continue  # an acknowledgement; the question follows
        replicas.driver().channel_message(contact, CHANNEL, answer, thread_ts=root)
    raise AssertionError(f"no summary in {root}")


def confirmed(fake: FakeSlack, root: str) -> bool:
    return any(any(c in text_of(p) for c in CONFIRMED) for p in thread_posts(fake, root))


def chaos(server: RedisServer) -> None:
    """Kill, restart and freeze Redis while the confirmations arrive."""
    time.sleep(0.3)
    server.stop()
    time.sleep(0.3)
    server.start()
    time.sleep(0.4)
    server.pause()
    time.sleep(1.2)
    server.resume()
    time.sleep(0.3)
    server.restart()


def confirm_at(replicas: Replicas, contact: str, root: str, *, delay: float) -> None:
    time.sleep(delay)
    replicas.driver().channel_message(contact, CHANNEL, "yes", thread_ts=root)


def test_every_confirmed_case_gets_exactly_one_staff_card_through_redis_faults(
    redis_server: RedisServer, replicas: Replicas
) -> None:
    threads = [
        (contact, walk_to_summary(replicas, contact))
        for contact in CONTACTS
        for _ in range(THREADS_PER_CONTACT)
    ]

    fault = threading.Thread(target=chaos, args=(redis_server,))
    fault.start()
    with ThreadPoolExecutor(max_workers=len(threads)) as pool:  # spread over 3 s of faults
        for index, (contact, root) in enumerate(threads):
            pool.submit(confirm_at, replicas, contact, root, delay=index * BURST_SPACING)
    fault.join()

    # Whoever got "try again" (or nothing) confirms again, as people do; a turn lock lost in
    # the crash keeps its conversation busy until the lock's TTL runs out.
    deadline = time.monotonic() + TURN_LOCK_TTL_SECONDS + 30
    while time.monotonic() < deadline:
        waiting = [(c, root) for c, root in threads if not confirmed(replicas.fake, root)]
        if not waiting:
            break
        for contact, root in waiting:
            before = len(thread_posts(replicas.fake, root))
            replicas.driver().channel_message(contact, CHANNEL, "yes", thread_ts=root)
            wait_for_post(replicas.fake, root, after=before, timeout=5)
    unconfirmed = [root for _, root in threads if not confirmed(replicas.fake, root)]
    assert not unconfirmed, [
        str(p.get("text"))[:80] for p in thread_posts(replicas.fake, unconfirmed[0])
    ]

    cases = replicas.stores[0].cases.list_cases()
    assert len(cases) == len(threads)
    assert len({c.origin_thread for c in cases}) == len(threads)
    # Both replicas sweep as time passes; a lease whose holder lost Redis mid-claim runs out.
    deadline = time.monotonic() + 3 * LEASE_SECONDS
    while time.monotonic() < deadline:
        replicas.clock.moment += timedelta(minutes=10)
        for app in replicas.apps:
            app.flows.outbox()
        if all(staff_cards(replicas.fake, case.number) for case in cases):
            break
        time.sleep(0.2)
    replicas.clock.moment += timedelta(minutes=10)
    for app in replicas.apps:
        app.flows.outbox()  # one more sweep: a card must not be posted twice
    for case in cases:
        count = len(staff_cards(replicas.fake, case.number))
        assert count == 1, (
            f"{case.number} has {count} staff cards; outbox: "
            f"{replicas.stores[0].outbox.get(case.number + ':v1')}, card index: "
            f"{replicas.apps[0].flows.cards.cards(case.number)}"
        )
    assert replicas.stores[0].outbox.due(replicas.clock.moment) == []
