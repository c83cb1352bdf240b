"""Rasa-style form interruptions, end to end with the real NLU.

While the intake waits for a conversation ID or a severity, a message the NLU reads with
confidence as another request (status, escalation, closing, update, RCA, how-to) is answered,
and the intake's question is asked again. Free-text answers (description, impact) are kept
as written.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from freezegun import freeze_time

from bot.store.models import CaseDraft
from tests.conversations.conftest import kinds, one, texts

FRIDAY_1630_CHICAGO = "2026-11-20T22:30:00+00:00"
# Critical function degraded for a share of agents, nothing said of a workaround: High.
DEGRADED_REPORT = (
    "Inbound calls on the billing queue have bad audio quality for some agents since this "
    "morning, and customers keep asking them to repeat themselves"
)
GOOD_ID = "3f2b9c1e-8a4d-4e5f-9b6a-1c2d3e4f5a6b"


def existing_case(store) -> str:  # type: ignore[no-untyped-def]
    draft = CaseDraft(
        org_short_name="acme",
        org_id="0f8fad5b-d9cb-469f-a165-70867728950e",
        requester_id="U01AAA",
        requester_name="Ana Ruiz",
        title="Wallboard totals are wrong",
        description="Wallboard totals for the billing queue are wrong since Monday",
        business_impact="Team leads count waiting customers by hand",
        severity=3,
        origin_thread="D-U01AAA-old",
    )
    case, _ = store.cases.create_case(
        draft,
        idempotency_key="existing",
        actor_id="U01AAA",
        now=datetime(2026, 11, 16, 15, 0, tzinfo=UTC),
    )
    return case.number


def asks_for_conversation_id(replies) -> bool:  # type: ignore[no-untyped-def]
    return "conversation ID" in replies[-1].text and "isn't a conversation ID" not in texts(replies)


@freeze_time(FRIDAY_1630_CHICAGO)
def test_status_question_while_asked_for_the_conversation_id(person, store) -> None:
    number = existing_case(store)
    ana = person("U01AAA")
    assert asks_for_conversation_id(ana.say(DEGRADED_REPORT))

    replies = ana.say(f"what's the status of {number}")
    status = one(replies, "status")
    assert number in status.text and "Open" in status.text, texts(replies)
    assert "isn't a conversation ID" not in texts(replies)
    assert replies[-1] is not status and asks_for_conversation_id(replies)

    # The intake goes on where it stopped, with what was already said.
    assert "utter_ask_background" in kinds(ana.say(GOOD_ID))
    assert one(ana.say("skip"), "ask_severity").text.startswith("Shall I use Severity 2")
    summary = one(ana.say("yes"), "case_summary")
    assert GOOD_ID in summary.text and "bad audio quality" in summary.text
    assert one(ana.say("confirm"), "case_created").case_number == "CS-1002"


@freeze_time(FRIDAY_1630_CHICAGO)
def test_how_to_while_asked_for_the_id_and_close_while_asked_for_the_severity(
    person, store
) -> None:
    number = existing_case(store)
    ana = person("U01AAA")
    ana.say(DEGRADED_REPORT)
    howto = ana.say("How do I find the conversation ID of a call?")
    answer = one(howto, "kb_answer")
    assert "Did this solve it?" not in answer.text  # the intake's question follows instead
    assert asks_for_conversation_id(howto), texts(howto)
    assert "utter_ask_background" in kinds(ana.say(GOOD_ID))
    assert "ask_severity" in kinds(ana.say("skip"))

    closing = ana.say(f"close {number}")
    assert "confirm_close" in kinds(closing) and closing[-1].kind == "ask_severity"
    kept = ana.say("no")  # answers the close question, not the intake
    assert f"{number} stays open" in texts(kept) and kept[-1].kind == "ask_severity"
    assert store.cases.get_case(number).status == "open"

    summary = one(ana.say("yes"), "case_summary")  # now the suggested severity
    assert "Severity 2 – High" in summary.text and GOOD_ID in summary.text


@freeze_time(FRIDAY_1630_CHICAGO)
def test_confirming_a_close_inside_the_intake_closes_that_case_only(person, store) -> None:
    number = existing_case(store)
    ana = person("U01AAA")
    ana.say(DEGRADED_REPORT)
    ana.say(f"close {number}")  # while asked for the conversation ID
    closed = ana.say("yes")
    assert "case_closed" in kinds(closed) and asks_for_conversation_id(closed), texts(closed)
    assert store.cases.get_case(number).status == "closed"
    assert "utter_ask_background" in kinds(ana.say(GOOD_ID))
    assert "ask_severity" in kinds(ana.say("skip"))


@freeze_time(FRIDAY_1630_CHICAGO)
def test_free_text_answers_are_taken_as_written(person, store) -> None:
    number = existing_case(store)
    ana = person("U01AAA")
    first = ana.say("The wallboard shows wrong numbers for queue stats")
    assert one(first, "severity_question").text.endswith("still serve customers and do this work?")
    answered = ana.say("3")  # the third choice: yes, but something is unusable or hard to use
    assert "business impact" in answered[-1].text, texts(answered)
    replies = ana.say(f"what's the status of {number} is what everyone asks me all day")
    assert "status" not in kinds(replies), texts(replies)
    assert "utter_ask_background" in kinds(replies)
    assert "ask_severity" in kinds(ana.say("skip"))
    summary = one(ana.say("yes"), "case_summary")
    assert "what everyone asks me all day" in summary.text


@freeze_time(FRIDAY_1630_CHICAGO)
def test_a_weakly_understood_message_is_still_checked_as_the_answer(person) -> None:
    ana = person("U01AAA")
    ana.say(DEGRADED_REPORT)
    replies = ana.say("it's the call from 10am this morning")
    assert "isn't a conversation ID" in texts(replies) and asks_for_conversation_id(replies[-1:])


@pytest.mark.parametrize(
    ("message", "answered"),
    [
        ("escalate {number} please", "escalation"),
        ("can I get an RCA for {number}", "{number}"),
        ("update {number}: the agents in Berlin are affected too", "{number}"),
    ],
)
@freeze_time(FRIDAY_1630_CHICAGO)
def test_other_case_requests_while_asked_for_the_severity(
    person, store, message: str, answered: str
) -> None:  # type: ignore[no-untyped-def]
    number = existing_case(store)
    ana = person("U01AAA")
    ana.say(DEGRADED_REPORT)
    ana.say(GOOD_ID)
    ana.say("skip")  # nothing to add to the background
    replies = ana.say(message.format(number=number))
    assert "I didn't catch a severity" not in texts(replies)
    assert answered.format(number=number) in texts(replies[:-1]), texts(replies)
    assert replies[-1].kind == "ask_severity"


@freeze_time(FRIDAY_1630_CHICAGO)
def test_a_close_question_left_open_before_a_report_does_not_take_its_answers(
    person, store
) -> None:  # type: ignore[no-untyped-def]
    number = existing_case(store)
    ana = person("U01AAA")
    assert "confirm_close" in kinds(ana.say(f"close {number}"))
    assert asks_for_conversation_id(ana.say(DEGRADED_REPORT))  # a new report instead of yes/no
    ana.say(GOOD_ID)
    ana.say("skip")  # nothing to add to the background
    summary = one(ana.say("yes"), "case_summary")  # yes to the severity, not to closing
    assert "Severity 2 – High" in summary.text
    assert store.cases.get_case(number).status == "open"


@freeze_time(FRIDAY_1630_CHICAGO)
def test_answering_the_intake_instead_of_a_close_question_leaves_the_case_open(
    person, store
) -> None:
    number = existing_case(store)
    ana = person("U01AAA")
    ana.say(DEGRADED_REPORT)
    assert "confirm_close" in kinds(ana.say(f"close {number}"))
    assert "utter_ask_background" in kinds(ana.say(GOOD_ID)), "the ID answers the intake"
    assert "ask_severity" in kinds(ana.say("skip"))
    # The close question lapsed when the intake was answered instead: yes is the severity's.
    assert "case_summary" in kinds(ana.say("yes"))
    assert store.cases.get_case(number).status == "open"
