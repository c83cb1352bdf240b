"""Propose resolution: the proposal is noted and the case waits for the customer's word."""

from __future__ import annotations

from datetime import timedelta

from cases.operations import propose_resolution
from tests.cases.conftest import OPENED, make_case

LATER = OPENED + timedelta(hours=3)


def test_the_proposal_is_noted_and_the_status_set() -> None:
    change = propose_resolution(
        make_case(), staff_id="U0STAFF1", proposal="Service restored", now=LATER
    )
    assert change.fields["status"] == "resolution_proposed"
    assert change.fields["notes"][-1].kind == "proposal"
