"""Backends the store contract tests run against (tests/support/stores.py).

Each entry of STORE_BACKENDS is a context manager that prepares empty backing storage and
yields an opener: a function that opens a new Store on that same storage (calling it twice
gives two independent clients, as two bot processes would have). The backends and the case
draft are shared with the engine and multiprocess tests, so they live in tests/support/ and
are re-exported here under their old names.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store.base import Store
from tests.support.stores import (
    NOW,
    REDIS_TEST_URL,
    STORE_BACKENDS,
    StoreOpener,
    make_draft,
    redis_backend,
    sqlite_backend,
)

__all__ = [
    "NOW",
    "REDIS_TEST_URL",
    "STORE_BACKENDS",
    "StoreOpener",
    "make_draft",
    "redis_backend",
    "sqlite_backend",
]


@pytest.fixture(params=sorted(STORE_BACKENDS))
def open_store_again(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[StoreOpener]:
    """Opens fresh clients on one backing storage; every client opened is closed afterwards."""
    opened: list[Store] = []

    def opener() -> Store:
        store = backend_opener()
        opened.append(store)
        return store

    with STORE_BACKENDS[request.param](tmp_path) as backend_opener:
        yield opener
        for store in opened:
            store.close()


@pytest.fixture
def store(open_store_again: StoreOpener) -> Store:
    return open_store_again()
