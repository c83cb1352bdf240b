"""Closure for inactivity, Resolution Proposed closing, and RCA or case-summary deadlines."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from policy.lifecycle import inactivity_closure, rca_plan, resolution_proposed_close_at
from tests.policy.conftest import at

NY = "America/New_York"


def test_inactivity_notice_after_two_and_closure_after_three_business_days() -> None:
    plan = inactivity_closure(waiting_since=at("2026-03-02T10:00-05:00"), tz=NY)
    assert plan.notice_at.isoformat() == "2026-03-04T10:00:00-05:00"
    assert plan.close_at.isoformat() == "2026-03-05T10:00:00-05:00"


def test_inactivity_from_friday_1659_skips_the_weekend_and_dst_change() -> None:
    plan = inactivity_closure(waiting_since=at("2026-03-06T16:59-05:00"), tz=NY)
    assert plan.notice_at.isoformat() == "2026-03-10T16:59:00-04:00"
    assert plan.close_at.isoformat() == "2026-03-11T16:59:00-04:00"


def test_inactivity_waiting_since_saturday_counts_from_monday() -> None:
    plan = inactivity_closure(waiting_since=at("2026-03-07T03:00-05:00"), tz=NY)
    assert plan.notice_at.isoformat() == "2026-03-10T17:00:00-04:00"
    assert plan.close_at.isoformat() == "2026-03-11T17:00:00-04:00"


def test_inactivity_notice_always_comes_before_closure() -> None:
    plan = inactivity_closure(waiting_since=at("2026-10-30T12:00+09:00"), tz="Asia/Tokyo")
    assert plan.notice_at < plan.close_at
    assert plan.close_at.isoformat() == "2026-11-04T12:00:00+09:00"


def test_inactivity_skips_organization_holidays() -> None:
    plan = inactivity_closure(
        waiting_since=at("2026-12-23T10:00-05:00"), tz=NY, holidays=[date(2026, 12, 25)]
    )
    assert plan.notice_at.isoformat() == "2026-12-28T10:00:00-05:00"
    assert plan.close_at.isoformat() == "2026-12-29T10:00:00-05:00"


@pytest.mark.parametrize(
    ("proposed", "closes"),
    [
        ("2026-03-02T10:00-05:00", "2026-03-05T17:00:00-05:00"),  # Monday day -> Thursday close
        ("2026-03-02T07:00-05:00", "2026-03-04T17:00:00-05:00"),  # before opening: Monday counts
        ("2026-03-06T16:59-05:00", "2026-03-11T17:00:00-04:00"),  # Friday 16:59 -> Wednesday
        ("2026-03-07T03:00-05:00", "2026-03-11T17:00:00-04:00"),  # Saturday -> Wednesday
    ],
)
def test_resolution_proposed_closes_at_end_of_third_business_day(proposed, closes) -> None:
    assert resolution_proposed_close_at(proposed_at=at(proposed), tz=NY).isoformat() == closes


def test_resolution_proposed_in_berlin_across_fall_back() -> None:
    closes = resolution_proposed_close_at(
        proposed_at=at("2026-10-22T15:00+02:00"), tz="Europe/Berlin"
    )
    assert closes.isoformat() == "2026-10-27T17:00:00+01:00"


def test_resolution_proposed_skips_holidays() -> None:
    closes = resolution_proposed_close_at(
        proposed_at=at("2026-12-23T10:00-05:00"), tz=NY, holidays=[date(2026, 12, 25)]
    )
    assert closes.isoformat() == "2026-12-29T17:00:00-05:00"


def test_rca_due_five_business_days_after_restoration_for_platform_severity_1() -> None:
    plan = rca_plan(
        severity=1, platform_level=True, restored_at=at("2026-03-02T14:00-05:00"), tz=NY
    )
    assert plan.kind == "rca"
    assert plan.due_at is not None
    assert plan.due_at.isoformat() == "2026-03-09T14:00:00-04:00"


def test_rca_after_weekend_restoration_due_at_close_of_fifth_business_day() -> None:
    plan = rca_plan(
        severity=1, platform_level=True, restored_at=at("2026-03-07T03:00-05:00"), tz=NY
    )
    assert plan.due_at is not None
    assert plan.due_at.isoformat() == "2026-03-13T17:00:00-04:00"


def test_isolated_severity_1_gets_a_case_summary_not_an_rca() -> None:
    plan = rca_plan(
        severity=1, platform_level=False, restored_at=at("2026-03-02T14:00-05:00"), tz=NY
    )
    assert (plan.kind, plan.due_at) == ("case_summary", None)


@pytest.mark.parametrize("severity", [2, 3, 4])
def test_lower_severities_get_no_rca(severity: int) -> None:
    plan = rca_plan(
        severity=severity, platform_level=True, restored_at=at("2026-03-02T14:00-05:00"), tz=NY
    )
    assert (plan.kind, plan.due_at) == ("none", None)


def test_lifecycle_rejects_naive_times() -> None:
    with pytest.raises(ValueError, match="offset"):
        inactivity_closure(waiting_since=datetime(2026, 3, 2, 10), tz=NY)
    with pytest.raises(ValueError, match="offset"):
        resolution_proposed_close_at(proposed_at=datetime(2026, 3, 2, 10), tz=NY)
    with pytest.raises(ValueError, match="offset"):
        rca_plan(severity=1, platform_level=True, restored_at=datetime(2026, 3, 2, 10), tz=NY)


def test_rca_due_for_a_sydney_customer_across_the_april_dst_end() -> None:
    plan = rca_plan(
        severity=1,
        platform_level=True,
        restored_at=at("2026-04-01T10:00+11:00"),
        tz="Australia/Sydney",
    )
    assert plan.due_at is not None
    assert plan.due_at.isoformat() == "2026-04-08T10:00:00+10:00"
