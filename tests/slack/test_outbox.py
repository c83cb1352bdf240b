"""What a case change owes reaches Slack once, also when Slack or the turn failed on the way.

The store writes an outbox item with every case change; the turn settles it at once and the
courier's sweep (every replica runs one) carries whatever is left. Slack is the loopback fake,
programmed to refuse calls the way the real one does.
"""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from threading import Barrier

from bot.directory import load_directory
from bot.slack import create_app
from bot.store.models import OUTBOX_GRACE, CaseDraft, change_id
from tests.slack.conftest import (
    STAFF_CHANNEL,
    WEDNESDAY_MORNING_CHICAGO,
    confirm_report,
    last_post,
    open_case,
    staff_cards,
    text_of,
)


def later(clock, **delta: float) -> None:  # type: ignore[no-untyped-def]
    clock.moment = clock.moment + timedelta(**delta)


def draft() -> CaseDraft:
    directory = load_directory()
    ana = directory.person("U01AAA")
    assert ana is not None
    return CaseDraft(
        org_short_name="acme",
        org_id=directory.organization("acme").org_id,
        requester_id="U01AAA",
        requester_name=ana.name,
        title="Wallboard shows wrong numbers",
        description="The wallboard shows wrong numbers for queue stats since this morning",
        business_impact="Supervisors check reports by hand every hour",
        severity=3,
        priority="medium",
        origin_thread="D01AAA",
    )


def written_by_a_replica_that_died(store) -> str:  # type: ignore[no-untyped-def]
    """A case another replica wrote just before it crashed: nobody delivered its item."""
    case, _ = store.cases.create_case(
        draft(), idempotency_key="crashed-turn", actor_id="U01AAA", now=WEDNESDAY_MORNING_CHICAGO
    )
    return case.number


