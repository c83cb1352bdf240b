"""HTTP mode: Slack's Events API, interactivity and commands on one URL, plus `/healthz`.

A small threaded WSGI-free server from the standard library: each request is read (with a
size cap), handed to Bolt as a `BoltRequest` (Bolt verifies the signature and timestamp) and
Bolt's response is written back. Bolt acks before the listener finishes, so the pool of
request threads only carries the ack path.
"""

from __future__ import annotations

import json
import logging
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlparse

from slack_bolt import App, BoltRequest

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
MAX_BODY_BYTES = 1_000_000  # Slack payloads are far smaller; refuse floods early


def health(store: Any) -> tuple[int, dict[str, Any]]:
    """200 when the store answers, 503 otherwise (the load balancer stops sending traffic)."""
    try:
        store.ping()
    except Exception as error:
        return 503, {"ok": False, "store": type(error).__name__}
    return 200, {"ok": True, "store": "ok"}


class SlackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 makes bursts wait a TCP retransmit (1 s)

    def __init__(self, address: tuple[str, int], *, app: App, store: Any) -> None:
        self.app = app
        self.store = store
        super().__init__(address, _Handler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def start_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="slack-http", daemon=True)
        thread.start()
        return thread


class _Handler(BaseHTTPRequestHandler):
    server: SlackHTTPServer
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a client may stall mid-request before its connection is dropped

    def do_GET(self) -> None:
        if urlparse(self.path).path == HEALTH_PATH:
            status, body = health(self.server.store)
            self._send(status, json.dumps(body).encode(), "application/json")
            return
        self._send(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        parsed = urlparse(self.path)
        if parsed.path != EVENTS_PATH:
            self._send(404, b"not found", "text/plain")
            return
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY_BYTES:
            self._send(413, b"payload too large", "text/plain")
            self.close_connection = True
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        headers: dict[str, list[str]] = {}
        for name, value in self.headers.items():
            headers.setdefault(name.lower(), []).append(value)
        request = BoltRequest(body=body, query=parsed.query, headers=headers)
        response = self.server.app.dispatch(request)
        content_type = (response.headers.get("content-type") or ["text/plain"])[0]
        self._send(response.status, (response.body or "").encode(), content_type)

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("http %s", format % args)  # request lines only, never headers or bodies
