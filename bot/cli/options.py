"""Options several commands share, spelled and explained once."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """`--data-dir` and `--contacts`: which store and which directory file a command reads."""
    parser.add_argument(
        "--data-dir", type=Path, default=None, help="store directory (default: SUPPORTBOT_DATA_DIR)"
    )
    parser.add_argument(
        "--contacts",
        type=Path,
        default=None,
        help="directory file (default: SUPPORTBOT_CONTACTS, else the shipped sample)",
    )
