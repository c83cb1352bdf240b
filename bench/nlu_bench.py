"""NLU benchmark: quality on held-out voices against two peers, questions asked, latency on
ordinary and adversarial messages, build time and memory, in one run.

Quality is measured on `nlu/data/test/voice_*.yml`: whole voices (personas) that separate
writers produced and that training never reads. The peers, trained in the same run on the
same training files: keyword rules, and TF-IDF + logistic regression that predicts the
severity directly. Peers ask no questions, so their "after answers" figures equal their
"alone" ones.

Run: .venv/bin/python bench/nlu_bench.py   (prints Markdown tables for BENCHMARKS.md)
"""

from __future__ import annotations

import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from nlu_baselines import KeywordKb, TfidfKb, keyword_reading, tfidf_severity

from nlu.evaluate import (
    AnsweredReading,
    classification_report,
    evaluate_kb,
    evaluate_reports,
    load_kb_eval,
    load_kb_paraphrases,
)
from nlu.kb import DEFAULT_FAQ, KnowledgeBase, parse_faq
from nlu.model import DEFAULT_SEED, build_model
from nlu.paths import DATA_DIR_ENV
from nlu.service import NluService, build_service
from nlu.training_data import TEST_DIR, Example, NluData, load_file, load_training_data

LATENCY_ROUNDS = 10
ADVERSARIAL_CHARS = 4000
TARGETS = {
    "intent accuracy": 0.97,
    "severity macro-F1 (message alone)": 0.85,
    "Severity 1 recall (alone)": 0.95,
    "Severity 1 precision (alone)": 0.85,
    "workaround accuracy": 0.85,
    "severity accuracy after answers": 0.95,
    "Severity 1 recall after answers": 0.98,
}


def adversarial_inputs(size: int = ADVERSARIAL_CHARS) -> dict[str, str]:
    """Inputs that make backtracking patterns slow, each `size` characters long."""

    def fill(unit: str) -> str:
        return (unit * (size // len(unit) + 1))[:size]

    return {
        "case + spaces": "case" + " " * (size - 5) + "x",
        "newline + spaces": "case\n" + " " * (size - 6) + "x",
        "backticks": "`" * size,
        "punctuation": fill("!?.,;:"),
        "no no no": fill("no "),
        "can still": fill("can still "),
        "unclosed links": fill("<http:"),
        "mentions": fill("<@U123"),
        "digits": fill("1 of "),
        "emoji colons": fill(":a"),
        "one long word": "a" * size,
        "uuid-ish": fill("3f2b9c1e-"),
        "zero-width": "\u200b" * size,
    }


def voices() -> dict[str, list[Example]]:
    found = {}
    for path in sorted(TEST_DIR.glob("voice_*.yml")):
        data = NluData()
        load_file(path, data)
        found[path.stem.removeprefix("voice_")] = data.examples
    return found


def ours(service: NluService) -> tuple[Callable[[str], str], Callable[..., AnsweredReading]]:
    def intent(text: str) -> str:
        return service.parse(text).intent

    def read(text: str, answers: Mapping[str, str]) -> AnsweredReading:
        result = service.parse(text, answers=answers)
        return AnsweredReading(result.severity, tuple(result.ask), result.factors.get("workaround"))

    return intent, read


def peer(predict: Callable[[str], tuple[str, int | None, str]]) -> tuple[Any, Any]:
    def intent(text: str) -> str:
        return predict(text)[0]

    def read(text: str, answers: Mapping[str, str]) -> AnsweredReading:
        _, severity, workaround = predict(text)
        return AnsweredReading(severity, (), workaround)

    return intent, read


def figures(examples: list[Example], system: tuple[Any, Any]) -> dict[str, float]:
    intent, read = system
    intents = classification_report(
        [e.intent for e in examples], [intent(e.text) for e in examples]
    )
    reports = evaluate_reports(examples, read)
    alone, after = reports["alone"], reports["after_answers"]
    return {
        "intent accuracy": intents["accuracy"],
        "severity macro-F1 (message alone)": alone["macro_f1"],
        "Severity 1 recall (alone)": alone["s1_recall"],
        "Severity 1 precision (alone)": alone["s1_precision"],
        "workaround accuracy": reports["workaround"]["accuracy"],
        "severity accuracy after answers": after["accuracy"],
        "Severity 1 recall after answers": after["s1_recall"],
        "questions per report": reports["questions_per_report"],
        "reports": reports["reports"],
    }


def questions_for_other_intents(service: NluService, examples: list[Example]) -> int:
    return sum(len(service.parse(e.text).ask) for e in examples if e.intent != "report_issue")


def latency(service: NluService, texts: list[str]) -> tuple[float, float]:
    for text in texts[:20]:
        service.parse(text)
    samples = []
    for _ in range(LATENCY_ROUNDS):
        for text in texts:
            begin = time.perf_counter()
            service.parse(text)
            samples.append((time.perf_counter() - begin) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.99) - 1]


def worst_adversarial(service: NluService) -> tuple[str, float]:
    worst = ("", 0.0)
    for name, text in adversarial_inputs().items():
        best_of = []
        for _ in range(3):
            begin = time.perf_counter()
            service.parse(text)
            best_of.append((time.perf_counter() - begin) * 1000)
        elapsed = statistics.median(best_of)
        if elapsed > worst[1]:
            worst = (name, elapsed)
    return worst


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="nlu-bench-") as data_dir:
        os.environ[DATA_DIR_ENV] = data_dir
        return run()


