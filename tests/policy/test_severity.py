"""Severity definitions and the impact x workaround matrix, read from the policy data."""

from __future__ import annotations

import pytest

from policy import severity as severity_module
from policy.severity import Impact, Severity, Workaround, suggest_severity


@pytest.mark.parametrize(
    ("impact", "workaround", "expected"),
    [
        (Impact.BLOCKED, Workaround.NO, Severity.CRITICAL),
        (Impact.BLOCKED, Workaround.UNKNOWN, Severity.CRITICAL),
        (Impact.BLOCKED, Workaround.PARTIAL, Severity.HIGH),
        (Impact.BLOCKED, Workaround.YES, Severity.MEDIUM),
        (Impact.DEGRADED, Workaround.PARTIAL, Severity.HIGH),
        (Impact.DEGRADED, Workaround.NO, Severity.HIGH),
        (Impact.DEGRADED, Workaround.UNKNOWN, Severity.HIGH),
        (Impact.DEGRADED, Workaround.YES, Severity.MEDIUM),
        (Impact.MINOR, Workaround.NO, Severity.MEDIUM),
        (Impact.MINOR, Workaround.YES, Severity.MEDIUM),
        (Impact.TRIVIAL, Workaround.NO, Severity.LOW),
        (Impact.TRIVIAL, Workaround.UNKNOWN, Severity.LOW),
        (Impact.REQUEST, Workaround.NO, Severity.LOW),
        (Impact.REQUEST, Workaround.YES, Severity.LOW),
    ],
)
def test_matrix_suggests_the_seed_severity(impact, workaround, expected) -> None:
    assert suggest_severity(impact, workaround).severity is expected


def test_critical_reasons_explain_blocked_and_no_workaround() -> None:
    reasons = suggest_severity(Impact.BLOCKED, Workaround.NO).reasons
    assert "a critical business function cannot be performed" in reasons
    assert "there is no workaround" in reasons


def test_unknown_workaround_says_what_would_lower_it() -> None:
    reasons = suggest_severity(Impact.BLOCKED, Workaround.UNKNOWN).reasons
    assert any("would be High or Medium" in reason for reason in reasons)


def test_labels_and_definitions_come_from_the_data_file() -> None:
    assert severity_module.severity_label(Severity.CRITICAL) == "Critical (Code Red)"
    assert severity_module.SEVERITY_LABELS[Severity.LOW] == "Low"
    assert "no workaround" in severity_module.SEVERITY_DEFINITIONS[Severity.CRITICAL]
    assert "workaround is available" in severity_module.SEVERITY_DEFINITIONS[Severity.MEDIUM]


def test_unknown_module_attribute_still_raises() -> None:
    with pytest.raises(AttributeError):
        _ = severity_module.NOT_A_NAME
