"""Leave-one-voice-out cross-validation over the training voices: how the severity settings
in `nlu/severity.py` were chosen, without ever reading the held-out voices.

Each training voice (`nlu/data/train/voice_*.yml`) in turn is scored by a model trained on
every other training file; the figures are pooled over the folds. Settings are given as a
grid; each fold's model is trained once and every setting read from it.

    .venv/bin/python bench/nlu_cv.py            # the chosen settings and their neighbours
"""

from __future__ import annotations

import functools
import itertools
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from nlu_bench import TARGETS, figures, ours

import nlu.service
from nlu import severity
from nlu.classifier import TrainingSettings
from nlu.cues import load_grammar
from nlu.kb import FaqEntry, KnowledgeBase
from nlu.model import DEFAULT_SEED, NluModel, train_pipelines
from nlu.paths import DATA_DIR_ENV
from nlu.service import NluService
from nlu.training_data import CUES_FILE, TRAIN_DIR, Example, NluData, load_file

GRID: dict[str, tuple[float, ...]] = {
    "critical_threshold": (0.3, severity.CRITICAL_THRESHOLD, 0.4),
    "decided_at": (severity.DECIDED_AT,),
    "direct_weight": (severity.DIRECT_WEIGHT,),
    "severity_weight": (0.0, severity.SEVERITY_WEIGHT, 0.5, 0.7),
}
SHOWN = (*TARGETS, "questions per report")


def fold_services() -> list[tuple[str, NluService, list[Example]]]:
    """(voice, a service trained without that voice, the voice's examples) per fold."""
    files = sorted(TRAIN_DIR.glob("*.yml"))
    folds = []
    kb = KnowledgeBase([FaqEntry("unused", "unused")], alternates={})
    for held in (path for path in files if path.stem.startswith("voice_")):
        training, scored = NluData(), NluData()
        for path in files:
            load_file(path, scored if path == held else training)
        pipelines = train_pipelines(training, settings=TrainingSettings(seed=DEFAULT_SEED))
        model = NluModel(pipelines, training, load_grammar(CUES_FILE), Path("."))
        folds.append((held.stem, NluService(model, kb), scored.examples))
        print(f"trained without {held.stem}", file=sys.stderr, flush=True)
    return folds


def score(folds: list[tuple[str, NluService, list[Example]]], setting: dict[str, Any]) -> str:
    original = nlu.service.read_severity
    nlu.service.read_severity = functools.partial(original, **setting)  # type: ignore[assignment]
    try:
        pooled: dict[str, float] = dict.fromkeys(SHOWN, 0.0)
        totals: dict[str, float] = dict.fromkeys(SHOWN, 0.0)
        for _, service, examples in folds:
            result = figures(examples, ours(service))
            for name in SHOWN:
                # Intent is over every message, the rest over the problem reports.
                weight = len(examples) if name == "intent accuracy" else result["reports"]
                pooled[name] += result[name] * weight
                totals[name] += weight
    finally:
        nlu.service.read_severity = original
    return " | ".join(f"{pooled[name] / totals[name]:.3f}" for name in SHOWN)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="nlu-cv-") as data_dir:
        os.environ[DATA_DIR_ENV] = data_dir
        folds = fold_services()
        names = list(GRID)
        print(f"| {' | '.join(names)} | {' | '.join(SHOWN)} |")
        print(f"|{'---|' * (len(names) + len(SHOWN))}")
        for values in itertools.product(*GRID.values()):
            setting = dict(zip(names, values, strict=True))
            cells = " | ".join(f"{value}" for value in values)
            print(f"| {cells} | {score(folds, setting)} |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
