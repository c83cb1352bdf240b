"""Measure the embedded store on this machine: `python -m bot.store.benchmark [--cases N]`.

Prints median and 95th-percentile latencies of the operations a conversation makes (create a
case, update it, read it, list an organization's cases, dedup an event) on a fresh SQLite file
in a temporary directory, with the durable settings the bot uses (WAL, synchronous=FULL).
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from bot.store.models import CaseDraft
from bot.store.sqlite import SqliteStore


def _draft(index: int) -> CaseDraft:
    return CaseDraft(
        org_short_name=("acme", "bergwerk", "wattle")[index % 3],
        org_id="0f8fad5b-d9cb-469f-a165-70867728950e",
        requester_id="U01AAA",
        requester_name="Ana Ruiz",
        title=f"Benchmark issue {index}",
        description="Agents cannot log in to the desktop app. " * 5,
        business_impact="Half of the agents cannot take calls.",
        severity=2 + index % 3,
    )


def _timed(operation: Callable[[int], object], count: int) -> list[float]:
    samples = []
    for index in range(count):
        started = time.perf_counter()
        operation(index)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def _row(name: str, samples: list[float]) -> str:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))]
    return f"{name:<28}{len(samples):>6}{statistics.median(samples):>10.2f}{p95:>10.2f}"


def run(cases: int) -> str:
    now = datetime.now(UTC)
    with tempfile.TemporaryDirectory() as folder, SqliteStore(Path(folder) / "b.sqlite3") as store:
        rows = [
            _row(
                "create_case",
                _timed(
                    lambda i: store.cases.create_case(
                        _draft(i), idempotency_key=f"k{i}", actor_id="U01AAA", now=now
                    ),
                    cases,
                ),
            ),
            _row(
                "create_case (same key)",
                _timed(
                    lambda i: store.cases.create_case(
                        _draft(i), idempotency_key=f"k{i}", actor_id="U01AAA", now=now
                    ),
                    cases,
                ),
            ),
            _row(
                "update_case",
                _timed(
                    lambda i: store.cases.update_case(
                        f"CS-{1001 + i}", actor_id="U0STAFF1", now=now, changes={"severity": 4}
                    ),
                    cases,
                ),
            ),
            _row("get_case", _timed(lambda i: store.cases.get_case(f"CS-{1001 + i}"), cases)),
            _row(
                f"list_cases (org of {cases})",
                _timed(lambda i: store.cases.list_cases(org_short_name="acme"), 50),
            ),
            _row(
                "dedup.first_time",
                _timed(lambda i: store.dedup.first_time(f"Ev{i}", ttl_seconds=3600), cases),
            ),
        ]
    header = f"{'operation':<28}{'count':>6}{'p50 ms':>10}{'p95 ms':>10}"
    return "\n".join([header, *rows])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=500, help="cases to create (default 500)")
    args = parser.parse_args()
    print(run(max(1, args.cases)))


if __name__ == "__main__":
    main()
