"""The Bolt app factory: one app for Socket Mode and HTTP mode.

Security comes from Bolt's own middleware (signature and timestamp verification, ignoring
the app's own events) plus de-duplication: the engine records a message's event ID durably
in the same store step that starts its turn, so a retry after a slow ack or a restart changes
nothing, on every replica. The ack path itself touches no store: a retry reaching the same
process is dropped there from memory. A replayed interactive request or command likewise
changes nothing (bot.slack.replay_guard).

Listeners only ack and queue their work on a `FairPool` (bot.slack.fair_pool), so Bolt runs
them on the request's own thread (process_before_response=True) and answers Slack as soon
as they return; the work runs per conversation in order, and one person's slow or many
messages never hold up anyone else's.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient

from bot.directory.models import Directory
from bot.slack.bolt_client import client_over_token_unsaid
from bot.slack.fair_pool import DEFAULT_WORKERS, FairPool
from bot.slack.flows import Flows
from bot.slack.listeners import register_listeners
from bot.slack.replay_guard import ReplayGuard
from bot.slack.settings import SlackSettings
from bot.slack.web import build_web_client
from bot.store.base import Store

log = logging.getLogger(__name__)

RECENT_EVENTS_SECONDS = 3600.0  # Slack retries within minutes (immediately, 1 min, 5 min)
RECENT_EVENTS_LIMIT = 10_000


class RecentEvents:
    """Event IDs this process acknowledged lately, in memory (oldest forgotten first).

    Only a shortcut at the ack, which must not wait for a disk or a network: the durable
    de-duplication is the engine's, inside the turn.
    """

    def __init__(
        self, *, seconds: float = RECENT_EVENTS_SECONDS, limit: int = RECENT_EVENTS_LIMIT
    ) -> None:
        self._seconds = seconds
        self._limit = limit
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def first_time(self, event_id: str) -> bool:
        now = time.monotonic()
        with self._lock:
            while self._seen and (
                len(self._seen) >= self._limit or next(iter(self._seen.values())) <= now
            ):
                self._seen.popitem(last=False)
            if event_id in self._seen:
                return False
            self._seen[event_id] = now + self._seconds
            return True


def event_dedup_middleware(recent: RecentEvents | None = None) -> Callable[..., Any]:
    """Drops a retried Events API delivery this process already acknowledged; no store I/O."""
    memory = recent or RecentEvents()

    def dedup(body: dict[str, Any], next: Callable[[], Any]) -> Any:
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and not memory.first_time(str(event_id)):
            log.info("dropping a retried delivery of an event")
            return BoltResponse(status=200, body="")
        return next()

    return dedup


def create_app(
    *,
    engine: Any,
    store: Store,
    directory: Directory,
    settings: SlackSettings,
    client: WebClient | None = None,
    clock: Callable[[], datetime] | None = None,
    workers: int = DEFAULT_WORKERS,
    verify_requests: bool = True,
) -> App:
    """The Bolt app with every listener; `verify_requests=False` only for Socket Mode."""
    web_client = client or build_web_client(settings)
    pool = FairPool(workers=workers, name="slack")
    with client_over_token_unsaid():  # the client carries the token Bolt would read again
        app = App(
            client=web_client,
            signing_secret=settings.signing_secret,
            request_verification_enabled=verify_requests,
            process_before_response=True,  # listeners only ack and queue, then return
            ignoring_self_events_enabled=True,
            url_verification_enabled=True,
        )
    replays = ReplayGuard(store)
    app.use(event_dedup_middleware())
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
