"""Opening: a confirmed draft becomes an open case the customer spoke on last."""

from __future__ import annotations

from cases.entity import CaseDraft
from cases.operations import open_case
from tests.cases.conftest import OPENED


def test_a_draft_opens_with_its_due_times_and_no_notes() -> None:
    draft = CaseDraft(
        org_short_name="acme",
        org_id="org-1",
        requester_id="U01AAA",
        requester_name="Ana",
        title="Agents can't log in",
        description="Nobody can log in.",
        business_impact="No calls answered",
        severity=1,
        priority="critical",
        restoration_due_at=OPENED,
    )
    case = open_case(draft=draft, number="CS-1001", idempotency_key="k", now=OPENED)
    assert (case.status, case.last_update_by, case.version) == ("open", "customer", 1)
    assert case.restoration_due_at == OPENED and case.notes == ()
