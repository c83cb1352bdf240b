"""Store benchmark: turns through the engine on Redis and on the embedded SQLite store.

    .venv/bin/python bench/store_bench.py                 # everything, prints Markdown
    .venv/bin/python bench/store_bench.py --seconds 3 --levels 1,10 --memory 1000   # quick

For each store and each level of concurrent conversations (default 1, 10, 100) it starts
worker processes (default 2, one per core; each conversation is a thread in one of them), lets
every conversation go from report to case as fast as the engine answers for `--seconds`, and
reports turns per second, p50/p99 turn latency, Redis round trips per turn, failed turns and
cases created. Then it stores `--memory` conversations (the events of a finished intake) and as
many cases, and reports the bytes each takes, and the p50/p95 latency of single store
operations (`--ops` samples each). Redis runs
as a private server on a free loopback port (append-only file, fsync every second) unless
`--redis-url` is given; nothing else on the machine is touched. Loops are bounded by time and
count; all traffic is loopback.
"""

from __future__ import annotations

import argparse
import multiprocessing
import platform
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from queue import Empty
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.store_ops import operation_latencies  # noqa: E402
from bench.store_redis_server import PrivateRedis  # noqa: E402
from bench.store_workload import Pacer, TurnLog, build_engine, converse  # noqa: E402
from bot.store.models import CaseDraft  # noqa: E402

PRELOAD = ["bot.engine", "bot.store.redis_store", "bot.store.sqlite", "bench.store_workload"]
BARRIER_TIMEOUT_SECONDS = 120


@dataclass(frozen=True)
class Backend:
    """Where a worker opens its store: a Redis URL and namespace, or a SQLite file."""

    name: str
    location: str
    namespace: str | None = None

    def open(self) -> Any:
        if self.name == "redis":
            from bot.store.redis_store import RedisStore

            return RedisStore(self.location, namespace=self.namespace)
        from bot.store.sqlite import SqliteStore

        return SqliteStore(Path(self.location))


@dataclass(frozen=True)
class LevelResult:
    backend: str
    conversations: int
    load: str
    layout: str
    turns: int
    turns_per_second: float
    p50_ms: float
    p99_ms: float
    round_trips_per_turn: float | None
    failures: int
    unexpected: int
    cases: int


def _worker(
    backend: Backend,
    threads: int,
    seconds: float,
    label: str,
    barrier: Any,
    queue: Any,
    index: int,
    pacing: tuple[float, int, int] | None = None,
) -> None:
    """`pacing` = (turns/s offered by all conversations, first conversation index, total)."""
    store = backend.open()
    try:
        engine = build_engine(store)
        warm = TurnLog()
        converse(engine, f"{label}-warm-{index}", warm, threading.Lock())
        log = TurnLog()
        lock = threading.Lock()
        barrier.wait(timeout=BARRIER_TIMEOUT_SECONDS)
        round_trips_before = getattr(store, "round_trips", None)
        started = time.monotonic()
        deadline = started + seconds

        def loop(thread: int) -> None:
            pacer = None
            stop_at = None
            if pacing is not None:
                rate, first, total = pacing
                interval = total / rate
                pacer = Pacer(interval=interval, offset=interval * (first + thread) / total)
                stop_at = time.perf_counter() + seconds
            number = 0
            while time.monotonic() < deadline:
                key = f"{label}-w{index}-t{thread}-c{number}"
                converse(engine, key, log, lock, pacer=pacer, deadline=stop_at)
                number += 1

        workers = [threading.Thread(target=loop, args=(t,)) for t in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        finished = time.monotonic()
        round_trips = None if round_trips_before is None else store.round_trips - round_trips_before
        queue.put((index, log, round_trips, started, finished, None))
    except Exception as error:  # reported by the parent, which prints one line
        queue.put((index, TurnLog(), None, 0.0, 0.0, f"{type(error).__name__}: {error}"))
    finally:
        store.close()


def _percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * fraction))]


