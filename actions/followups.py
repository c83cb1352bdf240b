"""Deadlines a case sets for later: response reminders and closure notices, as store timers.

Each timer remembers the case's `last_update_at` when it was set; when it fires, a case that
moved on since then (a reply, a new update) makes the timer stale and it does nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from cases.entity import utc
from policy.case_targets import OrganizationTargets

RESPONSE_REMINDER_LEAD = timedelta(minutes=30)

RESPONSE_REMINDER = "response_reminder"
INACTIVITY_NOTICE = "inactivity_notice"
INACTIVITY_CLOSE = "inactivity_close"
RESOLUTION_CLOSE = "resolution_close"


def _schedule(store: Any, kind: str, case: Any, due_at: datetime) -> None:
    store.timers.schedule(
        f"{kind}:{case.number}",
        due_at=due_at,
        payload={
            "kind": kind,
            "case_number": case.number,
            "since": utc(case.last_update_at).isoformat(),
        },
    )


def schedule_response_reminder(store: Any, case: Any, *, now: datetime) -> None:
    """Remind staff shortly before the initial response target is missed."""
    if case.response_due_at is None:
        return
    _schedule(
        store, RESPONSE_REMINDER, case, max(now, case.response_due_at - RESPONSE_REMINDER_LEAD)
    )


def schedule_waiting_on_customer(
    store: Any, case: Any, *, targets: OrganizationTargets
) -> datetime:
    """Notice, then closure, when the customer does not answer; returns the closure time."""
    plan = targets.inactivity_closure(waiting_since=case.last_update_at)
    _schedule(store, INACTIVITY_NOTICE, case, plan.notice_at)
    _schedule(store, INACTIVITY_CLOSE, case, plan.close_at)
    return plan.close_at


def schedule_resolution_close(store: Any, case: Any, *, targets: OrganizationTargets) -> datetime:
    """Resolution Proposed with no reported issues closes at the end of the third business day."""
    close_at = targets.resolution_close_at(proposed_at=case.last_update_at)
    _schedule(store, RESOLUTION_CLOSE, case, close_at)
    return close_at


def is_stale(case: Any, payload: dict[str, Any]) -> bool:
    if case is None or not case.is_active:
        return True
    kind = payload.get("kind")
    if kind == RESPONSE_REMINDER:
        return case.acknowledged_at is not None
    waiting_for = "resolution_proposed" if kind == RESOLUTION_CLOSE else "waiting_on_customer"
    if case.status != waiting_for:
        return True
    return utc(case.last_update_at).isoformat() != payload.get("since")
