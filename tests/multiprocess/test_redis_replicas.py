"""Several engine processes on one Redis behave like one bot.

Each test starts real OS processes (spawned, each with its own Engine and Redis client) on the
same namespace of the shared test server and has them speak at the same moment.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import timedelta

import pytest

from bot.store.errors import VersionConflict
from bot.store.redis_admin import delete_namespace, unique_namespace
from bot.store.redis_store import RedisStore
from tests.multiprocess.engine_driver import (
    INTAKE_TO_SUMMARY,
    ReplicaPlan,
    Step,
    replica_context,
    run_replicas,
)
from tests.support.intake import conversation, engine_on, walk_to_summary
from tests.support.stores import NOW, REDIS_TEST_URL, make_draft

REPLICAS = 3


@pytest.fixture
def namespace() -> Iterator[str]:
    name = unique_namespace("replicas")
    yield name
    delete_namespace(REDIS_TEST_URL, name)


@pytest.fixture
def store(namespace: str) -> Iterator[RedisStore]:
    opened = RedisStore(REDIS_TEST_URL, namespace=namespace)
    yield opened
    opened.close()


def prepare_summary(store: RedisStore, key: str) -> None:
    """Bring a conversation to the point where one "yes" opens the case."""
    walk_to_summary(conversation(engine_on(store), key))


def flatten(results: list[list]) -> list:
    return list(itertools.chain.from_iterable(results))


def test_the_same_slack_event_delivered_to_every_replica_makes_one_case(
    namespace: str, store: RedisStore
) -> None:
    prepare_summary(store, "D-same-event")
    same = ReplicaPlan({"D-same-event": [Step("yes", event_id="Ev-confirm")]})
    replies = flatten(run_replicas(REDIS_TEST_URL, namespace, [same] * REPLICAS))

    created = [r for r in replies if "case_created" in r.kinds]
    assert len(created) == 1 and created[0].case_numbers == ("CS-1001",)
    assert created[0].created == (True,)
    assert sorted(r.kinds for r in replies if r is not created[0]) == [()] * (REPLICAS - 1)
    assert [c.number for c in store.cases.list_cases()] == ["CS-1001"]
    assert [e.action for e in store.cases.audit_trail("CS-1001")] == ["create"]


def test_a_double_click_on_several_replicas_makes_one_case(
    namespace: str, store: RedisStore
) -> None:
    prepare_summary(store, "D-double-click")
    plans = [
        ReplicaPlan({"D-double-click": [Step("yes", event_id=f"Ev-click-{n}")]})
        for n in range(REPLICAS)
    ]
    replies = flatten(run_replicas(REDIS_TEST_URL, namespace, plans))

    opened = [r for r in replies if r.created == (True,)]
    assert len(opened) == 1
    others = [r for r in replies if r is not opened[0]]
    assert all("case_created" not in r.kinds or r.created == (False,) for r in others)
    assert all("store_unavailable" not in r.kinds and "error" not in r.kinds for r in replies)
    assert [c.number for c in store.cases.list_cases()] == ["CS-1001"]


def test_different_conversations_on_every_replica_get_unique_sequential_numbers(
    namespace: str, store: RedisStore
) -> None:
    per_replica = 4
    steps = [Step(INTAKE_TO_SUMMARY), Step("yes")]
    plans = [
        ReplicaPlan({f"D-r{replica}-c{n}": list(steps) for n in range(per_replica)})
        for replica in range(REPLICAS)
    ]
    replies = flatten(run_replicas(REDIS_TEST_URL, namespace, plans))

    numbers = [n for r in replies for n in r.case_numbers]
    total = REPLICAS * per_replica
    assert sorted(numbers) == [f"CS-{1001 + i}" for i in range(total)]
    cases = store.cases.list_cases()
    assert len(cases) == total
    assert len({c.origin_thread for c in cases}) == total  # one case per conversation
    for case in cases:
        assert [e.action for e in store.cases.audit_trail(case.number)] == ["create"]


def _append_notes(namespace: str, worker: int, count: int, barrier: object) -> None:
    """Append notes by read-modify-write with the version read; retry when it moved on."""
    with RedisStore(REDIS_TEST_URL, namespace=namespace) as store:
        barrier.wait(timeout=60)  # type: ignore[attr-defined]
        for n in range(count):
            while True:
                case = store.cases.get_case("CS-1001")
                assert case is not None
                try:
                    store.cases.update_case(
                        "CS-1001",
                        actor_id=f"U0W{worker}",
                        now=NOW + timedelta(seconds=n),
                        changes={"troubleshooting": f"{case.troubleshooting or ''}[w{worker}-{n}]"},
                        expected_version=case.version,
                    )
                    break
                except VersionConflict:
                    continue


def test_concurrent_read_modify_write_from_processes_loses_no_change(
    namespace: str, store: RedisStore
) -> None:
    store.cases.create_case(make_draft(), idempotency_key="k", actor_id="U01AAA", now=NOW)
    per_worker = 15
    context = replica_context()
    barrier = context.Barrier(REPLICAS)
    workers = [
        context.Process(target=_append_notes, args=(namespace, w, per_worker, barrier))
        for w in range(REPLICAS)
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert [w.exitcode for w in workers] == [0] * REPLICAS

    final = store.cases.get_case("CS-1001")
    assert final is not None
    notes = sorted((final.troubleshooting or "").strip("[]").split("][")) if final else []
    assert notes == sorted(f"w{w}-{n}" for w in range(REPLICAS) for n in range(per_worker))
    updates = [e for e in store.cases.audit_trail("CS-1001") if e.action == "update"]
    assert len(updates) == REPLICAS * per_worker  # every change audited, none twice
    assert final.version == 1 + REPLICAS * per_worker


def _fire_due_timers(namespace: str, barrier: object, queue: object) -> None:
    """A replica's timer loop: claim whatever is due; report what this replica fired."""
    fired = []
    with RedisStore(REDIS_TEST_URL, namespace=namespace) as store:
        barrier.wait(timeout=60)  # type: ignore[attr-defined]
        for _ in range(3):
            for timer in store.timers.due(NOW):
                if store.timers.claim(timer.timer_id):
                    fired.append(timer.timer_id)
    queue.put(fired)  # type: ignore[attr-defined]


def test_each_due_timer_fires_on_exactly_one_replica(namespace: str, store: RedisStore) -> None:
    timers = [f"remind:CS-{1001 + n}" for n in range(60)]
    for n, timer_id in enumerate(timers):
        store.timers.schedule(timer_id, due_at=NOW - timedelta(minutes=n), payload={"n": n})
    store.timers.schedule("later", due_at=NOW + timedelta(days=1), payload={})
    context = replica_context()
    barrier, queue = context.Barrier(REPLICAS), context.Queue()
    workers = [
        context.Process(target=_fire_due_timers, args=(namespace, barrier, queue))
        for _ in range(REPLICAS)
    ]
    for worker in workers:
        worker.start()
    fired = flatten([queue.get(timeout=120) for _ in workers])
    for worker in workers:
        worker.join(timeout=30)
    assert sorted(fired) == sorted(timers)  # every due timer once, none twice, none early
    assert [t.timer_id for t in store.timers.due(NOW + timedelta(days=2))] == ["later"]
