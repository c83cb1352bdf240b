"""Moved to tests/support/fake_slack/server.py (the fault tests and bench/ use it too); this
module keeps the old import path working."""

from tests.support.fake_slack.server import (
    BOT_ID,
    BOT_USER_ID,
    DEFAULT_TIMEZONES,
    TEAM_ID,
    Call,
    Failure,
    FakeSlack,
)

__all__ = ["BOT_ID", "BOT_USER_ID", "DEFAULT_TIMEZONES", "TEAM_ID", "Call", "Failure", "FakeSlack"]
