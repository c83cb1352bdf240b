"""`supportbot queue`: the staff queue in the terminal, read at a frozen Friday 16:59 in
Chicago, where Acme's business-hours targets count one more minute today, then Monday's."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from freezegun import freeze_time

from bot.cli.main import main
from bot.store.sqlite import SqliteStore
from tests.support.stores import make_draft

FRIDAY_1659_CHICAGO = datetime(2026, 11, 20, 22, 59, tzinfo=UTC)


@pytest.fixture
def stored(data_dir: Path) -> Path:
    """Two of Acme's open cases in the store the command reads."""
    with SqliteStore(data_dir / "supportbot.sqlite3") as store:
        for key, severity, due, assignee in (
            # Due Monday 08:30 CST: 1 minute left on Friday, 30 on Monday.
            ("waiting", 3, datetime(2026, 11, 23, 14, 30, tzinfo=UTC), "U0STAFF1"),
            # Due Thursday 11:00 CST: missed by Thursday 11-17 and Friday 08-16:59.
            ("missed", 2, datetime(2026, 11, 19, 17, 0, tzinfo=UTC), None),
        ):
            store.cases.create_case(
                make_draft(
                    title=f"The {key} case\x1b[2J",
                    severity=severity,
                    response_due_at=due,
                    assignee_id=assignee,
                ),
                idempotency_key=key,
                actor_id="U01AAA",
                now=FRIDAY_1659_CHICAGO - timedelta(days=2),
            )
    return data_dir


def queue(capsys: pytest.CaptureFixture[str], *args: str) -> list[str]:
    with freeze_time(FRIDAY_1659_CHICAGO):
        assert main(["queue", *args]) == 0
    return capsys.readouterr().out.splitlines()


def test_the_queue_lists_missed_first_in_business_time(stored, capsys) -> None:
    assert queue(capsys, "--tz", "America/Chicago") == [
        "CS-1002  S2  acme  nobody yet  Response missed by 14 h 59 min (business hours) · was due"
        " Thu 19 Nov 2026, 11:00 CST  The missed case[2J",
        "CS-1001  S3  acme  Sam Support  Response due in 31 min (business hours) · due"
        " Mon 23 Nov 2026, 08:30 CST  The waiting case[2J",
    ]


def test_mine_lists_the_cases_assigned_to_the_viewer(stored, capsys) -> None:
    [line] = queue(capsys, "--filter", "mine", "--as", "U0STAFF1")
    assert line.startswith("CS-1001  S3  acme  Sam Support  Response due in 31 min")
    assert "Mon 23 Nov 2026, 14:30 UTC" in line


def test_mine_without_a_viewer_is_a_usage_error(stored, capsys) -> None:
    assert main(["queue", "--filter", "mine"]) == 2
    assert "--as SLACK_ID" in capsys.readouterr().err
