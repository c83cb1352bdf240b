"""bench/scale_bench.py keeps working: a tiny run on both stores reports every figure.

Only that the script runs through and prints its tables is checked; the figures themselves
are measured by the full run and reported in BENCHMARKS.md.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_tiny_run_prints_every_operation_and_verdict_for_both_stores() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "scale_bench.py"),
            "--sizes=150,200",
            "--runs=1",
            "--samples=5",
            "--op-seconds=0.1",
            "--intakes=1",
            "--ack-events=6",
            "--burst=3",
            "--concurrency-seconds=0.5",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rows = {tuple(c.strip() for c in line.split("|")[1:3]) for line in result.stdout.splitlines()}
    for store in ("sqlite", "redis"):
        for operation in (
            "status of a case (turn)",
            "my organization's cases (turn)",
            "relay to staff",
            "App Home, staff",
            "Slack ack, minimal Bolt app",
            "cases list: peak RSS MB",
        ):
            assert (operation, store) in rows, f"no {operation!r} row for {store}"
    assert ("Redis round trips: whole intake", "redis") in rows
    assert ("10 concurrent conversations: turn p99 ms", "sqlite") in rows
    assert "| `cases list` first line < 0.3 s | redis |" in result.stdout
