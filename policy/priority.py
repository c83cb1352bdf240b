"""Customer-designated priority, its link to severity, and how a priority change is asked for.

Seed 003: a change to medium is requested in the case's work notes, a change to high by
contacting Product Support; Critical is raised by telephone.
"""

from __future__ import annotations

from cases.vocabulary import Priority
from policy.severity import Severity

__all__ = ["Priority", "as_priority", "priority_change_path", "priority_for_severity"]

_PRIORITY_TO_SEVERITY: dict[Priority, Severity] = {
    Priority.CRITICAL: Severity.CRITICAL,
    Priority.HIGH: Severity.HIGH,
    Priority.MEDIUM: Severity.MEDIUM,
    Priority.LOW: Severity.LOW,
}
_SEVERITY_TO_PRIORITY = {severity: priority for priority, severity in _PRIORITY_TO_SEVERITY.items()}

WORK_NOTE_PATH = "request it in a work note on the case"
PRODUCT_SUPPORT_PATH = "contact Product Support"
PHONE_PATH = "call the phone line"


def as_priority(value: str | Priority) -> Priority:
    try:
        return Priority(str(value).strip().lower())
    except ValueError:
        allowed = ", ".join(str(priority) for priority in Priority)
        raise ValueError(f"priority must be one of {allowed}, got {value!r}") from None


def severity_for_priority(priority: str | Priority) -> Severity:
    """The severity a priority suggests; support decides the final severity with the customer."""
    return _PRIORITY_TO_SEVERITY[as_priority(priority)]


def priority_for_severity(severity: int | Severity) -> Priority:
    return _SEVERITY_TO_PRIORITY[Severity(int(severity))]


def priority_change_path(*, current: str | Priority, requested: str | Priority) -> str:
    """What the designated contact does to get the requested priority."""
    now = as_priority(current)
    wanted = as_priority(requested)
    if now is wanted:
        return f"the case already has {wanted} priority"
    if wanted is Priority.CRITICAL:
        return PHONE_PATH
    if wanted is Priority.HIGH:
        return PRODUCT_SUPPORT_PATH
    return WORK_NOTE_PATH
