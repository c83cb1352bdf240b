"""The requester's Slack time zone decides due times and the phone line when the directory
gives their organization none (`Inbound.sender_tz`, from Slack's users.info `tz`)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from freezegun import freeze_time

from bot.directory import parse_directory
from bot.engine import Engine
from bot.messages import Audience, Inbound, Outbound
from tests.engine.conftest import Parse, ScriptedNlu, by_kind, texts

DIRECTORY = """
organizations:
  - short_name: nordlicht            # no timezone, no country: Slack decides
    name: Nordlicht GmbH
    id: 6b1f3c2a-8d4e-4f5a-9b6c-7d8e9f0a1b2c
    designated_contacts:
      - {slack_id: U04AAA, name: Nina Vogel, role: primary}
      - {slack_id: U04BBB, name: Olaf Brandt, role: backup}
    members:
      - {slack_id: U04CCC, name: Paul Keller}
  - short_name: kiwi                 # a timezone but no country: the zone's country
    name: Kiwi Ltd
    id: 0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d
    timezone: Pacific/Auckland
    designated_contacts:
      - {slack_id: U05AAA, name: Wiremu Tane, role: primary}
      - {slack_id: U05BBB, name: Aroha Ngata, role: backup}
staff:
  channel: C0STAFF
  members: [U0STAFF1]
