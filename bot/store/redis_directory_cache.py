"""Facts looked up about people (e.g. a Slack user's time zone), shared by every replica.

Without it each replica asks Slack's `users.info` for the same person again. Entries live in one
hash per directory fingerprint (`directory:<fingerprint>`), so when the directory file changes,
every replica starts from an empty cache instead of serving facts about a stale directory. The
hash expires `ttl_seconds` after its last write.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from bot.store import changes as rules
from bot.store.errors import InvalidInput
from bot.store.redis_connection import RedisConnection

DEFAULT_TTL_SECONDS = 24 * 3600.0


def directory_fingerprint(content: bytes | str | Path) -> str:
    """A short digest of the directory file (a Path is read; text or bytes are hashed as-is)."""
    if isinstance(content, Path):
        content = content.read_bytes()
    data = content.encode() if isinstance(content, str) else content
    return hashlib.sha256(data).hexdigest()[:24]


class RedisDirectoryCache:
    """`get(name)` / `put(name, value)` of small JSON objects under one directory fingerprint."""

    def __init__(
        self, conn: RedisConnection, *, fingerprint: str, ttl_seconds: float = DEFAULT_TTL_SECONDS
    ) -> None:
        rules.require_text("fingerprint", fingerprint, limit=128)
        if not ttl_seconds > 0:
            raise InvalidInput(f"ttl_seconds must be positive, got {ttl_seconds!r}")
        self._conn = conn
        self._key = conn.key("directory", fingerprint)
        self._ttl_ms = max(1, int(ttl_seconds * 1000))

    def get(self, name: str) -> dict[str, Any] | None:
        rules.require_text("name", name)
        stored = self._conn.call(lambda client: client.hget(self._key, name))
        return None if stored is None else dict(json.loads(stored))

    def put(self, name: str, value: dict[str, Any]) -> None:
        rules.require_text("name", name)
        if not isinstance(value, dict):
            raise InvalidInput("a cached value must be a dict")
        encoded = rules.require_json("value", value)

        def write(client: Any) -> None:
            pipe = client.pipeline(transaction=True)
            pipe.hset(self._key, name, encoded)
            pipe.pexpire(self._key, self._ttl_ms)
            pipe.execute()

        self._conn.call(write)

    def forget(self, name: str) -> None:
        rules.require_text("name", name)
        self._conn.call(lambda client: client.hdel(self._key, name))
