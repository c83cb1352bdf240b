"""`supportbot nlu parse` (JSON lines in, JSON lines out) and `supportbot nlu test`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.errors import UsageError
from bot.cli.json_lines import LineError, emit, requests

if TYPE_CHECKING:
    from nlu.service import NluService

RESULTS_FOLDER = "nlu-results"


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("nlu", help="parse messages or evaluate the NLU")
    commands = parser.add_subparsers(dest="nlu_command", metavar="ACTION")
    parse = commands.add_parser(
        "parse", help="read lines (JSON with 'text' and optional 'answers', or plain text)"
    )
    parse.set_defaults(handler=run_parse)
    test = commands.add_parser("test", help="evaluate on the held-out split, save PNG plots")
    test.add_argument(
        "--out",
        type=Path,
        default=None,
        help=f"directory for plots and report (default: {RESULTS_FOLDER} in the data dir)",
    )
    test.set_defaults(handler=run_test)
    parser.set_defaults(handler=lambda _args: _missing_action())


def _missing_action() -> int:
    raise UsageError("choose an action: parse or test")


def load_service_with_notice() -> NluService:
    """The NLU service; says so on stderr when the first use has to build the model."""
    from nlu.model import DEFAULT_SEED
    from nlu.paths import model_dir
    from nlu.service import get_service

    if not model_dir(seed=DEFAULT_SEED).exists():
        print("building the NLU model (first use, under a minute)...", file=sys.stderr, flush=True)
    return get_service()


def results_dir(out: Path | None) -> Path:
    """`--out`, else a folder in the data dir: not the current directory (often a checkout)."""
    if out is not None:
        return out
    from nlu.data_home import data_dir

    return data_dir() / RESULTS_FOLDER


def run_parse(_args: argparse.Namespace) -> int:
    """Every line gets one output line: the parse, or an error object. Exit 1 if any failed."""
    service = load_service_with_notice()
    failed = False
    for request in requests(with_answers=True):
        if isinstance(request, LineError):
            failed = True
            emit(request.to_dict())
            continue
        try:
            result = service.parse(request.text, answers=request.answers)
        except ValueError as problem:  # an answer value the rubric does not have
            failed = True
            emit(LineError(request.line, str(problem)).to_dict())
            continue
        emit(result.to_dict())
    return 1 if failed else 0


def run_test(args: argparse.Namespace) -> int:
    from nlu.evaluate import (
        evaluate_kb,
        evaluate_predictions,
        format_report,
        load_kb_eval,
        save_confusion_plot,
        save_json,
    )
    from nlu.service import service_prediction
    from nlu.training_data import load_test_data

    out = results_dir(args.out)
    service = load_service_with_notice()
    report = evaluate_predictions(load_test_data().examples, service_prediction(service))
    report["kb"] = evaluate_kb(service.knowledge_base, load_kb_eval("test"))
    for task in ("intent", "impact", "workaround", "severity"):
        print(format_report(task, report[task]))
        save_confusion_plot(task, report[task], out / f"{task}_confusion_matrix.png")
        print()
    print(f"severity 1 recall: {report['severity']['s1_recall']:.3f}")
    print(f"issue count accuracy: {report['issues']['accuracy']:.3f}")
    print(f"entity recall (annotated): {report['entities']['recall']:.3f}")
    kb = report["kb"]
    print(
        f"knowledge base: top-1 {kb['top1']:.3f} on {kb['paraphrases']} paraphrases, "
        f"off-topic abstained {kb['off_topic_abstained']:.3f} of {kb['off_topic']}"
    )
    save_json(report, out / "nlu_report.json")
    print(f"plots and report saved in {out}/")
    return 0
