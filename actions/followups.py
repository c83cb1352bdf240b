"""Deadlines a case sets for later: response reminders, missed targets and closure notices,
as store timers.

Each timer remembers the case's `last_update_at` when it was set; when it fires, a case that
moved on since then (a reply, a new update) makes the timer stale and it does nothing. A
missed-target timer remembers the due time instead: a new severity moves the target, and the
timer set for the old one does nothing.
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
RESPONSE_MISSED = "response_missed"
RESTORATION_MISSED = "restoration_missed"
# Each missed-target timer: the target it watches and the case fields it reads.
MISSED_TARGETS = {
    RESPONSE_MISSED: ("response", "response_due_at", "acknowledged_at", "response_missed_at"),
    RESTORATION_MISSED: (
        "restoration",
        "restoration_due_at",
        "restored_at",
        "restoration_missed_at",
    ),
}


# Timers to set, as the store takes them: {timer ID: (due at, payload)}.
_Timers = dict[str, tuple[datetime, dict[str, Any]]]


def _timer(kind: str, case: Any, due_at: datetime, **extra: str) -> _Timers:
    payload = {
        "kind": kind,
        "case_number": case.number,
        "since": utc(case.last_update_at).isoformat(),
        **extra,
    }
    return {f"{kind}:{case.number}": (due_at, payload)}


def _schedule(store: Any, kind: str, case: Any, due_at: datetime) -> None:
    store.timers.schedule_all(_timer(kind, case, due_at))


def _response_reminder(case: Any, *, now: datetime) -> _Timers:
    """Remind staff shortly before the initial response target is missed."""
    if case.response_due_at is None or case.acknowledged_at is not None:
        return {}
    return _timer(RESPONSE_REMINDER, case, max(now, case.response_due_at - RESPONSE_REMINDER_LEAD))


def schedule_target_clocks(store: Any, case: Any, *, now: datetime) -> None:
    """The response reminder and a timer at each due time the case still races, so a missed
    target is recorded and told the moment it passes; set in one step, and again whenever
    the due times move."""
    timers = _response_reminder(case, now=now)
    for kind, (_target, due_field, met_field, _missed) in MISSED_TARGETS.items():
        due = getattr(case, due_field)
        if due is not None and getattr(case, met_field) is None:
            timers |= _timer(kind, case, due, due=utc(due).isoformat())
    if timers:
        store.timers.schedule_all(timers)


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
    if kind in MISSED_TARGETS:
        _target, due_field, met_field, missed_field = MISSED_TARGETS[str(kind)]
        due = getattr(case, due_field)
        return (
            due is None
            or getattr(case, met_field) is not None
            or getattr(case, missed_field) is not None
            or utc(due).isoformat() != payload.get("due")
        )
    waiting_for = "resolution_proposed" if kind == RESOLUTION_CLOSE else "waiting_on_customer"
    if case.status != waiting_for:
        return True
    return utc(case.last_update_at).isoformat() != payload.get("since")
