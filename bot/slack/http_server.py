"""HTTP mode: Slack's Events API, interactivity and commands on one URL, plus `/healthz`
(liveness), `/readyz` (readiness) and `/metrics` (Prometheus text format, see bot.metrics).
`MetricsHTTPServer` serves only the GET paths, for Socket Mode
(`supportbot serve --socket --metrics-port N`).

Served by waitress (a maintained, pure-Python WSGI server) embedded in the process, through
Bolt's own WSGI adapter (`slack_bolt.adapter.wsgi.SlackRequestHandler`). Waitress reads each
request on its event loop and hands it to a worker thread only once it arrived whole, so a
slow or stalled client never holds a thread; it refuses an announced body over the size
limit (413) and malformed HTTP (400) itself. On top of it:

- a request (headers and body) that does not arrive within `body_seconds` is answered 408
  and the connection closed (waitress alone would drop it silently after its idle timeout);
- before Bolt parses anything, the Slack signature is checked (401) and the body checked to
  be something Bolt can read (400, see bot.slack.request_checks); Bolt verifies the
  signature again;
- `stop_accepting()` closes the listening socket and answers what still arrives on open
  connections with 503 (Slack retries it, on another replica or after the restart), and
  `drain()` waits for the requests already inside to be answered: the first steps of a
  graceful shutdown (bot.slack.serving).

Refusals are logged in a line, never with the body or a traceback.
"""

from __future__ import annotations

import contextlib
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_sdk.signature import SignatureVerifier
from waitress import wasyncore
from waitress.adjustments import Adjustments
from waitress.channel import HTTPChannel
from waitress.server import TcpWSGIServer
from waitress.task import ThreadedTaskDispatcher

from bot import metrics
from bot.slack.request_checks import blank_non_string_text, body_problem
from bot.store.base import Store

if TYPE_CHECKING:
    from wsgiref.types import StartResponse, WSGIEnvironment

log = logging.getLogger(__name__)
# Waitress warns whenever more requests wait than it has idle threads: in a burst of Slack
# events that is normal (each request only acks and queues its work), so only errors show.
logging.getLogger("waitress.queue").setLevel(logging.ERROR)

EVENTS_PATH = "/slack/events"
HEALTH_PATH = "/healthz"
READY_PATH = "/readyz"
METRICS_PATH = "/metrics"
MAX_BODY_BYTES = 1_000_000  # Slack payloads are far smaller; refuse floods early
BODY_SECONDS = 5.0  # for a whole request: Slack sends it at once, a stalled client is dropped
IDLE_SECONDS = 30  # a kept-alive connection with nothing to say is closed after this
HTTP_THREADS = 8  # requests only ack and queue (bot.slack.fair_pool): threads are short-lived
LOOP_SECONDS = 0.25  # how often the server looks for stalled requests
JSON = "application/json"
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class ServerLimits:
    """What one request may cost: its size, its time to arrive, a connection's idle time."""

    max_body_bytes: int = MAX_BODY_BYTES
    body_seconds: float = BODY_SECONDS
    idle_seconds: int = IDLE_SECONDS
    threads: int = HTTP_THREADS
    connection_limit: int = 256


def health(store: Store) -> tuple[int, dict[str, Any]]:
    """Liveness: 200 when the store answers, 503 otherwise."""
    try:
        store.ping()
    except Exception as error:
        return 503, {"ok": False, "store": type(error).__name__}
    return 200, {"ok": True, "store": "ok"}


def nlu_loaded(app: App) -> bool:
    """True once the app's engine holds its NLU (`open_engine` loads the model at start)."""
    engine = getattr(getattr(app, "flows", None), "engine", None)
    return getattr(engine, "nlu", None) is not None


def readiness(
    store: Store, *, nlu_ready: bool, draining: bool = False
) -> tuple[int, dict[str, Any]]:
    """Readiness: 200 when the store answers ping, the NLU model is loaded and the server is
    not shutting down; 503 (with what is missing) otherwise."""
    status, body = health(store)
    body = {**body, "nlu": "loaded" if nlu_ready else "not loaded"}
    if draining:
        body["shutting_down"] = True
    ready = status == 200 and nlu_ready and not draining
    return (200 if ready else 503), {**body, "ok": ready}


class _Channel(HTTPChannel):
    """Waitress's connection, remembering when its current request started to arrive."""

    _partial: object | None = None
    _partial_since = 0.0

    def received(self, data: bytes) -> bool:
        result = bool(super().received(data))
        if self.request is not self._partial:
            self._partial = self.request
            self._partial_since = time.monotonic()
        return result

    def expire_if_stalled(self, now: float, limit: float) -> bool:
        """Answer 408 and close when a request has been arriving for more than `limit` s.

        Runs on the server's loop thread, like `received`, and only between requests (no
        response of this connection is being written), so the 408 cannot interleave."""
        if self.request is None or self.requests or self.will_close or self.close_when_flushed:
            return False
        if now - self._partial_since <= limit:
            return False
        body = b"request timeout"
        self.request = None
        self._partial = None
        self.write_soon(
            b"HTTP/1.1 408 Request Timeout\r\nContent-Type: text/plain\r\nConnection: close\r\n"
            b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
        )
        self.close_when_flushed = True
        return True


