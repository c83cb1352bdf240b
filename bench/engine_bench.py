"""Turn latency of whole conversations: `python bench/engine_bench.py [--conversations N]`.

Runs N complete intake conversations (report, conversation ID, severity, confirmation) as a
designated contact on a fresh embedded store with the real NLU, and prints per-turn latency
percentiles, throughput and peak memory. The NLU model is built first if needed (not timed).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bot.directory import load_directory
from bot.engine.engine import Engine
from bot.messages import Inbound
from bot.store.factory import open_store

SCRIPT = (
    "Inbound calls on the billing queue have bad audio quality for some agents, "
    "but they can still work with desk phones",
    "3f2b9c1e-8a4d-4e5f-9b6a-1c2d3e4f5a6b",
    "yes",
    "yes",
)


def run(conversations: int) -> dict[str, float]:
    from nlu.service import get_service

    nlu = get_service()
    nlu.parse("warm up")
    with tempfile.TemporaryDirectory() as scratch:
        store = open_store(data_dir=Path(scratch))
        engine = Engine(store=store, directory=load_directory(), nlu=nlu)
        latencies: list[float] = []
        started = time.perf_counter()
        for number in range(conversations):
            for text in SCRIPT:
                inbound = Inbound(
                    sender_id="U01AAA",
                    text=text,
                    conversation_key=f"bench-{number}",
                    received_at=datetime.now(UTC),
                )
                before = time.perf_counter()
                engine.handle(inbound)
                latencies.append(time.perf_counter() - before)
        elapsed = time.perf_counter() - started
        created = len(store.cases.list_cases())
        store.close()
    ordered = sorted(latencies)
    return {
        "conversations": conversations,
        "cases_created": created,
        "turns": len(latencies),
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": ordered[int(len(ordered) * 0.95) - 1] * 1000,
        "max_ms": ordered[-1] * 1000,
        "turns_per_second": len(latencies) / elapsed,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conversations", type=int, default=50)
    args = parser.parse_args()
    result = run(args.conversations)
    if result["cases_created"] != args.conversations:
        raise SystemExit(f"expected {args.conversations} cases, got {result['cases_created']}")
    print(
        f"{result['conversations']} conversations, {result['turns']} turns, "
        f"{result['cases_created']} cases: p50 {result['p50_ms']:.1f} ms, "
        f"p95 {result['p95_ms']:.1f} ms, max {result['max_ms']:.1f} ms, "
        f"{result['turns_per_second']:.1f} turns/s, peak RSS {result['peak_rss_mb']:.0f} MB"
    )


if __name__ == "__main__":
    main()
