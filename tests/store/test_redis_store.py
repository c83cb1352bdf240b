"""What the Redis store does beyond the shared contract: selection, namespaces, bounded waits."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
import redis

from bot.store import redis_store
from bot.store.errors import StoreUnavailable
from bot.store.factory import open_store
from bot.store.redis_admin import delete_namespace, namespace_keys, unique_namespace
from bot.store.redis_store import RedisStore
from cases.vocabulary import ACTIVE_STATUS_VALUES
from tests.store.conftest import NOW, REDIS_TEST_URL, make_draft
from tests.store.test_case_queries import assert_every_query_pages
from tests.support.redis_server import free_port


@pytest.fixture
def namespace() -> Iterator[str]:
    name = unique_namespace()
    yield name
    delete_namespace(REDIS_TEST_URL, name)


def test_redis_url_selects_the_redis_store_with_the_namespace_from_the_url(
    namespace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REDIS_URL", f"{REDIS_TEST_URL}?namespace={namespace}")
    store = open_store()
    try:
        assert isinstance(store, RedisStore)
        case, _ = store.cases.create_case(
            make_draft(), idempotency_key="k", actor_id="U01AAA", now=NOW
        )
    finally:
        store.close()
    assert case.number == "CS-1001"
    keys = namespace_keys(REDIS_TEST_URL, namespace)
    assert f"supportbot:{namespace}:case:1001" in keys
    assert all(key.startswith(f"supportbot:{namespace}:") for key in keys)


def test_namespace_env_var_is_used_when_the_url_has_none(
    namespace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SUPPORTBOT_REDIS_NAMESPACE", namespace)
    with RedisStore(REDIS_TEST_URL) as store:
        store.dedup.first_time("Ev1", ttl_seconds=60)
    assert namespace_keys(REDIS_TEST_URL, namespace) == [f"supportbot:{namespace}:seen:Ev1"]


def test_namespaces_do_not_see_each_other(namespace: str) -> None:
    other = unique_namespace()
    try:
        with (
            RedisStore(REDIS_TEST_URL, namespace=namespace) as first,
            RedisStore(REDIS_TEST_URL, namespace=other) as second,
        ):
            first.cases.create_case(make_draft(), idempotency_key="k", actor_id="U1", now=NOW)
            assert second.cases.list_cases() == []
            created, _ = second.cases.create_case(
                make_draft(), idempotency_key="k", actor_id="U1", now=NOW
            )
            assert created.number == "CS-1001"  # its own sequence
    finally:
        delete_namespace(REDIS_TEST_URL, other)
    assert namespace_keys(REDIS_TEST_URL, other) == []
    assert namespace_keys(REDIS_TEST_URL, namespace) != []


def test_bad_settings_make_the_store_unavailable_with_the_reason(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with pytest.raises(StoreUnavailable, match="namespace may not contain"):
        open_store(redis_url=f"{REDIS_TEST_URL}?namespace=a*b")
    monkeypatch.setenv("SUPPORTBOT_TRACKER_TTL_DAYS", "forever")
    with pytest.raises(StoreUnavailable, match="SUPPORTBOT_TRACKER_TTL_DAYS must be a number"):
        open_store(redis_url=REDIS_TEST_URL)


def test_unreachable_redis_fails_fast_with_store_unavailable_and_no_password() -> None:
    url = f"redis://:hunter2@127.0.0.1:{free_port()}/0"
    store = open_store(redis_url=url)
    try:
        started = time.monotonic()
        with pytest.raises(StoreUnavailable, match="cannot be reached") as caught:
            store.cases.create_case(make_draft(), idempotency_key="k", actor_id="U1", now=NOW)
        assert time.monotonic() - started < 2
        assert "hunter2" not in str(caught.value)
        for operation in (
            store.ping,
            lambda: store.trackers.load("D1"),
            lambda: store.dedup.first_time("Ev1", ttl_seconds=5),
            lambda: store.locks.acquire("conv:D1", ttl_seconds=5),
            lambda: store.timers.due(NOW),
            lambda: store.cases.get_case("CS-1001"),
        ):
            with pytest.raises(StoreUnavailable):
                operation()
        assert "hunter2" not in repr(store)
    finally:
        store.close()


def test_malformed_redis_url_is_reported_without_the_url() -> None:
    with pytest.raises(StoreUnavailable, match="not a usable Redis URL") as caught:
        open_store(redis_url="http://user:hunter2@example.invalid/")
    assert "hunter2" not in str(caught.value)


def test_closed_store_refuses_work(namespace: str) -> None:
    store = RedisStore(REDIS_TEST_URL, namespace=namespace)
    store.close()
    with pytest.raises(StoreUnavailable, match="closed"):
        store.trackers.load("D1")


def test_a_turn_sized_sequence_of_calls_costs_one_round_trip_each(namespace: str) -> None:
    with RedisStore(REDIS_TEST_URL, namespace=namespace) as store:
        before = store.round_trips
        lock = store.locks.acquire("conversation:D1", ttl_seconds=10)
        assert lock is not None
        store.dedup.first_time("Ev1", ttl_seconds=60)
        store.trackers.load("D1")
        store.cases.create_case(make_draft(), idempotency_key="k", actor_id="U1", now=NOW)
        store.trackers.save("D1", [{"event": "user", "text": "hi"}] * 50)
        store.locks.release(lock)
        assert store.round_trips - before == 6


def test_conversations_expire_after_the_tracker_ttl(namespace: str) -> None:
    with RedisStore(REDIS_TEST_URL, namespace=namespace, tracker_ttl_seconds=3600) as store:
        store.trackers.append("D1", [{"event": "user", "text": "hi"}])
    ttl_ms = redis.Redis.from_url(REDIS_TEST_URL).pttl(f"supportbot:{namespace}:tracker:D1")
    assert 3_590_000 < ttl_ms <= 3_600_000


def test_lock_left_behind_by_a_timed_out_request_is_freed_on_the_next_attempt(
    namespace: str,
) -> None:
    """A SET that timed out may still run later; the same process must not lock itself out."""
    with RedisStore(REDIS_TEST_URL, namespace=namespace) as store:
        late = "token-of-a-request-that-timed-out"
        raw = redis.Redis.from_url(REDIS_TEST_URL)
        raw.set(f"supportbot:{namespace}:lock:conversation:D1", late, px=60_000)
        store.locks._remember_orphan("conversation:D1", late)
        assert store.locks.acquire("conversation:D1", ttl_seconds=10) is not None


def test_a_stopping_replica_releases_the_locks_it_may_hold_unknowingly(namespace: str) -> None:
    with (
        RedisStore(REDIS_TEST_URL, namespace=namespace) as stopping,
        RedisStore(REDIS_TEST_URL, namespace=namespace) as next_replica,
    ):
        late = "token-of-a-request-that-timed-out"
        raw = redis.Redis.from_url(REDIS_TEST_URL)
        raw.set(f"supportbot:{namespace}:lock:conversation:D1", late, px=60_000)
        stopping.locks._remember_orphan("conversation:D1", late)
        assert stopping.locks.release_orphans() == 1
        assert next_replica.locks.acquire("conversation:D1", ttl_seconds=10) is not None


def test_foreign_lock_is_not_freed_by_the_orphan_rule(namespace: str) -> None:
    with (
        RedisStore(REDIS_TEST_URL, namespace=namespace) as mine,
        RedisStore(REDIS_TEST_URL, namespace=namespace) as other,
    ):
        held = other.locks.acquire("conversation:D1", ttl_seconds=10)
        assert held is not None
        mine.locks._remember_orphan("conversation:D1", "some-old-token")
        assert mine.locks.acquire("conversation:D1", ttl_seconds=10) is None
        assert other.locks.release(held) is True


def test_deleting_a_namespace_refuses_the_default_one() -> None:
    with pytest.raises(ValueError, match="default namespace"):
        delete_namespace(REDIS_TEST_URL, "")


def test_a_wrong_redis_password_is_reported_as_refused_not_unreachable() -> None:
    from bot.store.errors import StoreUnavailable
    from bot.store.redis_store import RedisStore

    store = RedisStore("redis://nobody:wrong-password@127.0.0.1:6379/0", namespace="auth")
    try:
        with pytest.raises(StoreUnavailable) as refused:
            store.ping()
    finally:
        store.close()
    assert "refused the password" in str(refused.value)
    assert "wrong-password" not in str(refused.value)


def test_queries_walk_an_index_in_several_steps_without_gaps(
    namespace: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A step examines a bounded number of index entries; the walk resumes where it stopped."""
    monkeypatch.setattr(redis_store, "_SCAN", 2)
    with RedisStore(REDIS_TEST_URL, namespace=namespace) as store:
        assert_every_query_pages(store)


def test_a_page_of_open_cases_with_its_count_is_one_round_trip(namespace: str) -> None:
    with RedisStore(REDIS_TEST_URL, namespace=namespace) as store:
        for i in range(30):
            store.cases.create_case(
                make_draft(requester_id=f"U0{i % 3}"),
                idempotency_key=f"k{i}",
                actor_id="U1",
                now=NOW,
            )
        store.cases.list_cases(limit=1)  # the scripts are loaded once per connection
        before = store.round_trips
        page = store.cases.newest_cases(
            org_short_name="acme",
            requester_id="U01",
            statuses=ACTIVE_STATUS_VALUES,
            limit=5,
            count_at_most=1000,
        )
        assert (len(page.cases), page.total) == (5, 10)
        assert store.round_trips - before == 1
