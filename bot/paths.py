"""Where the assistant keeps its files on this machine."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

DATA_DIR_ENV = "SUPPORTBOT_DATA_DIR"


def data_dir() -> Path:
    """SUPPORTBOT_DATA_DIR if set, else the user's data directory; created on demand.

    Raises OSError when the directory cannot be created, so the caller can say where and why.
    """
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    path = (
        Path(override).expanduser() if override else Path(platformdirs.user_data_dir("supportbot"))
    )
    path.mkdir(parents=True, exist_ok=True)
    return path
