"""spaCy text classifiers built from `spacy.blank("en")`: one pipeline per task.

Intent, impact and workaround each get their own exclusive-class `textcat`, because an
exclusive textcat wants exactly one positive label per example. A bag-of-words n-gram model
keeps a parse well under a millisecond and trains in seconds on two cores.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import spacy
from spacy.language import Language
from spacy.pipeline import TextCategorizer
from spacy.training import Example as SpacyExample
from spacy.util import minibatch

ProgressCallback = Callable[[str, int, int, float], None]


@dataclass(frozen=True)
class TrainingSettings:
    seed: int = 13
    epochs: int = 30
    batch_size: int = 16
    ngram_size: int = 3
    dropout: float = 0.1
    learn_rate: float = 0.001
    ensemble: bool = False
    cnn_width: int = 64
    cnn_depth: int = 2
    cnn_attrs: tuple[str, ...] = ("NORM", "PREFIX", "SUFFIX", "SHAPE")
    # Hashed feature rows. Adam updates every weight on every step, so the table's size, not
    # the number of words, sets the training time: the intent model (14 labels) trains in
    # 14 s with 2**16 rows against 44 s with 2**18; our vocabulary is far below 2**16.
    bow_length: int = 65536


_EMBED_ROWS = {"NORM": 5000, "PREFIX": 1000, "SUFFIX": 2500, "SHAPE": 2500, "LOWER": 5000}


def build_pipeline(labels: Sequence[str], *, settings: TrainingSettings) -> Language:
    """A blank English pipeline with one exclusive textcat (BOW, or BOW + small CNN)."""
    nlp = spacy.blank("en")
    bow = {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": True,
        "ngram_size": settings.ngram_size,
        "no_output_layer": False,
        "length": settings.bow_length,
    }
    model = (
        {
            "@architectures": "spacy.TextCatEnsemble.v2",
            "linear_model": bow,
            "tok2vec": {
                "@architectures": "spacy.Tok2Vec.v2",
                "embed": {
                    "@architectures": "spacy.MultiHashEmbed.v2",
                    "width": settings.cnn_width,
                    "attrs": list(settings.cnn_attrs),
                    "rows": [_EMBED_ROWS[attr] for attr in settings.cnn_attrs],
                    "include_static_vectors": False,
                },
                "encode": {
                    "@architectures": "spacy.MaxoutWindowEncoder.v2",
                    "width": settings.cnn_width,
                    "window_size": 1,
                    "maxout_pieces": 3,
                    "depth": settings.cnn_depth,
                },
            },
        }
        if settings.ensemble
        else bow
    )
    textcat = cast(
        TextCategorizer, nlp.add_pipe("textcat", config={"model": model, "threshold": 0.0})
    )
    for label in labels:
        textcat.add_label(label)
    return nlp


def train_classifier(
    *,
    task: str,
    texts: Sequence[str],
    labels: Sequence[str],
    settings: TrainingSettings,
    progress: ProgressCallback | None = None,
) -> Language:
    """Train one exclusive textcat; identical inputs and seed give identical weights."""
    spacy.util.fix_random_seed(settings.seed)
    label_set = sorted(set(labels))
    nlp = build_pipeline(label_set, settings=settings)
    examples = [
        SpacyExample.from_dict(
            nlp.make_doc(text), {"cats": {name: float(name == label) for name in label_set}}
        )
        for text, label in zip(texts, labels, strict=True)
    ]
    optimizer = nlp.initialize(lambda: examples)
    optimizer.learn_rate = settings.learn_rate
    shuffler = random.Random(settings.seed)
    for epoch in range(1, settings.epochs + 1):
        shuffler.shuffle(examples)
        losses: dict[str, float] = {}
        for batch in minibatch(examples, size=settings.batch_size):
            nlp.update(batch, sgd=optimizer, drop=settings.dropout, losses=losses)
        if progress is not None:
            progress(task, epoch, settings.epochs, losses.get("textcat", 0.0))
    return nlp


def save_classifier(nlp: Language, directory: Path) -> None:
    nlp.to_disk(directory)


def load_classifier(directory: Path) -> Language:
    return spacy.load(directory)


def predict(nlp: Language, text: str) -> dict[str, float]:
    return dict(nlp(text).cats)
