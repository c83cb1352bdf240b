"""Request info: the case waits for the customer and the question is on its timeline."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases.errors import NotAllowedNow
from cases.operations import request_info
from tests.cases.conftest import OPENED, make_case

LATER = OPENED + timedelta(hours=1)


def test_the_case_waits_for_the_customer_with_the_question_noted() -> None:
    change = request_info(make_case(), staff_id="U0STAFF1", question="Which site?", now=LATER)
    assert change.fields["status"] == "waiting_on_customer"
    (note,) = change.fields["notes"]
    assert (note.kind, note.author_id, note.text) == ("staff_question", "U0STAFF1", "Which site?")


def test_asking_is_support_speaking() -> None:
    change = request_info(make_case(), staff_id="U0STAFF1", question="Which site?", now=LATER)
    assert change.fields["last_update_by"] == "support"
    assert change.fields["acknowledged_at"] == LATER


def test_an_empty_question_is_refused() -> None:
    with pytest.raises(NotAllowedNow, match="empty"):
        request_info(make_case(), staff_id="U0STAFF1", question="   ", now=LATER)
