"""Socket Mode with a watchdog that restores a connection that stopped receiving.

slack_sdk's built-in client already reconnects when the socket closes, and when pongs stop
arriving after at least one was seen. A connection that never answered a ping, or a server
that keeps the socket open but sends nothing, slips through both. The watchdog tracks the
last sign of life (a message or a pong) and forces a fresh connection (a new WSS URL from
apps.connections.open) when the silence is longer than `stale_after` seconds.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler

log = logging.getLogger(__name__)

PING_INTERVAL_SECONDS = 10.0
STALE_AFTER_SECONDS = 45.0


class LivenessWatchdog:
    """Decides when a connection is stale; `check()` reconnects it. Pure apart from I/O hooks."""

    def __init__(
        self,
        *,
        last_sign_of_life: Callable[[], float | None],
        reconnect: Callable[[], None],
        stale_after: float = STALE_AFTER_SECONDS,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.last_sign_of_life = last_sign_of_life
        self.reconnect = reconnect
        self.stale_after = stale_after
        self.clock = clock
        self.reconnects = 0
        self._watching_since = clock()

    def check(self) -> bool:
        """Reconnect when nothing was heard for too long; True when it reconnected."""
        now = self.clock()
        heard = self.last_sign_of_life()
        latest = max(heard or 0.0, self._watching_since)
        if now - latest <= self.stale_after:
            return False
        log.warning("Socket Mode connection silent for %.0f s; reconnecting", now - latest)
        try:
            self.reconnect()
        except Exception as error:  # try again at the next check
            log.error("Socket Mode reconnect failed: %s", type(error).__name__)
            return False
        self.reconnects += 1
        self._watching_since = self.clock()
        return True


class WatchedSocketModeHandler(SocketModeHandler):
    """Bolt's Socket Mode handler plus the liveness watchdog on its own thread."""

    def __init__(
        self,
        app: App,
        app_token: str,
        *,
        stale_after: float = STALE_AFTER_SECONDS,
        ping_interval: float = PING_INTERVAL_SECONDS,
        concurrency: int = 8,
    ) -> None:
        super().__init__(app, app_token, ping_interval=ping_interval, concurrency=concurrency)
        self._last_message = 0.0
        self.client.message_listeners.append(self._heard)
        self.watchdog = LivenessWatchdog(
            last_sign_of_life=self._last_sign_of_life,
            reconnect=lambda: self.client.connect_to_new_endpoint(force=True),
            stale_after=stale_after,
        )
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._watch, name="socket-watchdog", daemon=True)

    def _heard(self, *_args: Any) -> None:
        self._last_message = time.time()

    def _last_sign_of_life(self) -> float | None:
        session = self.client.current_session
        pong = getattr(session, "last_ping_pong_time", None) if session else None
        return max(pong or 0.0, self._last_message) or None

    def _watch(self) -> None:
        while not self._stop.wait(min(5.0, self.watchdog.stale_after / 3)):
            self.watchdog.check()

    def connect(self) -> None:
        super().connect()
        if not self._thread.is_alive():
            self._thread.start()

    def close(self) -> None:
        self._stop.set()
        try:
            super().close()
        except AttributeError:
            # slack_sdk's built-in connection can race with its own receive thread while
            # closing (its socket becomes None mid-close); the socket is closed either way.
            log.debug("Socket Mode connection was already closing")
