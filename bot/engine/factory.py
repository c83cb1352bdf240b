"""Build an engine from the configured components (store, directory, NLU)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from bot.engine.engine import Engine
from bot.store.base import Store
from nlu.port import NluPort


def open_engine(
    *,
    contacts: Path | str | None = None,
    data_dir: Path | str | None = None,
    clock: Callable[[], datetime] | None = None,
    store: Store | None = None,
    nlu: NluPort | None = None,
) -> Engine:
    """An engine on the embedded store (or REDIS_URL), the directory and the trained NLU."""
    from bot.directory import load_directory
    from bot.store.factory import open_store

    if nlu is None:
        from nlu.service import get_service

        nlu = get_service()
    return Engine(
        store=store if store is not None else open_store(data_dir=data_dir),
        directory=load_directory(contacts),
        nlu=nlu,
        clock=clock,
    )
