"""Evaluation on the held-out split, reported like `rasa test nlu`: per-class precision,
recall and F1, confusion matrices (printed and saved as PNG), plus severity, issue counting,
entity and knowledge-base figures.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from nlu.kb import KnowledgeBase
from nlu.training_data import DATA_DIR, Example

KB_EVAL_FILE = DATA_DIR / "kb_eval.yml"
NO_SEVERITY = "none"


@dataclass(frozen=True)
class Prediction:
    """What a system under evaluation says about one example."""

    intent: str
    impact: str | None
    workaround: str
    severity: int | None
    issues: int
    entities: tuple[tuple[str, str], ...] = ()


def classification_report(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    labels = sorted(set(gold) | set(predicted))
    per_class = {}
    for label in labels:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p == label)
        fp = sum(1 for g, p in zip(gold, predicted, strict=True) if g != label and p == label)
        fn = sum(1 for g, p in zip(gold, predicted, strict=True) if g == label and p != label)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1-score": round(f1, 4),
            "support": tp + fn,
        }
    gold_labels = sorted(set(gold))
    correct = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p)
    return {
        "accuracy": round(correct / len(gold), 4) if gold else 0.0,
        "macro_f1": round(
            sum(per_class[label]["f1-score"] for label in gold_labels) / len(gold_labels), 4
        )
        if gold_labels
        else 0.0,
        "per_class": per_class,
        "labels": labels,
        "confusion": [
            [
                sum(1 for g, p in zip(gold, predicted, strict=True) if g == row and p == col)
                for col in labels
            ]
            for row in labels
        ],
    }


def evaluate_predictions(
    examples: Sequence[Example], predict: Callable[[str], Prediction]
) -> dict[str, Any]:
    """Score a predictor on annotated examples: intent, impact, workaround, severity, issues."""
    predictions = [predict(example.text) for example in examples]
    pairs = list(zip(examples, predictions, strict=True))
    report: dict[str, Any] = {
        "intent": classification_report([e.intent for e, _ in pairs], [p.intent for _, p in pairs])
    }
    with_impact = [(e, p) for e, p in pairs if e.impact]
    report["impact"] = classification_report(
        [str(e.impact) for e, _ in with_impact], [str(p.impact) for _, p in with_impact]
    )
    reports = [(e, p) for e, p in pairs if e.intent == "report_issue" and e.workaround]
    report["workaround"] = classification_report(
        [str(e.workaround) for e, _ in reports], [p.workaround for _, p in reports]
    )
    with_severity = [(e, p) for e, p in pairs if e.severity is not None]
    gold = [str(e.severity) for e, _ in with_severity]
    predicted = [str(p.severity) if p.severity else NO_SEVERITY for _, p in with_severity]
    severity = classification_report(gold, predicted)
    severity["s1_recall"] = severity["per_class"].get("1", {}).get("recall", 0.0)
    report["severity"] = severity
    issue_pairs = [(e, p) for e, p in pairs if e.intent == "report_issue"]
    report["issues"] = {
        "accuracy": round(
            sum(1 for e, p in issue_pairs if (e.issues or 1) == p.issues) / len(issue_pairs), 4
        )
        if issue_pairs
        else 0.0,
        "support": len(issue_pairs),
    }
    annotated = [(e, p) for e, p in pairs if e.entities]
    wanted = sum(len(e.entities) for e, _ in annotated)
    found = sum(
        1
        for e, p in annotated
        for entity in e.entities
        if any(name == entity.entity for name, _ in p.entities)
    )
    report["entities"] = {"recall": round(found / wanted, 4) if wanted else 0.0, "support": wanted}
    return report


AnswerFunction = Callable[[str, Mapping[str, str]], "AnsweredReading"]


@dataclass(frozen=True)
class AnsweredReading:
    """What a system says about one report, given the answers asked so far."""

    severity: int | None
    ask: tuple[str, ...]
    workaround: str | None


def evaluate_reports(
    examples: Sequence[Example], read: AnswerFunction, *, max_questions: int = 2
) -> dict[str, Any]:
    """Severity from the message alone, and after the asked questions are answered
    truthfully (from the writer's `answer_impact` / `answer_workaround`), with the number of
    questions asked per report. Reports without truthful answers count only alone."""
    alone_gold, alone_predicted, after_gold, after_predicted = [], [], [], []
    workaround_gold, workaround_predicted = [], []
    asked_total = 0
    for example in examples:
        if example.intent != "report_issue" or example.severity is None:
            continue
        reading = read(example.text, {})
        alone_gold.append(str(example.severity))
        alone_predicted.append(str(reading.severity or NO_SEVERITY))
        stated = example.factor("workaround")
        if stated and example.metadata.get("workaround") is not None:
            workaround_gold.append(stated)
            workaround_predicted.append(str(reading.workaround))
        truth = example.answers
        if not truth:
            continue
        answers: dict[str, str] = {}
        while reading.ask and len(answers) < max_questions:
            question = reading.ask[0]
            if question not in truth or question in answers:
                break
            answers[question] = truth[question]
            asked_total += 1
            reading = read(example.text, answers)
        after_gold.append(str(example.severity))
        after_predicted.append(str(reading.severity or NO_SEVERITY))
    alone = classification_report(alone_gold, alone_predicted)
    after = classification_report(after_gold, after_predicted)
    for report in (alone, after):
        one = report["per_class"].get("1", {})
        report["s1_recall"] = one.get("recall", 0.0)
        report["s1_precision"] = one.get("precision", 0.0)
    return {
        "alone": alone,
        "after_answers": after,
        "workaround": classification_report(workaround_gold, workaround_predicted),
        "questions_per_report": round(asked_total / len(after_gold), 3) if after_gold else 0.0,
        "reports": len(alone_gold),
    }


KB_PARAPHRASES_FILE = DATA_DIR / "kb_paraphrases.yml"


def load_kb_paraphrases() -> list[tuple[str, str | None]]:
    """FAQ paraphrases and off-topic questions by a writer who never saw our KB code."""
    document = yaml.safe_load(KB_PARAPHRASES_FILE.read_text(encoding="utf-8"))
    items: list[tuple[str, str | None]] = [
        (item["text"], item["question"]) for item in document["paraphrases"]
    ]
    return items + [(item["text"], None) for item in document["off_topic"]]


def load_kb_eval(split: str) -> list[tuple[str, str | None]]:
    document = yaml.safe_load(KB_EVAL_FILE.read_text(encoding="utf-8"))
    return [(item["text"], item.get("question")) for item in document[split]]


def evaluate_kb(kb: KnowledgeBase, items: Sequence[tuple[str, str | None]]) -> dict[str, Any]:
    """Top-1 accuracy on paraphrases (abstaining counts as wrong) and abstention on off-topic."""
    paraphrases = [(text, question) for text, question in items if question]
    off_topic = [text for text, question in items if not question]
    correct = 0
    for text, question in paraphrases:
        match = kb.answer(text)
        correct += bool(match and match.question == question)
    abstained = sum(1 for text in off_topic if kb.answer(text) is None)
    return {
        "top1": round(correct / len(paraphrases), 4) if paraphrases else 0.0,
        "paraphrases": len(paraphrases),
        "off_topic_abstained": round(abstained / len(off_topic), 4) if off_topic else 1.0,
        "off_topic": len(off_topic),
    }


def format_report(title: str, report: dict[str, Any]) -> str:
    lines = [f"{title}: accuracy {report['accuracy']:.3f}, macro-F1 {report['macro_f1']:.3f}"]
    lines.append(f"  {'label':<18}{'precision':>10}{'recall':>8}{'f1':>8}{'support':>9}")
    for label, row in report["per_class"].items():
        lines.append(
            f"  {label:<18}{row['precision']:>10.3f}{row['recall']:>8.3f}"
            f"{row['f1-score']:>8.3f}{row['support']:>9}"
        )
    labels = report["labels"]
    width = max(6, *(len(label) for label in labels)) + 1
    lines.append("  confusion (rows = truth, columns = prediction):")
    lines.append("  " + " " * width + "".join(f"{label[:7]:>8}" for label in labels))
    for label, row in zip(labels, report["confusion"], strict=True):
        lines.append("  " + f"{label:<{width}}" + "".join(f"{count:>8}" for count in row))
    return "\n".join(lines)


def save_confusion_plot(title: str, report: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    labels = report["labels"]
    size = max(4.0, 0.55 * len(labels) + 2)
    figure, axes = plt.subplots(figsize=(size, size))
    axes.imshow(report["confusion"], cmap="Blues")
    axes.set_xticks(range(len(labels)), labels, rotation=60, ha="right")
    axes.set_yticks(range(len(labels)), labels)
    for row, counts in enumerate(report["confusion"]):
        for column, count in enumerate(counts):
            if count:
                axes.text(column, row, str(count), ha="center", va="center", fontsize=8)
    axes.set_xlabel("predicted")
    axes.set_ylabel("true")
    axes.set_title(f"{title} (accuracy {report['accuracy']:.3f})")
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=100)
    plt.close(figure)


def save_json(report: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(report, indent=2))
