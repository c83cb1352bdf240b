"""Reminders and closures reach Slack: the staff card thread and the requester's thread."""

from __future__ import annotations

import threading
from datetime import timedelta

from bot.slack.deadlines import DeadlineLoop
from tests.slack.conftest import STAFF_CHANNEL, button_labels, last_post, open_case, text_of


def test_staff_reminder_lands_in_the_case_thread_before_the_target(
    app, slack, fake_slack, store, clock
) -> None:
    number, card = open_case(slack)
    due = store.cases.get_case(number).response_due_at
    clock.moment = due - timedelta(minutes=29)  # inside the 30-minute reminder window

    assert app.flows.deadlines() == 1
    reminder = last_post(slack, channel=STAFF_CHANNEL, containing="Reminder:")
    assert reminder["thread_ts"] == card.response["ts"]
    assert "no human response yet" in reminder["text"]
    assert app.flows.deadlines() == 0  # fired once


def test_no_reminder_once_staff_took_the_case(app, slack, fake_slack, store, clock) -> None:
    number, card = open_case(slack)
    slack.click(card, "U0STAFF1", label="Take")
    last_post(slack, channel="D01AAA", containing="has taken")
    clock.moment = store.cases.get_case(number).response_due_at - timedelta(minutes=29)
    app.flows.deadlines()
    assert not [c for c in fake_slack.calls_to("chat.postMessage") if "Reminder" in text_of(c)]


def test_the_loop_keeps_running_after_a_failure() -> None:
    calls: list[int] = []
    done = threading.Event()

    def fire() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("store blip")
        done.set()
        return 0

    loop = DeadlineLoop(fire=fire, interval_seconds=0.01).start()
    try:
        assert done.wait(timeout=5)
    finally:
        loop.stop()
    assert len(calls) >= 2


def test_unanswered_question_gets_a_notice_then_the_case_closes(
    app, slack, fake_slack, store, clock
) -> None:
    number, card = open_case(slack)
    slack.click(card, "U0STAFF1", label="Request info")
    modal = fake_slack.wait_for("views.open")[-1]
    slack.submit(modal, "U0STAFF1", {"text": "Which browser do the supervisors use?"})
    last_post(slack, channel="D01AAA", containing="Which browser")

    clock.moment += timedelta(days=7)  # well past the notice and the closure (3 business days)
    assert app.flows.deadlines() >= 2
    notice = last_post(slack, channel="D01AAA", containing="still waiting for your answer")
    assert number in notice["text"]
    assert last_post(slack, channel="D01AAA", containing=f"{number} was closed")
    assert store.cases.get_case(number).status == "closed"
    closed = last_post(slack, channel=STAFF_CHANNEL, containing="closed automatically")
    assert closed["thread_ts"] == card.response["ts"]
    updates = fake_slack.wait_for(
        "chat.update", lambda c: c["channel"] == STAFF_CHANNEL and "Closed" in text_of(c)
    )
    assert button_labels(updates[-1]) == ["Reopen", "Deliver RCA", "Deliver summary"]
