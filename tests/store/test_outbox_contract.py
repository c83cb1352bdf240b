"""Contract of the outbox: what a case change owes is written with it and kept until settled."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest

from bot.store.base import Store
from bot.store.errors import InvalidInput, VersionConflict
from bot.store.models import OUTBOX_GRACE, change_id
from tests.store.conftest import NOW, StoreOpener, make_draft

NOTICE = {"audience": "requester", "text": "Support asks: which site?", "kind": "staff_asked"}


def create(store: Store, key: str = "conv-1", **owed: object) -> str:
    case, _ = store.cases.create_case(
        make_draft(), idempotency_key=key, actor_id="U01AAA", now=NOW, **owed
    )
    return case.number


def test_a_new_case_owes_its_cards_from_the_moment_it_exists(store: Store) -> None:
    number = create(store)
    item = store.outbox.get(change_id(number, 1))
    assert item is not None
    assert (item.case_number, item.version, item.action) == (number, 1, "create")
    assert item.available_at == NOW + OUTBOX_GRACE


def test_a_replayed_creation_owes_nothing_more(store: Store) -> None:
    number = create(store)
    store.outbox.settle(change_id(number, 1))
    create(store)  # same idempotency key: the same case, no new item
    assert store.outbox.due(NOW + timedelta(days=1)) == []


def test_an_update_owes_its_messages_under_the_new_version(store: Store) -> None:
    number = create(store)
    store.cases.update_case(
        number,
        actor_id="U0STAFF1",
        now=NOW,
        changes={"status": "waiting_on_customer"},
        owed=[NOTICE],
    )
    item = store.outbox.get(change_id(number, 2))
    assert item is not None and item.messages == (NOTICE,) and item.action == "update"


def test_an_update_that_changes_nothing_owes_nothing(store: Store) -> None:
    number = create(store)
    store.cases.update_case(
        number, actor_id="U0STAFF1", now=NOW, changes={"status": "open"}, owed=[NOTICE]
    )
    assert store.outbox.get(change_id(number, 2)) is None


def test_a_refused_update_owes_nothing(store: Store) -> None:
    number = create(store)
    with pytest.raises(VersionConflict):
        store.cases.update_case(
            number,
            actor_id="U0STAFF1",
            now=NOW,
            changes={"status": "waiting_on_customer"},
            expected_version=7,
            owed=[NOTICE],
        )
    assert store.outbox.get(change_id(number, 2)) is None


def test_messages_that_are_not_plain_json_are_refused_and_nothing_is_written(
    store: Store,
) -> None:
    with pytest.raises(InvalidInput):
        create(store, owed=[{"at": object()}])
    assert store.cases.list_cases() == []


def test_items_become_due_after_the_grace_time_oldest_first(store: Store) -> None:
    first = create(store, "a")
    second = create(store, "b")
    assert store.outbox.due(NOW) == []
    due = store.outbox.due(NOW + OUTBOX_GRACE)
    assert [i.item_id for i in due] == [change_id(first, 1), change_id(second, 1)]


def test_an_item_can_be_claimed_before_it_is_due(store: Store) -> None:
    number = create(store)
    claimed = store.outbox.claim(change_id(number, 1), lease_seconds=30)
    assert claimed is not None and claimed.case_number == number


def test_only_one_of_many_claimers_gets_an_item(open_store_again: StoreOpener) -> None:
    writer = open_store_again()
    number = create(writer)
    replicas = [open_store_again() for _ in range(6)]
    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(
            pool.map(lambda s: s.outbox.claim(change_id(number, 1), lease_seconds=30), replicas)
        )
    assert sum(r is not None for r in results) == 1


def test_a_leased_item_is_not_due_until_its_lease_runs_out(store: Store) -> None:
    number = create(store)
    assert store.outbox.claim(change_id(number, 1), lease_seconds=0.3) is not None
    assert store.outbox.due(NOW + OUTBOX_GRACE) == []
    time.sleep(0.45)
    assert [i.case_number for i in store.outbox.due(NOW + OUTBOX_GRACE)] == [number]


def test_retry_gives_the_item_back_later_with_its_error(store: Store) -> None:
    number = create(store)
    item_id = change_id(number, 1)
    assert store.outbox.claim(item_id, lease_seconds=30) is not None
    later = NOW + timedelta(minutes=5)
    store.outbox.retry(item_id, at=later, error="ratelimited")
    assert store.outbox.due(later - timedelta(seconds=1)) == []
    (item,) = store.outbox.due(later)
    assert item.last_error == "ratelimited"
    assert store.outbox.claim(item_id, lease_seconds=30) is not None  # the lease was given back


def test_every_claim_counts_as_an_attempt(store: Store) -> None:
    number = create(store)
    item_id = change_id(number, 1)
    first = store.outbox.claim(item_id, lease_seconds=30)
    store.outbox.retry(item_id, at=NOW, error="internal_error")
    second = store.outbox.claim(item_id, lease_seconds=30)
    assert first is not None and second is not None
    assert (first.attempts, second.attempts) == (1, 2)


def test_progress_is_kept_and_never_moves_back(store: Store) -> None:
    number = create(store, owed=[NOTICE, NOTICE, NOTICE])
    item_id = change_id(number, 1)
    store.outbox.advance(item_id, delivered=2)
    store.outbox.advance(item_id, delivered=1)
    item = store.outbox.get(item_id)
    assert item is not None and item.delivered == 2


def test_a_settled_item_is_gone_and_progress_does_not_revive_it(store: Store) -> None:
    number = create(store)
    item_id = change_id(number, 1)
    store.outbox.settle(item_id)
    store.outbox.advance(item_id, delivered=1)
    store.outbox.retry(item_id, at=NOW, error="late")
    assert store.outbox.get(item_id) is None
    assert store.outbox.claim(item_id, lease_seconds=30) is None
    assert store.outbox.due(NOW + timedelta(days=1)) == []


def test_the_outbox_is_shared_by_every_client_of_the_store(
    open_store_again: StoreOpener,
) -> None:
    writer, reader = open_store_again(), open_store_again()
    number = create(writer)
    assert [i.case_number for i in reader.outbox.due(NOW + OUTBOX_GRACE)] == [number]
