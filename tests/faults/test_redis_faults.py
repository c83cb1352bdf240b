"""Redis down, restarted or slow in the middle of a conversation, on a private server.

Each test runs the real engine on a Redis store whose server it can kill, restart (same port,
data kept in an append-only file) or freeze. The user must get a clear "try again", nothing may
be half-written, no case may be lost or duplicated, and the same engine must recover by itself.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from bot.store.redis_store import RedisStore
from tests.support.engine import Parse, by_kind, texts
from tests.support.intake import conversation, engine_on, scripted_nlu, walk_to_summary
from tests.support.redis_server import RedisServer

TRY_AGAIN = "try again"


@pytest.fixture
def store(redis_server: RedisServer) -> Iterator[RedisStore]:
    opened = RedisStore(redis_server.url, namespace="faults")
    yield opened
    opened.close()


def only_reply(replies: list[Any]) -> Any:
    assert len(replies) == 1, [r.kind for r in replies]
    return replies[0]


def test_redis_down_at_confirmation_says_try_again_and_a_retry_after_restart_creates_one_case(
    redis_server: RedisServer, store: RedisStore
) -> None:
    ana = conversation(engine_on(store), "D-down")
    walk_to_summary(ana)
    events_before = store.trackers.load("D-down")
    redis_server.stop()

    started = time.monotonic()
    down = only_reply(ana.say("yes"))
    assert time.monotonic() - started < 3
    assert down.kind == "store_unavailable" and TRY_AGAIN in down.text

    redis_server.start()  # same engine, same store object: no bot restart
    assert store.trackers.load("D-down") == events_before  # the failed turn left nothing
    assert store.cases.list_cases() == []
    created = by_kind(ana.say("yes"), "case_created")
    assert created.case_number == "CS-1001"
    assert [c.number for c in store.cases.list_cases()] == ["CS-1001"]
    assert [e.action for e in store.cases.audit_trail("CS-1001")] == ["create"]


def test_restart_between_turns_is_invisible_to_the_user(
    redis_server: RedisServer, store: RedisStore
) -> None:
    ana = conversation(engine_on(store), "D-restart")
    ana.say("hello")  # the pool now holds a live connection
    summary_store_events = len(store.trackers.load("D-restart"))
    redis_server.restart()  # every pooled connection is now dead
    walk_to_summary(ana)
    assert len(store.trackers.load("D-restart")) > summary_store_events
    created = by_kind(ana.say("yes"), "case_created")
    assert created.case_number == "CS-1001"


def test_cases_survive_a_restart_and_numbering_continues(
    redis_server: RedisServer, store: RedisStore
) -> None:
    engine = engine_on(store)
    first = conversation(engine, "D-a")
    walk_to_summary(first)
    assert by_kind(first.say("yes"), "case_created").case_number == "CS-1001"
    redis_server.restart()
    second = conversation(engine, "D-b")
    walk_to_summary(second)
    assert by_kind(second.say("yes"), "case_created").case_number == "CS-1002"
    assert [c.number for c in store.cases.list_cases()] == ["CS-1001", "CS-1002"]


def test_slow_redis_gets_a_prompt_try_again_and_the_retry_makes_exactly_one_case(
    redis_server: RedisServer, store: RedisStore
) -> None:
    ana = conversation(engine_on(store), "D-slow")
    walk_to_summary(ana)
    redis_server.pause()
    try:
        started = time.monotonic()
        slow = only_reply(ana.say("yes"))
        elapsed = time.monotonic() - started
    finally:
        redis_server.resume()
    assert slow.kind == "store_unavailable" and TRY_AGAIN in slow.text
    assert elapsed < 3  # a bounded wait, not a hang
    retried = ana.say("yes")
    assert by_kind(retried, "case_created").case_number == "CS-1001"
    assert len(store.cases.list_cases()) == 1


class StopsBeforeSaving:
    """The real turn store, but the server dies right before the turn's events are saved."""

    def __init__(self, real: Any, server: RedisServer) -> None:
        self.real = real
        self.server = server
        self.armed = False

    def finish(self, turn: Any, **events: Any) -> bool:
        if self.armed:
            self.armed = False
            self.server.stop()
        return bool(self.real.finish(turn, **events))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def test_redis_dying_after_the_case_is_written_loses_and_duplicates_nothing(
    redis_server: RedisServer, store: RedisStore
) -> None:
    trackers = StopsBeforeSaving(store.turns, redis_server)
    store.turns = trackers  # type: ignore[assignment]
    ana = conversation(engine_on(store), "D-mid")
    walk_to_summary(ana)
    trackers.armed = True
    down = only_reply(ana.say("yes"))  # the case is written, then the tracker save fails
    assert down.kind == "store_unavailable" and TRY_AGAIN in down.text

    redis_server.start()
    [case] = store.cases.list_cases()  # written atomically before the failure, kept by the AOF
    assert case.number == "CS-1001"
    retried = by_kind(ana.say("yes"), "case_created")
    assert retried.case_number == "CS-1001"  # the same case, not a second one
    assert [c.number for c in store.cases.list_cases()] == ["CS-1001"]
    assert [e.action for e in store.cases.audit_trail("CS-1001")] == ["create"]


def test_staff_still_get_the_handoff_when_the_creating_turn_failed_after_writing(
    redis_server: RedisServer, store: RedisStore
) -> None:
    trackers = StopsBeforeSaving(store.turns, redis_server)
    store.turns = trackers  # type: ignore[assignment]
    ana = conversation(engine_on(store), "D-handoff")
    walk_to_summary(ana)
    trackers.armed = True
    assert only_reply(ana.say("yes")).kind == "store_unavailable"
    redis_server.start()
    retried = ana.say("yes")
    assert by_kind(retried, "staff_handoff").case_number == "CS-1001"
    assert [c.number for c in store.cases.list_cases()] == ["CS-1001"]


def test_every_kind_of_turn_answers_try_again_while_redis_is_down(
    redis_server: RedisServer, store: RedisStore
) -> None:
    nlu = scripted_nlu()
    nlu.add(Parse(text="status of CS-1001", intent="case_status"))
    ana = conversation(engine_on(store, nlu=nlu), "D-any")
    redis_server.stop()
    for text in ("hello", "status of CS-1001", "yes"):
        reply = only_reply(ana.say(text))
        assert reply.kind == "store_unavailable", texts([reply])
        assert "Traceback" not in reply.text and "redis://" not in reply.text
    redis_server.start()
    recovered = ana.say("status of CS-1001")
    assert "store_unavailable" not in [r.kind for r in recovered]
    assert "CS-1001" in texts(recovered)


def test_retried_slack_event_during_an_outage_is_handled_once_after_recovery(
    redis_server: RedisServer, store: RedisStore
) -> None:
    ana = conversation(engine_on(store), "D-event")
    walk_to_summary(ana)
    redis_server.stop()
    assert only_reply(ana.say("yes", event_id="Ev-1")).kind == "store_unavailable"
    redis_server.start()
    first = ana.say("yes", event_id="Ev-2")
    again = ana.say("yes", event_id="Ev-2")  # Slack's retry of the same delivery
    assert by_kind(first, "case_created").case_number == "CS-1001"
    assert again == []
    assert len(store.cases.list_cases()) == 1
