"""Restoration is recorded once, with whether it was platform-level."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases.errors import NotAllowedNow
from cases.operations import record_restoration
from tests.cases.conftest import OPENED, make_case

LATER = OPENED + timedelta(hours=2)


def test_restoration_records_the_time_and_the_scope() -> None:
    change = record_restoration(make_case(), platform_level=True, staff_id="U0STAFF1", now=LATER)
    assert change.fields["restored_at"] == LATER
    assert change.fields["platform_level"] is True


def test_a_second_restoration_is_refused() -> None:
    with pytest.raises(NotAllowedNow, match="already recorded as restored"):
        record_restoration(
            make_case(restored_at=OPENED), platform_level=False, staff_id="U0STAFF1", now=LATER
        )
