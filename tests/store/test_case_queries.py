"""Contract of the indexed case queries (issue 13): every backend must pass these unchanged.

Per-message paths ask for the newest few active cases of an organization, requester,
assignee, the staff queue (nobody assigned) or a conversation; these must follow every
status, assignee and thread change, page without gaps, and never return closed cases.
"""

from __future__ import annotations

import itertools
import random
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bot.store.base import UNASSIGNED, Store
from bot.store.errors import InvalidCaseNumber, InvalidInput
from bot.store.models import Case
from cases.vocabulary import ACTIVE_STATUS_VALUES
from tests.store.conftest import NOW, StoreOpener, make_draft

ACTIVE = ACTIVE_STATUS_VALUES


def create(store: Store, key: str, **draft: object) -> Case:
    case, _ = store.cases.create_case(
        make_draft(**draft), idempotency_key=key, actor_id="U01AAA", now=NOW
    )
    return case


def change(store: Store, number: str, **changes: object) -> Case:
    return store.cases.update_case(number, actor_id="U0STAFF1", now=NOW, changes=changes)


def numbers(cases: list[Case]) -> list[str]:
    return [case.number for case in cases]


def listed(store: Store, **query: Any) -> list[str]:
    return numbers(store.cases.list_cases(**query))


def test_newest_first_with_a_limit_and_pages_that_continue(store: Store) -> None:
    for i in range(7):
        create(store, f"k{i}")
    assert listed(store, newest_first=True, limit=3) == ["CS-1007", "CS-1006", "CS-1005"]
    assert listed(store, newest_first=True, limit=3, after="CS-1005") == [
        "CS-1004",
        "CS-1003",
        "CS-1002",
    ]
    assert listed(store, newest_first=True, after="CS-1002") == ["CS-1001"]
    assert listed(store, limit=2, after="CS-1005") == ["CS-1006", "CS-1007"]
    assert listed(store, limit=0) == []
    assert listed(store, statuses=ACTIVE, after="cs-1007") == []


def test_active_queries_per_org_requester_assignee_queue_and_thread(store: Store) -> None:
    create(store, "a", origin_thread="D01AAA")
    create(store, "b", org_short_name="bergwerk", requester_id="U02AAA", origin_thread="T-b")
    create(store, "c", requester_id="U01BBB", assignee_id="U0STAFF1", origin_thread="D01AAA")
    create(store, "d", origin_thread="D01AAA")
    change(store, "CS-1004", status="closed")

    def active(**query: Any) -> list[str]:
        return listed(store, statuses=ACTIVE, newest_first=True, **query)

    assert active() == ["CS-1003", "CS-1002", "CS-1001"]
    assert active(org_short_name="acme") == ["CS-1003", "CS-1001"]
    assert active(requester_id="U01AAA") == ["CS-1001"]
    assert active(assignee_id="U0STAFF1") == ["CS-1003"]
    assert active(assignee_id=UNASSIGNED) == ["CS-1002", "CS-1001"]
    assert active(origin_thread="D01AAA") == ["CS-1003", "CS-1001"]
    assert active(origin_thread="D01AAA", requester_id="U01AAA") == ["CS-1001"]
    assert active(origin_thread="D01AAA", limit=1) == ["CS-1003"]
    assert active(org_short_name="nobody") == [] and active(origin_thread="D09") == []
    assert listed(store, origin_thread="D01AAA") == ["CS-1001", "CS-1003", "CS-1004"]
    assert listed(store, origin_thread="D01AAA", statuses=["closed"]) == ["CS-1004"]


