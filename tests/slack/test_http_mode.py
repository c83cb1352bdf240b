"""HTTP mode on loopback: /healthz, signed requests through the real server, bad requests."""

from __future__ import annotations

import http.client
import json
import socket
from collections.abc import Iterator

import pytest

from bot.slack.http_server import SlackHTTPServer
from tests.slack.conftest import REPORT, last_post, sign


@pytest.fixture
def server(app, store) -> Iterator[SlackHTTPServer]:  # type: ignore[no-untyped-def]
    running = SlackHTTPServer(("127.0.0.1", 0), app=app, store=store)
    running.start_in_background()
    yield running
    running.shutdown()
    running.server_close()


def request(server: SlackHTTPServer, method: str, path: str, body: str = "", headers=None):  # type: ignore[no-untyped-def]
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    connection.request(method, path, body=body.encode(), headers=headers or {})
    response = connection.getresponse()
    payload = response.read().decode()
    connection.close()
    return response.status, payload


def signed_headers(body: str, **extra: str) -> dict[str, str]:
    headers = {k: v[0] for k, v in sign(body).items()}
    return {"Content-Type": "application/json", **headers, **extra}


def test_healthz_reports_the_store(server) -> None:  # type: ignore[no-untyped-def]
    status, body = request(server, "GET", "/healthz")
    assert status == 200 and json.loads(body) == {"ok": True, "store": "ok"}


def test_healthz_is_503_when_the_store_is_down(app, store, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from bot.store.factory import open_store

    broken = open_store(data_dir=tmp_path / "gone")
    broken.close()
    running = SlackHTTPServer(("127.0.0.1", 0), app=app, store=broken)
    running.start_in_background()
    try:
        status, body = request(running, "GET", "/healthz")
    finally:
        running.shutdown()
        running.server_close()
    assert status == 503 and json.loads(body)["ok"] is False


def test_a_signed_event_over_http_is_acked_and_answered(server, slack) -> None:  # type: ignore[no-untyped-def]
    body = slack.envelope(
        {
            "type": "message",
            "channel": "D01AAA",
            "channel_type": "im",
            "user": "U01AAA",
            "text": REPORT,
            "ts": slack.next_ts(),
        }
    )
    status, _ = request(server, "POST", "/slack/events", body, signed_headers(body))
    assert status == 200
    assert last_post(slack, channel="D01AAA", containing="suggest Severity 3")


def test_forged_and_unsigned_requests_get_401_over_http(server, slack, fake_slack, store) -> None:  # type: ignore[no-untyped-def]
    body = slack.envelope(
        {
            "type": "message",
            "channel": "D01AAA",
            "channel_type": "im",
            "user": "U01AAA",
            "text": REPORT,
            "ts": slack.next_ts(),
        }
    )
    forged = {**signed_headers(body), "x-slack-signature": "v0=" + "ab" * 32}
    assert request(server, "POST", "/slack/events", body, forged)[0] == 401
    unsigned = {"Content-Type": "application/json"}
    assert request(server, "POST", "/slack/events", body, unsigned)[0] == 401
    assert fake_slack.wait_for("chat.postMessage", timeout=1) == []
    assert store.trackers.load("D01AAA") == []


def test_unknown_paths_and_oversized_bodies_are_refused(server) -> None:  # type: ignore[no-untyped-def]
    assert request(server, "GET", "/admin")[0] == 404
    assert request(server, "POST", "/other", "{}")[0] == 404
    # A body announced as too large is refused before it is read.
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        raw.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 2000000\r\n\r\n"
        )
        status_line = raw.recv(200).split(b"\r\n", 1)[0]
    assert status_line.startswith(b"HTTP/1.1 413 ")
