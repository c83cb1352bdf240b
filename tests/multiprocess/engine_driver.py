"""A bot replica in its own OS process: an Engine on a shared Redis namespace.

`start_replicas` starts one process per plan; each builds its own Engine and Redis client,
waits at a shared barrier so all replicas speak at the same moment, runs its conversations
(one thread per conversation) and sends back what each message got as a reply.
"""

from __future__ import annotations

import multiprocessing
import threading
from dataclasses import dataclass, field
from multiprocessing.synchronize import Barrier
from typing import Any

PRELOAD = ["bot.engine", "bot.store.redis_store", "tests.faults.intake"]
BARRIER_TIMEOUT_SECONDS = 60
RESULT_TIMEOUT_SECONDS = 120


INTAKE_TO_SUMMARY = "<walk the intake to its summary>"


@dataclass(frozen=True)
class Step:
    """A message to send; the text INTAKE_TO_SUMMARY runs the whole intake up to the summary."""

    text: str
    event_id: str | None = None


@dataclass(frozen=True)
class ReplicaPlan:
    """What one replica says: conversation key -> its messages, in order."""

    conversations: dict[str, list[Step]] = field(default_factory=dict)


@dataclass(frozen=True)
class Reply:
    conversation_key: str
    text: str
    kinds: tuple[str, ...]
    case_numbers: tuple[str, ...]
    created: tuple[bool, ...]


def _replica(
    url: str, namespace: str, plan: ReplicaPlan, barrier: Barrier, queue: Any, replica: int
) -> None:
    from bot.store.redis_store import RedisStore
    from tests.support.intake import conversation, engine_on, walk_to_summary

    store = RedisStore(url, namespace=namespace)
    engine = engine_on(store)
    replies: list[Reply] = []
    replies_lock = threading.Lock()

    def talk(key: str, steps: list[Step]) -> None:
        person = conversation(engine, key)
        for step in steps:
            if step.text == INTAKE_TO_SUMMARY:
                walk_to_summary(person)
                continue
            out = person.say(step.text, event_id=step.event_id)
            reply = Reply(
                conversation_key=key,
                text=step.text,
                kinds=tuple(o.kind for o in out),
                case_numbers=tuple(o.case_number for o in out if o.kind == "case_created"),
                created=tuple(bool(o.data.get("created")) for o in out if o.kind == "case_created"),
            )
            with replies_lock:
                replies.append(reply)

    threads = [
        threading.Thread(target=talk, args=(key, steps))
        for key, steps in plan.conversations.items()
    ]
    try:
        barrier.wait(timeout=BARRIER_TIMEOUT_SECONDS)
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        queue.put((replica, replies, None))
    except Exception as error:  # reported to the test instead of dying silently
        queue.put((replica, replies, f"{type(error).__name__}: {error}"))
    finally:
        store.close()


def replica_context() -> multiprocessing.context.BaseContext:
    """Fresh processes (no state inherited from the test), forked from a preloaded server."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    return context


def run_replicas(url: str, namespace: str, plans: list[ReplicaPlan]) -> list[list[Reply]]:
    """Run every plan in its own process at the same moment; the replies of each, in order."""
    context = replica_context()
    barrier = context.Barrier(len(plans))
    queue = context.Queue()
    processes = [
        context.Process(target=_replica, args=(url, namespace, plan, barrier, queue, index))
        for index, plan in enumerate(plans)
    ]
    for process in processes:
        process.start()
    results: dict[int, list[Reply]] = {}
    try:
        for _ in processes:
            replica, replies, error = queue.get(timeout=RESULT_TIMEOUT_SECONDS)
            assert error is None, f"replica {replica} failed: {error}"
            results[replica] = replies
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    assert all(p.exitcode == 0 for p in processes), [p.exitcode for p in processes]
    return [results[index] for index in range(len(plans))]
