"""A designated contact asks for high priority; staff approve or decline from the request."""

from __future__ import annotations

from tests.slack.conftest import (
    STAFF_CHANNEL,
    button_labels,
    ephemeral_to,
    last_post,
    open_case,
    text_of,
)


def ask_for_high(slack, number: str):
    """The requester asks in their DM; returns the request as posted in the case's thread."""
    slack.dm("U01AAA", f"bump {number} to high priority")
    last_post(slack, channel="D01AAA", containing="asked the support team")
    return last_post(slack, channel=STAFF_CHANNEL, containing=f"Priority request on {number}")


def test_the_request_reaches_the_case_thread_with_approve_and_decline(slack, store) -> None:
    number, card = open_case(slack)

    request = ask_for_high(slack, number)

    assert request["thread_ts"] == card.response["ts"]
    assert button_labels(request) == ["Approve", "Decline"]
    assert store.cases.get_case(number).priority_requested == "high"


def test_approve_sets_the_requested_priority(slack, fake_slack, store) -> None:
    number, _card = open_case(slack)
    request = ask_for_high(slack, number)

    slack.click(request, "U0STAFF1", label="Approve")

    told = last_post(slack, channel="D01AAA", containing="approved your request")
    assert f"{number} now has high priority" in told["text"]
    case = store.cases.get_case(number)
    assert case.priority == "high" and case.priority_requested is None


def test_decline_keeps_the_priority_and_tells_the_requester(slack, fake_slack, store) -> None:
    number, _card = open_case(slack)
    before = store.cases.get_case(number).priority
    request = ask_for_high(slack, number)

    slack.click(request, "U0STAFF1", label="Decline")

    told = last_post(slack, channel="D01AAA", containing="declined the request")
    assert f"it stays {before}" in told["text"]
    case = store.cases.get_case(number)
    assert case.priority == before and case.priority_requested is None


def test_an_answered_request_loses_its_buttons_and_a_second_press_changes_nothing(
    slack, fake_slack, store
) -> None:
    number, _card = open_case(slack)
    request = ask_for_high(slack, number)
    slack.click(request, "U0STAFF1", label="Approve")
    answered = fake_slack.wait_for(
        "chat.update", lambda c: c["ts"] == request.response["ts"] and "chose" in text_of(c)
    )
    assert answered and button_labels(answered[-1]) == []
    version = store.cases.get_case(number).version

    slack.click(request, "U0STAFF1", label="Decline")  # a stale copy of the message

    ephemeral_to(fake_slack, "U0STAFF1", "no longer waiting")
    case = store.cases.get_case(number)
    assert case.version == version and case.priority == "high"


def test_only_staff_can_approve(slack, fake_slack, store) -> None:
    number, _card = open_case(slack)
    request = ask_for_high(slack, number)
    before = store.cases.get_case(number).priority

    slack.click(request, "U01CCC", label="Approve")

    ephemeral_to(fake_slack, "U01CCC", "Only support staff")
    case = store.cases.get_case(number)
    assert case.priority == before and case.priority_requested == "high"
