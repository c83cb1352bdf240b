"""Staff set any priority; a waiting request is settled by it."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases.errors import NotAllowedNow
from cases.operations import change_priority
from cases.vocabulary import Priority
from tests.cases.conftest import OPENED, make_case

LATER = OPENED + timedelta(hours=1)


def test_staff_set_the_priority_and_clear_a_waiting_request() -> None:
    case = make_case(priority="medium", priority_requested="high", priority_requested_by="U01AAA")
    change = change_priority(case, priority=Priority.HIGH, staff_id="U0STAFF1", now=LATER)
    assert change.fields == {
        "priority": "high",
        "priority_requested": None,
        "priority_requested_by": None,
    }


def test_the_current_priority_is_refused() -> None:
    with pytest.raises(NotAllowedNow, match="already has medium priority"):
        change_priority(make_case(), priority=Priority.MEDIUM, staff_id="U0STAFF1", now=LATER)