"""

REPORT = (
    "Wallboard totals for the billing queue are wrong since Monday, the team leads "
    "now count the waiting customers by hand every hour, which is slow and error prone"
)
OUTAGE = "Nobody in the company can log in to the agent desktop, we can't take any calls"
GERMANY_LINE = "+49-6995-106-6305"
SYDNEY_LINE = "+61-2804-71902"
USA_LINE = "+1-866-353-6587"


def scripted() -> ScriptedNlu:
    nlu = ScriptedNlu()
    nlu.add(Parse(text=REPORT, intent="report_issue", impact="minor", workaround="yes"))
    nlu.add(
        Parse(
            text=OUTAGE,
            intent="report_issue",
            impact="blocked",
            workaround="no",
            severity=1,
            severity_reasons=["can't take any calls"],
        )
    )
    nlu.add(Parse(text="yes", intent="affirm"))
    return nlu


@pytest.fixture
def engine(store: object) -> Engine:
    directory = parse_directory(DIRECTORY, source="zones.yaml")
    return Engine(store=store, directory=directory, nlu=scripted(), clock=lambda: datetime.now(UTC))


def speaker(
    engine: Engine, sender_id: str, sender_tz: str | None
) -> Callable[[str], list[Outbound]]:
    """Messages from one person in their DM, each carrying their Slack time zone."""

    def say(text: str) -> list[Outbound]:
        return engine.handle(
            Inbound(
                sender_id=sender_id,
                text=text,
                conversation_key=f"D-{sender_id}",
                received_at=datetime.now(UTC),
                channel="test",
                sender_tz=sender_tz,
            )
        )

    return say


def open_medium_case(say: Callable[[str], list[Outbound]]) -> Outbound:
    say(REPORT)
    say("skip")  # nothing to add to the background
    say("yes")  # the suggested Medium
    return by_kind(say("yes"), "case_created")


@pytest.mark.parametrize(
    ("now_utc", "sender_tz", "told"),
    [
        # Friday 16:59 in Berlin: 1 minute on Friday + 119 on Monday.
        ("2026-11-20T15:59:00+00:00", "Europe/Berlin", "Mon 23 Nov 2026, 09:59 CET"),
        # Saturday in Berlin: the clock starts Monday 08:00.
        ("2026-11-21T10:00:00+00:00", "Europe/Berlin", "Mon 23 Nov 2026, 10:00 CET"),
        # Friday 16:30 CEST before the EU clock change (25 Oct); Monday is in CET.
        ("2026-10-23T14:30:00+00:00", "Europe/Berlin", "Mon 26 Oct 2026, 09:30 CET"),
        # The same instant as the first case from someone in New York: 10:59, due 12:59.
        ("2026-11-20T15:59:00+00:00", "America/New_York", "Fri 20 Nov 2026, 12:59 EST"),
        # No zone from Slack and none in the directory: UTC (Friday 15:59, 61 minutes left).
        ("2026-11-20T15:59:00+00:00", None, "Mon 23 Nov 2026, 08:59 UTC"),
        # A zone name Slack should never send is ignored, not a crash.
        ("2026-11-20T15:59:00+00:00", "Mars/Olympus_Mons", "Mon 23 Nov 2026, 08:59 UTC"),
    ],
)
def test_due_time_in_the_senders_slack_zone(
    engine: Engine, store, now_utc: str, sender_tz: str | None, told: str
) -> None:  # type: ignore[no-untyped-def]
    with freeze_time(datetime.fromisoformat(now_utc)):
        created = open_medium_case(speaker(engine, "U04AAA", sender_tz))
    assert f"due by {told} (your time)" in created.text
    assert store.cases.get_case(created.case_number).org_short_name == "nordlicht"


def test_the_organizations_zone_wins_over_slack(engine: Engine) -> None:
    with freeze_time("2026-11-19T20:00:00+00:00"):  # Friday 09:00 in Auckland (NZDT)
        created = open_medium_case(speaker(engine, "U05AAA", "Europe/Berlin"))
    assert "due by Fri 20 Nov 2026, 11:00 NZDT (your time)" in created.text


@pytest.mark.parametrize(
    ("sender_tz", "line"),
    [("Europe/Berlin", GERMANY_LINE), ("Australia/Sydney", SYDNEY_LINE), ("Asia/Calcutta", None)],
)
def test_critical_gets_the_line_of_the_senders_zone_country(
    engine: Engine, sender_tz: str, line: str | None
) -> None:
    replies = speaker(engine, "U04AAA", sender_tz)(OUTAGE)
    phone = by_kind(replies, "critical_phone")
    if line is None:  # India (Asia/Calcutta is a link to Asia/Kolkata) has its own line
        assert phone.data["country"] == "IN" and "no country is known" not in phone.text
    else:
        assert line in phone.text
    assert by_kind(replies, "offer_open_as_high")


def test_critical_without_any_zone_gets_the_default_line_and_says_why(engine: Engine) -> None:
    phone = by_kind(speaker(engine, "U04CCC", None)(OUTAGE), "critical_phone")
    assert USA_LINE in phone.text and "no country is known" in phone.text


def test_an_organization_zone_without_a_country_gives_that_zones_country(engine: Engine) -> None:
    phone = by_kind(speaker(engine, "U05AAA", "Europe/Berlin")(OUTAGE), "critical_phone")
    assert phone.data["country"] == "NZ" and GERMANY_LINE not in phone.text


def test_someone_not_in_the_directory_reporting_critical_gets_their_zones_line(
    engine: Engine, store
) -> None:  # type: ignore[no-untyped-def]
    replies = speaker(engine, "U99NOBODY", "Australia/Sydney")(OUTAGE)
    assert SYDNEY_LINE in by_kind(replies, "critical_phone").text
    assert "can't find you in the directory" in texts(replies)
    alert = by_kind(replies, "critical_alert")
    assert alert.audience is Audience.STAFF and "U99NOBODY" in alert.text
    assert store.cases.list_cases() == []


def test_someone_not_in_the_directory_with_a_minor_problem_gets_no_phone_line(
    engine: Engine,
) -> None:
    replies = speaker(engine, "U99NOBODY", "Australia/Sydney")(REPORT)
    assert "critical_phone" not in [r.kind for r in replies]
    assert "can't find you in the directory" in texts(replies)


def test_staff_see_times_in_the_zone_the_case_was_opened_in(engine: Engine) -> None:
    with freeze_time("2026-11-20T15:59:00+00:00"):  # Friday 16:59 in Berlin
        number = open_medium_case(speaker(engine, "U04AAA", "Europe/Berlin")).case_number or ""
        receipt = by_kind(
            engine.staff_change_severity(number, "U0STAFF1", 4), "staff_severity_change_receipt"
        )
    assert "Initial response due Mon 23 Nov 2026, 09:59 CET" in receipt.text
    with freeze_time("2026-11-23T08:00:00+00:00"):  # Monday 09:00 in Berlin
        asked = by_kind(
            engine.staff_request_info(number, "U0STAFF1", "Which site?"), "staff_info_request"
        )
    assert "may be closed after Thu 26 Nov 2026, 09:00 CET" in asked.text


def test_the_response_reminder_is_in_the_requesters_zone(engine: Engine) -> None:
    with freeze_time("2026-11-20T15:59:00+00:00"):
        open_medium_case(speaker(engine, "U04AAA", "Europe/Berlin"))
    assert engine.run_timers(datetime(2026, 11, 23, 8, 28, tzinfo=UTC)) == []
    [reminder] = engine.run_timers(datetime(2026, 11, 23, 8, 29, tzinfo=UTC))
    assert "due Mon 23 Nov 2026, 09:59 CET (customer's time)" in reminder.text


def test_staff_see_utc_labelled_as_utc_when_no_zone_is_known(engine: Engine) -> None:
    with freeze_time("2026-11-20T15:59:00+00:00"):
        number = open_medium_case(speaker(engine, "U04AAA", None)).case_number or ""
        receipt = by_kind(
            engine.staff_change_severity(number, "U0STAFF1", 4), "staff_severity_change_receipt"
        )
    assert "Initial response due Mon 23 Nov 2026, 08:59 UTC" in receipt.text
    [reminder] = engine.run_timers(datetime(2026, 11, 23, 8, 29, tzinfo=UTC))
    assert "due Mon 23 Nov 2026, 08:59 UTC (customer's time)" in reminder.text
