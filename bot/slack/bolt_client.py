"""Building Bolt's `App` around our own Web API client without a misleading warning.

Bolt reads SLACK_BOT_TOKEN from the environment even when it is handed a client, then warns
"As you gave `client` as well, `token` will be unused" at every start. Our client already
carries that token (bot.slack.web), so the warning says nothing; it alone is dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

from slack_bolt import App
from slack_bolt.logger.messages import warning_client_prioritized_and_token_skipped

CLIENT_OVER_TOKEN = warning_client_prioritized_and_token_skipped()


class _DropClientOverToken(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return record.getMessage() != CLIENT_OVER_TOKEN


@contextmanager
def client_over_token_unsaid() -> Iterator[None]:
    """While building an `App` with `client=`: Bolt's client-over-token warning is dropped."""
    logger = logging.getLogger(f"slack_bolt.{App.__name__}")  # as slack_bolt.logger names it
    drop = _DropClientOverToken()
    logger.addFilter(drop)
    try:
        yield
    finally:
        logger.removeFilter(drop)
