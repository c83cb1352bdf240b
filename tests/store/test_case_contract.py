"""Contract of CaseStore: every backend must pass these unchanged."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.store.base import Store
from bot.store.errors import (
    CaseNotFound,
    InvalidCaseNumber,
    InvalidChange,
    InvalidInput,
    VersionConflict,
)
from tests.store.conftest import NOW, StoreOpener, make_draft


def create(store: Store, key: str = "intake-1", **draft: object):
    case, _ = store.cases.create_case(
        make_draft(**draft), idempotency_key=key, actor_id="U01AAA", now=NOW
    )
    return case


def test_new_case_gets_first_number_and_starts_open(store: Store) -> None:
    case, created = store.cases.create_case(
        make_draft(), idempotency_key="intake-1", actor_id="U01AAA", now=NOW
    )
    assert created is True
    assert case.number == "CS-1001"
    assert case.status == "open"
    assert case.severity == 2 and case.priority == "high"
    assert case.created_at == NOW and case.last_update_at == NOW
    assert case.last_update_by == "customer"
    assert case.acknowledged_at is None and case.closed_at is None
    assert store.cases.get_case("CS-1001") == case


def test_same_idempotency_key_returns_the_existing_case(store: Store) -> None:
    first, created_first = store.cases.create_case(
        make_draft(), idempotency_key="slack-evt-1", actor_id="U01AAA", now=NOW
    )
    again, created_again = store.cases.create_case(
        make_draft(title="a retried delivery"),
        idempotency_key="slack-evt-1",
        actor_id="U01AAA",
        now=NOW + timedelta(seconds=3),
    )
    assert (created_first, created_again) == (True, False)
    assert again == first
    assert [c.number for c in store.cases.list_cases()] == ["CS-1001"]


def test_different_keys_get_sequential_numbers(store: Store) -> None:
    numbers = [create(store, key=f"k{i}").number for i in range(3)]
    assert numbers == ["CS-1001", "CS-1002", "CS-1003"]


def test_threads_racing_with_one_key_create_one_case(open_store_again: StoreOpener) -> None:
    clients = [open_store_again() for _ in range(6)]
    start = threading.Barrier(len(clients))

    def attempt(client: Store):
        start.wait()
        return client.cases.create_case(
            make_draft(), idempotency_key="confirm-once", actor_id="U01AAA", now=NOW
        )

    with ThreadPoolExecutor(len(clients)) as pool:
        results = list(pool.map(attempt, clients))
    assert sum(created for _, created in results) == 1
    assert {case.number for case, _ in results} == {"CS-1001"}
    assert len(clients[0].cases.list_cases()) == 1


def test_threads_with_distinct_keys_never_share_a_number(store: Store) -> None:
    with ThreadPoolExecutor(6) as pool:
        cases = list(pool.map(lambda i: create(store, key=f"key-{i}"), range(30)))
    numbers = sorted(case.sequence for case in cases)
    assert numbers == list(range(1001, 1031))


def test_cases_and_audit_survive_reopening(open_store_again: StoreOpener) -> None:
    first = open_store_again()
    create(first)
    first.cases.update_case(
        "CS-1001", actor_id="U0STAFF1", now=NOW + timedelta(minutes=5), changes={"severity": 3}
    )
    first.close()

    reopened = open_store_again()
    case = reopened.cases.get_case("CS-1001")
    assert case is not None and case.severity == 3 and case.version == 2
    assert [e.action for e in reopened.cases.audit_trail("CS-1001")] == ["create", "update"]
    assert create(reopened, key="after-restart").number == "CS-1002"


def test_every_change_is_audited_with_who_what_when(store: Store) -> None:
    create(store)
    later = NOW + timedelta(hours=1)
    store.cases.update_case(
        "CS-1001",
        actor_id="U0STAFF1",
        now=later,
        changes={"assignee_id": "U0STAFF1", "acknowledged_at": later, "severity": 2},
        action="take",
    )
    trail = store.cases.audit_trail("CS-1001")
    assert [e.action for e in trail] == ["create", "take"]
    take = trail[1]
    assert take.actor_id == "U0STAFF1" and take.at == later
    assert take.changes == {  # severity did not change, so it is not recorded
        "assignee_id": {"old": None, "new": "U0STAFF1"},
        "acknowledged_at": {"old": None, "new": later.isoformat()},
    }
    assert trail[0].actor_id == "U01AAA"
    assert trail[0].changes["title"]["new"] == "Agents cannot log in to the desktop app"


def test_update_that_changes_nothing_records_nothing(store: Store) -> None:
    case = create(store)
    same = store.cases.update_case(
        case.number, actor_id="U01AAA", now=NOW, changes={"priority": "high"}
    )
    assert same == case and same.version == 1
    assert len(store.cases.audit_trail(case.number)) == 1


def test_the_store_keeps_closure_fields_as_given(store: Store) -> None:
    """Stamping the closing time is the lifecycle's job (cases.operations.close)."""
    create(store)
    closed_at = NOW + timedelta(days=1)
    closed = store.cases.update_case(
        "CS-1001",
        actor_id="U01AAA",
        now=closed_at,
        changes={"status": "closed", "closed_at": closed_at},
    )
    assert closed.closed_at == closed_at and not closed.is_active
    reopened = store.cases.update_case(
        "CS-1001", actor_id="U01AAA", now=closed_at, changes={"status": "open", "closed_at": None}
    )
    assert reopened.closed_at is None and reopened.is_active


