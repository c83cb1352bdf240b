"""Employee reports handed to designated contacts, kept so a contact can open the case in one
click ("Open this case") or by typing "open report R-1A2B3C" in the terminal.

A report is kept in the conversation store under its own key (`report:R-…`), so it survives
restarts and every replica sees it; nothing new to run or migrate.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from actions.ports import PersonView
from actions.replies import button
from actions.runtime import current

REPORT_KEY_PREFIX = "report:"


@dataclass(frozen=True)
class Report:
    reference: str
    text: str
    reporter_id: str
    reporter_name: str
    org_short_name: str


def keep_report(person: PersonView, text: str, *, now: datetime) -> Report:
    """Store an employee's report; its reference is short enough to type."""
    digest = hashlib.sha256(f"{person.slack_id}|{now.isoformat()}|{text}".encode()).hexdigest()
    report = Report(
        reference=f"R-{digest[:6].upper()}",
        text=text,
        reporter_id=person.slack_id,
        reporter_name=person.name,
        org_short_name=person.org_short_name or "",
    )
    event = {"event": "report", **vars(report)}
    current().store.trackers.append(REPORT_KEY_PREFIX + report.reference, [event])
    return report


def find_report(reference: str) -> Report | None:
    events = current().store.trackers.load(REPORT_KEY_PREFIX + reference.strip().upper())
    for event in events:
        if event.get("event") == "report":
            fields = {key: str(event.get(key) or "") for key in Report.__dataclass_fields__}
            return Report(**fields)
    return None


def open_report_button(report: Report) -> dict[str, str]:
    return button(
        "open_reported", "Open this case", f'/open_report{{"report": "{report.reference}"}}'
    )
