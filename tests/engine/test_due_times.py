"""The response due time a requester is told, in their organization's local time, at the edges."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from freezegun import freeze_time

from bot.directory import load_directory
from bot.engine import Engine
from tests.engine.conftest import Conversation, Parse, by_kind

REPORT = (
    "Wallboard totals for the billing queue are wrong since Monday, the team leads "
    "now count the waiting customers by hand every hour, which is slow and error prone"
)


@pytest.mark.parametrize(
    ("now_utc", "requester", "told"),
    [
        # Friday 16:59 in Chicago: 1 minute on Friday + 119 on Monday.
        ("2026-11-20T22:59:00+00:00", "U01AAA", "Mon 23 Nov 2026, 09:59 CST"),
        # Saturday morning in Chicago: the clock starts Monday 08:00.
        ("2026-11-21T16:00:00+00:00", "U01AAA", "Mon 23 Nov 2026, 10:00 CST"),
        # Friday 16:30 CDT before the US clock change; Monday is in CST.
        ("2026-10-30T21:30:00+00:00", "U01AAA", "Mon 02 Nov 2026, 09:30 CST"),
        # The same instant for Bergwerk (Berlin) is Friday 22:30: due Monday 10:00 CET.
        ("2026-11-20T21:30:00+00:00", "U02AAA", "Mon 23 Nov 2026, 10:00 CET"),
        # Tuesday 10:00 in Sydney (AEDT), during business hours: two hours later.
        ("2026-11-23T23:00:00+00:00", "U03AAA", "Tue 24 Nov 2026, 12:00 AEDT"),
    ],
)
def test_due_time_in_the_requesters_zone(nlu, store, now_utc: str, requester: str, told: str):  # type: ignore[no-untyped-def]
    nlu.add(Parse(text=REPORT, intent="report_issue", impact="minor", workaround="yes"))
    nlu.add(Parse(text="yes", intent="affirm"))
    with freeze_time(datetime.fromisoformat(now_utc)):
        engine = Engine(store=store, directory=load_directory(), nlu=nlu)  # wall clock
        conversation = Conversation(engine, requester, "D-due", lambda: datetime.now(UTC))
        conversation.say(REPORT)
        conversation.say("skip")  # nothing to add to the background
        conversation.say("yes")  # severity Medium
        created = by_kind(conversation.say("yes"), "case_created")
    assert f"due by {told} (your time)" in created.text
