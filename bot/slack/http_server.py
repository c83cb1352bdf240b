"""HTTP mode: Slack's Events API, interactivity and commands on one URL, plus `/healthz` and
`/metrics` (Prometheus text format, see bot.metrics). `MetricsHTTPServer` serves only the
last two, for Socket Mode (`supportbot serve --socket --metrics-port N`).

A small threaded WSGI-free server from the standard library. Each request is read (with a
size cap and a time limit for the whole body), its Slack signature checked (401 at once),
its body checked to be something Bolt can read (400 at once, see bot.slack.request_checks),
and only then handed to Bolt as a `BoltRequest`; Bolt verifies the signature again and its
response is written back. Refusals are logged in a line, never with the body or a traceback.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Sequence
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlparse

from slack_bolt import App, BoltRequest
from slack_sdk.signature import SignatureVerifier

from bot import metrics
from bot.slack.request_checks import blank_non_string_text, body_problem
from bot.store.base import Store

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
METRICS_PATH = "/metrics"
MAX_BODY_BYTES = 1_000_000  # Slack payloads are far smaller; refuse floods early
BODY_SECONDS = 5.0  # for the whole body: Slack sends it at once, a stalled client is dropped


def health(store: Store) -> tuple[int, dict[str, Any]]:
    """200 when the store answers, 503 otherwise (the load balancer stops sending traffic)."""
    try:
        store.ping()
    except Exception as error:
        return 503, {"ok": False, "store": type(error).__name__}
    return 200, {"ok": True, "store": "ok"}


class SlackHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 makes bursts wait a TCP retransmit (1 s)

    def __init__(
        self,
        address: tuple[str, int],
        *,
        app: App,
        store: Store,
        signing_secret: str | None = None,
    ) -> None:
        """`signing_secret` defaults to the app's own: requests are checked here before Bolt
        parses anything, and again by Bolt."""
        # Bolt keeps the secret it was built with here and has no public accessor for it.
        secret = signing_secret or getattr(app, "_signing_secret", None)
        if not secret:
            raise ValueError("HTTP mode needs the app's signing secret")
        self.app = app
        self.store = store
        self.verifier = SignatureVerifier(secret)
        super().__init__(address, _Handler)

    def signed(self, body: str, timestamp: str | None, signature: str | None) -> bool:
        """Slack's signature over this body, with a timestamp within five minutes."""
        try:
            return self.verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
        except (ValueError, TypeError):  # a timestamp that is not a number
            return False

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def start_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="slack-http", daemon=True)
        thread.start()
        return thread


class MetricsHTTPServer(ThreadingHTTPServer):
    """Only GET /healthz and /metrics: for Socket Mode, where Slack needs no HTTP endpoint."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], *, app: App, store: Store) -> None:
        self.app = app
        self.store = store
        super().__init__(address, _ReadOnlyHandler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def start_in_background(self) -> threading.Thread:
        thread = threading.Thread(target=self.serve_forever, name="metrics-http", daemon=True)
        thread.start()
        return thread


class _ReadOnlyHandler(BaseHTTPRequestHandler):
    server: SlackHTTPServer | MetricsHTTPServer
    protocol_version = "HTTP/1.1"
    timeout = 30  # seconds a client may stall in its headers or idle between requests

    def do_GET(self) -> None:
        path = urlparse(self.path).path
        if path == HEALTH_PATH:
            status, body = health(self.server.store)
            self._send(status, json.dumps(body).encode(), "application/json")
            return
        if path == METRICS_PATH:
            text = metrics.render(self.server.app, self.server.store)
            self._send(200, text, metrics.CONTENT_TYPE)
            return
        self._send(404, b"not found", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        log.debug("http %s", format % args)  # request lines only, never headers or bodies


class _Handler(_ReadOnlyHandler):
    server: SlackHTTPServer

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
            self._refuse(413, b"payload too large")
            return
        raw = self._read_body(length)
        if raw is None:
            log.info("dropped a request whose body did not arrive in %.0f s", BODY_SECONDS)
            self._refuse(408, b"request timeout")
            return
        request = self._bolt_request(raw.decode("utf-8", errors="replace"), parsed.query)
        if request is None:
            return
        blank_non_string_text(request.body)
        response = self.server.app.dispatch(request)
        response_type = (response.headers.get("content-type") or ["text/plain"])[0]
        self._send(response.status, (response.body or "").encode(), response_type)

    def _bolt_request(self, body: str, query: str) -> BoltRequest | None:
        """The request for Bolt, or None once refused: 401 unless Slack signed it (a body
        that is not UTF-8 fails here too), 400 when Bolt could not read it."""
        if not self.server.signed(
            body,
            self.headers.get("X-Slack-Request-Timestamp"),
            self.headers.get("X-Slack-Signature"),
        ):
            log.info("refused a request without a valid Slack signature")
            self._send(401, b'{"error": "invalid request"}', "application/json")
            return None
        content_type = self.headers.get("Content-Type")
        problem = body_problem(body, content_type.split(";")[0] if content_type else None)
        headers: dict[str, str | Sequence[str]] = {}
        for name, value in self.headers.items():
            previous = headers.get(name.lower(), ())
            headers[name.lower()] = [*previous, value]
        if problem is None:
            try:
                return BoltRequest(body=body, query=query, headers=headers)
            except Exception as error:  # a shape Bolt's context builder does not expect
                problem = type(error).__name__
        log.warning("refused a signed request: %s", problem)
        self._send(400, b'{"error": "unreadable body"}', "application/json")
        return None

    def _read_body(self, length: int) -> bytes | None:
        """The whole body within BODY_SECONDS, or None: a client that announces more than it
        sends must not hold a request thread for the connection's idle timeout."""
        deadline = time.monotonic() + BODY_SECONDS
        chunks: list[bytes] = []
        remaining = length
        try:
            while remaining > 0:
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self.connection.settimeout(left)
                chunk = self.rfile.read1(min(remaining, 65536))
                if not chunk:
                    return None  # the client closed early
                chunks.append(chunk)
                remaining -= len(chunk)
        except OSError:  # TimeoutError included
            return None
        finally:
            self.connection.settimeout(self.timeout)
        return b"".join(chunks)

    def _refuse(self, status: int, message: bytes) -> None:
        """Answer and close: what is left of the body on the connection is never read."""
        self.close_connection = True
        with contextlib.suppress(OSError):  # the client may have gone already
            self._send(status, message, "text/plain")
