"""Latency of single store operations (one client, no engine), for both backends.

The operations a conversation makes: create a case, repeat it with the same key (a retried
confirmation), update it, read it, list an organization's cases, de-duplicate an event.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from bot.store.models import CaseDraft


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


def operation_latencies(store: Any, count: int) -> dict[str, tuple[int, float, float]]:
    """{operation: (samples, p50 ms, p95 ms)} on an empty store."""
    now = datetime.now(UTC)
    runs = {
        "create_case": lambda i: store.cases.create_case(
            _draft(i), idempotency_key=f"k{i}", actor_id="U01AAA", now=now
        ),
        "create_case (same key)": lambda i: store.cases.create_case(
            _draft(i), idempotency_key=f"k{i}", actor_id="U01AAA", now=now
        ),
        "update_case": lambda i: store.cases.update_case(
            f"CS-{1001 + i}", actor_id="U0STAFF1", now=now, changes={"severity": 4}
        ),
        "get_case": lambda i: store.cases.get_case(f"CS-{1001 + i}"),
        f"list_cases (org, {count} cases)": lambda i: store.cases.list_cases(org_short_name="acme"),
        "dedup.first_time": lambda i: store.dedup.first_time(f"Ev{i}", ttl_seconds=3600),
    }
    result = {}
    for name, operation in runs.items():
        samples = sorted(_timed(operation, count if "list" not in name else min(count, 50)))
        p95 = samples[min(len(samples) - 1, int(len(samples) * 0.95))]
        result[name] = (len(samples), statistics.median(samples), p95)
    return result
