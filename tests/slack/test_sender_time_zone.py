"""Slack end to end: the requester's users.info time zone decides due times and the phone
line when the directory gives their organization no timezone and no country."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from freezegun import freeze_time

from bot.directory import parse_directory
from bot.engine import Engine
from tests.slack.conftest import (
    CRITICAL,
    IMPACT,
    REPORT,
    STAFF_CHANNEL,
    SlackDriver,
    last_post,
    text_of,
)

DIRECTORY = """
organizations:
  - short_name: nordlicht
    name: Nordlicht GmbH
    id: 6b1f3c2a-8d4e-4f5a-9b6c-7d8e9f0a1b2c
    designated_contacts:
      - {slack_id: U04AAA, name: Nina Vogel, role: primary}
      - {slack_id: U04BBB, name: Olaf Brandt, role: backup}
staff:
  channel: C0STAFF
  members: [U0STAFF1]
"""
GERMANY_LINE = "+49-6995-106-6305"
NINA_DM = "D04AAA"


@pytest.fixture
def engine(store: Any, nlu: Any) -> Engine:
    """No fixed clock: freezegun decides what "now" is."""
    return Engine(store=store, directory=parse_directory(DIRECTORY), nlu=nlu)


@pytest.fixture
def slack(app: Any, fake_slack: Any) -> Iterator[SlackDriver]:
    fake_slack.timezones["U04AAA"] = "Europe/Berlin"
    yield SlackDriver(app, fake_slack)


def confirm_report(slack: SlackDriver) -> str:
    """Nina reports, answers the impact question, accepts Medium and confirms."""
    slack.dm("U04AAA", REPORT)
    last_post(slack, channel=NINA_DM, containing="business impact")
    slack.dm("U04AAA", IMPACT)
    last_post(slack, channel=NINA_DM, containing="Anything support should know")
    slack.dm("U04AAA", "skip")
    question = last_post(slack, channel=NINA_DM, containing="Shall I use Severity 3")
    slack.click(question, "U04AAA", label="Yes")
    summary = last_post(slack, channel=NINA_DM, containing="ready to open")
    slack.click(summary, "U04AAA", label="Confirm")
    return text_of(last_post(slack, channel=NINA_DM, containing="Opened CS-"))


def test_confirmation_shows_the_due_time_in_the_requesters_slack_zone(slack: SlackDriver) -> None:
    # Friday 16:59 in Berlin (15:59 in UTC, 09:59 in Chicago); ticking so Slack's waits work.
    with freeze_time("2026-11-20T15:59:00+00:00", tick=True):
        created = confirm_report(slack)
    # One minute on Friday, then 119 business minutes from Monday 08:00 Berlin time.
    assert "due by Mon 23 Nov 2026, 09:59 CET (your time)" in created
    card = last_post(slack, channel=STAFF_CHANNEL, containing="New case CS-1001")
    assert "Mon 23 Nov 2026, 09:59 CET" in text_of(card) and "Europe/Berlin" in text_of(card)
    asked = [c["user"] for c in slack.fake.calls_to("users.info")]
    assert asked.count("U04AAA") == 1  # cached after the first message


def test_critical_report_gives_the_line_of_the_zones_country(slack: SlackDriver) -> None:
    slack.dm("U04AAA", CRITICAL)
    phone = last_post(slack, channel=NINA_DM, containing="outage line")
    assert GERMANY_LINE in text_of(phone)
    alert = last_post(slack, channel=STAFF_CHANNEL, containing="Critical call is coming")
    assert "Nina Vogel" in text_of(alert)


def test_a_failing_users_info_does_not_block_the_turn(slack: SlackDriver) -> None:
    slack.fake.fail_next("users.info", status=200, error="fatal_error", times=5)
    with freeze_time("2026-11-20T15:59:00+00:00", tick=True):
        created = confirm_report(slack)
    # No zone from Slack and none in the directory: UTC, said as UTC.
    assert "due by Mon 23 Nov 2026, 08:59 UTC (your time)" in created
    assert len(slack.fake.calls_to("users.info")) == 1  # the failure is remembered for a while
