"""The Bolt app factory: one app for Socket Mode and HTTP mode.

Security comes from Bolt's own middleware (signature and timestamp verification, ignoring
the app's own events) plus durable de-duplication: an event ID is recorded in the store
before the event is processed, so a retry after a slow ack or a restart is acknowledged and
dropped, on every replica; a replayed interactive request or command likewise changes
nothing (bot.slack.replay_guard).

Listeners only ack and queue their work on a `FairPool` (bot.slack.fair_pool), so Bolt runs
them on the request's own thread (process_before_response=True) and answers Slack as soon
as they return; the work runs per conversation in order, and one person's slow or many
messages never hold up anyone else's.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from bot.slack.fair_pool import DEFAULT_WORKERS, FairPool
from bot.slack.flows import Flows
from bot.slack.listeners import register_listeners
from bot.slack.replay_guard import ReplayGuard
from bot.slack.settings import SlackSettings
from bot.slack.web import build_web_client
from bot.store.errors import StoreError

log = logging.getLogger(__name__)

DEDUP_TTL_SECONDS = 7 * 24 * 3600.0  # Slack retries for minutes; keep IDs well beyond that


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
    pool = FairPool(workers=workers, name="slack")
    app = App(
        client=web_client,
        signing_secret=settings.signing_secret,
        request_verification_enabled=verify_requests,
        process_before_response=True,  # listeners only ack and queue, then return
        ignoring_self_events_enabled=True,
        url_verification_enabled=True,
    )
    replays = ReplayGuard(store)
    app.use(event_dedup_middleware(store))
    app.use(replays.middleware())
    flows = Flows(
        engine=engine,
        store=store,
        directory=directory,
        client=web_client,
        clock=clock or getattr(engine, "clock", None) or (lambda: datetime.now(UTC)),
    )
    register_listeners(app, flows, pool=pool, replays=replays)
    app.flows = flows  # type: ignore[attr-defined]  # for serving and tests
    app.listener_pool = pool  # type: ignore[attr-defined]  # drained on shutdown
    return app
