"""A worker pool that is fair across conversations and people.

Work is submitted with a key (the conversation it belongs to) and the person who caused it.
Items of one key run in order, one at a time, so a conversation's turns never race and a
slow turn occupies one worker, not the pool. Workers take keys round-robin: after one item,
a key goes to the back of the line. One person may hold only a few workers at once (however
many conversations they keep busy) and may have only a bounded backlog; beyond it their new
work is refused, so nobody can fill the pool and delay everyone else.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter, deque
from collections.abc import Callable
from dataclasses import dataclass

log = logging.getLogger(__name__)

DEFAULT_WORKERS = 8
PER_USER_BACKLOG = 20  # far more than a person types while a turn runs: beyond it is a flood
_NOTICE = "\x00notice"  # the "user" of a refusal notice: never counted or capped


@dataclass(frozen=True)
class _Item:
    user: str
    work: Callable[[], object]


class FairPool:
    """Fixed workers serving per-key queues round-robin, with per-user limits."""

    def __init__(
        self,
        *,
        workers: int = DEFAULT_WORKERS,
        per_user_backlog: int = PER_USER_BACKLOG,
        per_user_workers: int | None = None,
        name: str = "slack-work",
    ) -> None:
        if workers < 1 or per_user_backlog < 1:
            raise ValueError("workers and per_user_backlog must be at least 1")
        self.per_user_backlog = per_user_backlog
        # A quarter of the pool per person (at least one): four busy people cannot fill it.
        self.per_user_workers = per_user_workers or max(1, workers // 4)
        self._cond = threading.Condition()
        self._queues: dict[str, deque[_Item]] = {}  # keys with queued or running work
        self._ready: deque[str] = deque()  # keys with queued work and no worker, in turn
        self._running_users: Counter[str] = Counter()
        self._backlog: Counter[str] = Counter()  # queued + running items per user
        self._told: set[str] = set()  # users refused in this burst (told once)
        self._closed = False
        self._threads = [
            threading.Thread(target=self._serve, name=f"{name}-{i}", daemon=True)
            for i in range(workers)
        ]
        for thread in self._threads:
            thread.start()

    def submit(
        self,
        key: str,
        user: str,
        work: Callable[[], object],
        *,
        on_refused: Callable[[], object] | None = None,
    ) -> bool:
        """Queue `work` behind the key's earlier work; False when refused (over the cap or
        shut down). `on_refused` runs on the pool once per burst, to tell the person."""
        with self._cond:
            if self._closed:
                log.warning("work arrived after shutdown; dropped")
                return False
            if self._backlog[user] >= self.per_user_backlog:
                log.warning("%s has %d requests waiting; dropped one", user, self._backlog[user])
                if on_refused is not None and user not in self._told:
                    self._told.add(user)
                    self._push(f"refused:{user}", _Item(_NOTICE, on_refused))
                return False
            self._backlog[user] += 1
            self._push(key, _Item(user, work))
            return True

    def drain(self, timeout: float | None = None) -> bool:
        """Wait until nothing is queued or running; False on timeout (for tests and serving)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._queues, timeout=timeout)

    def shutdown(self, wait: bool = True, timeout: float | None = None) -> bool:
        """Refuse new work; queued work still runs. `wait` blocks until it has (like
        ThreadPoolExecutor.shutdown), for at most `timeout` seconds when given: then the work
        not started yet is dropped (and counted in the log) and the running work is left to
        finish on its daemon threads. True when everything finished."""
        with self._cond:
            self._closed = True
            self._cond.notify_all()
        if not wait:
            return not self.busy()
        if timeout is not None and not self.drain(timeout):
            dropped = self._drop_queued()
            log.error(
                "shutdown: %d queued requests dropped and %d still running after %.0f s",
                dropped,
                self.busy(),
                timeout,
            )
            return False
        for thread in self._threads:
            if thread is not threading.current_thread():
                thread.join()
        return True

    def busy(self) -> int:
        """How many pieces of work are queued or running."""
        with self._cond:
            return sum(len(queue) for queue in self._queues.values())

    def _drop_queued(self) -> int:
        """Forget every item that has not started; returns how many."""
        dropped = 0
        with self._cond:
            for key in list(self._queues):
                queue = self._queues[key]
                running = key not in self._ready  # its first item is on a worker
                keep = 1 if running else 0
                while len(queue) > keep:
                    item = queue.pop()
                    dropped += 1
                    if item.user != _NOTICE:
                        self._backlog[item.user] -= 1
                        if not self._backlog[item.user]:
                            del self._backlog[item.user]
                if not queue:
                    del self._queues[key]
            self._ready.clear()
            self._cond.notify_all()
        return dropped

    # ---- workers ----------------------------------------------------------------------

    def _push(self, key: str, item: _Item) -> None:
        queue = self._queues.setdefault(key, deque())
        queue.append(item)
        if len(queue) == 1:  # the key was idle: it joins the line (a running key rejoins later)
            self._ready.append(key)
        self._cond.notify_all()  # not notify(): a drain() waiter could take the only wake-up

    def _take(self) -> tuple[str, _Item] | None:
        """The first key in line whose next item's person may have another worker."""
        for key in self._ready:
            item = self._queues[key][0]
            if item.user == _NOTICE or self._running_users[item.user] < self.per_user_workers:
                self._ready.remove(key)
                self._running_users[item.user] += 1
                return key, item
        return None

    def _serve(self) -> None:
        while True:
            with self._cond:
                while (taken := self._take()) is None:
                    if self._closed and not self._queues:
                        return
                    self._cond.wait()
            key, item = taken
            try:
                item.work()
            except Exception as error:  # a worker must outlive any one piece of work
                log.error("pooled work failed: %s", type(error).__name__)
            finally:
                self._finish(key, item)

    def _finish(self, key: str, item: _Item) -> None:
        with self._cond:
            self._running_users[item.user] -= 1
            if not self._running_users[item.user]:
                del self._running_users[item.user]
            if item.user != _NOTICE:
                self._backlog[item.user] -= 1
                if not self._backlog[item.user]:
                    del self._backlog[item.user]
                    self._told.discard(item.user)
            queue = self._queues[key]
            queue.popleft()
            if queue:
                self._ready.append(key)  # to the back of the line: round-robin
            else:
                del self._queues[key]
            self._cond.notify_all()
