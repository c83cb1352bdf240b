"""Details asked when they matter: the conversation ID for interactions only, any way it is
typed, labelled IDs kept apart; the impact asked when the report doesn't state it."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from tests.conversations.conftest import kinds, one

CALLS = (
    "Inbound calls on the billing queue have bad audio quality for some agents since this "
    "morning, and customers keep asking them to repeat themselves"
)


def at_the_id_question(person):  # type: ignore[no-untyped-def]
    """A report about calls: after the impact, the conversation ID is asked."""
    ana = person("U01AAA")
    ana.say(CALLS)
    asked = ana.say("Twenty agents have to repeat every call")
    assert "utter_ask_conversation_id" in kinds(asked), kinds(asked)
    return ana


def past_the_severity_questions(ana, replies):  # type: ignore[no-untyped-def]
    """Answer the rubric's questions (whichever the NLU needs) with "degraded" / "partial"."""
    answers = iter(["degraded", "partial"])
    while "severity_question" in kinds(replies):
        replies = ana.say(next(answers))
    return replies


@pytest.mark.parametrize("reply", ["there isn't one", "n/a", "skip", "I don't have one"])
@freeze_time("2026-11-17T15:00:00+00:00")
def test_no_conversation_id_is_accepted(person, reply: str) -> None:  # type: ignore[no-untyped-def]
    ana = at_the_id_question(person)
    replies = ana.say(reply)
    assert "validation_error" not in kinds(replies)
    assert "utter_ask_conversation_id" not in kinds(replies)


@freeze_time("2026-11-17T15:00:00+00:00")
def test_an_id_without_dashes_is_normalised(person, store) -> None:  # type: ignore[no-untyped-def]
    ana = at_the_id_question(person)
    ana.say("3F2B9C1E8A4D4E5F9B6A1C2D3E4F5A6B")
    ana.say("skip")  # nothing to add to the background
    summary = one(ana.say("yes"), "case_summary")
    assert "Conversation ID: 3f2b9c1e-8a4d-4e5f-9b6a-1c2d3e4f5a6b" in summary.text


@freeze_time("2026-11-17T15:00:00+00:00")
def test_the_org_id_is_not_taken_for_the_conversation_id(person) -> None:  # type: ignore[no-untyped-def]
    ana = at_the_id_question(person)
    ana.say(
        "org id 0f8fad5b-d9cb-469f-a165-70867728950e, conversation id "
        "3f2b9c1e-8a4d-4e5f-9b6a-1c2d3e4f5a6b"
    )
    ana.say("skip")  # nothing to add to the background
    summary = one(ana.say("yes"), "case_summary")
    assert "Conversation ID: 3f2b9c1e-8a4d-4e5f-9b6a-1c2d3e4f5a6b" in summary.text


@freeze_time("2026-11-17T15:00:00+00:00")
def test_an_export_problem_is_not_asked_for_a_conversation_id(person) -> None:  # type: ignore[no-untyped-def]
    ana = person("U01AAA")
    ana.say("The scheduled CSV export of the queue activity report fails with an error message")
    replies = ana.say("Supervisors can't send the daily numbers to management")
    assert "utter_ask_conversation_id" not in kinds(replies)


@freeze_time("2026-11-17T15:00:00+00:00")
def test_a_long_report_without_an_impact_sentence_is_asked_for_the_impact(person) -> None:  # type: ignore[no-untyped-def]
    ana = person("U01AAA")
    replies = ana.say(
        "Since the update on Monday the wallboard in the Chicago office shows the wrong totals "
        "for the sales queue and the numbers jump around every few seconds"
    )
    assert "utter_ask_business_impact" in kinds(past_the_severity_questions(ana, replies))
