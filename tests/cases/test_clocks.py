"""Which target a case races next, and the words its clock is read in."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

import pytest

from cases.clocks import AT_RISK_WITHIN, Target, duration_words, minutes_late, next_target
from cases.entity import Case
from tests.cases.conftest import OPENED, make_case

NOW = OPENED


class ClockTime:
    """A policy that counts every target around the clock and is always open."""

    def time_left(
        self, *, target: str, severity: int, due_at: datetime, now: datetime
    ) -> timedelta:
        return due_at - now

    def counts_business_time(self, *, target: str, severity: int) -> bool:
        return False

    def is_open(self, at: datetime) -> bool:
        return True


def a_case(**fields: object) -> Case:
    """Unanswered, due 25 minutes from NOW; restoration due 4 hours from NOW."""
    return make_case(
        **{
            "response_due_at": NOW + timedelta(minutes=25),
            "restoration_due_at": NOW + timedelta(hours=4),
            "platform_level": True,
            **fields,
        }
    )


@pytest.mark.parametrize(
    ("span", "words"),
    [
        (timedelta(seconds=59), "under 1 min"),
        (timedelta(minutes=25, seconds=59), "25 min"),
        (timedelta(hours=1), "1 h"),
        (timedelta(hours=1, minutes=10), "1 h 10 min"),
        (timedelta(hours=47, minutes=59), "47 h 59 min"),
        (timedelta(days=2, hours=3, minutes=20), "2 d 3 h"),
        (timedelta(days=3), "3 d"),
    ],
)
def test_duration_words(span: timedelta, words: str) -> None:
    assert duration_words(span) == words


def test_an_unanswered_case_races_its_initial_response() -> None:
    clock = next_target(a_case(), now=NOW, clocks=ClockTime())
    assert clock is not None and clock.target is Target.RESPONSE
    assert clock.words() == "due in 25 min" and clock.at_risk


def test_an_answered_case_races_restoration() -> None:
    clock = next_target(a_case(acknowledged_at=NOW), now=NOW, clocks=ClockTime())
    assert clock is not None and clock.target is Target.RESTORATION
    assert clock.words() == "due in 4 h" and not clock.at_risk


def test_a_restored_or_closed_case_races_nothing() -> None:
    restored = a_case(acknowledged_at=NOW, restored_at=NOW)
    closed = dataclasses.replace(a_case(), status="closed")
    assert next_target(restored, now=NOW, clocks=ClockTime()) is None
    assert next_target(closed, now=NOW, clocks=ClockTime()) is None


def test_a_second_past_the_due_time_is_missed() -> None:
    case = a_case()
    due = case.response_due_at
    assert due is not None
    at_due = next_target(case, now=due, clocks=ClockTime())
    after = next_target(case, now=due + timedelta(seconds=1), clocks=ClockTime())
    assert at_due is not None and not at_due.missed
    assert after is not None and after.missed and after.words() == "missed by under 1 min"


def test_exactly_the_at_risk_span_left_is_at_risk() -> None:
    case = a_case(response_due_at=NOW + AT_RISK_WITHIN)
    later = a_case(response_due_at=NOW + AT_RISK_WITHIN + timedelta(seconds=1))
    assert next_target(case, now=NOW, clocks=ClockTime()).at_risk  # type: ignore[union-attr]
    assert not next_target(later, now=NOW, clocks=ClockTime()).at_risk  # type: ignore[union-attr]


def test_minutes_late_rounds_down_and_is_never_negative() -> None:
    assert minutes_late(-timedelta(minutes=70, seconds=59)) == 70
    assert minutes_late(timedelta(minutes=5)) == 0
