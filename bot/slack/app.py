"""The Bolt app factory: one app for Socket Mode and HTTP mode.

Security comes from Bolt's own middleware (signature and timestamp verification, ignoring
the app's own events) plus a durable de-duplication of Slack's event retries: an event ID is
recorded in the store before the event is processed, so a retry after a slow ack or a
restart is acknowledged and dropped, on every replica.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from bot.slack.flows import Flows
from bot.slack.listeners import register_listeners
from bot.slack.settings import SlackSettings
from bot.slack.web import build_web_client
from bot.store.errors import StoreError

log = logging.getLogger(__name__)

DEDUP_TTL_SECONDS = 7 * 24 * 3600.0  # Slack retries for minutes; keep IDs well beyond that
DEFAULT_WORKERS = 8  # engine turns are short but block on the store lock and the NLU


def event_dedup_middleware(store: Any) -> Callable[..., Any]:
    def dedup(body: dict[str, Any], next: Callable[[], Any]) -> Any:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            try:
                first = store.dedup.first_time(
                    f"slack-event:{event_id}", ttl_seconds=DEDUP_TTL_SECONDS
                )
            except StoreError:
                log.warning("dedup store unavailable; processing event anyway")
                first = True
            if not first:
                log.info("dropping a retried delivery of an event")
                return BoltResponse(status=200, body="")
        return next()

    return dedup


def create_app(
    *,
    engine: Any,
    store: Any,
    directory: Any,
    settings: SlackSettings,
    client: WebClient | None = None,
    clock: Callable[[], datetime] | None = None,
    workers: int = DEFAULT_WORKERS,
    verify_requests: bool = True,
) -> App:
    """The Bolt app with every listener; `verify_requests=False` only for Socket Mode."""
    web_client = client or build_web_client(settings)
    executor = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="slack")
    app = App(
        client=web_client,
        signing_secret=settings.signing_secret,
        request_verification_enabled=verify_requests,
        process_before_response=False,
        listener_executor=executor,
        ignoring_self_events_enabled=True,
        url_verification_enabled=True,
    )
    app.use(event_dedup_middleware(store))
    flows = Flows(
        engine=engine,
        store=store,
        directory=directory,
        client=web_client,
        clock=clock or getattr(engine, "clock", None) or (lambda: datetime.now(UTC)),
    )
    register_listeners(app, flows)
    app.flows = flows  # type: ignore[attr-defined]  # for serving and tests
    app.listener_pool = executor  # type: ignore[attr-defined]  # drained on shutdown
    return app
