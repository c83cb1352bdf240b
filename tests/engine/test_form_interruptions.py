"""Form interruptions at the confidence edge: 0.8 interrupts, just below is the answer."""

from __future__ import annotations

import pytest

from nlu.entities import Entity
from tests.engine.conftest import Parse, by_kind, texts
from tests.engine.test_intake_flow import GOOD_ID, REPORT, script_report

STATUS = "what's the status of CS-1001"


@pytest.mark.parametrize(("confidence", "interrupts"), [(0.8, True), (0.79, False)])
def test_only_a_confident_other_request_interrupts_the_id_question(
    nlu, talk, confidence: float, interrupts: bool
) -> None:  # type: ignore[no-untyped-def]
    script_report(nlu)
    nlu.add(Parse(text=STATUS, intent="check_status", intent_confidence=confidence))
    ana = talk("U01AAA")
    ana.say(REPORT)
    replies = ana.say(STATUS)
    assert ("isn't a conversation ID" in texts(replies)) is not interrupts
    assert ("can't find case CS-1001" in texts(replies)) is interrupts
    assert "conversation ID" in replies[-1].text  # asked again either way


def test_a_message_with_the_asked_for_id_is_the_answer_even_if_confident(nlu, talk) -> None:
    script_report(nlu)
    text = f"status: the call was {GOOD_ID}"
    start = text.index(GOOD_ID)
    entity = Entity("conversation_id", GOOD_ID, start, start + len(GOOD_ID))
    nlu.add(Parse(text=text, intent="check_status", intent_confidence=0.95, entities=[entity]))
    ana = talk("U01AAA")
    ana.say(REPORT)
    assert by_kind(ana.say(text), "utter_ask_background")  # taken as the ID
    assert by_kind(ana.say("skip"), "ask_severity")


def test_free_text_slots_are_never_interrupted(nlu, talk) -> None:
    short = "Calls drop on the Chicago queue"  # too short to prefill the impact
    nlu.add(Parse(text=short, intent="report_issue", impact="degraded", workaround="yes"))
    nlu.add(Parse(text=STATUS, intent="check_status", intent_confidence=0.99))
    ana = talk("U01AAA")
    assert "business impact" in ana.say(short)[-1].text
    replies = ana.say(STATUS)
    assert "can't find case" not in texts(replies)
    assert "conversation ID" in replies[-1].text  # the impact was taken, next question