def run() -> int:
    started = time.perf_counter()
    build_model(seed=DEFAULT_SEED, force=True)
    build_seconds = time.perf_counter() - started
    service = build_service()
    held_out = voices()
    pooled = [example for examples in held_out.values() for example in examples]
    training = load_training_data().examples
    systems = {
        "ours": ours(service),
        "TF-IDF + LR": peer(tfidf_severity(training, seed=DEFAULT_SEED)),
        "keyword rules": peer(keyword_reading),
    }
    print(
        f"machine: {os.cpu_count()} cores, {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}; load average {os.getloadavg()[0]:.2f}"
    )
    print(f"held-out voices: {', '.join(held_out)}; {len(pooled)} messages\n")
    results = {name: figures(pooled, system) for name, system in systems.items()}
    print(
        "| figure (held-out voices, pooled) | target | ours | TF-IDF + LR | keyword rules | ours |"
    )
    print("|---|---|---|---|---|---|")
    for name, target in TARGETS.items():
        row = " | ".join(f"{results[system][name]:.3f}" for system in systems)
        verdict = "PASS" if results["ours"][name] >= target else "MISS"
        print(f"| {name} | >= {target:.2f} | {row} | {verdict} |")
    q = results["ours"]["questions per report"]
    print(
        f"| questions per report | <= 0.60 | {q:.2f} | 0 | 0 | {'PASS' if q <= 0.6 else 'MISS'} |"
    )
    other = questions_for_other_intents(service, pooled)
    verdict = "PASS" if not other else "MISS"
    print(f"| questions asked for other intents | 0 | {other} | | | {verdict} |")
    print("\nper voice (ours): intent / macro-F1 alone / S1 recall alone / after answers / q")
    for voice, examples in held_out.items():
        f = figures(examples, systems["ours"])
        print(
            f"- {voice}: {f['intent accuracy']:.3f} / "
            f"{f['severity macro-F1 (message alone)']:.3f} / "
            f"{f['Severity 1 recall (alone)']:.3f} / "
            f"{f['severity accuracy after answers']:.3f} / {f['questions per report']:.2f}"
        )
    entries = parse_faq(DEFAULT_FAQ.read_text(encoding="utf-8"))
    kb_dev, kb_own = load_kb_eval("dev"), load_kb_eval("test")
    kb_voices = load_kb_paraphrases()
    print("\n| knowledge base | ours | TF-IDF | keywords |")
    print("|---|---|---|---|")
    for title, items in (("own paraphrases (test half)", kb_own), ("other writer", kb_voices)):
        cells = []
        for kb in (KnowledgeBase(entries), TfidfKb(entries, kb_dev), KeywordKb(entries)):
            report = evaluate_kb(kb, items)
            cells.append(f"{report['top1']:.3f} ({report['off_topic_abstained']:.2f})")
        print(f"| {title}: top-1 (off-topic abstained) | {' | '.join(cells)} |")
    texts = [example.text for example in pooled if len(example.text) <= 600]
    p50, p99 = latency(service, texts)
    worst_name, worst_ms = worst_adversarial(service)
    peak_rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print("\n| speed | target | measured |")
    print("|---|---|---|")
    print(f"| parse p50, ordinary messages | - | {p50:.2f} ms |")
    print(f"| parse p99, ordinary messages | <= 5 ms | {p99:.2f} ms |")
    print(
        f"| parse worst case, adversarial {ADVERSARIAL_CHARS} chars ({worst_name}) "
        f"| <= 50 ms | {worst_ms:.1f} ms |"
    )
    print(f"| model build (7 pipelines) | <= 60 s | {build_seconds:.1f} s |")
    print(f"| peak RSS (with peers) | - | {peak_rss_mb:.0f} MB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
