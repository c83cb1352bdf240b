"""A case as the store would return it, and the real policy targets of a US organization."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from cases.entity import Case
from cases.operations import Change
from policy.case_targets import OrganizationTargets

OPENED = datetime(2026, 3, 3, 15, 0, tzinfo=UTC)  # a Tuesday, 10:00 in New York
NEW_YORK = ZoneInfo("America/New_York")


def make_case(**overrides: Any) -> Case:
    values: dict[str, Any] = {
        "number": "CS-1001",
        "org_short_name": "acme",
        "org_id": "org-1",
        "requester_id": "U01AAA",
        "requester_name": "Ana",
        "title": "Agents can't log in",
        "description": "Nobody at acme can log in since 9:00.",
        "business_impact": "No calls answered",
        "severity": 3,
        "priority": "medium",
        "status": "open",
        "conversation_id": None,
        "environment_changes": None,
        "troubleshooting": None,
        "created_at": OPENED,
        "updated_at": OPENED,
        "last_update_by": "customer",
        "last_update_at": OPENED,
        "acknowledged_at": None,
        "response_due_at": None,
        "restored_at": None,
        "platform_level": False,
        "origin_thread": None,
        "staff_thread": None,
        "assignee_id": None,
        "closed_at": None,
        "idempotency_key": "key-1",
    }
    values.update(overrides)
    return Case(**values)


def applied(case: Case, change: Change) -> Case:
    """What the store does with a change (minus the audit): the case with the new fields."""
    return replace(case, **change.fields, version=case.version + 1)


@pytest.fixture
def targets() -> OrganizationTargets:
    return OrganizationTargets.of(NEW_YORK)
