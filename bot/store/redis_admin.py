"""Housekeeping for one namespace of the Redis store, without touching any other key.

Tests and throwaway deployments get their own namespace and remove exactly its keys with
`delete_namespace`; nothing here ever runs FLUSHDB or FLUSHALL on a shared server.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import Any

from bot.store.redis_connection import RedisConnection, key_prefix

SCAN_BATCH = 500


def unique_namespace(label: str = "test") -> str:
    """A namespace no one else uses, e.g. `test-3f2a9c...`."""
    return f"{label}-{uuid.uuid4().hex}"


def namespace_keys(url: str, namespace: str) -> list[str]:
    """Every key currently stored under the namespace."""
    conn = RedisConnection(url, namespace=namespace)
    pattern = key_prefix(namespace) + "*"
    try:
        return sorted(
            conn.call(lambda client: list(client.scan_iter(match=pattern, count=SCAN_BATCH)))
        )
    finally:
        conn.close()


def delete_namespace(url: str, namespace: str) -> int:
    """Delete every key of the namespace; returns how many were deleted."""
    if not namespace:
        raise ValueError("refusing to delete the keys of the default namespace")
    keys = namespace_keys(url, namespace)
    if not keys:
        return 0
    conn = RedisConnection(url, namespace=namespace)
    try:
        deleted = 0
        for start in range(0, len(keys), SCAN_BATCH):
            deleted += conn.call(partial(_unlink, chunk=keys[start : start + SCAN_BATCH]))
        return deleted
    finally:
        conn.close()


def _unlink(client: Any, *, chunk: list[str]) -> int:
    return int(client.unlink(*chunk))
