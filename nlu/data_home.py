"""The one rule for where supportbot keeps its files: the case store, the NLU model, the KB.

Kept free of spaCy and NumPy so that commands which only need the store (`supportbot cases
list`) stay fast; `bot.paths` re-uses it, since `bot` may import `nlu` but not the reverse.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DATA_DIR_ENV = "SUPPORTBOT_DATA_DIR"
APP_NAME = "supportbot"


def data_dir() -> Path:
    """`SUPPORTBOT_DATA_DIR` (stripped, `~` expanded) if set, else the per-user data directory.

    Not created here: reading (is a model built? is there a store to copy?) must not leave
    directories behind; `make_data_dir()` is for writers.
    """
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(override).expanduser() if override else Path(platformdirs.user_data_dir(APP_NAME))


def make_data_dir() -> Path:
    """`data_dir()`, created on demand.

    Raises OSError when the directory cannot be created, so the caller can say where and why.
    """
    path = data_dir()
    path.mkdir(parents=True, exist_ok=True)
    return path