def test_concurrent_updates_of_different_fields_all_land(open_store_again: StoreOpener) -> None:
    create(open_store_again())
    updates = [
        {"assignee_id": "U0STAFF1"},
        {"priority": "critical"},
        {"status": "waiting_on_customer"},
        {"conversation_id": "conv-42"},
        {"troubleshooting": "restarted the client"},
        {"platform_level": True},
    ]
    clients = [open_store_again() for _ in updates]
    start = threading.Barrier(len(updates))

    def apply(pair):
        client, change = pair
        start.wait()
        client.cases.update_case("CS-1001", actor_id="U0STAFF1", now=NOW, changes=change)

    with ThreadPoolExecutor(len(updates)) as pool:
        list(pool.map(apply, zip(clients, updates, strict=True)))
    case = clients[0].cases.get_case("CS-1001")
    assert case is not None
    for change in updates:
        for name, value in change.items():
            assert getattr(case, name) == value
    assert case.version == 1 + len(updates)
    assert len(clients[0].cases.audit_trail("CS-1001")) == 1 + len(updates)


def test_read_modify_write_with_expected_version_loses_no_append(
    open_store_again: StoreOpener,
) -> None:
    create(open_store_again(), troubleshooting="")
    writers, notes_each = 4, 8

    def writer(index: int) -> None:
        client = open_store_again()
        for note in range(notes_each):
            while True:
                case = client.cases.get_case("CS-1001")
                assert case is not None
                text = (case.troubleshooting or "") + f"w{index}n{note};"
                try:
                    client.cases.update_case(
                        "CS-1001",
                        actor_id=f"U0W{index}",
                        now=NOW,
                        changes={"troubleshooting": text},
                        expected_version=case.version,
                    )
                    break
                except VersionConflict:
                    continue

    with ThreadPoolExecutor(writers) as pool:
        list(pool.map(writer, range(writers)))
    final = open_store_again().cases.get_case("CS-1001")
    assert final is not None
    notes = [n for n in (final.troubleshooting or "").split(";") if n]
    assert sorted(notes) == sorted(f"w{w}n{n}" for w in range(writers) for n in range(notes_each))
    assert final.version == 1 + writers * notes_each


def test_stale_expected_version_changes_nothing(store: Store) -> None:
    case = create(store)
    store.cases.update_case(case.number, actor_id="U01AAA", now=NOW, changes={"priority": "low"})
    with pytest.raises(VersionConflict, match="CS-1001"):
        store.cases.update_case(
            case.number,
            actor_id="U01AAA",
            now=NOW,
            changes={"priority": "critical"},
            expected_version=case.version,
        )
    current = store.cases.get_case(case.number)
    assert current is not None and current.priority == "low"
    assert len(store.cases.audit_trail(case.number)) == 2


def test_datetimes_come_back_as_the_same_instant_in_utc(store: Store) -> None:
    chicago = datetime(2026, 3, 8, 1, 30, tzinfo=ZoneInfo("America/Chicago"))  # DST night
    case, _ = store.cases.create_case(
        make_draft(response_due_at=chicago + timedelta(hours=2)),
        idempotency_key="tz",
        actor_id="U01AAA",
        now=chicago,
    )
    stored = store.cases.get_case(case.number)
    assert stored is not None
    assert stored.created_at == chicago and stored.created_at.tzinfo == UTC
    assert stored.response_due_at == chicago + timedelta(hours=2)


def test_list_filters_by_org_requester_and_status(store: Store) -> None:
    create(store, key="a")
    create(store, key="b", org_short_name="bergwerk", requester_id="U02DDD")
    create(store, key="c", requester_id="U01BBB")
    store.cases.update_case("CS-1003", actor_id="U01BBB", now=NOW, changes={"status": "closed"})

    def numbers(**filters):
        return [c.number for c in store.cases.list_cases(**filters)]

    assert numbers() == ["CS-1001", "CS-1002", "CS-1003"]
    assert numbers(org_short_name="acme") == ["CS-1001", "CS-1003"]
    assert numbers(requester_id="U02DDD") == ["CS-1002"]
    assert numbers(org_short_name="acme", statuses=["open", "waiting_on_customer"]) == ["CS-1001"]
    assert numbers(statuses=["closed"]) == ["CS-1003"]
    assert numbers(org_short_name="nobody") == []
    with pytest.raises(InvalidInput, match="unknown status 'done'"):
        store.cases.list_cases(statuses=["done"])


