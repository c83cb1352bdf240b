"""Socket Mode on loopback: envelopes are acked and processed; a silent link is replaced."""

from __future__ import annotations

import json
import time

from bot.slack import create_app
from bot.slack.socket_mode import LivenessWatchdog, WatchedSocketModeHandler
from tests.slack.conftest import REPORT, SlackDriver, last_post
from tests.slack.fake_slack.socket_server import SilentServer, SocketModeServer


def envelope(slack: SlackDriver, envelope_id: str) -> dict:
    body = json.loads(
        slack.envelope(
            {
                "type": "message",
                "channel": "D01AAA",
                "channel_type": "im",
                "user": "U01AAA",
                "text": REPORT,
                "ts": slack.next_ts(),
            }
        )
    )
    return {
        "envelope_id": envelope_id,
        "type": "events_api",
        "accepts_response_payload": False,
        "retry_attempt": 0,
        "retry_reason": "",
        "payload": body,
    }


def wait_until(condition, timeout: float = 10.0) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def socket_app(engine, store, settings):  # type: ignore[no-untyped-def]
    return create_app(
        engine=engine,
        store=store,
        directory=engine.directory,
        settings=settings,
        verify_requests=False,
    )


def test_socket_mode_acks_and_processes_an_event(engine, store, settings, fake_slack) -> None:
    app = socket_app(engine, store, settings)
    slack = SlackDriver(app, fake_slack)
    with SocketModeServer() as server:
        fake_slack.socket_urls = [server.url]
        handler = WatchedSocketModeHandler(app, "xapp-1-A0SUPPORT-test", stale_after=30)
        handler.connect()
        try:
            server.send_later(envelope(slack, "env-1"))
            assert wait_until(lambda: {"envelope_id": "env-1"} in server.received)
            assert last_post(slack, channel="D01AAA", containing="suggest Severity 3")
        finally:
            handler.close()
            app.listener_pool.shutdown(wait=True)


def test_a_silent_connection_is_detected_and_replaced(engine, store, settings, fake_slack) -> None:
    app = socket_app(engine, store, settings)
    slack = SlackDriver(app, fake_slack)
    with SilentServer() as silent, SocketModeServer() as healthy:
        fake_slack.socket_urls = [silent.url, healthy.url]
        handler = WatchedSocketModeHandler(app, "xapp-1-A0SUPPORT-test", stale_after=1.0)
        handler.connect()
        try:
            assert wait_until(lambda: healthy.connections == 1, timeout=15)
            assert wait_until(lambda: handler.watchdog.reconnects >= 1)
            assert len(fake_slack.calls_to("apps.connections.open")) >= 2
            healthy.send_later(envelope(slack, "env-2"))
            assert wait_until(lambda: {"envelope_id": "env-2"} in healthy.received)
            assert last_post(slack, channel="D01AAA", containing="suggest Severity 3")
        finally:
            handler.close()
            app.listener_pool.shutdown(wait=True)


class FakeTime:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_watchdog_waits_for_the_full_silence_before_reconnecting() -> None:
    clock = FakeTime()
    heard: list[float | None] = [None]
    reconnects: list[float] = []
    dog = LivenessWatchdog(
        last_sign_of_life=lambda: heard[0],
        reconnect=lambda: reconnects.append(clock.now),
        stale_after=45,
        clock=clock,
    )
    clock.now += 45
    assert dog.check() is False  # exactly at the limit: still fine
    heard[0] = clock.now  # a pong arrived
    clock.now += 44
    assert dog.check() is False
    clock.now += 2
    assert dog.check() is True and reconnects == [clock.now]
    clock.now += 10
    assert dog.check() is False  # the new connection gets its own full window


def test_watchdog_keeps_trying_when_a_reconnect_fails() -> None:
    clock = FakeTime()
    attempts: list[float] = []

    def failing() -> None:
        attempts.append(clock.now)
        raise ConnectionError("apps.connections.open failed")

    dog = LivenessWatchdog(
        last_sign_of_life=lambda: None, reconnect=failing, stale_after=10, clock=clock
    )
    clock.now += 11
    assert dog.check() is False and dog.reconnects == 0
    clock.now += 1
    assert dog.check() is False and len(attempts) == 2