class _Waitress(TcpWSGIServer):
    channel_class = _Channel


class _Bolt(SlackRequestHandler):
    """Bolt's WSGI adapter, with the signature and body checked before Bolt parses anything."""

    def __init__(self, app: App, verifier: SignatureVerifier) -> None:
        super().__init__(app, path=EVENTS_PATH)
        self.verifier = verifier

    def signed(self, body: str, timestamp: str | None, signature: str | None) -> bool:
        """Slack's signature over this body, with a timestamp within five minutes."""
        try:
            return self.verifier.is_valid(body=body, timestamp=timestamp, signature=signature)
        except (ValueError, TypeError):  # a timestamp that is not a number
            return False

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        environ = request.environ
        length = int(environ.get("CONTENT_LENGTH") or 0)
        # Waitress has read the whole body already (and refused one over the limit).
        raw = environ["wsgi.input"].read(length) if length > 0 else b""
        body = raw.decode("utf-8", errors="replace")  # not UTF-8: the signature fails
        if not self.signed(
            body,
            environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP"),
            environ.get("HTTP_X_SLACK_SIGNATURE"),
        ):
            log.info("refused a request without a valid Slack signature")
            return BoltResponse(
                status=401, body='{"error": "invalid request"}', headers={"content-type": JSON}
            )
        content_type = environ.get("CONTENT_TYPE")
        problem = body_problem(body, content_type.split(";")[0] if content_type else None)
        headers: dict[str, str | Sequence[str]] = dict(request.get_headers())
        if problem is None:
            try:
                bolt_request = BoltRequest(body=body, query=request.query_string, headers=headers)
            except Exception as error:  # a shape Bolt's context builder does not expect
                problem = type(error).__name__
            else:
                blank_non_string_text(bolt_request.body)
                return self.app.dispatch(bolt_request)
        log.warning("refused a signed request: %s", problem)
        return BoltResponse(
            status=400, body='{"error": "unreadable body"}', headers={"content-type": JSON}
        )


class _Site:
    """The WSGI application: the GET paths here, Slack's POSTs through Bolt's adapter."""

    def __init__(
        self,
        *,
        app: App,
        store: Store,
        bolt: _Bolt | None,
        nlu_ready: Callable[[], bool],
    ) -> None:
        self.app = app
        self.store = store
        self.bolt = bolt
        self.nlu_ready = nlu_ready
        self.draining = False
        self._inside = 0
        self._cond = threading.Condition()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET")
        path = environ.get("PATH_INFO", "")
        if method == "GET" and path == HEALTH_PATH:
            status, body = health(self.store)
            return _answer(start_response, status, json.dumps(body).encode(), JSON)
        if method == "GET" and path == READY_PATH:
            status, body = readiness(
                self.store, nlu_ready=self._nlu_ready(), draining=self.draining
            )
            return _answer(start_response, status, json.dumps(body).encode(), JSON)
        if method == "GET" and path == METRICS_PATH:
            text = metrics.render(self.app, self.store)
            return _answer(start_response, 200, text, metrics.CONTENT_TYPE)
        if self.bolt is None or path != EVENTS_PATH or method != "POST":
            return _answer(start_response, 404, b"not found", TEXT)
        with self._cond:
            if self.draining:
                refused = True
            else:
                refused = False
                self._inside += 1
        if refused:
            log.info("refused a Slack request while shutting down (Slack retries it)")
            return _answer(
                start_response,
                503,
                b'{"error": "shutting down"}',
                JSON,
                [("Retry-After", "1")],
            )
        try:
            return self.bolt(environ, start_response)
        finally:
            with self._cond:
                self._inside -= 1
                self._cond.notify_all()

    def _nlu_ready(self) -> bool:
        try:
            return bool(self.nlu_ready())
        except Exception:
            return False

    def stop_taking(self) -> None:
        with self._cond:
            self.draining = True

    def wait_idle(self, timeout: float) -> bool:
        with self._cond:
            return self._cond.wait_for(lambda: self._inside == 0, timeout=timeout)


def _answer(
    start_response: StartResponse,
    status: int,
    body: bytes,
    content_type: str,
    extra: list[tuple[str, str]] | None = None,
) -> list[bytes]:
    from http import HTTPStatus

    start_response(
        f"{status} {HTTPStatus(status).phrase}",
        [("Content-Type", content_type), ("Content-Length", str(len(body))), *(extra or [])],
    )
    return [body]


