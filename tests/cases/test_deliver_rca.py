"""The RCA goes into a restored Severity 1 platform-level case, and nowhere else."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases.errors import NotAllowedNow
from cases.operations import deliver_rca
from tests.cases.conftest import OPENED, make_case

LATER = OPENED + timedelta(days=3)


def test_the_rca_is_a_note_with_its_delivery_time() -> None:
    case = make_case(severity=1, platform_level=True, restored_at=OPENED)
    change = deliver_rca(case, staff_id="U0STAFF1", text="Root cause: a bad deploy", now=LATER)
    assert change.fields["rca_delivered_at"] == LATER
    assert change.fields["notes"][-1].kind == "rca"


def test_no_rca_before_restoration() -> None:
    with pytest.raises(NotAllowedNow, match="isn't recorded as restored"):
        deliver_rca(
            make_case(severity=1, platform_level=True), staff_id="U0STAFF1", text="x", now=LATER
        )


def test_an_isolated_incident_gets_a_summary_instead() -> None:
    case = make_case(severity=1, platform_level=False, restored_at=OPENED)
    with pytest.raises(NotAllowedNow, match="case summary"):
        deliver_rca(case, staff_id="U0STAFF1", text="x", now=LATER)
