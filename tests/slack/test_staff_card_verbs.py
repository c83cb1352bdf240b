"""The staff card's second row through Slack: priority, restoration, RCA, close and reopen."""

from __future__ import annotations

from tests.slack.conftest import (
    STAFF_CHANNEL,
    button_labels,
    ephemeral_to,
    last_post,
    open_case,
    text_of,
)


def opened_modal(fake_slack, *, count: int = 1):
    """The latest modal the app opened, once `count` have been opened in this test."""
    opened = fake_slack.wait_for("views.open", count=count)
    assert len(opened) >= count, f"expected {count} modals, got {len(opened)}"
    return opened[-1]


def updated_staff_card(fake_slack, card, *, containing: str):
    """The staff card as last rewritten in place (chat.update) once it shows `containing`."""
    found = fake_slack.wait_for(
        "chat.update",
        lambda c: (
            c["channel"] == STAFF_CHANNEL
            and c["ts"] == card.response["ts"]
            and containing in text_of(c)
        ),
    )
    assert found, f"the staff card never showed {containing!r}"
    return found[-1]


def test_staff_set_the_priority_in_a_modal_and_the_requester_is_told(
    slack, fake_slack, store
) -> None:
    number, card = open_case(slack)
    before = store.cases.get_case(number).priority

    slack.click(card, "U0STAFF1", label="Change priority")
    modal = opened_modal(fake_slack)
    assert modal["view"]["blocks"][0]["element"]["initial_option"]["value"] == before
    slack.submit(modal, "U0STAFF1", {"priority": "high"})

    told = last_post(slack, channel="D01AAA", containing="changed the priority")
    assert f"priority of {number} from {before} to high" in told["text"]
    assert store.cases.get_case(number).priority == "high"


def test_someone_who_is_not_staff_pressing_restored_is_refused(slack, fake_slack, store) -> None:
    number, card = open_case(slack)
    version = store.cases.get_case(number).version

    slack.click(card, "U01CCC", label="Restored")  # an employee who can see the staff channel

    ephemeral_to(fake_slack, "U01CCC", "Only support staff")
    assert fake_slack.calls_to("views.open") == []
    case = store.cases.get_case(number)
    assert case.version == version and case.restored_at is None


def test_a_forged_restoration_submission_changes_nothing(slack, fake_slack, store) -> None:
    number, card = open_case(slack)
    slack.click(card, "U0STAFF1", label="Restored")
    modal = opened_modal(fake_slack)

    slack.submit(modal, "U01AAA", {"scope": "platform"})  # the requester submits staff's modal

    ephemeral_to(fake_slack, "U01AAA", "Only support staff")
    assert store.cases.get_case(number).restored_at is None
    assert not fake_slack.wait_for(
        "chat.postMessage", lambda c: "service is restored" in text_of(c), timeout=1
    )


def test_restored_platform_then_the_rca_reaches_the_requester(
    slack, fake_slack, store, clock
) -> None:
    number, card = open_case(slack)
    slack.click(card, "U0STAFF1", label="Change severity")  # an RCA is for Severity 1
    slack.submit(opened_modal(fake_slack), "U0STAFF1", {"severity": "1", "reason": "all down"})
    last_post(slack, channel="D01AAA", containing="changed the severity")

    slack.click(card, "U0STAFF1", label="Restored")
    slack.submit(opened_modal(fake_slack, count=2), "U0STAFF1", {"scope": "platform"})
    restored = last_post(slack, channel="D01AAA", containing="service is restored")
    assert "a platform-level incident" in restored["text"]
    assert "root-cause analysis (RCA) follows by" in restored["text"]

    slack.click(card, "U0STAFF1", label="Deliver RCA")
    rca_modal = opened_modal(fake_slack, count=3)
    assert rca_modal["view"]["title"]["text"] == "Deliver RCA"
    slack.submit(
        rca_modal, "U0STAFF1", {"text": "An expired media certificate; renewal is automated now."}
    )

    delivered = last_post(slack, channel="D01AAA", containing="delivered the RCA")
    assert "expired media certificate" in delivered["text"]
    assert store.cases.get_case(number).rca_delivered_at == clock()


def test_closing_from_the_card_tells_the_requester_and_leaves_reopen_and_delivery(
    slack, fake_slack, store
) -> None:
    number, card = open_case(slack)

    slack.click(card, "U0STAFF1", label="Close")

    told = last_post(slack, channel="D01AAA", containing="Support (Sam Support) closed")
    assert f"closed {number}. If the problem comes back" in told["text"]
    assert store.cases.get_case(number).status == "closed"
    closed_card = updated_staff_card(fake_slack, card, containing="Closed")
    assert button_labels(closed_card) == ["Reopen", "Deliver RCA", "Deliver summary"]


def test_reopen_on_a_closed_case_card_reopens_it(slack, fake_slack, store) -> None:
    number, card = open_case(slack)
    slack.click(card, "U0STAFF1", label="Close")
    closed_card = updated_staff_card(fake_slack, card, containing="Closed")

    slack.click(closed_card, "U0STAFF1", label="Reopen")

    told = last_post(slack, channel="D01AAA", containing="reopened")
    assert f"Support (Sam Support) reopened {number}" in told["text"]
    assert store.cases.get_case(number).status == "open"
    reopened = fake_slack.wait_for(
        "chat.update", lambda c: c["ts"] == card.response["ts"] and c.at > closed_card.at
    )
    assert reopened and "Take" in button_labels(reopened[-1])
