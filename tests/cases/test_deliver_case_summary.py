"""A case summary is a note on the case's timeline."""

from __future__ import annotations

from datetime import timedelta

from cases.operations import EventKind, deliver_case_summary
from tests.cases.conftest import OPENED, make_case


def test_the_summary_is_noted() -> None:
    change = deliver_case_summary(
        make_case(restored_at=OPENED),
        staff_id="U0STAFF1",
        text="A certificate expired; renewed.",
        now=OPENED + timedelta(days=1),
    )
    assert change.fields["notes"][-1].kind == "case_summary"
    assert change.events[0].kind is EventKind.SUMMARY_DELIVERED