class _EmbeddedServer:
    """Waitress on one address, run on a background thread, with a graceful stop."""

    thread_name = "http"

    def __init__(self, address: tuple[str, int], site: _Site, limits: ServerLimits) -> None:
        self.site = site
        self.limits = limits
        host, port = address
        # waitress's stubs type several of these attributes loosely; used as waitress does.
        self._adjustments: Any = cast(Any, Adjustments)(
            host=host,
            port=port,
            threads=limits.threads,
            max_request_body_size=limits.max_body_bytes,
            channel_timeout=limits.idle_seconds,
            cleanup_interval=1,
            connection_limit=limits.connection_limit,
            ident="supportbot",
            asyncore_use_poll=True,
            clear_untrusted_proxy_headers=False,
        )
        self._map: dict[int, Any] = {}
        self._dispatcher = ThreadedTaskDispatcher()
        self._dispatcher.set_thread_count(limits.threads)
        self._server: Any = cast(Any, _Waitress)(
            site,
            map=self._map,
            dispatcher=self._dispatcher,
            adj=self._adjustments,
            sockinfo=self._adjustments.listen[0],
        )
        self._port = int(self._server.effective_port)
        self._stop = threading.Event()
        self._close_listener = threading.Event()
        self._listening = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._port

    def start_in_background(self) -> threading.Thread:
        self._thread = threading.Thread(target=self._run, name=self.thread_name, daemon=True)
        self._thread.start()
        return self._thread

    def serve_forever(self) -> None:
        """Serve on this thread until `shutdown()`."""
        self._run()

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                wasyncore.loop(timeout=LOOP_SECONDS, map=self._map, use_poll=True, count=1)
                if self._close_listener.is_set() and self._listening:
                    self._listening = False
                    self._server.accepting = False
                    wasyncore.dispatcher.close(self._server)  # the listener only
                now = time.monotonic()
                for channel in list(self._server.active_channels.values()):
                    if isinstance(channel, _Channel) and channel.expire_if_stalled(
                        now, self.limits.body_seconds
                    ):
                        log.info(
                            "dropped a request that did not arrive in %.0f s",
                            self.limits.body_seconds,
                        )
                if not self._listening:  # waitress's idle clean-up runs only while listening
                    self._server.maintenance(time.time())
        finally:
            self._server.trigger.close()
            wasyncore.close_all(self._map)
            self._dispatcher.shutdown(timeout=5)

    def _wake(self) -> None:
        with contextlib.suppress(OSError):  # already closed
            self._server.trigger.pull_trigger()

    def stop_accepting(self) -> None:
        """Close the listening socket; what still arrives on open connections gets 503."""
        self.site.stop_taking()
        self._close_listener.set()
        self._wake()
        if self._thread is None or not self._thread.is_alive():
            return
        deadline = time.monotonic() + 5.0
        while self._listening and time.monotonic() < deadline:
            time.sleep(0.01)

    def drain(self, timeout: float = 10.0) -> bool:
        """Wait until the requests already inside are answered and their answers sent."""
        deadline = time.monotonic() + timeout
        if not self.site.wait_idle(timeout):
            return False
        while time.monotonic() < deadline:
            channels = list(self._server.active_channels.values())
            if not any(c.requests or c.total_outbufs_len for c in channels):
                return True
            time.sleep(0.01)
        return False

    def shutdown(self) -> None:
        """Stop serving (open connections are closed) and wait for the loop to end."""
        self._stop.set()
        self._wake()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)

    def server_close(self) -> None:
        """Kept for callers of the old server; `shutdown()` already closed everything."""
        if self._thread is None:  # never started: release the socket
            self._stop.set()
            self._server.trigger.close()
            wasyncore.close_all(self._map)
            self._dispatcher.shutdown(timeout=5)


class SlackHTTPServer(_EmbeddedServer):
    """`/slack/events` through Bolt, `/healthz`, `/readyz` and `/metrics`."""

    thread_name = "slack-http"

    def __init__(
        self,
        address: tuple[str, int],
        *,
        app: App,
        store: Store,
        signing_secret: str | None = None,
        limits: ServerLimits | None = None,
        nlu_ready: Callable[[], bool] | None = None,
    ) -> None:
        """`signing_secret` defaults to the app's own: requests are checked here before Bolt
        parses anything, and again by Bolt."""
        # Bolt keeps the secret it was built with here and has no public accessor for it.
        secret = signing_secret or getattr(app, "_signing_secret", None)
        if not secret:
            raise ValueError("HTTP mode needs the app's signing secret")
        self.app = app
        self.store = store
        site = _Site(
            app=app,
            store=store,
            bolt=_Bolt(app, SignatureVerifier(secret)),
            nlu_ready=nlu_ready or (lambda: nlu_loaded(app)),
        )
        super().__init__(address, site, limits or ServerLimits())


class MetricsHTTPServer(_EmbeddedServer):
    """Only GET /healthz, /readyz and /metrics: for Socket Mode, where Slack needs no URL."""

    thread_name = "metrics-http"

    def __init__(
        self,
        address: tuple[str, int],
        *,
        app: App,
        store: Store,
        limits: ServerLimits | None = None,
        nlu_ready: Callable[[], bool] | None = None,
    ) -> None:
        self.app = app
        self.store = store
        site = _Site(
            app=app, store=store, bolt=None, nlu_ready=nlu_ready or (lambda: nlu_loaded(app))
        )
        super().__init__(address, site, limits or ServerLimits(threads=2))
