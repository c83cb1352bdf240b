"""NLU worst case: the slowest parse per family of adversarial input, up to 4,000 characters.

Each family (the shapes tests/nlu/test_parse_fuzz.py draws from, plus the patterns that were
slow before: a blank run after a keyword, hundreds of issues, thousands of entities, trailing
conjunctions) is generated from a fixed seed at 500, 1,000, 2,000 and 4,000 characters, in
several variants. Every input is parsed 3 times with an unlimited deadline, so the figure is
the parse's own cost, not the budget's cut. Per family the slowest input (by median of its 3
runs) is reported with its spread (slowest minus fastest run), against the 50 ms target.

Run: .venv/bin/python bench/nlu_worst_case.py   (uses the stored model; builds it if missing)
"""

from __future__ import annotations

import os
import platform
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from nlu.budget import PARSE_BUDGET_SECONDS, Deadline
from nlu.service import NluService, build_service

SEED = 12
LENGTHS = (500, 1000, 2000, 4000)
RUNS = 3
TARGET_MS = 50.0

PHRASES = (
    "the whole contact center is down, no agent can take any calls",
    "15 of our 120 agents hear one-way audio since this morning",
    "there is no workaround",
    "we can still answer, but it takes twice as long",
    "also the wallboard shows the wrong totals",
    "status of CS-1001",
    "raise it to sev 1",
    "how do I format a chat message?",
)
KEYWORDS = ("case", "cs", "sev", "also", "and", "no", "not", "of", "agents", "#", "1)", "-", "•")
BLANKS = (" ", "\t", "\n", "\r", "\xa0", "\u2003", "\u3000", "\x1c", "\u2028", "\u200b", "\n ")
PUNCTUATION = ".,;:!?-*_~`>|<()#&'\"/"
WRAPPERS = (
    ("*", "*"), ("_", "_"), ("~", "~"), ("`", "`"), ("> ", ""), ("<@U123ABC|", ">"),
    ("<http://example.com/a|", ">"), ("<!here>", ""), ("<#C123|", ">"), (":fire:", ""),
    ("&lt;", "&gt;"), ("<", ">"),
)  # fmt: skip

Family = Callable[[random.Random, int], list[str]]


