"""A fake Slack Web API on loopback: records every call and answers like Slack would.

Tests point the real slack_sdk WebClient at it (base_url) and then read `calls` to see what
the app posted. `fail_next(method, status=429, retry_after=1)` makes the next call(s) of a
method fail the way Slack does, to exercise the retry handlers.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_USER_ID = "UBOTSELF"
BOT_ID = "BBOTSELF"
TEAM_ID = "T0TEAM"

DEFAULT_TIMEZONES = {
    "U01AAA": "America/Chicago",
    "U01CCC": "America/Chicago",
    "U02AAA": "Europe/Berlin",
    "U03AAA": "Australia/Sydney",
    "U0STAFF1": "Europe/London",
}


@dataclass(frozen=True)
class Call:
    method: str
    params: dict[str, Any]
    authorization: str
    at: float
    response: dict[str, Any] = field(default_factory=dict)

    def __getitem__(self, key: str) -> Any:
        return self.params[key]

    def get(self, key: str, default: Any = None) -> Any:
        return self.params.get(key, default)


@dataclass
class Failure:
    status: int
    retry_after: int | None
    body: dict[str, Any] = field(default_factory=dict)
    channel: str | None = None  # only calls to this channel fail

    def hits(self, params: dict[str, Any]) -> bool:
        return self.channel is None or params.get("channel") == self.channel


def _decode_params(content_type: str, raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    if "json" in content_type:
        return json.loads(raw.decode())
    params: dict[str, Any] = dict(parse_qsl(raw.decode(), keep_blank_values=True))
    for key in ("blocks", "view", "attachments"):
        if isinstance(params.get(key), str):
            with contextlib.suppress(json.JSONDecodeError):
                params[key] = json.loads(params[key])
    return params


class FakeSlack:
    """Start with `with FakeSlack() as slack:`; `slack.url` is the Web API base URL."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.failures: dict[str, list[Failure]] = {}
        self.timezones = dict(DEFAULT_TIMEZONES)
        self.socket_urls: list[str] = []  # apps.connections.open hands these out in turn
        self._ts = itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}/api/"

    def __enter__(self) -> FakeSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    # ---- programming the fake ------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        *,
        status: int = 429,
        retry_after: int | None = 1,
        times: int = 1,
        error: str | None = None,
        channel: str | None = None,
    ) -> None:
        """The next `times` calls fail: 429 (rate limited), 5xx, or 200 with an API error.

        With `channel`, only calls to that channel fail (and count towards `times`).
        """
        default = "ratelimited" if status == 429 else "internal_error"
        body = {"ok": False, "error": error or default}
        with self._lock:
            self.failures.setdefault(method, []).extend(
                Failure(status=status, retry_after=retry_after, body=body, channel=channel)
                for _ in range(times)
            )

    # ---- reading what happened ----------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(
        self,
        method: str,
        predicate: Callable[[Call], bool] = lambda _c: True,
        *,
        count: int = 1,
        timeout: float = 10.0,
    ) -> list[Call]:
        """Calls of `method` matching `predicate`, once `count` have arrived (bounded wait)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls_to(method) if predicate(c)]
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.02)

    def posted_texts(self, channel: str | None = None) -> list[str]:
        return [
            str(c.get("text", ""))
            for c in self.calls_to("chat.postMessage")
            if channel is None or c.get("channel") == channel
        ]

    # ---- answering ----------------------------------------------------------------------

    def _answer(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        ts = f"{1763700000 + next(self._ts)}.000100"
        if method == "auth.test":
            return {"ok": True, "user_id": BOT_USER_ID, "bot_id": BOT_ID, "team_id": TEAM_ID}
        if method in ("chat.postMessage", "chat.update"):
            return {"ok": True, "channel": params.get("channel"), "ts": params.get("ts") or ts}
        if method == "conversations.history":  # called with the lock held
            return {"ok": True, "messages": self._history(str(params.get("channel")))}
        if method == "chat.postEphemeral":
            return {"ok": True, "message_ts": ts}
        if method == "chat.getPermalink":
            message = str(params.get("message_ts", "")).replace(".", "")
            link = f"https://acme-support.slack.com/archives/{params.get('channel')}/p{message}"
            return {"ok": True, "channel": params.get("channel"), "permalink": link}
        if method == "conversations.open":
            users = str(params.get("users", ""))
            return {"ok": True, "channel": {"id": "D" + users.replace(",", "")[1:]}}
        if method == "users.info":
            user = str(params.get("user", ""))
            tz = self.timezones.get(user)
            if tz is None:
                return {"ok": False, "error": "user_not_found"}
            return {"ok": True, "user": {"id": user, "tz": tz, "is_bot": False}}
        if method in ("views.open", "views.publish", "views.update", "views.push"):
            return {"ok": True, "view": {"id": "V" + ts.replace(".", "")}}
        if method == "apps.connections.open":
            url = self.socket_urls.pop(0) if len(self.socket_urls) > 1 else None
            return {"ok": True, "url": url or (self.socket_urls or ["ws://127.0.0.1:9/"])[0]}
        return {"ok": True}

    def _history(self, channel: str) -> list[dict[str, Any]]:
        """The channel's accepted top-level messages, newest first, as Slack lists them."""
        posted = [
            c
            for c in self.calls
            if c.method == "chat.postMessage"
            and c.params.get("channel") == channel
            and not c.params.get("thread_ts")
            and c.response.get("ok")
        ]
        return [
            {
                "type": "message",
                "ts": c.response["ts"],
                "text": c.params.get("text", ""),
                **({"metadata": c.params["metadata"]} if c.params.get("metadata") else {}),
            }
            for c in reversed(posted)
        ]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                method = self.path.rsplit("/", 1)[-1]
                length = int(self.headers.get("Content-Length") or 0)
                params = _decode_params(
                    self.headers.get("Content-Type", ""), self.rfile.read(length)
                )
                with fake._lock:
                    pending = fake.failures.get(method) or []
                    index = next((i for i, f in enumerate(pending) if f.hits(params)), None)
                    failure = pending.pop(index) if index is not None else None
                    answer = failure.body if failure else fake._answer(method, params)
                    authorization = self.headers.get("Authorization", "")
                    fake.calls.append(Call(method, params, authorization, time.time(), answer))
                if failure is not None:
                    self._send(failure.status, failure.body, retry_after=failure.retry_after)
                    return
                self._send(200, answer)

            def _send(self, status: int, body: dict[str, Any], retry_after: int | None = None):
                encoded = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(encoded)))
                if retry_after is not None and status == 429:
                    self.send_header("Retry-After", str(retry_after))
                self.end_headers()
                self.wfile.write(encoded)

            def log_message(self, format: str, *args: Any) -> None:  # quiet test output
                return

        return Handler
