"""Edit on the summary changes one detail: pick it, give the new value, see the summary."""

from __future__ import annotations

from freezegun import freeze_time

from tests.conversations.conftest import kinds, one
from tests.conversations.test_yes_no_steps import at_the_summary


@freeze_time("2026-11-17T15:00:00+00:00")
def test_edit_asks_which_detail_with_a_button_for_each(person) -> None:  # type: ignore[no-untyped-def]
    ana = at_the_summary(person)
    asked = one(ana.say("edit"), "edit_case")
    assert [b.label for b in asked.buttons] == [
        "Description",
        "Business impact",
        "Conversation ID",
        "What you tried / what changed",
        "Severity",
        "Nothing, show the summary",
    ]


@freeze_time("2026-11-17T15:00:00+00:00")
def test_changing_the_impact_asks_only_for_the_impact_then_shows_the_summary(person, store) -> None:  # type: ignore[no-untyped-def]
    ana = at_the_summary(person)
    ana.say("edit")
    asked = ana.say("the business impact")
    assert "utter_ask_business_impact" in kinds(asked)
    summary = one(ana.say("All 40 supervisors lose an hour every morning"), "case_summary")
    assert "All 40 supervisors lose an hour" in summary.text
    assert "load very slowly" in summary.text  # the description is kept
    assert store.cases.list_cases() == []
    assert "case_created" in kinds(ana.say("confirm"))


@freeze_time("2026-11-17T15:00:00+00:00")
def test_an_unclear_choice_asks_again_which_detail(person) -> None:  # type: ignore[no-untyped-def]
    ana = at_the_summary(person)
    ana.say("edit")
    again = one(ana.say("hmm"), "reask_pending")
    assert "didn't catch which detail" in again.text


@freeze_time("2026-11-17T15:00:00+00:00")
def test_nothing_to_change_shows_the_summary_again(person) -> None:  # type: ignore[no-untyped-def]
    ana = at_the_summary(person)
    which = one(ana.say("edit"), "edit_case")
    assert "case_summary" in kinds(ana.press(which, "Nothing, show the summary"))
