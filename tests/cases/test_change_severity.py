"""A severity change brings its priority and due times from the policy."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from cases.errors import NotAllowedNow
from cases.operations import EventKind, change_severity
from policy.case_targets import OrganizationTargets
from tests.cases.conftest import OPENED, make_case

RAISED_AT = OPENED + timedelta(days=2, hours=1)


def test_a_raise_to_severity_1_makes_the_priority_critical(
    targets: OrganizationTargets,
) -> None:
    change = change_severity(
        make_case(severity=4, priority="low"),
        severity=1,
        staff_id="U0STAFF1",
        now=RAISED_AT,
        targets=targets,
    )
    assert change.fields["priority"] == "critical"
    assert change.events[0].kind is EventKind.SEVERITY_CHANGED


def test_an_unacknowledged_raise_is_due_ten_minutes_after_the_raise(
    targets: OrganizationTargets,
) -> None:
    change = change_severity(
        make_case(severity=4), severity=1, staff_id="U0STAFF1", now=RAISED_AT, targets=targets
    )
    assert change.fields["response_due_at"] == RAISED_AT + timedelta(minutes=10)


def test_an_acknowledged_case_keeps_its_response_time(targets: OrganizationTargets) -> None:
    case = make_case(severity=3, acknowledged_at=OPENED + timedelta(minutes=5))
    change = change_severity(case, severity=1, staff_id="U0STAFF1", now=RAISED_AT, targets=targets)
    assert "response_due_at" not in change.fields


def test_a_platform_level_raise_gets_the_four_hour_restoration_target(
    targets: OrganizationTargets,
) -> None:
    case = make_case(severity=2, platform_level=True)
    change = change_severity(case, severity=1, staff_id="U0STAFF1", now=RAISED_AT, targets=targets)
    assert change.fields["restoration_due_at"] == RAISED_AT + timedelta(hours=4)


def test_an_isolated_issue_has_no_restoration_target(targets: OrganizationTargets) -> None:
    change = change_severity(
        make_case(severity=2), severity=1, staff_id="U0STAFF1", now=RAISED_AT, targets=targets
    )
    assert change.fields["restoration_due_at"] is None


def test_a_lowering_counts_from_when_the_case_opened(targets: OrganizationTargets) -> None:
    friday = datetime(2026, 3, 6, 21, 59, tzinfo=UTC)  # Friday 16:59 in New York
    case = make_case(severity=1, priority="critical", created_at=friday)
    change = change_severity(
        case, severity=3, staff_id="U0STAFF1", now=friday + timedelta(minutes=5), targets=targets
    )
    assert change.fields["priority"] == "medium"
    # Two business hours from Friday 16:59: one minute on Friday, the rest from Monday's
    # opening at 08:00, across the weekend clocks went forward (EDT, UTC-4).
    assert change.fields["response_due_at"] == datetime(2026, 3, 9, 13, 59, tzinfo=UTC)


def test_the_same_severity_is_refused(targets: OrganizationTargets) -> None:
    with pytest.raises(NotAllowedNow, match="already has Severity 3"):
        change_severity(
            make_case(severity=3), severity=3, staff_id="U0STAFF1", now=RAISED_AT, targets=targets
        )
