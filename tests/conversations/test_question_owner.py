"""Only the person a question was asked can answer it, typed or pressed."""

from __future__ import annotations

from freezegun import freeze_time

from tests.conversations.conftest import kinds, one
from tests.conversations.test_yes_no_steps import at_the_summary

THREAD = "C0SHARED:1700000000.0001"


@freeze_time("2026-11-17T15:00:00+00:00")
def test_someone_else_s_yes_opens_nothing_and_keeps_the_draft(person, store) -> None:  # type: ignore[no-untyped-def]
    ana = at_the_summary(lambda slack_id: person(slack_id, key=THREAD))
    outsider = person("U02AAA", key=THREAD)
    refused = one(outsider.say("yes"), "not_your_question")
    assert "asked to Ana Ruiz" in refused.text
    assert store.cases.list_cases() == []
    assert "case_created" in kinds(ana.say("yes"))  # her draft is still there


@freeze_time("2026-11-17T15:00:00+00:00")
def test_someone_else_s_cancel_does_not_drop_the_draft(person, store) -> None:  # type: ignore[no-untyped-def]
    ana = at_the_summary(lambda slack_id: person(slack_id, key=THREAD))
    assert "not_your_question" in kinds(person("U01CCC", key=THREAD).say("cancel"))
    assert "case_created" in kinds(ana.say("confirm"))


@freeze_time("2026-11-17T15:00:00+00:00")
def test_a_typed_payload_is_text_not_a_button(person, store) -> None:  # type: ignore[no-untyped-def]
    ana = at_the_summary(person)
    replies = ana.say('/change_severity{"severity": "4"}')
    assert "case_summary" not in kinds(replies)  # the severity was not changed by it
    assert "case_created" in kinds(ana.say("yes"))
    assert store.cases.list_cases()[0].severity == 3
