"""HTTP mode on waitress (issue 16): the failures measured on the old stdlib server each get
a clear HTTP answer at once, a stalled client holds no thread, readiness, and the first steps
of a graceful stop (no new requests, 503 on open connections)."""

from __future__ import annotations

import http.client
import json
import socket
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from bot.slack import serving
from bot.slack.http_server import ServerLimits, SlackHTTPServer
from tests.slack.conftest import REPORT, last_post
from tests.slack.test_http_mode import request, signed_headers

DEEP = "[" * 100_000 + "]" * 100_000
FAST = ServerLimits(body_seconds=1.0)


def dm_body(slack: Any) -> str:
    """A signed-to-be Events API body: Ana's problem report by DM."""
    return str(
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


def start(app: Any, store: Any, **options: Any) -> SlackHTTPServer:
    running = SlackHTTPServer(("127.0.0.1", 0), app=app, store=store, **options)
    running.start_in_background()
    return running


def stop(running: SlackHTTPServer) -> None:
    running.shutdown()
    running.server_close()


@pytest.fixture
def server(app, store) -> Iterator[SlackHTTPServer]:  # type: ignore[no-untyped-def]
    running = start(app, store, limits=FAST)
    yield running
    stop(running)


def raw_exchange(port: int, data: bytes, *, timeout: float = 10.0) -> tuple[bytes, float]:
    """Send bytes as they are; the first bytes of the answer and how long it took."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as raw:
        started = time.monotonic()
        raw.sendall(data)
        reply = raw.recv(400)
        return reply, time.monotonic() - started


def status_of(reply: bytes) -> int:
    assert reply, "the connection was closed without an answer"
    return int(reply.split(b" ", 2)[1])


# ---- the three measured failures ------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    ["{not json", '{"type": "event_callback", "event": 7}', "[]", '{"a": "\\ud800"'],
    ids=["broken-json", "event-not-an-object", "array", "unterminated"],
)
def test_a_malformed_signed_body_gets_400_at_once(server, body) -> None:  # type: ignore[no-untyped-def]
    started = time.monotonic()
    status, payload = request(server, "POST", "/slack/events", body, signed_headers(body))
    assert (status, json.loads(payload)) == (400, {"error": "unreadable body"})
    assert time.monotonic() - started < 1.0


def test_a_signed_body_that_is_not_utf8_gets_an_answer(server) -> None:  # type: ignore[no-untyped-def]
    body = b'{"type": "event_callback", "x": "\xff\xfe"}'
    head = signed_headers(body.decode("latin-1"))
    lines = "".join(f"{k}: {v}\r\n" for k, v in head.items())
    data = (
        f"POST /slack/events HTTP/1.1\r\nHost: x\r\n{lines}Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    reply, seconds = raw_exchange(server.port, data)
    assert status_of(reply) in (400, 401) and seconds < 1.0


@pytest.mark.parametrize(
    "head",
    [
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"NOT-HTTP\r\n\r\n",
    ],
    ids=["length-not-a-number", "bad-chunk", "not-http"],
)
def test_malformed_http_gets_400_not_a_closed_connection(server, head) -> None:  # type: ignore[no-untyped-def]
    reply, seconds = raw_exchange(server.port, head)
    assert status_of(reply) == 400 and seconds < 1.0


def test_a_body_longer_than_announced_is_413_before_it_is_read(server) -> None:  # type: ignore[no-untyped-def]
    head = (
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000001\r\n\r\n"
    )
    reply, seconds = raw_exchange(server.port, head)
    assert status_of(reply) == 413 and seconds < 1.0


def test_a_stalled_body_is_408_within_the_limit_and_holds_no_thread(server) -> None:  # type: ignore[no-untyped-def]
    """Content-Length 500 with 9 bytes sent: 408 after `body_seconds` (1 s here), and
    meanwhile more stalled clients than the server has threads do not delay anyone."""
    stalled = (
        b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b'Content-Length: 500\r\n\r\n{"type": '
    )
    threads = FAST.threads * 2
    with ThreadPoolExecutor(threads) as executor:
        stalls = [executor.submit(raw_exchange, server.port, stalled) for _ in range(threads)]
        time.sleep(0.3)
        started = time.monotonic()
        assert request(server, "GET", "/healthz")[0] == 200
        assert time.monotonic() - started < 0.5
        answers = [future.result(timeout=10) for future in stalls]
    for reply, seconds in answers:
        assert status_of(reply) == 408
        assert FAST.body_seconds - 0.1 < seconds < FAST.body_seconds + 1.0


def test_stalled_headers_are_408_too(server) -> None:  # type: ignore[no-untyped-def]
    reply, seconds = raw_exchange(server.port, b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")
    assert status_of(reply) == 408 and seconds < FAST.body_seconds + 1.0


def test_100k_deep_nesting_signed_gets_400_at_once(server) -> None:  # type: ignore[no-untyped-def]
    body = '{"type": "event_callback", "event": ' + DEEP + "}"
    started = time.monotonic()
    status, _ = request(server, "POST", "/slack/events", body, signed_headers(body))
    assert status == 400
    assert time.monotonic() - started < 2.0
    assert request(server, "GET", "/healthz")[0] == 200  # and the server is still there


# ---- readiness ----------------------------------------------------------------------------------


def test_readyz_is_200_with_the_store_and_the_model(server) -> None:  # type: ignore[no-untyped-def]
    status, body = request(server, "GET", "/readyz")
    assert status == 200
    assert json.loads(body) == {"ok": True, "store": "ok", "nlu": "loaded"}


def test_readyz_is_503_while_the_model_is_not_loaded(app, store) -> None:  # type: ignore[no-untyped-def]
    running = start(app, store, nlu_ready=lambda: False)
    try:
        status, body = request(running, "GET", "/readyz")
        assert request(running, "GET", "/healthz")[0] == 200  # alive, just not ready
    finally:
        stop(running)
    assert status == 503
    assert json.loads(body) == {"ok": False, "store": "ok", "nlu": "not loaded"}


def test_readyz_is_503_when_the_store_is_down(app, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.store.factory import open_store

    broken = open_store(data_dir=tmp_path / "gone")
    broken.close()
    running = start(app, broken)
    try:
        status, body = request(running, "GET", "/readyz")
    finally:
        stop(running)
    assert status == 503 and json.loads(body)["ok"] is False
    assert json.loads(body)["store"] != "ok"


def test_the_metrics_port_serves_readiness_too(app, store) -> None:  # type: ignore[no-untyped-def]
    side = serving.start_metrics_server(app, store, host="127.0.0.1", port=0)
    try:
        status, body = request(side, "GET", "/readyz")
    finally:
        side.shutdown()
        side.server_close()
    assert status == 200 and json.loads(body)["ok"] is True


# ---- the first steps of a graceful stop ---------------------------------------------------------


def test_after_stop_accepting_new_connections_are_refused_and_open_ones_get_503(  # type: ignore[no-untyped-def]
    app, store, slack
) -> None:
    running = start(app, store)
    try:
        kept = http.client.HTTPConnection("127.0.0.1", running.port, timeout=5)
        kept.request("GET", "/readyz")
        first = kept.getresponse()
        assert first.status == 200
        first.read()

        running.stop_accepting()
        assert running.drain(timeout=5)

        with pytest.raises(OSError):
            socket.create_connection(("127.0.0.1", running.port), timeout=1).close()
        body = dm_body(slack)
        kept.request("POST", "/slack/events", body=body.encode(), headers=signed_headers(body))
        refused = kept.getresponse()
        assert refused.status == 503 and refused.getheader("Retry-After") == "1"
        refused.read()
        kept.close()
    finally:
        stop(running)
    assert app.listener_pool.drain(timeout=5)
    assert store.trackers.load("D01AAA") == []  # the refused event changed nothing


def test_a_request_inside_when_the_stop_begins_is_answered(app, store, slack) -> None:  # type: ignore[no-untyped-def]
    """A signed event whose ack is still being computed when stop_accepting runs gets its
    200, and its turn runs: drain() waits for it."""
    running = start(app, store)
    gate = threading.Event()
    entered = threading.Event()
    original = app.dispatch

    def slow_dispatch(request):  # type: ignore[no-untyped-def]
        entered.set()
        gate.wait(5)
        return original(request)

    app.dispatch = slow_dispatch
    body = dm_body(slack)
    answer: dict[str, int] = {}

    def send() -> None:
        answer["status"] = request(running, "POST", "/slack/events", body, signed_headers(body))[0]

    sender = threading.Thread(target=send)
    try:
        sender.start()
        assert entered.wait(5)
        stopper = threading.Thread(target=running.stop_accepting)
        stopper.start()
        time.sleep(0.2)
        assert not running.drain(timeout=0.1)  # still inside
        gate.set()
        stopper.join(5)
        assert running.drain(timeout=5)
        sender.join(5)
    finally:
        gate.set()
        del app.dispatch
        stop(running)
    assert answer["status"] == 200
    assert last_post(slack, channel="D01AAA", containing="suggest Severity 3")
