"""Build everything `supportbot serve` needs and run it in Socket Mode or HTTP mode.

On SIGTERM/SIGINT both modes stop gracefully (`graceful_stop`): no new events (HTTP: the
listener closes and late requests get 503, which Slack retries; Socket Mode: the client
closes first), the turns already acknowledged finish within a bound, the outbox is swept and
the locks this process may hold are released.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable
from typing import Any

from bot.slack.app import create_app
from bot.slack.settings import SlackSettings
from bot.store.base import Store

log = logging.getLogger(__name__)

DRAIN_SECONDS = 20.0  # on SIGTERM, how long the turns already acknowledged may take to finish
FLUSH_SECONDS = 5.0  # then how long the last outbox sweep may take


def build(
    settings: SlackSettings, *, contacts: str | None, data_dir: str | None, verify_requests: bool
) -> tuple[Any, Any]:
    """(app, store): the engine on the configured store (REDIS_URL or SQLite) and directory."""
    from bot.engine import open_engine

    engine = open_engine(contacts=contacts, data_dir=data_dir)
    app = create_app(
        engine=engine,
        store=engine.store,
        directory=engine.directory,
        settings=settings,
        verify_requests=verify_requests,
    )
    return app, engine.store


def stop_on_signals() -> threading.Event:
    """SIGINT/SIGTERM end the wait below; installed before serving so none is missed."""
    stop = threading.Event()

    def stop_serving(signum: int, _frame: object) -> None:
        if stop.is_set():
            log.warning("%s again: still finishing the work in flight", signal.Signals(signum).name)
        stop.set()

    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, stop_serving)
    return stop


class Loops:
    """The background loops every replica runs: deadlines, and the outbox sweep."""

    def __init__(self, app: Any) -> None:
        from bot.slack.deadlines import DeadlineLoop
        from bot.slack.outbox import SWEEP_INTERVAL_SECONDS

        self.loops = [
            DeadlineLoop(fire=app.flows.deadlines).start(),
            DeadlineLoop(
                fire=app.flows.outbox, interval_seconds=SWEEP_INTERVAL_SECONDS, name="outbox"
            ).start(),
        ]

    def stop(self) -> None:
        for loop in self.loops:
            loop.stop()


def flush_outbox(app: Any, *, seconds: float = FLUSH_SECONDS) -> int:
    """Sweep the outbox until nothing due is left (or `seconds` pass); how many went out.

    Every turn settles its own items at once; this delivers the ones whose turn could not
    (Slack refused for a moment), so a stopping replica leaves nothing it could send."""
    deadline = time.monotonic() + seconds
    sent = 0
    while time.monotonic() < deadline:
        try:
            delivered = int(app.flows.outbox())
        except Exception as error:  # the store or Slack is down: another replica sweeps
            log.warning("last outbox sweep failed: %s", type(error).__name__)
            break
        sent += delivered
        if not delivered:
            break
    return sent


def release_orphan_locks(store: Store) -> int:
    """Release the locks this process may hold without knowing it (`release_orphans`), so
    the next replica does not wait out their TTL. Best effort: a failure leaves them to
    expire."""
    try:
        return store.locks.release_orphans()
    except Exception as error:
        log.warning("could not release a lock at shutdown: %s", type(error).__name__)
        return 0


def graceful_stop(
    app: Any,
    store: Store,
    *,
    stop_intake: Callable[[], None],
    loops: Loops | None,
    drain_seconds: float = DRAIN_SECONDS,
) -> bool:
    """Stop taking events, finish the turns already acknowledged (for up to
    `drain_seconds`), deliver what the outbox still owes and release this process's locks.

    `stop_intake` must return only once nothing new can reach the listener pool (HTTP: the
    listener is closed and the requests inside are answered; Socket Mode: the client is
    closed). True when every acknowledged turn finished."""
    started = time.monotonic()
    log.info(
        "shutting down: no new events; finishing the work in flight (up to %.0f s)", drain_seconds
    )
    stop_intake()
    if loops is not None:
        loops.stop()  # a deadline or outbox run in progress finishes first
    left = max(0.0, drain_seconds - (time.monotonic() - started))
    finished = app.listener_pool.shutdown(wait=True, timeout=left)
    flushed = flush_outbox(app)
    released = release_orphan_locks(store)
    log.info(
        "stopped after %.1f s: %s, %d outbox item(s) delivered, %d lock(s) released",
        time.monotonic() - started,
        "all acknowledged work finished" if finished else "some work did not finish",
        flushed,
        released,
    )
    return bool(finished)


def serve_http(
    app: Any,
    store: Store,
    *,
    host: str,
    port: int,
    drain_seconds: float = DRAIN_SECONDS,
    limits: Any = None,
) -> None:
    from bot.slack.http_server import EVENTS_PATH, HEALTH_PATH, READY_PATH, SlackHTTPServer

    stop = stop_on_signals()
    server = SlackHTTPServer((host, port), app=app, store=store, limits=limits)
    log.info(
        "serving Slack on http://%s:%d%s (health: %s, readiness: %s)",
        host,
        server.port,
        EVENTS_PATH,
        HEALTH_PATH,
        READY_PATH,
    )
    server.start_in_background()
    loops = Loops(app)

    def stop_intake() -> None:
        server.stop_accepting()
        if not server.drain(timeout=min(5.0, drain_seconds)):
            log.warning("some HTTP requests were still being answered at shutdown")

    try:
        stop.wait()
    finally:
        try:
            graceful_stop(
                app, store, stop_intake=stop_intake, loops=loops, drain_seconds=drain_seconds
            )
        finally:
            server.shutdown()
            server.server_close()


def start_metrics_server(app: Any, store: Store, *, host: str, port: int) -> Any:
    """`/metrics`, `/healthz` and `/readyz` on host:port, in the background (Socket Mode has
    no URL)."""
    from bot.slack.http_server import HEALTH_PATH, METRICS_PATH, MetricsHTTPServer

    server = MetricsHTTPServer((host, port), app=app, store=store)
    server.start_in_background()
    log.info(
        "serving metrics on http://%s:%d%s (health: %s)",
        host,
        server.port,
        METRICS_PATH,
        HEALTH_PATH,
    )
    return server


def serve_socket(
    app: Any,
    settings: SlackSettings,
    *,
    metrics_server: Any = None,
    store: Store | None = None,
    drain_seconds: float = DRAIN_SECONDS,
) -> None:
    """Socket Mode; `metrics_server` (see start_metrics_server) is shut down on the way out."""
    from bot.slack.socket_mode import WatchedSocketModeHandler

    stop = stop_on_signals()
    handler = WatchedSocketModeHandler(app, settings.app_token)
    handler.connect()
    log.info("connected to Slack in Socket Mode")
    loops = Loops(app)
    try:
        stop.wait()
    finally:
        try:
            stop_socket_mode(
                app,
                handler,
                store=store if store is not None else app.flows.store,
                loops=loops,
                drain_seconds=drain_seconds,
            )
        finally:
            if metrics_server is not None:
                metrics_server.shutdown()
                metrics_server.server_close()


def stop_socket_mode(
    app: Any, handler: Any, *, store: Store, loops: Loops | None, drain_seconds: float
) -> bool:
    """Socket Mode's graceful stop: close the socket client first (Slack sends the events
    that were not acknowledged again, to another connection), then drain like HTTP mode."""
    return graceful_stop(
        app, store, stop_intake=handler.close, loops=loops, drain_seconds=drain_seconds
    )
