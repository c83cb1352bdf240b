"""Priority changes follow the seed's paths; priority and severity map one to one."""

from __future__ import annotations

import pytest

from policy.priority import (
    Priority,
    priority_change_path,
    priority_for_severity,
    severity_for_priority,
)
from policy.severity import Severity


@pytest.mark.parametrize(
    ("current", "requested", "expected"),
    [
        ("low", "medium", "request it in a work note on the case"),
        ("low", "high", "contact Product Support"),
        ("medium", "high", "contact Product Support"),
        ("high", "critical", "call the phone line"),
        ("medium", "critical", "call the phone line"),
        ("high", "medium", "request it in a work note on the case"),
        ("medium", "low", "request it in a work note on the case"),
    ],
)
def test_priority_change_paths(current: str, requested: str, expected: str) -> None:
    assert priority_change_path(current=current, requested=requested) == expected


def test_same_priority_says_so() -> None:
    assert "already has high priority" in priority_change_path(current="high", requested="HIGH")


def test_unknown_priority_is_rejected() -> None:
    with pytest.raises(ValueError, match="priority must be one of"):
        priority_change_path(current="low", requested="urgent")


@pytest.mark.parametrize(
    ("priority", "severity"),
    [
        (Priority.CRITICAL, Severity.CRITICAL),
        (Priority.HIGH, Severity.HIGH),
        (Priority.MEDIUM, Severity.MEDIUM),
        (Priority.LOW, Severity.LOW),
    ],
)
def test_priority_and_severity_round_trip(priority: Priority, severity: Severity) -> None:
    assert severity_for_priority(priority) is severity
    assert priority_for_severity(severity) is priority
