"""Reminders before a response target is missed, closure notices and automatic closure."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.messages import Audience
from tests.engine.conftest import by_kind
from tests.engine.test_staff_side import open_case

MONDAY_0859_CHICAGO = datetime(2026, 11, 23, 14, 59, tzinfo=UTC)
MONDAY_0900_CHICAGO = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


def test_staff_are_reminded_30_minutes_before_the_response_is_due(nlu, talk, engine) -> None:
    number = open_case(nlu, talk)  # Friday 16:30 Chicago, Medium: due Monday 09:30
    assert engine.run_timers(MONDAY_0859_CHICAGO) == []
    [reminder] = engine.run_timers(MONDAY_0900_CHICAGO)
    assert reminder.audience is Audience.STAFF and reminder.case_number == number
    assert "due Mon 23 Nov 2026, 09:30 CST" in reminder.text
    assert engine.run_timers(MONDAY_0900_CHICAGO) == []  # fires once


def test_no_reminder_once_a_person_has_acknowledged(nlu, talk, engine, store) -> None:
    number = open_case(nlu, talk)
    [reminder] = store.timers.due(MONDAY_0900_CHICAGO)  # the reminder the take must silence
    assert reminder.payload["kind"] == "response_reminder"
    assert reminder.payload["case_number"] == number
    by_kind(engine.staff_take(number, "U0STAFF1"), "staff_took_case")
    assert store.cases.get_case(number).acknowledged_at is not None
    assert engine.run_timers(MONDAY_0900_CHICAGO) == []
    assert store.timers.due(MONDAY_0900_CHICAGO) == []  # it came due and was dropped, unsent


def test_an_unanswered_question_gets_a_notice_then_closes(nlu, talk, engine, clock, store):  # type: ignore[no-untyped-def]
    number = open_case(nlu, talk)
    engine.staff_take(number, "U0STAFF1")
    clock.moment = MONDAY_0900_CHICAGO
    asked = by_kind(
        engine.staff_request_info(number, "U0STAFF1", "Which site?"), "staff_info_request"
    )
    # Thursday 26 November is Thanksgiving, not a business day for a US organization.
    assert "may be closed after Fri 27 Nov 2026, 09:00 CST" in asked.text
    wednesday = datetime(2026, 11, 25, 15, 0, tzinfo=UTC)
    notice = by_kind(engine.run_timers(wednesday), "closure_notice")
    assert notice.recipients == ("U01AAA",) and notice.data["conversation_key"] == "D-ana"
    assert "closed at Fri 27 Nov 2026, 09:00 CST" in notice.text
    assert engine.run_timers(datetime(2026, 11, 26, 15, 0, tzinfo=UTC)) == []
    closed = engine.run_timers(datetime(2026, 11, 27, 15, 0, tzinfo=UTC))
    assert by_kind(closed, "case_auto_closed").case_number == number
    assert store.cases.get_case(number).status == "closed"
    assert store.cases.audit_trail(number)[-1].action == "inactivity_close"


def test_a_reply_cancels_the_closure(nlu, talk, engine, clock, store) -> None:
    from tests.engine.conftest import Parse

    number = open_case(nlu, talk)
    clock.moment = MONDAY_0900_CHICAGO
    engine.staff_request_info(number, "U0STAFF1", "Which site?")
    update = f"update {number}: only the Chicago site"
    nlu.add(Parse(text=update, intent="update_case"))
    talk("U01AAA", key="D-ana").say(update)
    assert engine.run_timers(datetime(2026, 11, 27, 15, 0, tzinfo=UTC)) == []
    assert store.cases.get_case(number).status == "open"


def test_proposed_resolution_closes_after_three_business_days(nlu, talk, engine, clock, store):  # type: ignore[no-untyped-def]
    number = open_case(nlu, talk)
    clock.moment = MONDAY_0900_CHICAGO
    proposed = by_kind(
        engine.staff_propose_resolution(number, "U0STAFF1", "Trunk fixed."), "staff_resolution"
    )
    assert "closes at Fri 27 Nov 2026, 17:00 CST" in proposed.text  # Thanksgiving skipped
    assert engine.run_timers(datetime(2026, 11, 27, 22, 59, tzinfo=UTC)) == []
    closed = engine.run_timers(datetime(2026, 11, 27, 23, 0, tzinfo=UTC))
    assert "no reported issues" in by_kind(closed, "case_auto_closed").text
    assert store.cases.get_case(number).status == "closed"
