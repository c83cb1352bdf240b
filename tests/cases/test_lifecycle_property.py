"""No sequence of operations reaches a state the status table forbids, or a state that
contradicts itself (a closed case without a closing time, an open one with one)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from cases import operations as ops
from cases.entity import Case
from cases.errors import CaseError
from cases.transitions import allowed
from cases.vocabulary import NoteKind, Priority, UpdatedBy
from policy.case_targets import OrganizationTargets
from tests.cases.conftest import NEW_YORK, OPENED, applied, make_case

TARGETS = OrganizationTargets.of(NEW_YORK)
Operation = Callable[[Case, Any], ops.Change]

OPERATIONS: dict[str, Operation] = {
    "take": lambda case, now: ops.acknowledge(case, staff_id="S", now=now),
    "info": lambda case, now: ops.request_info(case, staff_id="S", question="why?", now=now),
    "update": lambda case, now: ops.add_note(
        case, author_id="C", kind=NoteKind.CUSTOMER_UPDATE, text="more", now=now
    ),
    "reply": lambda case, now: ops.add_note(
        case, author_id="S", kind=NoteKind.STAFF_REPLY, text="ok", now=now
    ),
    "propose": lambda case, now: ops.propose_resolution(case, staff_id="S", proposal="p", now=now),
    "raise": lambda case, now: ops.change_severity(
        case, severity=max(1, case.severity - 1), staff_id="S", now=now, targets=TARGETS
    ),
    "lower": lambda case, now: ops.change_severity(
        case, severity=min(4, case.severity + 1), staff_id="S", now=now, targets=TARGETS
    ),
    "ask high": lambda case, now: ops.request_priority(
        case, priority=Priority.HIGH, requester_id="C", now=now
    ),
    "set low": lambda case, now: ops.change_priority(
        case, priority=Priority.LOW, staff_id="S", now=now
    ),
    "decline": lambda case, now: ops.decline_priority_request(case, staff_id="S", now=now),
    "restored": lambda case, now: ops.record_restoration(
        case, platform_level=True, staff_id="S", now=now
    ),
    "rca": lambda case, now: ops.deliver_rca(case, staff_id="S", text="rca", now=now),
    "summary": lambda case, now: ops.deliver_case_summary(case, staff_id="S", text="s", now=now),
    "escalate": lambda case, now: ops.escalate(case, requester_id="C", now=now),
    "close": lambda case, now: ops.close(
        case, actor_id="C", by=UpdatedBy.CUSTOMER, now=now, reason="r"
    ),
    "reopen": lambda case, now: ops.reopen(case, staff_id="S", now=now),
}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(sorted(OPERATIONS)), max_size=25), st.integers(1, 4))
def test_no_sequence_of_operations_breaks_the_lifecycle(names: list[str], severity: int) -> None:
    case = make_case(severity=severity)
    now = OPENED
    for name in names:
        now += timedelta(minutes=37)
        try:
            change = OPERATIONS[name](case, now)
        except CaseError:
            continue  # refused: the case is unchanged
        after = applied(case, change)
        assert allowed(case.status, after.status), (name, case.status, after.status)
        assert (after.status == "closed") == (after.closed_at is not None)
        assert after.priority in {priority.value for priority in Priority}
        if case.acknowledged_at is not None:
            assert after.acknowledged_at == case.acknowledged_at  # never un-acknowledged
        assert len(after.notes) >= len(case.notes)  # the timeline only grows
        case = after
