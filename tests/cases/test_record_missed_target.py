"""A missed target is recorded once, only once it has passed and only while unmet."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases import operations as ops
from cases.errors import NotAllowedNow
from tests.cases.conftest import OPENED, applied, make_case

DUE = OPENED + timedelta(hours=2)


def test_a_passed_response_target_is_recorded_without_touching_the_last_update() -> None:
    case = make_case(response_due_at=DUE)
    change = ops.record_missed_target(case, target="response", actor_id="bot", now=DUE)
    assert change.action == "response_target_missed"
    assert dict(change.fields) == {"response_missed_at": DUE}


def test_a_target_not_yet_due_is_not_missed() -> None:
    case = make_case(response_due_at=DUE)
    with pytest.raises(NotAllowedNow, match="not due yet"):
        ops.record_missed_target(
            case, target="response", actor_id="bot", now=DUE - timedelta(seconds=1)
        )


def test_a_met_target_is_not_missed() -> None:
    case = make_case(response_due_at=DUE, acknowledged_at=DUE - timedelta(minutes=5))
    with pytest.raises(NotAllowedNow, match="met its response target"):
        ops.record_missed_target(case, target="response", actor_id="bot", now=DUE)


def test_a_miss_is_recorded_once() -> None:
    case = make_case(response_due_at=DUE)
    missed = applied(case, ops.record_missed_target(case, target="response", actor_id="b", now=DUE))
    with pytest.raises(NotAllowedNow, match="already missed"):
        ops.record_missed_target(missed, target="response", actor_id="bot", now=DUE)


def test_a_late_take_records_the_minutes_and_the_miss() -> None:
    case = make_case(response_due_at=DUE)
    take = ops.acknowledge(case, staff_id="U0STAFF1", now=DUE + timedelta(minutes=70))
    late = ops.with_late_response(take, case, minutes_late=70)
    assert late.fields["response_late_minutes"] == 70
    assert late.fields["response_missed_at"] == DUE


def test_a_take_in_time_is_left_as_it_is() -> None:
    case = make_case(response_due_at=DUE)
    take = ops.acknowledge(case, staff_id="U0STAFF1", now=DUE)
    assert ops.with_late_response(take, case, minutes_late=0) is take
