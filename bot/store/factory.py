"""Open the store the deployment asks for: embedded SQLite by default, Redis with REDIS_URL.

The Redis backend lives in `bot.store.redis_store` and must expose
`open_redis_store(url: str) -> Store`. The URL can hold a password, so it is never logged or
put in an error message.
"""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path

from bot import paths
from bot.store.base import Store
from bot.store.errors import StoreUnavailable
from bot.store.sqlite import SqliteStore

log = logging.getLogger(__name__)

REDIS_URL_ENV = "REDIS_URL"
SQLITE_FILE_NAME = "supportbot.sqlite3"
REDIS_MODULE = "bot.store.redis_store"


def open_store(*, data_dir: Path | str | None = None, redis_url: str | None = None) -> Store:
    """The configured store; raises StoreUnavailable with a clear reason when it cannot open."""
    url = redis_url or os.environ.get(REDIS_URL_ENV, "").strip() or None
    if url:
        return _open_redis(url)
    try:
        directory = Path(data_dir).expanduser() if data_dir else paths.data_dir()
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreUnavailable(
            f"cannot use the data directory {data_dir or 'from ' + paths.DATA_DIR_ENV}: "
            f"{error.strerror or error}"
        ) from None
    path = directory / SQLITE_FILE_NAME
    log.debug("opening sqlite store at %s", path)
    return SqliteStore(path)


def _open_redis(url: str) -> Store:
    try:
        module = importlib.import_module(REDIS_MODULE)
    except ModuleNotFoundError as error:
        if error.name != REDIS_MODULE:
            raise
        raise StoreUnavailable(
            f"{REDIS_URL_ENV} is set but the Redis backend ({REDIS_MODULE}) is not installed; "
            f"unset {REDIS_URL_ENV} to use the embedded store"
        ) from None
    log.debug("opening redis store")
    store: Store = module.open_redis_store(url)
    return store
