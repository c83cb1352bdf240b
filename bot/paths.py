"""Where the assistant keeps its files on this machine (the rule itself: `nlu.data_home`).

`nlu` is imported only when a path is asked for: `bot.store.factory` imports this module while
the CLI parser is built, and building it loads no `nlu` module (tests/cli/test_lazy_imports.py).
"""

from __future__ import annotations

from pathlib import Path


def data_dir() -> Path:
    """SUPPORTBOT_DATA_DIR if set, else the user's data directory; created on demand.

    Raises OSError when the directory cannot be created, so the caller can say where and why.
    """
    from nlu.data_home import make_data_dir

    return make_data_dir()


def __getattr__(name: str) -> str:
    """`DATA_DIR_ENV`, read from `nlu.data_home` on first use (see the module docstring)."""
    if name == "DATA_DIR_ENV":
        from nlu.data_home import DATA_DIR_ENV

        return DATA_DIR_ENV
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
