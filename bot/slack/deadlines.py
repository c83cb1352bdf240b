"""Runs the engine's deadlines (reminders, closure notices, closures) on a schedule.

The same loop sweeps the outbox (bot.slack.outbox) at its own interval.

The engine claims each due timer in the store before firing it, so every replica can run
this loop and each reminder is still posted once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger(__name__)

DEFAULT_INTERVAL_SECONDS = 30.0


class DeadlineLoop:
    def __init__(
        self,
        *,
        fire: Callable[[], int],
        interval_seconds: float = DEFAULT_INTERVAL_SECONDS,
        name: str = "deadlines",
    ) -> None:
        self.fire = fire
        self.interval_seconds = interval_seconds
        self.name = name
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)

    def start(self) -> DeadlineLoop:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=self.interval_seconds + 5)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_seconds):
            try:
                self.fire()
            except Exception as error:  # keep the loop alive; the next tick tries again
                log.error("%s run failed: %s", self.name, type(error).__name__, exc_info=True)
