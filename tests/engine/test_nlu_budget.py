"""A message the NLU could not read within its time budget is refused and changes nothing.

The NLU's side (a tiny budget gives a `timed_out` result) is tested in tests/nlu; here the
parse is scripted with `timed_out=True`, which is all the engine sees of it.
"""

from __future__ import annotations

import pytest

from bot.engine.engine import NLU_TIMEOUT
from nlu.budget import NluTimedOut
from tests.engine.conftest import Parse

REPORT = "Calls to our Chicago queue drop after 30 seconds for the whole billing team"
SLOW = "case" + " " * 3990 + "x"


def script(nlu) -> None:  # type: ignore[no-untyped-def]
    nlu.add(Parse(text=REPORT, intent="report_issue", impact="degraded", workaround="yes"))
    nlu.add(Parse(text=SLOW, intent="nlu_fallback", intent_confidence=0.0, timed_out=True))


def test_understanding_stops_the_turn_when_the_parse_ran_out_of_time(nlu, engine) -> None:
    script(nlu)
    with pytest.raises(NluTimedOut):
        engine._understand(SLOW, pressed=False)


def test_a_message_out_of_time_mid_intake_records_nothing(nlu, talk, store) -> None:
    script(nlu)
    ana = talk("U01AAA")
    # A free-text question: any message read in time would become its answer.
    assert ana.say(REPORT)[-1].kind == "utter_ask_business_impact"
    before = store.trackers.load("D-test")

    ana.say(SLOW)

    assert store.trackers.load("D-test") == before
    assert store.cases.list_cases() == []
    answered = ana.say("agents call every customer back, it takes twice as long")
    assert "conversation ID" in answered[-1].text  # the intake goes on where it was


def test_a_message_out_of_time_is_answered_with_a_request_for_a_shorter_one(
    nlu, talk, store
) -> None:
    script(nlu)
    replies = talk("U01AAA").say(SLOW)
    assert [(r.kind, r.text) for r in replies] == [("nlu_timeout", NLU_TIMEOUT)]
    assert store.trackers.load("D-test") == []
