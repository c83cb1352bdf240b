"""The directory cache replicas share: per directory file version, expiring, plain JSON only."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store.errors import InvalidInput
from bot.store.redis_admin import delete_namespace, unique_namespace
from bot.store.redis_directory_cache import directory_fingerprint
from bot.store.redis_store import RedisStore
from tests.store.conftest import REDIS_TEST_URL


@pytest.fixture
def replicas() -> Iterator[tuple[RedisStore, RedisStore]]:
    namespace = unique_namespace()
    first = RedisStore(REDIS_TEST_URL, namespace=namespace)
    second = RedisStore(REDIS_TEST_URL, namespace=namespace)
    yield first, second
    first.close()
    second.close()
    delete_namespace(REDIS_TEST_URL, namespace)


def test_a_fact_one_replica_looked_up_is_seen_by_the_other(
    replicas: tuple[RedisStore, RedisStore],
) -> None:
    first, second = replicas
    version = directory_fingerprint("organizations: []\n")
    first.directory_cache(fingerprint=version).put("users.info:U09XYZ", {"tz": "Asia/Tokyo"})
    cached = second.directory_cache(fingerprint=version).get("users.info:U09XYZ")
    assert cached == {"tz": "Asia/Tokyo"}
    assert second.directory_cache(fingerprint=version).get("users.info:U00NONE") is None


def test_a_changed_directory_file_starts_from_an_empty_cache(
    replicas: tuple[RedisStore, RedisStore], tmp_path: Path
) -> None:
    first, second = replicas
    file = tmp_path / "contacts.yaml"
    file.write_text("organizations: []\n")
    before = directory_fingerprint(file)
    first.directory_cache(fingerprint=before).put("users.info:U09XYZ", {"tz": "Asia/Tokyo"})
    file.write_text("organizations: []\nstaff: {channel: C0STAFF}\n")
    after = directory_fingerprint(file)
    assert after != before
    assert second.directory_cache(fingerprint=after).get("users.info:U09XYZ") is None


def test_entries_expire_and_can_be_forgotten(replicas: tuple[RedisStore, RedisStore]) -> None:
    first, _ = replicas
    short = first.directory_cache(fingerprint="v1", ttl_seconds=0.2)
    short.put("users.info:U1", {"tz": "UTC"})
    short.put("users.info:U2", {"tz": "UTC"})
    short.forget("users.info:U2")
    assert short.get("users.info:U2") is None
    assert short.get("users.info:U1") == {"tz": "UTC"}
    time.sleep(0.35)
    assert short.get("users.info:U1") is None


def test_values_that_are_not_plain_json_objects_are_refused(
    replicas: tuple[RedisStore, RedisStore],
) -> None:
    first, _ = replicas
    cache = first.directory_cache(fingerprint="v1")
    with pytest.raises(InvalidInput, match="plain JSON"):
        cache.put("users.info:U1", {"tz": object()})
    with pytest.raises(InvalidInput, match="dict"):
        cache.put("users.info:U1", ["UTC"])  # type: ignore[arg-type]
    with pytest.raises(InvalidInput, match="name"):
        cache.get("")
    assert cache.get("users.info:U1") is None
