"""How each backend keeps its case indexes: stores written by older code get them, and active
queries never read closed cases."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from bot.store.base import UNASSIGNED, Store
from bot.store.redis_admin import delete_namespace, namespace_keys, unique_namespace
from bot.store.redis_store import INDEX_FORMAT, RedisStore
from bot.store.sqlite import SqliteStore
from bot.store.sqlite_connection import SCHEMA_VERSION
from cases.vocabulary import ACTIVE_STATUS_VALUES
from tests.store.conftest import NOW, REDIS_TEST_URL, make_draft

ACTIVE = ACTIVE_STATUS_VALUES

# The cases table and meta row as version 1 of the SQLite store wrote them.
V1_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE sequences (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE cases (
    sequence INTEGER PRIMARY KEY,
    number TEXT NOT NULL UNIQUE,
    idempotency_key TEXT NOT NULL UNIQUE,
    org_short_name TEXT NOT NULL,
    requester_id TEXT NOT NULL,
    status TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT NOT NULL
);
CREATE INDEX cases_by_org ON cases (org_short_name);
CREATE INDEX cases_by_requester ON cases (requester_id);
INSERT INTO meta (key, value) VALUES ('schema_version', '1');
"""
V1_COLUMNS = (
    "sequence, number, idempotency_key, org_short_name, requester_id, status, version, data"
)


def fill(store: Store) -> None:
    """Four cases: active in a thread, assigned, closed, active in another organization."""
    for key, draft in (
        ("a", {"origin_thread": "D01AAA"}),
        ("b", {"origin_thread": "D01AAA", "assignee_id": "U0STAFF1"}),
        ("c", {"origin_thread": "D01AAA"}),
        ("d", {"org_short_name": "bergwerk", "requester_id": "U02AAA"}),
    ):
        store.cases.create_case(make_draft(**draft), idempotency_key=key, actor_id="U1", now=NOW)
    store.cases.update_case("CS-1003", actor_id="U1", now=NOW, changes={"status": "closed"})


def assert_indexed(store: Store) -> None:
    def active(**query: object) -> list[str]:
        found = store.cases.list_cases(statuses=ACTIVE, newest_first=True, **query)
        return [c.number for c in found]

    assert active() == ["CS-1004", "CS-1002", "CS-1001"]
    assert active(origin_thread="D01AAA") == ["CS-1002", "CS-1001"]
    assert active(assignee_id="U0STAFF1") == ["CS-1002"]
    assert active(assignee_id=UNASSIGNED) == ["CS-1004", "CS-1001"]
    assert active(org_short_name="acme", requester_id="U01AAA") == ["CS-1002", "CS-1001"]
    assert store.cases.count_cases(statuses=ACTIVE, org_short_name="bergwerk") == 1


# --- SQLite ----------------------------------------------------------------------------------


