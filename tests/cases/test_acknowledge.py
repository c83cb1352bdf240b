"""Take: the case is the staff member's and the initial-response clock stops."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases.errors import NotAllowedNow
from cases.operations import EventKind, acknowledge
from tests.cases.conftest import OPENED, make_case

LATER = OPENED + timedelta(minutes=30)


def test_taking_assigns_and_acknowledges() -> None:
    change = acknowledge(make_case(), staff_id="U0STAFF1", now=LATER)
    assert change.fields["assignee_id"] == "U0STAFF1"
    assert change.fields["acknowledged_at"] == LATER
    assert change.events[0].kind is EventKind.TAKEN


def test_a_second_take_keeps_the_first_acknowledgement() -> None:
    change = acknowledge(make_case(acknowledged_at=OPENED), staff_id="U0STAFF2", now=LATER)
    assert "acknowledged_at" not in change.fields


def test_a_closed_case_cannot_be_taken() -> None:
    with pytest.raises(NotAllowedNow, match="reopen it first"):
        acknowledge(make_case(status="closed"), staff_id="U0STAFF1", now=LATER)
