"""The status table: what a case may become from each status."""

from __future__ import annotations

import pytest

from cases.errors import InvalidTransition
from cases.transitions import ALLOWED, allowed, check_transition
from cases.vocabulary import CaseStatus


def test_every_status_has_a_row() -> None:
    assert set(ALLOWED) == set(CaseStatus)


def test_a_closed_case_only_reopens() -> None:
    assert ALLOWED[CaseStatus.CLOSED] == {CaseStatus.OPEN}


@pytest.mark.parametrize("status", [s for s in CaseStatus if s is not CaseStatus.CLOSED])
def test_every_active_case_can_close(status: CaseStatus) -> None:
    assert allowed(status, CaseStatus.CLOSED)


def test_staying_in_the_same_status_is_allowed() -> None:
    assert allowed("closed", "closed")


def test_a_forbidden_change_is_refused_in_words() -> None:
    with pytest.raises(InvalidTransition, match="closed can't become resolution proposed"):
        check_transition("closed", "resolution_proposed")
