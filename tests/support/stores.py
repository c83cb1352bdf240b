"""Store backends for tests, and a case draft to store.

Each entry of STORE_BACKENDS is a context manager that prepares empty backing storage and
yields an opener: a function that opens a new Store on that same storage (calling it twice
gives two independent clients, as two bot processes would have). Adding a backend is one line.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bot.store.base import Store
from bot.store.models import CaseDraft
from bot.store.sqlite import SqliteStore

StoreOpener = Callable[[], Store]


@contextmanager
def sqlite_backend(tmp_path: Path) -> Iterator[StoreOpener]:
    path = tmp_path / "supportbot.sqlite3"
    yield lambda: SqliteStore(path)


REDIS_TEST_URL = os.environ.get("SUPPORTBOT_TEST_REDIS_URL", "redis://127.0.0.1:6379/0")


@contextmanager
def redis_backend(tmp_path: Path) -> Iterator[StoreOpener]:
    """The shared test server, in a namespace of its own that is deleted afterwards."""
    from bot.store.redis_admin import delete_namespace, unique_namespace
    from bot.store.redis_store import RedisStore

    namespace = unique_namespace()
    try:
        yield lambda: RedisStore(REDIS_TEST_URL, namespace=namespace)
    finally:
        delete_namespace(REDIS_TEST_URL, namespace)


STORE_BACKENDS: dict[str, Callable[[Path], AbstractContextManager[StoreOpener]]] = {
    "sqlite": sqlite_backend,
    "redis": redis_backend,
}

NOW = datetime(2026, 3, 6, 15, 30, tzinfo=UTC)


def make_draft(**overrides: object) -> CaseDraft:
    values: dict[str, object] = {
        "org_short_name": "acme",
        "org_id": "0f8fad5b-d9cb-469f-a165-70867728950e",
        "requester_id": "U01AAA",
        "requester_name": "Ana Ruiz",
        "title": "Agents cannot log in to the desktop app",
        "description": "Since 9am agents in the Dallas site get 'login failed'.",
        "business_impact": "Half of the Dallas agents cannot take calls.",
        "severity": 2,
        "priority": "high",
    }
    values.update(overrides)
    return CaseDraft(**values)  # type: ignore[arg-type]
