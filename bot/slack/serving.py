"""Build everything `supportbot serve` needs and run it in Socket Mode or HTTP mode."""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from bot.slack.app import create_app
from bot.slack.settings import SlackSettings
from bot.store.base import Store

log = logging.getLogger(__name__)


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
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
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


def serve_http(app: Any, store: Store, *, host: str, port: int) -> None:
    from bot.slack.http_server import EVENTS_PATH, HEALTH_PATH, SlackHTTPServer

    stop = stop_on_signals()
    server = SlackHTTPServer((host, port), app=app, store=store)
    log.info(
        "serving Slack on http://%s:%d%s (health: %s)", host, server.port, EVENTS_PATH, HEALTH_PATH
    )
    server.start_in_background()
    loops = Loops(app)
    try:
        stop.wait()
    finally:
        loops.stop()
        server.shutdown()
        server.server_close()
        app.listener_pool.shutdown(wait=True)  # finish the work already acknowledged


def start_metrics_server(app: Any, store: Store, *, host: str, port: int) -> Any:
    """`/metrics` and `/healthz` on host:port, in the background (Socket Mode has no URL)."""
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


def serve_socket(app: Any, settings: SlackSettings, *, metrics_server: Any = None) -> None:
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
        loops.stop()
        handler.close()
        if metrics_server is not None:
            metrics_server.shutdown()
            metrics_server.server_close()
        app.listener_pool.shutdown(wait=True)  # finish the work already acknowledged
