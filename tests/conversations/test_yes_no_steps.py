"""A yes/no step takes only clear answers; anything else asks again and changes nothing."""

from __future__ import annotations

import pytest
from freezegun import freeze_time

from tests.conversations.conftest import kinds, one

REPORT = "Reports in the analytics view load very slowly, but exports still work fine"
IMPACT = "Supervisors wait minutes for each report every morning"


def at_the_summary(person):  # type: ignore[no-untyped-def]
    """Ana reports, gives the impact, skips the background, accepts the severity: the summary."""
    ana = person("U01AAA")
    ana.say(REPORT)
    ana.say(IMPACT)
    ana.say("skip")  # nothing to add before the severity
    assert "case_summary" in kinds(ana.say("yes"))
    return ana


@pytest.mark.parametrize("reply", ["maybe", "wait", "skip", "ok", "sure", "looks good"])
@freeze_time("2026-11-17T15:00:00+00:00")
def test_an_unclear_reply_at_the_summary_opens_nothing(person, store, reply: str) -> None:  # type: ignore[no-untyped-def]
    ana = at_the_summary(person)
    replies = ana.say(reply)
    asked = one(replies, "reask_pending")
    assert "clear yes or no" in asked.text and [b.label for b in asked.buttons] == [
        "Confirm",
        "Edit",
        "Cancel",
    ]
    assert store.cases.list_cases() == []


@freeze_time("2026-11-17T15:00:00+00:00")
def test_a_clear_yes_after_an_unclear_reply_opens_the_case(person, store) -> None:  # type: ignore[no-untyped-def]
    ana = at_the_summary(person)
    ana.say("maybe")
    assert "case_created" in kinds(ana.say("yes please"))
    assert len(store.cases.list_cases()) == 1


@freeze_time("2026-11-17T15:00:00+00:00")
def test_a_question_about_the_step_is_answered_and_the_step_stays_open(person, store) -> None:  # type: ignore[no-untyped-def]
    ana = at_the_summary(person)
    explained = one(ana.say("what does edit do?"), "explain_pending")
    assert "Edit lets you change one detail" in explained.text
    assert store.cases.list_cases() == []
    assert "case_created" in kinds(ana.say("confirm"))


@freeze_time("2026-11-17T15:00:00+00:00")
def test_hmm_not_sure_does_not_cancel(person, store) -> None:  # type: ignore[no-untyped-def]
    ana = at_the_summary(person)
    assert "reask_pending" in kinds(ana.say("hmm not sure"))
    assert "case_created" in kinds(ana.say("👍"))


OUTAGE = (
    "Nobody in our organization can log in since 9:00, all 300 agents are idle and there is "
    "no workaround"
)


@pytest.mark.parametrize("reply", ["skip", "hmm not sure"])
@freeze_time("2026-11-17T15:00:00+00:00")
def test_the_critical_offer_neither_opens_nor_cancels_on_an_unclear_reply(
    person, store, reply: str
) -> None:  # type: ignore[no-untyped-def]
    ana = person("U01AAA")
    assert "offer_open_as_high" in kinds(ana.say(OUTAGE))
    asked = one(ana.say(reply), "reask_pending")
    assert "Shall I open it as High now?" in asked.text
    assert [b.label for b in asked.buttons] == ["Yes", "No", "It isn't Critical"]
    assert store.cases.list_cases() == []
    assert "utter_ask_background" in kinds(ana.say("yes"))  # opening it as High
    assert "case_summary" in kinds(ana.say("skip"))  # the High case's summary, to confirm
