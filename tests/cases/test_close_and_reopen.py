"""Closing stamps the closing time; reopening clears it (and any old escalation)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases.errors import NotAllowedNow
from cases.operations import close, reopen
from cases.vocabulary import UpdatedBy
from tests.cases.conftest import OPENED, applied, make_case

LATER = OPENED + timedelta(days=2)


def test_closing_stamps_the_time_and_who_closed() -> None:
    change = close(make_case(), actor_id="U01AAA", by=UpdatedBy.CUSTOMER, now=LATER, reason="x")
    assert change.fields["status"] == "closed"
    assert change.fields["closed_at"] == LATER


def test_a_closed_case_cannot_close_again() -> None:
    with pytest.raises(NotAllowedNow):
        close(make_case(status="closed"), actor_id="U1", by=UpdatedBy.SUPPORT, now=LATER, reason="")


def test_reopening_clears_the_closing_time() -> None:
    case = make_case()
    case = applied(case, close(case, actor_id="U1", by=UpdatedBy.SUPPORT, now=LATER, reason=""))
    change = reopen(case, staff_id="U0STAFF1", now=LATER + timedelta(hours=1))
    assert change.fields["status"] == "open"
    assert change.fields["closed_at"] is None


def test_an_open_case_cannot_reopen() -> None:
    with pytest.raises(NotAllowedNow, match="not closed"):
        reopen(make_case(), staff_id="U0STAFF1", now=LATER)