def test_lowercase_or_padded_case_number_is_understood(store: Store) -> None:
    create(store)
    found = store.cases.get_case(" cs-1001 ")
    assert found is not None and found.number == "CS-1001"


@pytest.mark.parametrize("number", ["1001", "CS-", "CS-10x1", "CS-0", "case 1001", "", "CS-1001;"])
def test_malformed_case_number_is_refused_and_changes_nothing(store: Store, number: str) -> None:
    create(store)
    for call in (
        lambda: store.cases.get_case(number),
        lambda: store.cases.audit_trail(number),
        lambda: store.cases.update_case(
            number, actor_id="U01AAA", now=NOW, changes={"status": "closed"}
        ),
    ):
        with pytest.raises(InvalidCaseNumber, match="CS-1001"):
            call()
    case = store.cases.get_case("CS-1001")
    assert case is not None and case.status == "open" and case.version == 1


def test_unknown_case_is_reported_and_nothing_is_created(store: Store) -> None:
    create(store)
    assert store.cases.get_case("CS-9999") is None
    assert store.cases.audit_trail("CS-9999") == []
    with pytest.raises(CaseNotFound, match="CS-9999"):
        store.cases.update_case("CS-9999", actor_id="U01AAA", now=NOW, changes={"severity": 3})
    assert [c.number for c in store.cases.list_cases()] == ["CS-1001"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"number": "CS-1"}, "'number' cannot be changed"),
        ({"org_short_name": "other"}, "'org_short_name' cannot be changed"),
        ({"wat": 1}, "'wat' cannot be changed"),
        ({"severity": 7}, "severity must be 1, 2, 3 or 4"),
        ({"severity": True}, "severity must be 1, 2, 3 or 4"),
        ({"priority": "urgent"}, "priority must be one of"),
        ({"status": "resolved"}, "status must be one of"),
        ({"title": "   "}, "title must not be empty"),
        ({"acknowledged_at": datetime(2026, 3, 6, 9, 0)}, "acknowledged_at must be timezone-aware"),
        ({"description": "x" * 100_001}, "description is too long"),
        ({"status": "closed", "severity": 0}, "severity must be"),
    ],
)
def test_bad_change_is_refused_and_changes_nothing(
    store: Store, changes: dict[str, object], message: str
) -> None:
    case = create(store)
    with pytest.raises(InvalidChange, match=message):
        store.cases.update_case(case.number, actor_id="U01AAA", now=NOW, changes=changes)
    assert store.cases.get_case(case.number) == case
    assert len(store.cases.audit_trail(case.number)) == 1


def test_naive_now_or_empty_actor_is_refused(store: Store) -> None:
    case = create(store)
    with pytest.raises(InvalidInput, match="timezone-aware"):
        store.cases.update_case(
            case.number, actor_id="U01AAA", now=datetime(2026, 3, 6), changes={"severity": 3}
        )
    with pytest.raises(InvalidInput, match="actor_id"):
        store.cases.update_case(case.number, actor_id="", now=NOW, changes={"severity": 3})
    assert store.cases.get_case(case.number) == case


def test_refused_draft_creates_nothing_and_uses_no_number(store: Store) -> None:
    with pytest.raises(InvalidChange, match="severity"):
        store.cases.create_case(
            make_draft(severity=9), idempotency_key="bad", actor_id="U01AAA", now=NOW
        )
    with pytest.raises(InvalidInput, match="idempotency_key"):
        store.cases.create_case(make_draft(), idempotency_key=" ", actor_id="U01AAA", now=NOW)
    assert store.cases.list_cases() == []
    assert create(store, key="good").number == "CS-1001"


def test_odd_unicode_round_trips(store: Store) -> None:
    text = "Ça ne marche pas 🚨 — 日本語 <@U123> *bold* \u200b"
    case = create(store, description=text, requester_name="Zoë Ñúñez")
    stored = store.cases.get_case(case.number)
    assert stored is not None and stored.description == text
    assert stored.requester_name == "Zoë Ñúñez"


def test_backend_implements_every_store_protocol(store: Store) -> None:
    from bot.store import base

    assert isinstance(store, base.Store)
    assert isinstance(store.cases, base.CaseStore)
    assert isinstance(store.trackers, base.TrackerStore)
    assert isinstance(store.dedup, base.EventDeduplicator)
    assert isinstance(store.locks, base.LockManager)
    assert isinstance(store.timers, base.TimerStore)
    store.ping()