def test_status_changes_move_a_case_out_of_and_back_into_the_active_queries(
    store: Store,
) -> None:
    create(store, "a", origin_thread="D01AAA", assignee_id="U0STAFF1")
    queries: list[dict[str, Any]] = [
        {},
        {"org_short_name": "acme"},
        {"requester_id": "U01AAA"},
        {"assignee_id": "U0STAFF1"},
        {"origin_thread": "D01AAA"},
    ]
    change(store, "CS-1001", status="waiting_on_customer")
    for query in queries:
        assert listed(store, statuses=ACTIVE, **query) == ["CS-1001"], query
        assert store.cases.count_cases(statuses=ACTIVE, **query) == 1
    change(store, "CS-1001", status="closed", title="Closed now")
    for query in queries:
        assert listed(store, statuses=ACTIVE, **query) == [], query
        assert store.cases.count_cases(statuses=ACTIVE, **query) == 0
        assert listed(store, statuses=["closed"], **query) == ["CS-1001"], query
    change(store, "CS-1001", status="open")
    for query in queries:
        assert listed(store, statuses=ACTIVE, **query) == ["CS-1001"], query


def test_assignee_changes_move_a_case_between_queues(store: Store) -> None:
    create(store, "a")

    def queue(assignee: str) -> list[str]:
        return listed(store, statuses=ACTIVE, assignee_id=assignee)

    assert queue(UNASSIGNED) == ["CS-1001"] and queue("U0STAFF1") == []
    change(store, "CS-1001", assignee_id="U0STAFF1")
    assert queue(UNASSIGNED) == [] and queue("U0STAFF1") == ["CS-1001"]
    change(store, "CS-1001", assignee_id="U0STAFF2")
    assert queue("U0STAFF1") == [] and queue("U0STAFF2") == ["CS-1001"]
    change(store, "CS-1001", assignee_id=None)
    assert queue(UNASSIGNED) == ["CS-1001"] and queue("U0STAFF2") == []
    change(store, "CS-1001", origin_thread="D02")
    assert listed(store, statuses=ACTIVE, origin_thread="D02") == ["CS-1001"]


def test_counts_are_exact_or_stop_at_the_cap(store: Store) -> None:
    for i in range(5):
        create(store, f"k{i}", requester_id="U01AAA" if i < 3 else "U01BBB")
    change(store, "CS-1002", status="closed")
    count = store.cases.count_cases
    assert count() == 5 and count(statuses=ACTIVE) == 4
    assert count(statuses=ACTIVE, requester_id="U01AAA") == 2
    assert count(statuses=ACTIVE, requester_id="U01AAA", org_short_name="acme") == 2
    assert count(statuses=["open"], org_short_name="acme") == 4
    assert count(statuses=ACTIVE, at_most=3) == 3
    assert count(statuses=ACTIVE, org_short_name="acme", requester_id="U01BBB", at_most=1) == 1
    assert count(statuses=[]) == 0 and count(at_most=0) == 0


def test_newest_cases_and_their_count_come_together(store: Store) -> None:
    for i in range(6):
        create(store, f"k{i}", requester_id="U01AAA" if i % 2 else "U01BBB")
    change(store, "CS-1006", status="closed")
    newest = store.cases.newest_cases
    page = newest(statuses=ACTIVE, limit=2, count_at_most=100)
    assert (numbers(page.cases), page.total) == (["CS-1005", "CS-1004"], 5)
    mine = newest(
        statuses=ACTIVE, org_short_name="acme", requester_id="U01AAA", limit=5, count_at_most=9
    )
    assert (numbers(mine.cases), mine.total) == (["CS-1004", "CS-1002"], 2)
    capped = newest(statuses=ACTIVE, limit=1, count_at_most=3)
    assert (numbers(capped.cases), capped.total) == (["CS-1005"], 3)
    assert newest(statuses=[], limit=3, count_at_most=3).total == 0


def test_an_unknown_filter_is_a_programming_error(store: Store) -> None:
    with pytest.raises(TypeError, match="requester"):
        store.cases.list_cases(requester="U01AAA")  # type: ignore[call-arg]


def test_every_query_pages_to_what_a_full_filter_gives(store: Store) -> None:
    """Many cases, random changes: each filter, both orders, in pages of 3."""
    assert_every_query_pages(store)


