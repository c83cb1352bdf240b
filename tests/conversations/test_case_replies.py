"""After support asks, the requester's plain answer goes on the case, never a new intake."""

from __future__ import annotations

from freezegun import freeze_time

from tests.conversations.conftest import kinds, one
from tests.conversations.test_case_conversations import open_case

STAFF = "U0STAFF1"


@freeze_time("2026-11-17T15:00:00+00:00")
def test_the_answer_to_a_staff_question_is_recorded_on_the_case(person, store, engine) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store, priority="medium", severity=3)
    engine.staff_request_info(number, STAFF, "Which edge group are the agents on?")
    ana = person("U01AAA", key="D-U01AAA")  # the case's own conversation
    replies = ana.say("they're on the CHI-EDGE-01 group")
    assert one(replies, "case_updated").case_number == number
    assert "CHI-EDGE-01" in one(replies, "staff_case_update").text
    assert "severity_suggestion" not in kinds(replies) and "severity_question" not in kinds(replies)
    case = store.cases.get_case(number)
    assert case.notes[-1].text == "they're on the CHI-EDGE-01 group"
    assert case.status == "open"  # the answer reopens the waiting case


@freeze_time("2026-11-17T15:00:00+00:00")
def test_a_long_new_report_after_a_staff_message_asks_which_it_is(person, store, engine) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store, priority="medium", severity=3)
    engine.staff_reply(number, STAFF, "We're looking at the trunk configuration now.")
    ana = person("U01AAA", key="D-U01AAA")
    asked = one(
        ana.say(
            "Separately, the wallboard in the Berlin office shows the wrong queue totals since "
            "this morning and the supervisors can't see who is waiting"
        ),
        "ask_which_case",
    )
    assert [b.label for b in asked.buttons] == [f"Add it to {number}", "It's a new problem"]
    assert store.cases.get_case(number).notes[-1].kind == "staff_reply"  # nothing added yet


@freeze_time("2026-11-17T15:00:00+00:00")
def test_a_command_after_a_staff_message_keeps_its_meaning(person, store, engine) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store, priority="medium", severity=3)
    engine.staff_reply(number, STAFF, "We're looking at it.")
    status = person("U01AAA", key="D-U01AAA").say(f"what's the status of {number}?")
    assert "status" in kinds(status) and "case_updated" not in kinds(status)


@freeze_time("2026-11-17T15:00:00+00:00")
def test_only_the_next_message_after_support_counts_as_the_answer(person, store, engine) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store, priority="medium", severity=3)
    engine.staff_request_info(number, STAFF, "Which site?")
    ana = person("U01AAA", key="D-U01AAA")
    ana.say("Chicago")
    later = ana.say("Reports in the analytics view load very slowly, but exports still work fine")
    assert "case_updated" not in kinds(later)


@freeze_time("2026-11-17T15:00:00+00:00")
def test_it_s_a_new_problem_takes_the_report_as_a_new_intake(person, store, engine) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store, priority="medium", severity=3)
    engine.staff_reply(number, STAFF, "We're looking at it.")
    ana = person("U01AAA", key="D-U01AAA")
    asked = one(
        ana.say(
            "Separately, reports in the analytics view load very slowly for all our "
            "supervisors, but exports still work fine"
        ),
        "ask_which_case",
    )
    replies = ana.press(asked, "It's a new problem")
    assert "severity_question" in kinds(replies)  # the intake of that report begins
    assert store.cases.get_case(number).notes[-1].kind == "staff_reply"
