"""Initial response and restoration due times, per profile, in the customer's own zone."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from policy.severity import Severity
from policy.targets import initial_response_due, restoration_due
from tests.policy.conftest import at


def due(severity: int, opened: str, tz: str, profile: str | None = None, **kwargs) -> str:
    return initial_response_due(
        severity=severity, opened_at=at(opened), tz=tz, profile=profile, **kwargs
    ).isoformat()


def restore(severity: int, opened: str, tz: str, profile: str | None = None, **kwargs):
    result = restoration_due(
        severity=severity, opened_at=at(opened), tz=tz, profile=profile, **kwargs
    )
    return None if result is None else result.isoformat()


# --- the worked examples of the policy brief ---------------------------------------------


def test_friday_1659_two_business_hours_due_monday_0959() -> None:
    assert due(2, "2026-03-06T16:59-05:00", "America/New_York") == "2026-03-09T09:59:00-04:00"


def test_saturday_0300_two_business_hours_due_monday_1000() -> None:
    assert due(3, "2026-03-07T03:00-05:00", "America/New_York") == "2026-03-09T10:00:00-04:00"


def test_severity_1_saturday_0300_due_0310_the_same_night() -> None:
    assert due(1, "2026-03-07T03:00-05:00", "America/New_York") == "2026-03-07T03:10:00-05:00"


def test_case_opened_before_0800_counts_from_0800() -> None:
    assert due(4, "2026-03-03T06:30-05:00", "America/New_York") == "2026-03-03T10:00:00-05:00"


def test_default_profile_is_genesys_cloud() -> None:
    opened = "2026-03-03T10:00-05:00"
    assert due(2, opened, "America/New_York") == due(2, opened, "America/New_York", "genesys-cloud")
    assert due(2, opened, "America/New_York") != due(2, opened, "America/New_York", "purecloud")


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        (1, "2026-03-03T10:10:00-05:00"),
        (2, "2026-03-03T12:00:00-05:00"),
        (3, "2026-03-03T12:00:00-05:00"),
        (4, "2026-03-03T12:00:00-05:00"),
    ],
)
def test_genesys_cloud_initial_response_targets(severity: int, expected: str) -> None:
    assert due(severity, "2026-03-03T10:00-05:00", "America/New_York") == expected


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        (1, "2026-03-03T10:10:00-05:00"),  # 10 min by phone
        (2, "2026-03-03T11:00:00-05:00"),  # 1 business hour
        (3, "2026-03-03T12:00:00-05:00"),  # 2 business hours
        (4, "2026-03-04T10:00:00-05:00"),  # 1 business day = 9 business hours
    ],
)
def test_purecloud_initial_response_targets(severity: int, expected: str) -> None:
    assert due(severity, "2026-03-03T10:00-05:00", "America/New_York", "purecloud") == expected


def test_purecloud_one_business_day_from_friday_1659() -> None:
    opened = "2026-03-06T16:59-05:00"
    assert due(4, opened, "America/New_York", "purecloud") == "2026-03-09T16:59:00-04:00"


# --- DST weekends, Tokyo and Sydney --------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "opened", "expected"),
    [
        # Friday 16:00 + 2 business hours lands on Monday 09:00 with the new offset.
        ("America/New_York", "2026-03-06T16:00-05:00", "2026-03-09T09:00:00-04:00"),
        ("America/New_York", "2026-10-30T16:00-04:00", "2026-11-02T09:00:00-05:00"),
        ("Europe/Berlin", "2026-03-27T16:00+01:00", "2026-03-30T09:00:00+02:00"),
        ("Europe/Berlin", "2026-10-23T16:00+02:00", "2026-10-26T09:00:00+01:00"),
        ("Australia/Sydney", "2026-04-03T16:00+11:00", "2026-04-06T09:00:00+10:00"),
        ("Australia/Sydney", "2026-10-02T16:00+10:00", "2026-10-05T09:00:00+11:00"),
        ("Asia/Tokyo", "2026-03-06T16:00+09:00", "2026-03-09T09:00:00+09:00"),
    ],
    ids=[
        "ny-spring",
        "ny-fall",
        "berlin-spring",
        "berlin-fall",
        "sydney-april",
        "sydney-oct",
        "tokyo",
    ],
)
def test_business_hours_across_dst_weekends(tz: str, opened: str, expected: str) -> None:
    assert due(2, opened, tz) == expected


@pytest.mark.parametrize(
    ("tz", "opened", "expected"),
    [
        # Severity 1 opened 5 minutes before the clocks change: 10 real minutes later.
        ("America/New_York", "2026-03-08T01:55-05:00", "2026-03-08T03:05:00-04:00"),
        ("America/New_York", "2026-11-01T01:55-04:00", "2026-11-01T01:05:00-05:00"),
        ("Europe/Berlin", "2026-03-29T01:55+01:00", "2026-03-29T03:05:00+02:00"),
        ("Europe/Berlin", "2026-10-25T02:55+02:00", "2026-10-25T02:05:00+01:00"),
        ("Australia/Sydney", "2026-04-05T02:55+11:00", "2026-04-05T02:05:00+10:00"),
        ("Australia/Sydney", "2026-10-04T01:55+10:00", "2026-10-04T03:05:00+11:00"),
    ],
    ids=["ny-spring", "ny-fall", "berlin-spring", "berlin-fall", "sydney-april", "sydney-oct"],
)
def test_severity_1_counts_real_minutes_across_dst(tz: str, opened: str, expected: str) -> None:
    assert due(1, opened, tz) == expected


def test_result_is_in_the_customer_zone_even_when_opened_in_utc() -> None:
    # 23:00 UTC Friday is 08:00 Saturday in Tokyo: counting starts Monday 08:00 local.
    assert due(2, "2026-03-06T23:00+00:00", "Asia/Tokyo") == "2026-03-09T10:00:00+09:00"


def test_same_instant_different_customers_different_due_times() -> None:
    opened = "2026-03-06T21:30+00:00"  # Friday 16:30 New York, Saturday 06:30 Tokyo
    assert due(2, opened, "America/New_York") == "2026-03-09T09:30:00-04:00"
    assert due(2, opened, "Asia/Tokyo") == "2026-03-09T10:00:00+09:00"


def test_organization_holidays_push_the_deadline() -> None:
    opened = "2026-12-24T16:30-05:00"
    assert due(3, opened, "America/New_York") == "2026-12-25T09:30:00-05:00"
    holidays = [date(2026, 12, 25)]
    assert due(3, opened, "America/New_York", holidays=holidays) == "2026-12-28T09:30:00-05:00"


def test_holidays_do_not_delay_severity_1() -> None:
    opened = "2026-12-25T03:00-05:00"
    holidays = [date(2026, 12, 25)]
    assert due(1, opened, "America/New_York", holidays=holidays) == "2026-12-25T03:10:00-05:00"


# --- restoration -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        (1, "2026-03-03T14:00:00-05:00"),  # 4 hours, clock time
        (2, "2026-03-05T10:00:00-05:00"),  # 2 business days
        (3, "2026-03-10T10:00:00-04:00"),  # 5 business days, across the DST change
        (4, None),
    ],
)
def test_genesys_cloud_restoration_targets(severity: int, expected: str | None) -> None:
    assert restore(severity, "2026-03-03T10:00-05:00", "America/New_York") == expected


def test_genesys_cloud_restoration_applies_to_platform_level_only() -> None:
    opened = "2026-03-03T10:00-05:00"
    assert restore(1, opened, "America/New_York", platform_level=False) is None


@pytest.mark.parametrize(
    ("severity", "expected"),
    [
        (1, "2026-03-07T03:15:00-05:00"),  # mean 15 minutes
        (2, "2026-03-10T04:00:00-04:00"),  # mean 72 hours, real hours across spring-forward
        (3, None),
        (4, None),
    ],
)
def test_purecloud_restoration_targets(severity: int, expected: str | None) -> None:
    opened = "2026-03-07T03:00-05:00"
    assert restore(severity, opened, "America/New_York", "purecloud") == expected


def test_purecloud_restoration_is_not_limited_to_platform_issues() -> None:
    opened = "2026-03-07T03:00-05:00"
    result = restore(1, opened, "America/New_York", "purecloud", platform_level=False)
    assert result == "2026-03-07T03:15:00-05:00"


def test_severity_1_restoration_runs_through_the_weekend() -> None:
    assert restore(1, "2026-03-07T22:00-05:00", "America/New_York") == "2026-03-08T03:00:00-04:00"


# --- bad input ---------------------------------------------------------------------------


def test_naive_opened_at_is_rejected() -> None:
    with pytest.raises(ValueError, match="offset"):
        initial_response_due(severity=2, opened_at=datetime(2026, 3, 6, 16, 59), tz="UTC")


@pytest.mark.parametrize("severity", [0, 5, 7, -1, "high", None, True])
def test_invalid_severity_is_rejected(severity) -> None:
    with pytest.raises(ValueError, match="severity must be 1, 2, 3 or 4"):
        initial_response_due(severity=severity, opened_at=at("2026-03-06T10:00Z"), tz="UTC")


def test_unknown_profile_is_rejected_with_the_known_ones() -> None:
    with pytest.raises(ValueError, match="genesys-cloud, purecloud"):
        restoration_due(
            severity=Severity.HIGH, opened_at=at("2026-03-06T10:00Z"), tz="UTC", profile="acme"
        )


def test_unknown_zone_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        initial_response_due(severity=2, opened_at=at("2026-03-06T10:00Z"), tz="Mars/Olympus")


def test_berlin_restoration_two_business_days_across_spring_forward() -> None:
    assert restore(2, "2026-03-27T10:00+01:00", "Europe/Berlin") == "2026-03-31T10:00:00+02:00"


def test_tokyo_restoration_five_business_days_without_dst() -> None:
    assert restore(3, "2026-03-06T16:59+09:00", "Asia/Tokyo") == "2026-03-13T16:59:00+09:00"
