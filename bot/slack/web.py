"""The Slack Web API client: pointed at SLACK_API_URL, retrying rate limits and blips.

Slack answers 429 with Retry-After when a method's rate limit is hit; the built-in
RateLimitErrorRetryHandler waits that long and retries, so a burst of case updates is
delayed rather than lost. 5xx answers and dropped connections are retried a few times too.
Each handler counts the retries it makes (`retries`, read by `/metrics`, see bot.metrics).
"""

from __future__ import annotations

import threading
from typing import Any

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.slack.settings import SlackSettings

RATE_LIMIT_RETRIES = 3
SERVER_ERROR_RETRIES = 2
HTTP_TIMEOUT_SECONDS = 10


class _CountsRetries:
    """Counts each retry the handler decides on (Bolt's per-request clients share handlers)."""

    metric_reason = ""
    retries = 0
    _lock = threading.Lock()

    def prepare_for_next_attempt(self, **kwargs: Any) -> None:
        with self._lock:
            self.retries += 1
        super().prepare_for_next_attempt(**kwargs)  # type: ignore[misc]


class CountedConnectionErrorRetryHandler(_CountsRetries, ConnectionErrorRetryHandler):
    metric_reason = "connection_error"


class CountedRateLimitErrorRetryHandler(_CountsRetries, RateLimitErrorRetryHandler):
    metric_reason = "rate_limited"


class CountedServerErrorRetryHandler(_CountsRetries, ServerErrorRetryHandler):
    metric_reason = "server_error"


def build_web_client(settings: SlackSettings) -> WebClient:
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        timeout=HTTP_TIMEOUT_SECONDS,
        retry_handlers=[
            CountedConnectionErrorRetryHandler(max_retry_count=1),
            CountedRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            CountedServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
        ],
    )