def fit(text: str, size: int) -> str:
    """`text` repeated or cut to exactly `size` characters."""
    return (text * (size // max(len(text), 1) + 1))[:size]


def random_unicode(rng: random.Random, size: int) -> list[str]:
    anywhere = "".join(chr(rng.randrange(0x110000)) for _ in range(size))
    plane_0 = "".join(chr(rng.randrange(0x10000)) for _ in range(size))
    words = " ".join(rng.choice(PHRASES + KEYWORDS) for _ in range(size // 4))
    mixed = "".join(ch if rng.random() < 0.8 else chr(rng.randrange(0x10000)) for ch in words)
    return [anywhere, plane_0, fit(mixed, size)]


def lone_surrogates(rng: random.Random, size: int) -> list[str]:
    halves = "".join(chr(rng.randrange(0xD800, 0xE000)) for _ in range(size))
    spliced = " ".join(
        f"{rng.choice(PHRASES)} {chr(rng.randrange(0xD800, 0xE000))}" for _ in range(size // 20)
    )
    return [halves, fit(spliced, size)]


def blank_runs(rng: random.Random, size: int) -> list[str]:
    return [fit(blank, size) for blank in BLANKS] + [
        "".join(rng.choice(BLANKS) for _ in range(size))[:size]
    ]


def punctuation_runs(rng: random.Random, size: int) -> list[str]:
    return [fit(mark, size) for mark in PUNCTUATION] + [
        "".join(rng.choice(PUNCTUATION) for _ in range(size))
    ]


def nested_markup(rng: random.Random, size: int) -> list[str]:
    inputs = []
    for _ in range(4):
        text = rng.choice(PHRASES)
        while len(text) < size:
            before, after = rng.choice(WRAPPERS)
            text = before + text + after
        inputs.append(text[:size])
    unclosed = fit("".join(before for before, _ in WRAPPERS), size)
    return [*inputs, unclosed]


def repeated_keywords(rng: random.Random, size: int) -> list[str]:
    return [fit(word + " ", size) for word in KEYWORDS] + [
        fit(" ".join(rng.choice(KEYWORDS) for _ in range(50)) + " ", size)
    ]


def phrases_and_noise(rng: random.Random, size: int) -> list[str]:
    inputs = []
    for _ in range(3):
        parts: list[str] = []
        while sum(map(len, parts)) < size:
            parts.append(rng.choice(PHRASES))
            parts.append(rng.choice(BLANKS) * rng.randrange(1, 40))
            parts.append(rng.choice(PUNCTUATION) * rng.randrange(1, 10))
        inputs.append("".join(parts)[:size])
    return inputs


def blank_run_after_a_keyword(rng: random.Random, size: int) -> list[str]:
    """The issue's own shape, for every keyword a pattern starts with (step 1 of the audit)."""
    starts = ("case", "cs", "ticket", "also", "about", "sev", "high", "open report R-1A2B3C")
    return [
        start + fit(blank, size - len(start) - 1) + "x"
        for start in starts
        for blank in (" ", "\xa0", "\u2003", "\n ")
    ]


def many_issues(rng: random.Random, size: int) -> list[str]:
    numbered = " ".join(f"{n}) queue {n} is broken" for n in range(1, size))
    return [
        fit("- calls are broken\n", size),
        fit("• broken ", size),
        fit("also the edge is down. ", size),
        numbered[:size],
        "two issues: " + fit("the edge is down, and the ", size - 12),
    ]


def many_entities(rng: random.Random, size: int) -> list[str]:
    return [
        fit(unit, size)
        for unit in ("IVR ", "#1234 ", "CS-1001 ", "sev 1 ", "15 of our 120 agents ")
    ]


def trailing_conjunctions(rng: random.Random, size: int) -> list[str]:
    return [
        "calls are broken " + fit(word + " ", size - 17) for word in ("and", "plus", "but", "or")
    ]


FAMILIES: dict[str, Family] = {
    "random Unicode": random_unicode,
    "lone surrogates": lone_surrogates,
    "blank runs": blank_runs,
    "punctuation runs": punctuation_runs,
    "nested markup": nested_markup,
    "repeated keywords": repeated_keywords,
    "report phrases + noise": phrases_and_noise,
    "blank run after a keyword": blank_run_after_a_keyword,
    "hundreds of issues": many_issues,
    "thousands of entities": many_entities,
    "trailing conjunctions": trailing_conjunctions,
}


def timed(service: NluService, text: str) -> list[float]:
    """Milliseconds per run, each parse with no deadline."""
    samples = []
    for _ in range(RUNS):
        begin = time.perf_counter()
        service.parse(text, deadline=Deadline.unlimited())
        samples.append((time.perf_counter() - begin) * 1000)
    return samples


def worst(service: NluService, inputs: list[str]) -> tuple[float, float]:
    """(median, spread) of the input whose median is the largest."""
    runs = [timed(service, text) for text in inputs]
    slowest = max(runs, key=statistics.median)
    return statistics.median(slowest), max(slowest) - min(slowest)


def main() -> int:
    service = build_service()
    for text in PHRASES * 5:
        service.parse(text)  # warm up
    print(
        f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.2f}; "
        f"seed {SEED}, {RUNS} runs per input, no deadline (the budget is "
        f"{PARSE_BUDGET_SECONDS * 1000:.0f} ms)\n"
    )
    header = " | ".join(f"{size:,} chars" for size in LENGTHS)
    print(f"| family (inputs per length) | {header} | verdict |")
    print("|---|" + "---|" * len(LENGTHS) + "---|")
    overall: tuple[float, float, str, int] = (0.0, 0.0, "", 0)
    for name, family in FAMILIES.items():
        cells = []
        count = 0
        family_worst = 0.0
        for size in LENGTHS:
            inputs = family(random.Random(f"{SEED}-{name}-{size}"), size)
            assert all(len(text) == size for text in inputs), (name, size)
            count = len(inputs)
            median, spread = worst(service, inputs)
            cells.append(f"{median:.1f} ± {spread:.1f} ms")
            family_worst = max(family_worst, median)
            if median > overall[0]:
                overall = (median, spread, name, size)
        verdict = "PASS" if family_worst <= TARGET_MS else "MISS"
        print(f"| {name} ({count}) | {' | '.join(cells)} | {verdict} |")
    median, spread, name, size = overall
    verdict = "PASS" if median <= TARGET_MS else "MISS"
    print(
        f"\nworst overall: {median:.1f} ms (spread {spread:.1f} ms over {RUNS} runs), "
        f"{name} at {size:,} characters; target <= {TARGET_MS:.0f} ms: {verdict}"
    )
    print("cells: median of 3 runs of the slowest input ± spread (slowest - fastest run)")
    return 0 if verdict == "PASS" else 1


if __name__ == "__main__":
    sys.exit(main())
