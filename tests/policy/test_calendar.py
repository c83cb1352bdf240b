"""Business-hours calendar: opening edges, weekends, holidays and DST weekends."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from policy.calendar import BusinessCalendar, add_clock_time, as_zone
from tests.policy.conftest import at

NEW_YORK = ZoneInfo("America/New_York")


def calendar(tz: str = "America/New_York", **kwargs) -> BusinessCalendar:
    return BusinessCalendar.for_zone(tz, **kwargs)


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        ("2026-03-06T07:59:59-05:00", False),  # Friday, a second before opening
        ("2026-03-06T08:00:00-05:00", True),  # opening is inclusive
        ("2026-03-06T16:59:00-05:00", True),  # Friday 16:59
        ("2026-03-06T17:00:00-05:00", False),  # closing is exclusive
        ("2026-03-07T10:00:00-05:00", False),  # Saturday
        ("2026-03-08T10:00:00-04:00", False),  # Sunday (DST day)
        ("2026-03-09T13:00:00+00:00", True),  # Monday 09:00 EDT given in UTC
    ],
)
def test_is_open_at_the_edges(moment: str, expected: bool) -> None:
    assert calendar().is_open(at(moment)) is expected


@freeze_time("2026-03-06T21:59:00Z")  # Friday 16:59 in New York
def test_is_open_defaults_to_now_friday_1659() -> None:
    assert calendar().is_open() is True


@freeze_time("2026-03-06T22:00:00Z")  # Friday 17:00 in New York
def test_is_closed_now_at_friday_1700() -> None:
    assert calendar().is_open() is False


@freeze_time("2026-03-06T22:00:00Z")  # Friday 17:00 in New York, Saturday 07:00 in Tokyo
def test_same_instant_differs_by_customer_zone() -> None:
    assert calendar("America/New_York").is_open() is False
    assert calendar("Asia/Tokyo").is_open() is False
    assert calendar("Europe/London").is_open() is False
    assert calendar("America/Los_Angeles").is_open() is True


def test_next_opening_skips_weekend_and_keeps_open_times() -> None:
    cal = calendar()
    assert cal.next_opening(at("2026-03-07T03:00-05:00")) == at("2026-03-09T08:00-04:00")
    inside = at("2026-03-09T10:15-04:00")
    assert cal.next_opening(inside) == inside


def test_add_business_time_from_friday_1659_rolls_to_monday() -> None:
    due = calendar().add_business_time(at("2026-03-06T16:59-05:00"), timedelta(hours=2))
    assert due == at("2026-03-09T09:59-04:00")
    assert due.tzinfo == NEW_YORK


def test_add_business_time_before_opening_starts_at_0800() -> None:
    due = calendar().add_business_time(at("2026-03-03T06:30-05:00"), timedelta(hours=2))
    assert due.isoformat() == "2026-03-03T10:00:00-05:00"


def test_deadline_landing_on_closing_time_stays_on_that_day() -> None:
    due = calendar().add_business_time(at("2026-03-03T15:00-05:00"), timedelta(hours=2))
    assert due.isoformat() == "2026-03-03T17:00:00-05:00"


def test_holidays_are_skipped() -> None:
    cal = calendar(holidays=[date(2026, 12, 25)])
    due = cal.add_business_time(at("2026-12-24T16:30-05:00"), timedelta(hours=2))
    assert due.isoformat() == "2026-12-28T09:30:00-05:00"


def test_without_the_holiday_the_same_case_is_due_on_the_friday() -> None:
    due = calendar().add_business_time(at("2026-12-24T16:30-05:00"), timedelta(hours=2))
    assert due.isoformat() == "2026-12-25T09:30:00-05:00"


def test_add_business_days_keeps_local_time_across_dst() -> None:
    due = calendar().add_business_days(at("2026-03-06T10:00-05:00"), 1)
    assert due.isoformat() == "2026-03-09T10:00:00-04:00"


def test_add_business_days_from_weekend_ends_at_close() -> None:
    due = calendar().add_business_days(at("2026-03-07T03:00-05:00"), 2)
    assert due.isoformat() == "2026-03-10T17:00:00-04:00"


def test_end_of_business_day_for_datetimes_and_dates() -> None:
    cal = calendar()
    assert cal.end_of_business_day(at("2026-03-06T09:00-05:00")).isoformat() == (
        "2026-03-06T17:00:00-05:00"
    )
    assert cal.end_of_business_day(at("2026-03-06T18:00-05:00")).isoformat() == (
        "2026-03-09T17:00:00-04:00"
    )
    assert cal.end_of_business_day(date(2026, 3, 7)).isoformat() == "2026-03-09T17:00:00-04:00"


def test_business_time_between_counts_only_open_hours() -> None:
    cal = calendar()
    elapsed = cal.business_time_between(at("2026-03-06T16:00-05:00"), at("2026-03-09T09:30-04:00"))
    assert elapsed == timedelta(hours=2, minutes=30)


def test_clock_time_crosses_spring_forward_gap() -> None:
    due = add_clock_time(at("2026-03-08T01:55-05:00"), timedelta(minutes=10), NEW_YORK)
    assert due.isoformat() == "2026-03-08T03:05:00-04:00"


def test_clock_time_crosses_fall_back_repeat_hour() -> None:
    due = add_clock_time(at("2026-11-01T01:55-04:00"), timedelta(minutes=10), NEW_YORK)
    assert due.isoformat() == "2026-11-01T01:05:00-05:00"


def test_custom_opening_hours_are_respected() -> None:
    cal = calendar("Asia/Tokyo", open=time(9), close=time(17, 30))
    assert cal.is_open(at("2026-03-06T08:30+09:00")) is False
    # a full business day from the opening bell ends at that day's close
    assert cal.add_business_days(at("2026-03-06T09:00+09:00"), 1).isoformat() == (
        "2026-03-06T17:30:00+09:00"
    )
    assert cal.add_business_days(at("2026-03-06T12:00+09:00"), 1).isoformat() == (
        "2026-03-09T12:00:00+09:00"
    )


def test_naive_times_are_rejected() -> None:
    with pytest.raises(ValueError, match="UTC offset"):
        calendar().is_open(datetime(2026, 3, 6, 10, 0))
    with pytest.raises(ValueError, match="UTC offset"):
        calendar().add_business_time(datetime(2026, 3, 6, 10, 0), timedelta(hours=1))


def test_unknown_zone_is_rejected_by_name() -> None:
    with pytest.raises(ValueError, match="Mars/Olympus"):
        as_zone("Mars/Olympus")
    with pytest.raises(ValueError, match="Mars/Olympus"):
        BusinessCalendar(tz="Mars/Olympus")  # type: ignore[arg-type]


def test_calendar_accepts_a_zone_name() -> None:
    cal = BusinessCalendar(tz="Europe/Berlin")  # type: ignore[arg-type]
    assert cal.tz == ZoneInfo("Europe/Berlin")
    assert cal.is_open(at("2026-03-30T08:00+02:00")) is True


def test_calendar_without_open_days_fails_clearly() -> None:
    every_day = {date(2026, 1, 1) + timedelta(days=n) for n in range(3700)}
    cal = calendar(holidays=every_day)
    with pytest.raises(ValueError, match="no open day"):
        cal.add_business_time(at("2026-01-01T09:00-05:00"), timedelta(hours=1))


def test_negative_business_time_is_rejected() -> None:
    with pytest.raises(ValueError, match="negative"):
        calendar().add_business_time(at("2026-03-06T09:00-05:00"), timedelta(hours=-1))
