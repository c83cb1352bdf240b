"""The staff queue's order and words at the business-hour edges of Acme (Chicago, US holidays,
genesys-cloud profile: Severity 1 answered within 10 clock minutes, 2-4 within 2 business
hours), read at frozen times as the App Home reads it (`QueueReader.read()` takes the clock).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from bot.directory import load_directory
from bot.engine.queue import QueueFilter, QueueReader, StaffQueue
from bot.slack.queue_view import clock_line
from bot.store.factory import open_store
from policy.case_targets import OrganizationTargets
from tests.support.stores import make_draft

CHICAGO = ZoneInfo("America/Chicago")
DIRECTORY = load_directory()
ACME = DIRECTORY.organization("acme")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Any]:
    opened = open_store(data_dir=tmp_path / "data")
    yield opened
    opened.close()


def chicago(*args: int) -> datetime:
    return datetime(*args, tzinfo=CHICAGO)


def open_acme_case(store: Any, *, severity: int, opened: datetime, **fields: Any) -> str:
    """A case opened at `opened` with the due time the policy gives it."""
    assert ACME is not None
    targets = OrganizationTargets.of(
        CHICAGO, profile=ACME.support_profile, holidays=ACME.holiday_dates(opened.date())
    )
    draft = make_draft(
        title=f"Severity {severity} problem opened {opened:%a %H:%M}",
        severity=severity,
        response_due_at=targets.response_due(severity=severity, start=opened),
        **fields,
    )
    case, _ = store.cases.create_case(
        draft, idempotency_key=f"{severity}-{opened.isoformat()}", actor_id="U01AAA", now=opened
    )
    return str(case.number)


def read(store: Any) -> StaffQueue:
    reader = QueueReader(store=store, directory=DIRECTORY, zone_of=lambda _case: CHICAGO)
    return reader.read()


def lines(queue: StaffQueue) -> list[tuple[str, str]]:
    return [
        (e.case.number, clock_line(e.clock, viewer_tz=CHICAGO).split(" · ")[0])
        for e in queue.entries
    ]


def test_friday_1659_counts_the_minute_left_today_and_mondays_half_hour(store: Any) -> None:
    number = open_acme_case(
        store, severity=3, opened=chicago(2026, 11, 20, 15, 30)
    )  # due Mon 08:30
    with freeze_time(chicago(2026, 11, 20, 16, 59)):
        assert lines(read(store)) == [
            (number, ":hourglass: *Response due in 31 min* (business hours)")
        ]


def test_after_closing_the_clock_stands_still_over_the_weekend(store: Any) -> None:
    number = open_acme_case(store, severity=3, opened=chicago(2026, 11, 20, 15, 30))
    paused = (
        ":hourglass: *Response due in 30 min* (business hours, paused while the customer is closed)"
    )
    for moment in (chicago(2026, 11, 20, 17, 1), chicago(2026, 11, 22, 23, 59)):
        with freeze_time(moment):
            assert lines(read(store)) == [(number, paused)]


def test_a_severity_1_case_counts_clock_minutes_and_comes_first(store: Any) -> None:
    business = open_acme_case(store, severity=3, opened=chicago(2026, 11, 20, 15, 30))
    critical = open_acme_case(store, severity=1, opened=chicago(2026, 11, 20, 16, 55))  # due 17:05
    with freeze_time(chicago(2026, 11, 20, 17, 1)):
        queue = read(store)
    assert [entry.case.number for entry in queue.entries] == [critical, business]
    assert lines(queue)[0] == (critical, ":hourglass: *Response due in 4 min*")


def test_missed_cases_lead_and_count_only_business_time_since(store: Any) -> None:
    waiting = open_acme_case(store, severity=3, opened=chicago(2026, 11, 20, 15, 30))
    missed = open_acme_case(store, severity=2, opened=chicago(2026, 11, 19, 9, 0))  # due Thu 11:00
    with freeze_time(chicago(2026, 11, 20, 16, 59)):
        queue = read(store)
    # Thursday 11:00-17:00 and Friday 08:00-16:59 of open time since the target passed.
    assert lines(queue) == [
        (missed, ":rotating_light: *Response missed by 14 h 59 min* (business hours)"),
        (waiting, ":hourglass: *Response due in 31 min* (business hours)"),
    ]


def test_the_missed_filter_and_at_risk_filter_split_the_queue(store: Any) -> None:
    far = open_acme_case(store, severity=3, opened=chicago(2026, 11, 20, 9, 0))  # due 11:00
    near = open_acme_case(store, severity=3, opened=chicago(2026, 11, 20, 8, 30))  # due 10:30
    missed = open_acme_case(store, severity=2, opened=chicago(2026, 11, 19, 9, 0))
    with freeze_time(chicago(2026, 11, 20, 9, 45)):
        queue = read(store)
    assert [e.case.number for e in queue.shown(QueueFilter.MISSED, "U0STAFF1")] == [missed]
    assert [e.case.number for e in queue.shown(QueueFilter.AT_RISK, "U0STAFF1")] == [near]
    assert [e.case.number for e in queue.shown(QueueFilter.ALL, "U0STAFF1")] == [missed, near, far]


def test_an_hour_left_is_at_risk_and_a_minute_more_is_not(store: Any) -> None:
    number = open_acme_case(store, severity=3, opened=chicago(2026, 11, 20, 9, 0))  # due 11:00
    with freeze_time(chicago(2026, 11, 20, 10, 0)):
        assert [e.case.number for e in read(store).shown(QueueFilter.AT_RISK, "U0")] == [number]
    with freeze_time(chicago(2026, 11, 20, 9, 59)):
        assert read(store).shown(QueueFilter.AT_RISK, "U0") == []


def test_thanksgiving_is_not_counted(store: Any) -> None:
    # Opened Wednesday 25 Nov 16:00: one hour that day, the other on Friday (Thursday is a
    # US public holiday), so on Thanksgiving an hour is left and the clock stands still.
    number = open_acme_case(store, severity=3, opened=chicago(2026, 11, 25, 16, 0))
    with freeze_time(chicago(2026, 11, 26, 12, 0)):
        [entry] = read(store).entries
    assert entry.clock is not None and entry.clock.paused
    assert entry.clock.words() == "due in 1 h" and entry.case.number == number


def test_the_dst_weekend_keeps_business_time_whole(store: Any) -> None:
    # Opened Friday 30 Oct 16:00 CDT: one hour that day, one on Monday 2 Nov (CST).
    open_acme_case(store, severity=3, opened=chicago(2026, 10, 30, 16, 0))
    with freeze_time(datetime(2026, 11, 1, 7, 30, tzinfo=UTC)):  # Sunday, clocks just went back
        [entry] = read(store).entries
    assert entry.clock is not None and entry.clock.words() == "due in 1 h"
    assert entry.clock.due_at == chicago(2026, 11, 2, 9, 0)


def test_answered_cases_race_restoration_and_closed_ones_are_not_listed(store: Any) -> None:
    opened = chicago(2026, 11, 20, 9, 0)
    answered = open_acme_case(
        store,
        severity=1,
        opened=opened,
        platform_level=True,
        restoration_due_at=chicago(2026, 11, 20, 13, 0),  # 4 clock hours
    )
    store.cases.update_case(
        answered, actor_id="U0STAFF1", now=opened, changes={"acknowledged_at": opened}
    )
    closed = open_acme_case(store, severity=2, opened=chicago(2026, 11, 19, 9, 0))
    store.cases.update_case(closed, actor_id="U0STAFF1", now=opened, changes={"status": "closed"})
    with freeze_time(chicago(2026, 11, 20, 10, 30)):
        queue = read(store)
    assert lines(queue) == [(answered, ":clock3: *Restoration due in 2 h 30 min*")]
