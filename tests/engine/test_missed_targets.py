"""A target that passes unmet is recorded on the case and told to staff once; a late first
response records how late it came, in the target's own (business) time.

The case is Acme's (Chicago), opened Friday 16:30 as Medium: its initial response is due
Monday 23 Nov 09:30 CST, two business hours later.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.messages import Audience
from tests.engine.conftest import by_kind
from tests.engine.test_staff_side import open_case

DUE = datetime(2026, 11, 23, 15, 30, tzinfo=UTC)  # Monday 09:30 CST
MISSED = "staff_target_missed"


def test_the_response_target_passing_is_recorded_and_told_once(nlu, talk, engine, store) -> None:
    number = open_case(nlu, talk)
    assert not [o for o in engine.run_timers(DUE - timedelta(seconds=1)) if o.kind == MISSED]

    notice = by_kind(engine.run_timers(DUE), MISSED)

    assert notice.audience is Audience.STAFF and notice.case_number == number
    assert notice.text == (
        f"{number} (Severity 3 – Medium, acme) missed its initial response target "
        "(due Mon 23 Nov 2026, 09:30 CST, customer's time); nobody has taken it yet."
    )
    assert store.cases.get_case(number).response_missed_at == DUE
    assert engine.run_timers(DUE + timedelta(hours=1)) == []  # told once, not on every tick


def test_a_missed_target_is_audited_without_counting_as_an_update(nlu, talk, engine, store) -> None:
    number = open_case(nlu, talk)
    before = store.cases.get_case(number)
    engine.run_timers(DUE)
    after = store.cases.get_case(number)
    assert store.cases.audit_trail(number)[-1].action == "response_target_missed"
    assert after.last_update_at == before.last_update_at  # silence clocks run on


def test_a_late_take_records_how_many_business_minutes_late(
    nlu, talk, engine, store, clock
) -> None:
    number = open_case(nlu, talk)
    engine.run_timers(DUE)
    clock.moment = datetime(2026, 11, 23, 22, 50, tzinfo=UTC)  # Monday 16:50 CST
    replies = engine.staff_take(number, "U0STAFF1")
    case = store.cases.get_case(number)
    assert case.response_late_minutes == 7 * 60 + 20  # 09:30 to 16:50, all open time
    receipt = by_kind(replies, "staff_took_case_receipt")
    assert "This first response came 7 h 20 min after its target." in receipt.text


def test_a_late_take_over_the_night_counts_only_open_time(nlu, talk, engine, store, clock) -> None:
    number = open_case(nlu, talk)
    clock.moment = datetime(2026, 11, 24, 14, 15, tzinfo=UTC)  # Tuesday 08:15 CST
    engine.staff_take(number, "U0STAFF1")  # before any timer ran
    case = store.cases.get_case(number)
    # Monday 09:30-17:00 and Tuesday 08:00-08:15: 7 h 45 min of open time.
    assert case.response_late_minutes == 7 * 60 + 45
    assert case.response_missed_at == DUE  # recorded by the late answer itself
    assert not [o for o in engine.run_timers(clock.moment) if o.kind == MISSED]


def test_an_answer_in_time_records_no_lateness(nlu, talk, engine, store, clock) -> None:
    number = open_case(nlu, talk)
    clock.moment = DUE
    engine.staff_take(number, "U0STAFF1")
    case = store.cases.get_case(number)
    assert case.response_late_minutes is None and case.response_missed_at is None
    assert engine.run_timers(DUE + timedelta(minutes=1)) == []


def test_a_raised_severity_moves_the_missed_target_timer(nlu, talk, engine, store, clock) -> None:
    number = open_case(nlu, talk)
    clock.moment = datetime(2026, 11, 23, 14, 0, tzinfo=UTC)  # Monday 08:00 CST
    engine.staff_change_severity(number, "U0STAFF1", 2, "more sites are affected")
    new_due = store.cases.get_case(number).response_due_at
    assert new_due == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)  # two business hours on
    assert not [o for o in engine.run_timers(DUE) if o.kind == MISSED]  # the old due time
    assert by_kind(engine.run_timers(new_due), MISSED).case_number == number


def test_the_metric_counts_each_missed_target_once(nlu, talk, engine) -> None:
    open_case(nlu, talk)
    engine.run_timers(DUE)
    engine.run_timers(DUE + timedelta(days=1))
    counted = engine.metrics.registry.get_sample_value(
        "supportbot_targets_missed_total", {"target": "response", "severity": "3"}
    )
    assert counted == 1.0


def test_restoration_passing_unrestored_is_recorded_and_told(nlu, talk, engine, store) -> None:
    from actions.followups import schedule_target_clocks

    number = open_case(nlu, talk)
    engine.staff_take(number, "U0STAFF1")
    due = DUE + timedelta(days=2)
    case = store.cases.update_case(
        number,
        actor_id="U0STAFF1",
        now=DUE,
        changes={"platform_level": True, "restoration_due_at": due},
    )
    schedule_target_clocks(store, case, now=DUE)

    notice = by_kind(engine.run_timers(due + timedelta(seconds=1)), MISSED)

    assert "missed its restoration target" in notice.text
    assert "service is not restored yet" in notice.text
    assert store.cases.get_case(number).restoration_missed_at == due + timedelta(seconds=1)


def test_a_late_answer_before_any_timer_counts_the_miss_once(nlu, talk, engine, clock) -> None:
    open_case(nlu, talk)
    clock.moment = datetime(2026, 11, 24, 14, 15, tzinfo=UTC)
    engine.staff_take("CS-1001", "U0STAFF1")
    engine.run_timers(clock.moment)  # the timer finds the miss recorded: nothing more
    counted = engine.metrics.registry.get_sample_value(
        "supportbot_targets_missed_total", {"target": "response", "severity": "3"}
    )
    assert counted == 1.0
