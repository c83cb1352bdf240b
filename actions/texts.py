"""Small formatting helpers shared by the actions: severities, times, people, case lines."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from policy.calendar import local_time
from policy.severity import Severity, severity_label

__all__ = ["local_time"]  # shown by every action; defined beside the calendar rules

ROLE_LABELS = {
    "designated_primary": "primary designated contact",
    "designated_backup": "backup designated contact",
    "member": "employee",
    "staff": "support staff",
}

STATUS_LABELS = {
    "open": "Open",
    "waiting_on_customer": "Waiting on you",
    "resolution_proposed": "Resolution proposed",
    "closed": "Closed",
}


def severity_text(value: int | str | None) -> str:
    """ "Severity 3 – Medium" as the policy names the level ("not set" for None); ValueError
    for a level the policy doesn't have. Slack's cards show it too (bot.slack.blocks)."""
    if value is None:
        return "not set"
    severity = Severity(int(value))
    return f"Severity {int(severity)} – {severity_label(severity)}"


def joined(parts: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + " and " + parts[-1]


def people_list(people: list[Any]) -> str:
    """ "Ann (primary) and Bo (backup)" from PersonView-like records."""
    return joined(
        [f"{p.name} ({'primary' if p.role == 'designated_primary' else 'backup'})" for p in people]
    )


def case_line(case: Any, tz: ZoneInfo) -> str:
    status = STATUS_LABELS.get(case.status, case.status)
    updated = local_time(case.last_update_at, tz)
    return (
        f"{case.number} · {severity_text(case.severity)} · {status} · {case.title} "
        f"(last update {updated})"
    )


def optional_details(record: Any) -> list[tuple[str, str]]:
    """(label, text) of the details a case or draft may carry, in the order people see them:
    the summary, the staff handoff and the staff card all show these."""
    details = [
        ("Conversation ID", record.conversation_id),
        ("Already tried", record.troubleshooting),
        ("Recent changes", record.environment_changes),
    ]
    return [(label, str(text)) for label, text in details if text]