def run_level(
    backend: Backend,
    *,
    conversations: int,
    processes: int,
    seconds: float,
    rate: float | None = None,
) -> LevelResult:
    """Closed loop (each conversation sends as soon as it is answered), or paced at `rate`."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(PRELOAD)
    used = max(1, min(processes, conversations))
    per_process = [
        conversations // used + (1 if i < conversations % used else 0) for i in range(used)
    ]
    barrier = context.Barrier(used)
    queue = context.Queue()
    label = f"bench-{uuid.uuid4().hex[:8]}-{conversations}"
    procs = [
        context.Process(
            target=_worker,
            args=(
                backend,
                threads,
                seconds,
                label,
                barrier,
                queue,
                index,
                None if rate is None else (rate, sum(per_process[:index]), conversations),
            ),
        )
        for index, threads in enumerate(per_process)
    ]
    for proc in procs:
        proc.start()
    results = []
    give_up = time.monotonic() + BARRIER_TIMEOUT_SECONDS + seconds * 10
    while len(results) < len(procs):
        try:
            results.append(queue.get(timeout=1))
        except Empty:
            dead = [p.exitcode for p in procs if p.exitcode not in (None, 0)]
            if dead or time.monotonic() > give_up:
                for proc in procs:
                    proc.kill()
                raise RuntimeError(f"benchmark workers died or hung (exit codes {dead})") from None
    for proc in procs:
        proc.join(timeout=60)
    errors = [r[5] for r in results if r[5]]
    if errors:
        raise RuntimeError(f"a benchmark worker failed: {errors[0]}")
    latencies = sorted(x for r in results for x in r[1].latencies_ms)
    turns = len(latencies)
    wall = max(r[4] for r in results) - min(r[3] for r in results)
    trips = [r[2] for r in results]
    return LevelResult(
        backend=backend.name,
        conversations=conversations,
        load="as fast as answered" if rate is None else f"{rate:g} turns/s offered",
        layout=" + ".join(str(n) for n in per_process),
        turns=turns,
        turns_per_second=turns / wall if wall > 0 else 0.0,
        p50_ms=statistics.median(latencies) if latencies else 0.0,
        p99_ms=_percentile(latencies, 0.99) if latencies else 0.0,
        round_trips_per_turn=None if None in trips else sum(trips) / max(1, turns),  # type: ignore[arg-type]
        failures=sum(r[1].failures for r in results),
        unexpected=sum(r[1].unexpected for r in results),
        cases=sum(r[1].cases for r in results),
    )


def finished_conversation(backend: Backend) -> tuple[list[dict[str, Any]], CaseDraft]:
    """The stored events of one intake that ended in a case, and that case as a draft."""
    store = backend.open()
    try:
        engine = build_engine(store)
        key = f"sample-{uuid.uuid4().hex[:8]}"
        converse(engine, key, TurnLog(), threading.Lock())
        events = store.trackers.load(key)
        [case] = [c for c in store.cases.list_cases() if c.origin_thread == key]
        draft = CaseDraft(
            **{
                name: getattr(case, name)
                for name in CaseDraft.__dataclass_fields__  # same names as the case's fields
            }
        )
        return events, draft
    finally:
        store.close()


def redis_namespace_bytes(url: str, namespace: str, kinds: tuple[str, ...]) -> int:
    """Sum of MEMORY USAGE over the namespace's keys whose first part is one of `kinds`."""
    import redis

    client = redis.Redis.from_url(url, decode_responses=True)
    prefix = f"supportbot:{namespace}:"
    keys = [
        k
        for k in client.scan_iter(match=prefix + "*", count=1000)
        if k[len(prefix) :].split(":", 1)[0] in kinds
    ]
    total = 0
    for start in range(0, len(keys), 1000):
        pipe = client.pipeline(transaction=False)
        for key in keys[start : start + 1000]:
            pipe.memory_usage(key, samples=0)
        total += sum(int(n or 0) for n in pipe.execute())
    client.close()
    return total


