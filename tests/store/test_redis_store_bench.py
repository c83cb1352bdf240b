"""bench/store_bench.py keeps working: a tiny run reports every figure, with no failed turn.

Only that the script runs and its conversations end in cases is checked here; the speed and
memory figures themselves live in BENCHMARKS.md, measured by the full run.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_a_tiny_benchmark_run_reports_both_stores_and_creates_cases() -> None:
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "store_bench.py"),
            "--levels=1",
            "--paced=2@40",
            "--seconds=1",
            "--memory=10",
            "--ops=10",
        ],
        capture_output=True,
        text=True,
        timeout=180,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [line.split("|")[1:-1] for line in result.stdout.splitlines() if line.startswith("| ")]
    turns = [[cell.strip() for cell in row] for row in rows if len(row) == 11][1:]
    assert [(r[0], r[1], r[2]) for r in turns] == [
        ("redis", "1", "as fast as answered"),
        ("redis", "2", "40 turns/s offered"),
        ("sqlite", "1", "as fast as answered"),
        ("sqlite", "2", "40 turns/s offered"),
    ]
    for row in turns:
        assert row[9] == "0", f"failed turns in {row}"
        assert int(row[10]) > 0, f"no case created in {row}"
    assert float(turns[0][8]) < 8  # Redis round trips per turn stay a handful
    assert "| redis | create_case |" in result.stdout
