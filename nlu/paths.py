"""Where the NLU keeps what it builds: the trained model and the imported knowledge base."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import platformdirs
import spacy

from nlu.training_data import data_files

# Bump when a code change alters what training produces, so old models are rebuilt.
MODEL_CODE_VERSION = "8"
DATA_DIR_ENV = "SUPPORTBOT_DATA_DIR"


def data_dir() -> Path:
    """`SUPPORTBOT_DATA_DIR` if set, else the per-user data directory."""
    override = os.environ.get(DATA_DIR_ENV)
    return Path(override) if override else Path(platformdirs.user_data_dir("supportbot"))


def training_fingerprint(*, seed: int) -> str:
    """Hash of the training data, the code version, spaCy's version and the seed."""
    digest = hashlib.sha256()
    for path in data_files():
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    digest.update(f"code={MODEL_CODE_VERSION};spacy={spacy.__version__};seed={seed}".encode())
    return digest.hexdigest()[:16]


def model_dir(*, seed: int) -> Path:
    return data_dir() / "nlu-model" / training_fingerprint(seed=seed)


def kb_path() -> Path:
    return data_dir() / "kb" / "faq.json"
