"""Staff decline a waiting priority request: it is cleared and the priority stays."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases.errors import NotAllowedNow
from cases.operations import decline_priority_request
from tests.cases.conftest import OPENED, make_case

LATER = OPENED + timedelta(hours=1)


def test_declining_clears_the_request_and_names_the_requester() -> None:
    case = make_case(priority_requested="high", priority_requested_by="U01AAA")
    change = decline_priority_request(case, staff_id="U0STAFF1", now=LATER)
    assert change.fields == {"priority_requested": None, "priority_requested_by": None}
    assert change.events[0].details["requester_id"] == "U01AAA"


def test_nothing_to_decline_is_refused() -> None:
    with pytest.raises(NotAllowedNow, match="no priority request"):
        decline_priority_request(make_case(), staff_id="U0STAFF1", now=LATER)