def assert_every_query_pages(store: Store) -> None:
    rng = random.Random(13)
    orgs, people, staff, threads = ["acme", "bergwerk"], ["U1", "U2", "U3"], ["S1", "S2"], "XYZ"
    for i in range(40):
        create(
            store,
            f"k{i}",
            org_short_name=rng.choice(orgs),
            requester_id=rng.choice(people),
            origin_thread=rng.choice(threads),
        )
    for _ in range(60):
        number = f"CS-{1001 + rng.randrange(40)}"
        change(
            store,
            number,
            status=rng.choice(["open", "waiting_on_customer", "resolution_proposed", "closed"]),
            assignee_id=rng.choice([None, *staff]),
        )
    everything = store.cases.list_cases()
    assert len(everything) == 40
    filters: list[dict[str, Any]] = [
        {},
        *({"org_short_name": o} for o in orgs),
        *({"requester_id": p} for p in people),
        *({"assignee_id": s} for s in [*staff, UNASSIGNED]),
        *({"origin_thread": t} for t in threads),
        {"org_short_name": "acme", "requester_id": "U1"},
        {"requester_id": "U2", "origin_thread": "X"},
    ]
    for base, statuses, newest_first in itertools.product(
        filters,
        [None, ACTIVE, ["closed"], ["open", "closed"], ["resolution_proposed"]],
        [False, True],
    ):
        query = {**base, "statuses": statuses}
        expected = [
            c.number
            for c in (reversed(everything) if newest_first else everything)
            if (statuses is None or c.status in statuses)
            and all((getattr(c, k) or "") == v for k, v in base.items())
        ]
        pages: list[str] = []
        after = None
        while True:
            page = store.cases.list_cases(**query, newest_first=newest_first, after=after, limit=3)
            pages += numbers(page)
            if len(page) < 3:
                break
            after = page[-1].number
        assert pages == expected, query
        assert listed(store, **query, newest_first=newest_first) == expected, query
        assert store.cases.count_cases(**query) == len(expected), query
        if newest_first:
            page = store.cases.newest_cases(**query, limit=3, count_at_most=1000)
            assert (numbers(page.cases), page.total) == (expected[:3], len(expected)), query


def test_racing_status_and_assignee_changes_leave_the_indexes_true(
    open_store_again: StoreOpener,
) -> None:
    first = open_store_again()
    for i in range(3):
        create(first, f"k{i}", origin_thread="D1")
    clients = [open_store_again() for _ in range(6)]
    start = threading.Barrier(len(clients))

    def flip(index: int) -> None:
        client, rng = clients[index], random.Random(index)
        start.wait()
        for _ in range(15):
            client.cases.update_case(
                f"CS-{1001 + rng.randrange(3)}",
                actor_id="U0STAFF1",
                now=NOW,
                changes={
                    "status": rng.choice(["open", "closed"]),
                    "assignee_id": rng.choice([None, "S1", "S2"]),
                },
            )

    with ThreadPoolExecutor(len(clients)) as pool:
        list(pool.map(flip, range(len(clients))))
    cases = first.cases.list_cases()
    for assignee in ("S1", "S2", UNASSIGNED):
        expected = [c.number for c in cases if c.is_active and (c.assignee_id or "") == assignee]
        assert listed(first, statuses=ACTIVE, assignee_id=assignee) == expected
    active = [c.number for c in cases if c.is_active]
    assert listed(first, statuses=ACTIVE, origin_thread="D1") == active
    assert first.cases.count_cases(statuses=ACTIVE, org_short_name="acme") == len(active)


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ({"limit": -1}, InvalidInput),
        ({"limit": "5"}, InvalidInput),
        ({"limit": True}, InvalidInput),
        ({"after": "1005"}, InvalidCaseNumber),
        ({"origin_thread": " "}, InvalidInput),
        ({"statuses": ["done"]}, InvalidInput),
        ({"assignee_id": 7}, InvalidInput),
    ],
)
def test_malformed_queries_are_refused(store: Store, query: dict[str, Any], error: type) -> None:
    create(store, "a")
    with pytest.raises(error):
        store.cases.list_cases(**query)
