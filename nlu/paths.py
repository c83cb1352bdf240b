"""Where the NLU keeps what it builds: the trained model and the imported knowledge base."""

from __future__ import annotations

import hashlib
from pathlib import Path

import spacy

from nlu.data_home import DATA_DIR_ENV, data_dir
from nlu.training_data import data_files

__all__ = ["DATA_DIR_ENV", "data_dir", "kb_path", "model_dir", "training_fingerprint"]

# Bump when a code change alters what training produces, so old models are rebuilt.
MODEL_CODE_VERSION = "8"


def training_fingerprint(*, seed: int) -> str:
    """Hash of the training data, the code version, spaCy's version and the seed."""
    digest = hashlib.sha256()
    for path in data_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(f"code={MODEL_CODE_VERSION};spacy={spacy.__version__};seed={seed}".encode())
    return digest.hexdigest()[:16]


def model_dir(*, seed: int) -> Path:
    """Where the model for the current training data and `seed` is (or will be) built."""
    return data_dir() / "nlu-model" / training_fingerprint(seed=seed)


def kb_path() -> Path:
    return data_dir() / "kb" / "faq.json"
