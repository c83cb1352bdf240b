"""Seed 003's priority paths for a designated contact: medium in a work note, high via staff,
Critical by phone."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases.errors import NotAllowedNow
from cases.operations import EventKind, request_priority
from cases.vocabulary import Priority
from tests.cases.conftest import OPENED, make_case

LATER = OPENED + timedelta(hours=1)


def test_medium_is_set_with_a_work_note() -> None:
    change = request_priority(
        make_case(priority="low"), priority=Priority.MEDIUM, requester_id="U01AAA", now=LATER
    )
    assert change.fields["priority"] == "medium"
    assert change.fields["notes"][-1].kind == "work_note"
    assert change.events[0].kind is EventKind.PRIORITY_CHANGED


def test_high_is_a_request_that_changes_nothing_yet() -> None:
    change = request_priority(
        make_case(priority="medium"), priority=Priority.HIGH, requester_id="U01AAA", now=LATER
    )
    assert "priority" not in change.fields
    assert change.fields["priority_requested"] == "high"
    assert change.events[0].kind is EventKind.PRIORITY_REQUESTED


def test_asking_for_high_twice_is_refused() -> None:
    case = make_case(priority_requested="high", priority_requested_by="U01AAA")
    with pytest.raises(NotAllowedNow, match="already requested"):
        request_priority(case, priority=Priority.HIGH, requester_id="U01AAA", now=LATER)


def test_critical_is_raised_by_phone() -> None:
    with pytest.raises(NotAllowedNow, match="by phone"):
        request_priority(make_case(), priority=Priority.CRITICAL, requester_id="U01AAA", now=LATER)
