"""The Slack Web API client: pointed at SLACK_API_URL, retrying rate limits and blips.

Slack answers 429 with Retry-After when a method's rate limit is hit; the built-in
RateLimitErrorRetryHandler waits that long and retries, so a burst of case updates is
delayed rather than lost. 5xx answers and dropped connections are retried a few times too.
"""

from __future__ import annotations

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


def build_web_client(settings: SlackSettings) -> WebClient:
    return WebClient(
        token=settings.bot_token,
        base_url=settings.api_url,
        timeout=HTTP_TIMEOUT_SECONDS,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
            ServerErrorRetryHandler(max_retry_count=SERVER_ERROR_RETRIES),
        ],
    )
