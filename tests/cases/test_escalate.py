"""An eligible escalation is recorded once."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases.errors import NotAllowedNow
from cases.operations import escalate
from tests.cases.conftest import OPENED, make_case

LATER = OPENED + timedelta(days=1)


def test_the_escalation_time_is_recorded() -> None:
    change = escalate(make_case(), requester_id="U01AAA", now=LATER)
    assert change.fields["escalated_at"] == LATER


def test_a_second_escalation_is_refused() -> None:
    with pytest.raises(NotAllowedNow, match="already escalated"):
        escalate(make_case(escalated_at=OPENED), requester_id="U01AAA", now=LATER)