def sqlite_bytes(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
    finally:
        conn.close()
    return int((pages - free) * page_size)


def measure_memory(backend: Backend, count: int) -> tuple[float, float, int]:
    """Bytes per stored conversation and per case (with audit and indexes); events per conv."""
    from datetime import UTC, datetime

    events, draft = finished_conversation(backend)
    if backend.name == "redis":
        backend = Backend("redis", backend.location, f"bench-memory-{uuid.uuid4().hex[:8]}")
    else:
        backend = Backend("sqlite", str(Path(backend.location).with_suffix(".memory.sqlite3")))
    store = backend.open()
    try:
        before = _stored_bytes(backend)
        for n in range(count):
            store.trackers.save(f"C0BENCH:{1_700_000_000 + n}.000100", events)
        after_trackers = _stored_bytes(backend)
        now = datetime.now(UTC)
        for n in range(count):
            store.cases.create_case(draft, idempotency_key=f"mem-{n}", actor_id="U01AAA", now=now)
        after_cases = _stored_bytes(backend)
    finally:
        store.close()
        if backend.name == "redis" and backend.namespace:
            from bot.store.redis_admin import delete_namespace

            delete_namespace(backend.location, backend.namespace)
    per_conversation = (after_trackers[0] - before[0]) / count
    per_case = (after_cases[1] - after_trackers[1]) / count
    return per_conversation, per_case, len(events)


def _stored_bytes(backend: Backend) -> tuple[int, int]:
    """(bytes of conversations, bytes of everything) for the backend's storage."""
    if backend.name == "redis":
        assert backend.namespace is not None
        trackers = redis_namespace_bytes(backend.location, backend.namespace, ("tracker",))
        everything = redis_namespace_bytes(
            backend.location,
            backend.namespace,
            ("tracker", "case", "audit", "index", "idempotency", "seq"),
        )
        return trackers, everything
    size = sqlite_bytes(Path(backend.location))
    return size, size


def measure_operations(backend: Backend, count: int) -> dict[str, tuple[int, float, float]]:
    """Single-operation latencies on a fresh namespace or file."""
    if backend.name == "redis":
        backend = Backend("redis", backend.location, f"bench-ops-{uuid.uuid4().hex[:8]}")
    else:
        backend = Backend("sqlite", str(Path(backend.location).with_suffix(".ops.sqlite3")))
    store = backend.open()
    try:
        return operation_latencies(store, count)
    finally:
        store.close()
        if backend.name == "redis" and backend.namespace:
            from bot.store.redis_admin import delete_namespace

            delete_namespace(backend.location, backend.namespace)


def _fmt_trips(value: float | None) -> str:
    return "n/a (in-process)" if value is None else f"{value:.1f}"


def report(
    levels: list[LevelResult],
    memory: dict[str, tuple[float, float, int]],
    operations: dict[str, dict[str, tuple[int, float, float]]],
) -> str:
    lines = [
        "| store | concurrent conversations | load | threads per process | turns | turns/s "
        "| p50 ms | p99 ms | Redis round trips per turn | failed turns | cases created |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in levels:
        lines.append(
            f"| {r.backend} | {r.conversations} | {r.load} | {r.layout} | {r.turns} | "
            f"{r.turns_per_second:.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | "
            f"{_fmt_trips(r.round_trips_per_turn)} | {r.failures + r.unexpected} | {r.cases} |"
        )
    lines += [
        "",
        "| store | bytes per stored conversation | events per conversation "
        "| bytes per case (with audit and indexes) |",
        "|---|---|---|---|",
    ]
    for name, (per_conversation, per_case, events) in memory.items():
        lines.append(f"| {name} | {per_conversation:,.0f} | {events} | {per_case:,.0f} |")
    lines += ["", "| store | operation | samples | p50 ms | p95 ms |", "|---|---|---|---|---|"]
    for name, measured in operations.items():
        for operation, (samples, p50, p95) in measured.items():
            lines.append(f"| {name} | {operation} | {samples} | {p50:.2f} | {p95:.2f} |")
    return "\n".join(lines)


Level = tuple[int, float | None]  # (concurrent conversations, offered turns/s or None)


def parse_levels(closed: str, paced: str) -> list[Level]:
    """`--levels 1,10,100` (closed loop) plus `--paced 10@300` (conversations@turns per second)."""
    levels: list[Level] = [(int(n), None) for n in closed.split(",") if n.strip()]
    for spec in (p.strip() for p in paced.split(",") if p.strip()):
        conversations, _, rate = spec.partition("@")
        levels.append((int(conversations), float(rate)))
    if not levels or any(n < 1 or (r is not None and r <= 0) for n, r in levels):
        raise ValueError("levels must be positive")
    return levels


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--stores", default="redis,sqlite", help="redis,sqlite (default both)")
    parser.add_argument("--levels", default="1,10,100", help="concurrent conversations")
    parser.add_argument(
        "--paced", default="10@300", help="CONVERSATIONS@TURNS_PER_SECOND, open loop ('' for none)"
    )
    parser.add_argument("--processes", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--seconds", type=float, default=8.0, help="duration of each level")
    parser.add_argument("--memory", type=int, default=10_000, help="conversations to store")
    parser.add_argument("--ops", type=int, default=500, help="samples per single operation")
    parser.add_argument("--redis-url", default=None, help="an existing server to use instead")
    args = parser.parse_args(argv)
    stores = [s.strip() for s in args.stores.split(",") if s.strip()]
    try:
        levels = parse_levels(args.levels, args.paced)
    except ValueError:
        parser.error("--levels takes positive integers, --paced CONVERSATIONS@RATE")
    if not set(stores) <= {"redis", "sqlite"}:
        parser.error("--stores takes redis and/or sqlite")
    seconds = min(max(args.seconds, 0.5), 120.0)
    memory_count = min(max(args.memory, 10), 100_000)
    ops_count = min(max(args.ops, 10), 10_000)

    print(
        f"# store_bench: {platform.python_version()}, {multiprocessing.cpu_count()} cores, "
        f"{args.processes} worker processes, {seconds:g} s per level",
        file=sys.stderr,
    )
    results: list[LevelResult] = []
    memory: dict[str, tuple[float, float, int]] = {}
    operations: dict[str, dict[str, tuple[int, float, float]]] = {}
    with tempfile.TemporaryDirectory(prefix="store-bench-") as folder:
        workdir = Path(folder)
        for store_name in stores:
            if store_name == "redis" and args.redis_url:
                results += _redis_levels(args.redis_url, levels, args.processes, seconds)
                memory["redis"] = measure_memory(Backend("redis", args.redis_url), memory_count)
                operations["redis"] = measure_operations(
                    Backend("redis", args.redis_url), ops_count
                )
            elif store_name == "redis":
                with PrivateRedis(workdir) as url:
                    results += _redis_levels(url, levels, args.processes, seconds)
                    memory["redis"] = measure_memory(Backend("redis", url), memory_count)
                    operations["redis"] = measure_operations(Backend("redis", url), ops_count)
            else:
                for number, (conversations, rate) in enumerate(levels):
                    path = workdir / f"bench-{number}.sqlite3"
                    results.append(
                        run_level(
                            Backend("sqlite", str(path)),
                            conversations=conversations,
                            processes=args.processes,
                            seconds=seconds,
                            rate=rate,
                        )
                    )
                    print(f"# sqlite {conversations} {rate or 'closed'}: done", file=sys.stderr)
                memory["sqlite"] = measure_memory(
                    Backend("sqlite", str(workdir / "memory.sqlite3")), memory_count
                )
                operations["sqlite"] = measure_operations(
                    Backend("sqlite", str(workdir / "ops.sqlite3")), ops_count
                )
    print(report(results, memory, operations))
    return 0


def _redis_levels(
    url: str, levels: list[Level], processes: int, seconds: float
) -> list[LevelResult]:
    results = []
    for conversations, rate in levels:
        namespace = f"bench-{uuid.uuid4().hex[:8]}"
        try:
            results.append(
                run_level(
                    Backend("redis", url, namespace),
                    conversations=conversations,
                    processes=processes,
                    seconds=seconds,
                    rate=rate,
                )
            )
        finally:
            from bot.store.redis_admin import delete_namespace

            delete_namespace(url, namespace)
        print(f"# redis {conversations} {rate or 'closed'}: done", file=sys.stderr)
    return results


if __name__ == "__main__":
    sys.exit(main())