def write_v1_file(path: Path, tmp_path: Path) -> None:
    """A file as the version 1 code left it, holding the cases of `fill`."""
    with SqliteStore(tmp_path / "source.sqlite3") as source:
        fill(source)
    with sqlite3.connect(tmp_path / "source.sqlite3") as src:
        rows = src.execute(f"SELECT {V1_COLUMNS} FROM cases").fetchall()
    old = sqlite3.connect(path)
    old.executescript(V1_SCHEMA)
    old.executemany(f"INSERT INTO cases ({V1_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)
    old.execute("INSERT INTO sequences (name, value) VALUES ('case', 1004)")
    old.commit()
    old.close()


def test_a_version_1_file_is_migrated_on_open_and_answers_indexed_queries(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    write_v1_file(path, tmp_path)
    with SqliteStore(path) as store:
        assert_indexed(store)
        store.cases.update_case("CS-1001", actor_id="U1", now=NOW, changes={"status": "closed"})
        created, _ = store.cases.create_case(
            make_draft(origin_thread="D01AAA"), idempotency_key="e", actor_id="U1", now=NOW
        )
        found = store.cases.list_cases(statuses=ACTIVE, origin_thread="D01AAA")
        assert [c.number for c in found] == ["CS-1002", created.number] == ["CS-1002", "CS-1005"]
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (
            str(SCHEMA_VERSION),
        )


def test_processes_opening_a_version_1_file_together_migrate_it_once(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    write_v1_file(path, tmp_path)
    start = threading.Barrier(4)
    errors: list[BaseException] = []

    def open_and_query() -> None:
        start.wait()
        try:
            with SqliteStore(path) as store:
                assert_indexed(store)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=open_and_query) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []


@pytest.mark.parametrize(
    ("query", "index"),
    [
        ({}, "active_cases"),
        ({"org_short_name": "acme"}, "active_cases_by_org"),
        ({"requester_id": "U01AAA"}, "active_cases_by_requester"),
        ({"assignee_id": UNASSIGNED}, "active_cases_by_assignee"),
        ({"origin_thread": "D01AAA"}, "active_cases_by_thread"),
    ],
)
def test_sqlite_answers_active_queries_from_its_partial_indexes(
    tmp_path: Path, query: dict[str, str], index: str
) -> None:
    """The planner's choice, checked with the store's own SQL (no closed row is visited)."""
    from bot.store import sqlite as module
    from bot.store.changes import case_query

    filters = {
        "org_short_name": None,
        "requester_id": None,
        "assignee_id": None,
        "origin_thread": None,
        **query,
    }
    where, params = module._case_filter(case_query(statuses=ACTIVE, **filters))
    sql = f"SELECT data FROM cases{module._where(where)} ORDER BY sequence DESC LIMIT 20"
    with SqliteStore(tmp_path / "s.sqlite3") as store:
        fill(store)
    with sqlite3.connect(tmp_path / "s.sqlite3") as conn:
        plan = " ".join(str(row[3]) for row in conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    assert f"USING INDEX {index} " in plan + " " and "TEMP B-TREE" not in plan, plan


# --- Redis -----------------------------------------------------------------------------------


@pytest.fixture
def namespace() -> Iterator[str]:
    name = unique_namespace()
    yield name
    delete_namespace(REDIS_TEST_URL, name)


def make_old(namespace: str) -> None:
    """Leave only what the scripts before issue 13 wrote: no active indexes, no marker, and
    case hashes with version, status and data alone."""
    client = redis.Redis.from_url(REDIS_TEST_URL, decode_responses=True)
    prefix = f"supportbot:{namespace}:"
    for key in namespace_keys(REDIS_TEST_URL, namespace):
        if key.startswith(prefix + "index:active:") or key == prefix + "index:format":
            client.delete(key)
        elif key.startswith(prefix + "case:"):
            client.hdel(key, "org", "requester", "assignee", "thread")
    client.close()


@pytest.mark.parametrize("page", [2, 500])
def test_a_redis_store_written_by_older_code_is_indexed_when_opened(
    namespace: str, page: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.store import redis_store

    monkeypatch.setattr(redis_store, "_PAGE", page)  # the build and walks page by page
    with RedisStore(REDIS_TEST_URL, namespace=namespace) as store:
        fill(store)
    make_old(namespace)
    keys = namespace_keys(REDIS_TEST_URL, namespace)
    assert not [k for k in keys if ":index:active:" in k or k.endswith(":index:format")]
    with RedisStore(REDIS_TEST_URL, namespace=namespace) as store:
        assert_indexed(store)
        store.cases.update_case("CS-1002", actor_id="U1", now=NOW, changes={"status": "closed"})
        found = store.cases.list_cases(statuses=ACTIVE, origin_thread="D01AAA")
        assert [c.number for c in found] == ["CS-1001"]
    marker = redis.Redis.from_url(REDIS_TEST_URL, decode_responses=True)
    assert marker.get(f"supportbot:{namespace}:index:format") == INDEX_FORMAT
    marker.close()


def test_a_store_opened_while_redis_is_down_indexes_on_its_first_query(namespace: str) -> None:
    with RedisStore(REDIS_TEST_URL, namespace=namespace) as store:
        fill(store)
    make_old(namespace)
    store = RedisStore(REDIS_TEST_URL, namespace=namespace)
    store.cases._indexed = False  # as if the check at open had found the server down
    try:
        assert_indexed(store)
    finally:
        store.close()


def test_a_new_redis_store_needs_no_build(namespace: str) -> None:
    with RedisStore(REDIS_TEST_URL, namespace=namespace) as store:
        assert namespace_keys(REDIS_TEST_URL, namespace) == []  # opening writes nothing
        fill(store)
    client = redis.Redis.from_url(REDIS_TEST_URL, decode_responses=True)
    assert client.get(f"supportbot:{namespace}:index:format") == INDEX_FORMAT
    client.close()


def test_redis_active_queries_never_read_closed_cases(namespace: str) -> None:
    with RedisStore(REDIS_TEST_URL, namespace=namespace) as store:
        fill(store)
        client = redis.Redis.from_url(REDIS_TEST_URL, decode_responses=True)
        client.hset(f"supportbot:{namespace}:case:1003", "data", "not JSON: must not be read")
        client.close()
        assert_indexed(store)
