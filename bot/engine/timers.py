"""Firing the deadlines cases set (see actions/followups.py): reminders, missed targets and
closures.

A transport calls `Engine.run_timers()` now and then (the Slack adapter on a schedule, the
terminal chat before each message). Each due timer is claimed first, so with several replicas
exactly one of them acts on it.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from actions.followups import (
    INACTIVITY_CLOSE,
    INACTIVITY_NOTICE,
    MISSED_TARGETS,
    RESOLUTION_CLOSE,
    RESPONSE_REMINDER,
    is_stale,
)
from actions.ports import organization_targets
from actions.runtime import bound
from actions.texts import local_time, severity_text
from bot.engine.desk_port import DeskPort
from bot.messages import Audience, Outbound, outbound_to_dict
from bot.metrics import Metrics
from bot.store.errors import VersionConflict
from bot.store.models import change_id
from cases import operations as ops
from cases.errors import CaseError
from cases.vocabulary import UpdatedBy

SYSTEM_ACTOR = "supportbot"


class TimerDesk:
    def __init__(self, *, port: DeskPort, metrics: Metrics | None = None) -> None:
        self.port = port
        self.metrics = metrics or Metrics()

    def run_due(self, now: datetime | None = None) -> list[Outbound]:
        moment = now or self.port.clock()
        with bound(self.port.services):
            return self._run_due(moment)

    def _run_due(self, moment: datetime) -> list[Outbound]:
        store = self.port.store
        out: list[Outbound] = []
        for timer in store.timers.due(moment):
            if not store.timers.claim(timer.timer_id):
                continue  # another replica took it
            case = store.cases.get_case(str(timer.payload.get("case_number", "")))
            if is_stale(case, timer.payload):
                continue
            out += self._fire(str(timer.payload.get("kind")), case, moment)
            self.metrics.deadline_unmet(str(timer.payload.get("kind")))  # not stale: unmet
        return out

    def _fire(self, kind: str, case: Any, now: datetime) -> list[Outbound]:
        if kind in MISSED_TARGETS:
            return self._missed(MISSED_TARGETS[kind][0], case, now)
        tz = self.port.case_zone(case)
        if kind == RESPONSE_REMINDER:
            return [
                Outbound(
                    audience=Audience.STAFF,
                    text=(
                        f"Reminder: {case.number} ({severity_text(case.severity)}, "
                        f"{case.org_short_name}) has no human response yet; the initial response "
                        f"is due {local_time(case.response_due_at, tz)} (customer's time)."
                    ),
                    kind="response_reminder",
                    recipients=(self.port.directory.staff_channel,),
                    case_number=case.number,
                )
            ]
        if kind == INACTIVITY_NOTICE:
            # The same instant the closure timer was set for (actions/followups.py).
            targets = organization_targets(case.org_short_name, tz=tz, around=now)
            close_at = targets.inactivity_closure(waiting_since=case.last_update_at).close_at
            return [
                self._to_requester(
                    case,
                    f"Support is still waiting for your answer on {case.number}. Without a "
                    f"reply, the case will be closed at {local_time(close_at, tz)} (your time).",
                    "closure_notice",
                )
            ]
        if kind in (INACTIVITY_CLOSE, RESOLUTION_CLOSE):
            change = ops.close(
                case, actor_id=SYSTEM_ACTOR, by=UpdatedBy.SUPPORT, now=now, reason=kind
            )
            self._store_change(case, change, now=now, action=kind)
            why = (
                "the proposed resolution had no reported issues for three business days"
                if kind == RESOLUTION_CLOSE
                else "support's question went unanswered for three business days"
            )
            return [
                self._to_requester(
                    case,
                    f"{case.number} was closed because {why}. If the problem is back, tell me "
                    "and I'll help you open a new case.",
                    "case_auto_closed",
                ),
                Outbound(
                    audience=Audience.STAFF,
                    text=f"{case.number} closed automatically: {why}.",
                    kind="staff_case_auto_closed",
                    recipients=(self.port.directory.staff_channel,),
                    case_number=case.number,
                ),
            ]
        return []

    def _store_change(
        self,
        case: Any,
        change: ops.Change,
        *,
        now: datetime,
        action: str | None = None,
        owed: list[dict[str, Any]] | None = None,
    ) -> None:
        """Record the timer's change as the system's, on the case as it was read."""
        self.port.store.cases.update_case(
            case.number,
            actor_id=SYSTEM_ACTOR,
            now=now,
            changes=dict(change.fields),
            expected_version=case.version,
            action=action or change.action,
            owed=owed or [],
        )

    def _missed(self, target: str, case: Any, now: datetime) -> list[Outbound]:
        """Record the missed target on the case and tell the staff channel, once: the notice
        is written with the change (the store's outbox), and a miss already recorded (by a
        late answer, or another replica) refuses to be recorded again."""
        for _attempt in range(2):
            try:
                change = ops.record_missed_target(
                    case, target=target, actor_id=SYSTEM_ACTOR, now=now
                )
            except CaseError:
                return []
            notice = self._missed_notice(target, case)
            try:
                self._store_change(case, change, now=now, owed=[outbound_to_dict(notice)])
            except VersionConflict:  # the case moved meanwhile: decide again on what it is now
                case = self.port.store.cases.get_case(case.number)
                if case is None:
                    return []
                continue
            self.metrics.target_missed(target, case.severity)
            return [notice]
        return []

    def _missed_notice(self, target: str, case: Any) -> Outbound:
        tz = self.port.case_zone(case)
        if target == "response":
            due = local_time(case.response_due_at, tz)
            what = f"missed its initial response target (due {due}, customer's time)"
            who = "nobody has taken it yet" if case.assignee_id is None else "no one has answered"
        else:
            due = local_time(case.restoration_due_at, tz)
            what = f"missed its restoration target (due {due}, customer's time)"
            who = "service is not restored yet"
        return Outbound(
            audience=Audience.STAFF,
            text=f"{case.number} ({severity_text(case.severity)}, {case.org_short_name}) "
            f"{what}; {who}.",
            kind="staff_target_missed",
            recipients=(self.port.directory.staff_channel,),
            case_number=case.number,
            data={"outbox_id": change_id(case.number, case.version + 1), "target": target},
        )

    def _to_requester(self, case: Any, text: str, kind: str) -> Outbound:
        outbound = Outbound(
            audience=Audience.REQUESTER,
            text=text,
            kind=kind,
            recipients=(case.requester_id,),
            case_number=case.number,
            data={"conversation_key": case.origin_thread},
        )
        if case.origin_thread:
            self.port.append_bot_messages(case.origin_thread, [outbound])
        return outbound