def given_back(store, item_id: str, *, attempts: int = 1) -> None:  # type: ignore[no-untyped-def]
    """Wait (bounded) until the turn's failed attempt returned the item to the outbox: its
    lease released (the item is due again some time), not merely claimed."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        returned = store.outbox.due(datetime.now(UTC) + timedelta(days=1))
        if any(i.item_id == item_id and i.attempts >= attempts for i in returned):
            return
        time.sleep(0.02)
    raise AssertionError(f"{item_id} was never given back")


def wait_until_settled(store, item_id: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + 10
    while store.outbox.get(item_id) is not None:
        assert time.monotonic() < deadline, f"{item_id} was never settled"
        time.sleep(0.02)


def test_a_staff_card_slack_refused_is_posted_once_by_a_later_sweep(
    slack, fake_slack, store, clock
) -> None:
    fake_slack.fail_next(
        "chat.postMessage", status=200, error="internal_error", channel=STAFF_CHANNEL
    )
    number = confirm_report(slack)
    given_back(store, change_id(number, 1))
    assert staff_cards(fake_slack, number) == []

    later(clock, minutes=1)
    assert slack.app.flows.outbox() == 1
    assert slack.app.flows.outbox() == 0  # nothing is left to do

    assert len(staff_cards(fake_slack, number)) == 1
    assert store.outbox.get(change_id(number, 1)) is None


def test_a_case_whose_turn_died_gets_its_cards_once_its_grace_time_is_over(
    slack, fake_slack, store, clock
) -> None:
    number = written_by_a_replica_that_died(store)

    assert slack.app.flows.outbox() == 0  # its own turn may still be delivering it
    later(clock, seconds=OUTBOX_GRACE.total_seconds())
    assert slack.app.flows.outbox() == 1

    assert len(staff_cards(fake_slack, number)) == 1
    requester_card = last_post(slack, channel="D01AAA", containing=number)
    assert requester_card["blocks"]


def test_two_replicas_sweeping_at_once_post_one_staff_card(
    app, engine, store, settings, fake_slack, clock
) -> None:
    number = written_by_a_replica_that_died(store)
    other = create_app(engine=engine, store=store, directory=engine.directory, settings=settings)
    later(clock, seconds=OUTBOX_GRACE.total_seconds())
    start = Barrier(2)

    def sweep(replica) -> int:  # type: ignore[no-untyped-def]
        start.wait()
        return int(replica.flows.outbox())

    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            settled = sorted(pool.map(sweep, [app, other]))
    finally:
        other.listener_pool.shutdown(wait=True)

    assert settled == [0, 1]
    assert len(staff_cards(fake_slack, number)) == 1


def test_supports_question_slack_refused_reaches_the_requester_once(
    slack, fake_slack, store, clock
) -> None:
    number, card = open_case(slack)
    slack.click(card, "U0STAFF1", label="Request info")
    modal = fake_slack.wait_for("views.open")[-1]
    fake_slack.fail_next("chat.postMessage", status=200, error="internal_error", channel="D01AAA")

    slack.submit(modal, "U0STAFF1", {"text": "Which browser do the supervisors use?"})
    given_back(store, change_id(number, 2))  # version 2: the question
    assert store.cases.get_case(number).status == "waiting_on_customer"

    later(clock, minutes=1)
    assert slack.app.flows.outbox() == 1
    asked = [
        c
        for c in fake_slack.calls_to("chat.postMessage")
        if c.get("channel") == "D01AAA" and "Which browser" in text_of(c)
    ]
    assert [bool(c.response.get("ok")) for c in asked] == [False, True]


def test_a_message_slack_will_never_accept_is_given_up_and_the_cards_still_follow(
    slack, fake_slack, store, clock
) -> None:
    number, card = open_case(slack)
    slack.click(card, "U0STAFF1", label="Request info")
    modal = fake_slack.wait_for("views.open")[-1]
    fake_slack.fail_next(
        "chat.postMessage", status=200, error="channel_not_found", channel="D01AAA"
    )

    slack.submit(modal, "U0STAFF1", {"text": "Which browser do the supervisors use?"})

    shown = fake_slack.wait_for(
        "chat.update",
        lambda c: c["channel"] == STAFF_CHANNEL and "Waiting on customer" in text_of(c),
    )
    assert shown, "the staff card was not brought up to date"
    wait_until_settled(store, change_id(number, 2))
    asked = fake_slack.calls_to("chat.postMessage")
    assert (
        len([c for c in asked if "Which browser" in text_of(c) and c["channel"] == "D01AAA"]) == 1
    )


def test_a_card_posted_by_a_replica_that_died_before_recording_it_is_not_posted_again(
    slack, fake_slack, store, clock
) -> None:
    number = written_by_a_replica_that_died(store)
    item_id = change_id(number, 1)
    assert store.outbox.claim(item_id, lease_seconds=30) is not None  # the replica took it,
    slack.app.flows.delivery.post_staff_card(number, channel=STAFF_CHANNEL)  # posted the card
    store.trackers.delete(f"slack:cards:{number}")  # and died before the card was recorded
    store.outbox.retry(item_id, at=clock(), error="lease ran out")

    later(clock, seconds=OUTBOX_GRACE.total_seconds())
    assert slack.app.flows.outbox() == 1

    assert len(staff_cards(fake_slack, number)) == 1
    assert slack.app.flows.cards.card(number, "staff") is not None


def test_a_card_slack_keeps_refusing_is_retried_then_given_up(
    slack, fake_slack, store, clock
) -> None:
    from bot.slack.outbox import CARD_ATTEMPTS

    number = written_by_a_replica_that_died(store)
    fake_slack.fail_next(
        "chat.postMessage",
        status=200,
        error="channel_not_found",
        channel=STAFF_CHANNEL,
        times=CARD_ATTEMPTS,
    )
    for _ in range(CARD_ATTEMPTS - 1):
        later(clock, hours=1)
        assert slack.app.flows.outbox() == 0
    assert store.outbox.get(change_id(number, 1)) is not None  # still being retried

    later(clock, hours=1)
    slack.app.flows.outbox()

    assert store.outbox.get(change_id(number, 1)) is None
    assert staff_cards(fake_slack, number) == []
