"""A replayed interactive request or command changes nothing (issue 12, item 4).

Each test sends a signed request through the real Bolt app, then sends the very same bytes
with the very same headers again, as someone replaying a captured request within Slack's
five-minute window would. Listeners queue their work before Bolt answers, so once the pool
has drained, everything the requests caused has happened.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from slack_bolt import App, BoltRequest, BoltResponse

from bot.store.errors import StoreUnavailable
from tests.slack.conftest import (
    IMPACT,
    REPORT,
    SlackDriver,
    last_post,
    open_case,
    sign,
    text_of,
)
from tests.slack.fake_slack.server import FakeSlack
from tests.slack.test_staff_card_verbs import opened_modal

DRAIN = 30.0


class ReplayingDriver(SlackDriver):
    """Remembers the last request exactly as sent (body and signed headers) to send it again."""

    def dispatch(self, body: str, *, content_type: str, headers: dict | None = None):
        self.last = (body, {"content-type": [content_type], **sign(body), **(headers or {})})
        return self.replay()

    def replay(self) -> BoltResponse:
        body, headers = self.last
        return self.app.dispatch(BoltRequest(body=body, headers=headers))

    def settled(self) -> None:
        assert self.app.listener_pool.drain(timeout=DRAIN)  # type: ignore[attr-defined]


@pytest.fixture
def slack(app: App, fake_slack: FakeSlack) -> ReplayingDriver:
    return ReplayingDriver(app, fake_slack)


def posts(fake_slack: FakeSlack, channel: str, containing: str) -> list[Any]:
    return [
        c
        for c in fake_slack.calls_to("chat.postMessage")
        if c["channel"] == channel and containing in text_of(c)
    ]


def test_a_request_info_submission_sent_three_times_asks_once(slack, fake_slack, store) -> None:
    number, card = open_case(slack)
    slack.click(card, "U0STAFF1", label="Request info")
    modal = opened_modal(fake_slack)

    first = slack.submit(modal, "U0STAFF1", {"text": "Which browser do the supervisors use?"})
    replays = [slack.replay(), slack.replay()]

    assert [r.status for r in [first, *replays]] == [200, 200, 200]
    assert all("errors" not in (r.body or "") for r in replays)  # a plain ack, nothing else
    last_post(slack, channel="D01AAA", containing="Which browser")
    slack.settled()
    assert len(posts(fake_slack, "D01AAA", "Which browser")) == 1
    trail = [e for e in store.cases.audit_trail(number) if e.action == "request_info"]
    assert len(trail) == 1


def test_a_button_press_sent_twice_acts_once(slack, fake_slack) -> None:
    _number, card = open_case(slack)
    slack.click(card, "U0STAFF1", label="Request info")  # opens a modal: easy to count

    assert slack.replay().status == 200
    slack.settled()
    assert len(fake_slack.calls_to("views.open")) == 1


def test_a_replayed_answer_to_the_bots_question_is_applied_once(slack, fake_slack, store) -> None:
    """The engine, not the ack path, recognises the replay (the press's once-only id)."""
    slack.dm("U01AAA", REPORT)
    last_post(slack, channel="D01AAA", containing="business impact")
    slack.dm("U01AAA", IMPACT)
    last_post(slack, channel="D01AAA", containing="Anything support should know")
    slack.dm("U01AAA", "skip")
    question = last_post(slack, channel="D01AAA", containing="Shall I use Severity 3")
    slack.click(question, "U01AAA", label="Yes")
    assert slack.replay().status == 200
    slack.settled()
    assert len(posts(fake_slack, "D01AAA", "ready to open")) == 1
    turns = [e for e in store.trackers.load("D01AAA") if e.get("event") == "user"]
    assert [e["text"] for e in turns].count("/affirm") == 1


def test_the_same_support_command_twice_answers_once(slack, fake_slack, store) -> None:
    first = slack.command("U01AAA", REPORT)
    replay = slack.replay()

    assert first.status == 200 and "direct messages" in first.body
    assert replay.status == 200 and not replay.body  # a plain 200: nothing was started
    last_post(slack, channel="D01AAA", containing="suggest Severity 3")
    slack.settled()
    assert len(posts(fake_slack, "D01AAA", "suggest Severity 3")) == 1
    turns = [e for e in store.trackers.load("D01AAA") if e.get("event") == "user"]
    assert len(turns) == 1


def test_a_replayed_shortcut_opens_one_modal(slack, fake_slack) -> None:
    slack.shortcut("U01AAA", channel="C0GENERAL", message_text=REPORT, author="U01BBB")
    assert slack.replay().status == 200
    slack.settled()
    assert len(fake_slack.calls_to("views.open")) == 1


def test_a_corrected_submission_after_a_form_error_is_applied(slack, fake_slack, store) -> None:
    number, card = open_case(slack)
    slack.click(card, "U0STAFF1", label="Request info")
    modal = opened_modal(fake_slack)

    empty = slack.submit(modal, "U0STAFF1", {"text": "   "})
    again = slack.replay()  # a refused submission is not recorded: the same errors again
    assert '"response_action": "errors"' in empty.body and again.body == empty.body

    slack.submit(modal, "U0STAFF1", {"text": "Which browser do the supervisors use?"})
    assert last_post(slack, channel="D01AAA", containing="Which browser")
    assert store.cases.get_case(number).status == "waiting_on_customer"


def test_a_down_dedup_store_lets_the_request_through_with_a_warning(
    slack, fake_slack, store, monkeypatch, caplog
) -> None:
    def down(key: str, *, ttl_seconds: float) -> bool:
        raise StoreUnavailable("dedup store down")

    monkeypatch.setattr(store.dedup, "first_time", down)
    with caplog.at_level(logging.WARNING, logger="bot.slack.replay_guard"):
        slack.shortcut("U01AAA", channel="C0GENERAL", message_text=REPORT, author="U01BBB")
        slack.settled()
    assert len(fake_slack.calls_to("views.open")) == 1
    assert "dedup store unavailable" in caplog.text
