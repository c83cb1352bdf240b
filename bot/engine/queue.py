"""The staff queue: every open case, by the time left to its next target.

Read from the store's index of active cases, so closed cases are never read however many
there are. Each case's clock is counted by its organization's policy (profile, business
hours, holidays, zone), so a business-hours target stands still while the customer is closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.directory.models import Directory
from bot.store.base import Store
from cases.clocks import TargetClock, next_target
from cases.entity import Case
from cases.vocabulary import ACTIVE_STATUS_VALUES
from policy.case_targets import OrganizationTargets

QUEUE_PAGE = 200  # active cases read per store round trip
QUEUE_SCAN_LIMIT = 2000  # active cases read per refresh; the view says when there are more


class QueueFilter(StrEnum):
    ALL = "all"
    MINE = "mine"
    UNASSIGNED = "unassigned"
    AT_RISK = "at_risk"
    MISSED = "missed"


FILTER_LABELS = {
    QueueFilter.ALL: "All",
    QueueFilter.MINE: "Mine",
    QueueFilter.UNASSIGNED: "Unassigned",
    QueueFilter.AT_RISK: "At risk",
    QueueFilter.MISSED: "Missed",
}


def as_filter(value: object) -> QueueFilter:
    """A stored or pressed filter name; anything unknown shows everything."""
    try:
        return QueueFilter(str(value))
    except ValueError:
        return QueueFilter.ALL


@dataclass(frozen=True)
class QueueEntry:
    case: Case
    clock: TargetClock | None  # None: no target runs (both met, or none set)
    tz: ZoneInfo  # the customer's zone, the one the case's targets are counted in

    def matches(self, chosen: QueueFilter, viewer_id: str) -> bool:
        if chosen is QueueFilter.MINE:
            return self.case.assignee_id == viewer_id
        if chosen is QueueFilter.UNASSIGNED:
            return self.case.assignee_id is None
        if chosen is QueueFilter.AT_RISK:
            return self.clock is not None and self.clock.at_risk
        if chosen is QueueFilter.MISSED:
            return self.clock is not None and self.clock.missed
        return True


def _order(entry: QueueEntry) -> tuple[int, float, float]:
    """Missed first (longest missed on top), then the least time left; cases with no running
    target last, most recently updated first."""
    clock = entry.clock
    if clock is None:
        return (2, -entry.case.last_update_at.timestamp(), 0.0)
    group = 0 if clock.missed else 1
    return (group, clock.left.total_seconds(), clock.due_at.timestamp())


@dataclass(frozen=True)
class StaffQueue:
    entries: tuple[QueueEntry, ...]  # every open case read, in queue order
    complete: bool  # False when more than QUEUE_SCAN_LIMIT open cases exist
    read_at: datetime

    def shown(self, chosen: QueueFilter, viewer_id: str) -> list[QueueEntry]:
        return [entry for entry in self.entries if entry.matches(chosen, viewer_id)]

    def counts(self, viewer_id: str) -> dict[QueueFilter, int]:
        return {f: len(self.shown(f, viewer_id)) for f in QueueFilter}


class QueueReader:
    """Reads the queue; one per process (it keeps nothing between reads but the directory)."""

    def __init__(
        self, *, store: Store, directory: Directory, zone_of: Callable[[Case], ZoneInfo]
    ) -> None:
        self.store = store
        self.directory = directory
        self.zone_of = zone_of

    def read(self, now: datetime | None = None) -> StaffQueue:
        """The queue at `now` (default: the current time)."""
        now = now or datetime.now(UTC)
        policies: dict[tuple[str, str], OrganizationTargets] = {}
        entries = sorted((self.entry(c, now, policies) for c in self._open_cases()), key=_order)
        return StaffQueue(
            entries=tuple(entries), complete=len(entries) < QUEUE_SCAN_LIMIT, read_at=now
        )

    def entry(
        self,
        case: Case,
        now: datetime,
        policies: dict[tuple[str, str], OrganizationTargets] | None = None,
    ) -> QueueEntry:
        """One case's place in the queue; `policies` caches each organization's policy."""
        known = {} if policies is None else policies
        tz = self.zone_of(case)
        key = (case.org_short_name, tz.key)
        if key not in known:
            known[key] = self._targets(case.org_short_name, tz, now.date())
        return QueueEntry(case=case, clock=next_target(case, now=now, clocks=known[key]), tz=tz)

    def _open_cases(self) -> list[Case]:
        found: list[Case] = []
        after: str | None = None
        while len(found) < QUEUE_SCAN_LIMIT:
            page = self.store.cases.list_cases(
                statuses=ACTIVE_STATUS_VALUES,
                newest_first=True,
                after=after,
                limit=min(QUEUE_PAGE, QUEUE_SCAN_LIMIT - len(found)),
            )
            found += page
            if len(page) < QUEUE_PAGE:
                break
            after = page[-1].number
        return found

    def _targets(self, org_short_name: str, tz: ZoneInfo, around: date) -> OrganizationTargets:
        org = self.directory.organization(org_short_name)
        if org is None:
            return OrganizationTargets.of(tz)
        return OrganizationTargets.of(
            tz, profile=org.support_profile, holidays=org.holiday_dates(around)
        )
