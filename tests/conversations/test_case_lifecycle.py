"""Issue 10's paths end to end with the real NLU: priority, severity, restoration and RCA,
escalation once, closure times, per-organization holidays."""

from __future__ import annotations

from datetime import UTC, datetime

from freezegun import freeze_time

from tests.conversations.conftest import one, texts
from tests.conversations.test_case_conversations import open_case

STAFF = "U0STAFF1"


@freeze_time("2026-11-17T15:00:00+00:00")
def test_staff_approve_a_requested_high_priority(person, store, engine) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store, priority="medium", severity=3)
    person("U01AAA").say(f"can you raise the priority of {number} to high?")
    approved = one(engine.staff.change_priority(number, STAFF, "high"), "staff_priority_change")
    assert "approved your request" in approved.text
    case = store.cases.get_case(number)
    assert (case.priority, case.priority_requested) == ("high", None)


@freeze_time("2026-11-17T15:00:00+00:00")
def test_a_raise_to_severity_1_makes_escalation_read_the_new_priority(
    person, store, engine
) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store, priority="low", severity=4)
    changed = one(engine.staff_change_severity(number, STAFF, 1), "staff_severity_change")
    assert "priority is now critical" in changed.text
    answer = one(person("U01AAA").say(f"please escalate {number}"), "escalation_answer")
    assert "Low-priority cases are not eligible" not in answer.text


@freeze_time("2026-11-17T15:00:00+00:00")
def test_a_raise_to_severity_1_is_due_ten_minutes_later(store, engine) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store, priority="low", severity=4)
    receipt = one(engine.staff_change_severity(number, STAFF, 1), "staff_severity_change_receipt")
    assert "Initial response due Tue 17 Nov 2026, 09:10 CST" in receipt.text


@freeze_time("2026-11-17T15:00:00+00:00")
def test_rca_question_after_restoration_gets_the_due_date(person, store, engine) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store, priority="critical", severity=1)
    restored = one(engine.staff.record_restoration(number, STAFF, "platform"), "staff_restored")
    assert "RCA) follows by Tue 24 Nov 2026, 09:00 CST" in restored.text
    answer = person("U01AAA").say(f"when will the RCA for {number} be ready?")
    assert "by Tue 24 Nov 2026, 09:00 CST" in one(answer, "rca_rca").text


@freeze_time("2026-11-17T15:00:00+00:00")
def test_an_isolated_severity_1_gets_a_case_summary_delivered(person, store, engine) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store, priority="critical", severity=1)
    engine.staff.record_restoration(number, STAFF, "isolated")
    refused = engine.staff.deliver_rca(number, STAFF, "Root cause: a bad deploy")
    assert "deliver a case summary" in one(refused, "refused").text
    engine.staff.deliver_summary(number, STAFF, "A certificate expired; it was renewed.")
    answer = person("U01AAA").say(f"where is the root cause analysis for {number}?")
    assert "certificate expired" in texts(answer)


@freeze_time("2026-11-17T16:00:00+00:00")  # 25 hours after the case was opened
def test_asking_twice_to_escalate_says_it_is_already_with_the_team(person, store) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store, priority="high", severity=2)
    ana = person("U01AAA")
    first = one(ana.say(f"please escalate {number}, no progress for a day"), "escalation_answer")
    assert first.data["eligible"] is True, first.text
    again = one(ana.say(f"escalate {number} again please"), "escalation_answer")
    assert "already escalated" in again.text
    actions = [entry.action for entry in store.cases.audit_trail(number)]
    assert actions.count("escalation_requested") == 1


@freeze_time("2026-11-17T15:00:00+00:00")
def test_the_closure_notice_names_the_real_closure_time(store, engine) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store, priority="medium", severity=3)
    asked = one(engine.staff_request_info(number, STAFF, "Which site?"), "staff_info_request")
    assert "may be closed after Fri 20 Nov 2026, 09:00 CST" in asked.text
    notices = engine.run_timers(datetime(2026, 11, 19, 15, 0, tzinfo=UTC))
    notice = one(notices, "closure_notice")
    assert "closed at Fri 20 Nov 2026, 09:00 CST" in notice.text
    assert "end of the next business day" not in notice.text


@freeze_time("2026-11-24T15:00:00+00:00")
def test_thanksgiving_is_not_a_business_day_for_a_us_organization(store, engine) -> None:  # type: ignore[no-untyped-def]
    number = open_case(store, priority="medium", severity=3)
    asked = one(engine.staff_request_info(number, STAFF, "Which site?"), "staff_info_request")
    # Tue 24 Nov + 3 business days, skipping Thanksgiving (Thu 26 Nov): Mon 30 Nov.
    assert "may be closed after Mon 30 Nov 2026, 09:00 CST" in asked.text
