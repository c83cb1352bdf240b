"""The store contracts every backend implements (embedded SQLite, Redis).

Everything the bot keeps between messages goes through these protocols, so the dialogue
engine, the Slack adapter and the timers never know which backend is behind them. Every
method raises `StoreUnavailable` when the backing service is down; the bot turns that into a
"please try again" reply instead of a stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from bot.store.errors import LockNotAcquired, StoreError, StoreUnavailable
from bot.store.models import AuditEntry, Case, CaseDraft, Lock, OutboxItem, Timer

log = logging.getLogger(__name__)

__all__ = [
    "CaseStore",
    "EventDeduplicator",
    "LockManager",
    "Outbox",
    "Store",
    "StoreUnavailable",
    "TimerStore",
    "TrackerStore",
]


@runtime_checkable
class CaseStore(Protocol):
    """Cases and their audit trail."""

    def create_case(
        self,
        draft: CaseDraft,
        *,
        idempotency_key: str,
        actor_id: str,
        now: datetime,
        owed: Sequence[Mapping[str, Any]] = (),
    ) -> tuple[Case, bool]:
        """Create a case atomically, or return the one already created with this key.

        Returns (case, created). Numbers come from a durable sequence starting at CS-1001.
        A new case also writes its outbox item (`change_id(number, 1)`, action "create", with
        the `owed` messages) in the same step, so its cards can never be lost.
        """
        ...

    def get_case(self, number: str) -> Case | None:
        """The case, or None when no case has this number (InvalidCaseNumber if malformed)."""
        ...

    def update_case(
        self,
        number: str,
        *,
        actor_id: str,
        now: datetime,
        changes: dict[str, Any],
        expected_version: int | None = None,
        action: str = "update",
        owed: Sequence[Mapping[str, Any]] = (),
    ) -> Case:
        """Apply `changes` atomically and record an AuditEntry with old and new values.

        The same step writes the change's outbox item (`change_id(number, new version)`, with
        the `owed` messages). Fields whose value does not change are ignored; when nothing
        changes, nothing is recorded and nothing is owed. Raises CaseNotFound,
        InvalidCaseNumber, InvalidChange or VersionConflict (when `expected_version` is given
        and the case has moved on), changing nothing.
        """
        ...

    def list_cases(
        self,
        *,
        org_short_name: str | None = None,
        requester_id: str | None = None,
        statuses: Iterable[str] | None = None,
    ) -> list[Case]:
        """Matching cases, oldest first."""
        ...

    def audit_trail(self, number: str) -> list[AuditEntry]:
        """Every recorded change of the case, oldest first (empty for an unknown case)."""
        ...


@runtime_checkable
class TrackerStore(Protocol):
    """Conversation state as Rasa-style events (plain JSON-able dicts), per conversation key."""

    def load(self, conversation_key: str) -> list[dict[str, Any]]:
        """The events of the conversation, oldest first; empty when it never existed."""
        ...

    def append(self, conversation_key: str, events: list[dict[str, Any]]) -> None:
        """Add events at the end, atomically."""
        ...

    def save(self, conversation_key: str, events: list[dict[str, Any]]) -> None:
        """Replace all events of the conversation."""
        ...

    def delete(self, conversation_key: str) -> None:
        """Forget the conversation (no error when it does not exist)."""
        ...


@runtime_checkable
class EventDeduplicator(Protocol):
    """Remembers Slack event ids so a retried delivery is handled once."""

    def first_time(self, event_id: str, *, ttl_seconds: float) -> bool:
        """True the first time an id is seen within `ttl_seconds`, False for repeats."""
        ...


@runtime_checkable
class LockManager(Protocol):
    """Short-lived named locks shared by every process using the same store."""

    def acquire(self, key: str, *, ttl_seconds: float, wait_seconds: float = 0.0) -> Lock | None:
        """Take the lock, waiting up to `wait_seconds`; None when someone else still holds it.

        The lock expires by itself after `ttl_seconds`, so a crashed holder cannot block others.
        """
        ...

    def release(self, lock: Lock) -> bool:
        """Release the lock if `lock.token` still owns it; False when it expired or was taken."""
        ...

    def locked(
        self, key: str, *, ttl_seconds: float, wait_seconds: float = 0.0
    ) -> AbstractContextManager[Lock]:
        """Context manager around acquire/release; raises LockNotAcquired when it times out."""
        ...


@contextmanager
def locked_with(
    manager: LockManager, key: str, *, ttl_seconds: float, wait_seconds: float = 0.0
) -> Iterator[Lock]:
    """Shared implementation of `LockManager.locked` for every backend.

    A release that fails (the store went down after the work was done) is logged, not
    raised: the work is complete and the lock expires by its TTL, whereas raising would turn
    a finished turn into "try again" and lose its replies.
    """
    lock = manager.acquire(key, ttl_seconds=ttl_seconds, wait_seconds=wait_seconds)
    if lock is None:
        raise LockNotAcquired(f"{key!r} is busy, try again in a moment")
    try:
        yield lock
    finally:
        try:
            manager.release(lock)
        except StoreError as error:
            log.warning("could not release lock %r (it expires by itself): %s", key, error)


@runtime_checkable
class TimerStore(Protocol):
    """Durable timers (reminders, closure notices) that fire exactly once across processes."""

    def schedule(self, timer_id: str, *, due_at: datetime, payload: dict[str, Any]) -> None:
        """Create or replace the timer; a replaced timer may fire again."""
        ...

    def cancel(self, timer_id: str) -> bool:
        """Remove the timer; False when there was none."""
        ...

    def due(self, now: datetime) -> list[Timer]:
        """Unclaimed timers due at or before `now`, earliest first."""
        ...

    def claim(self, timer_id: str) -> bool:
        """Take the timer: exactly one caller gets True and does the work; the timer is removed.

        A timer therefore fires at most once; reschedule it to fire again.
        """
        ...


@runtime_checkable
class Outbox(Protocol):
    """What case changes owe to people, kept until an adapter has delivered it.

    Items are written by `CaseStore.create_case` / `update_case` together with the change.
    Whoever delivers an item first claims it (a lease, so a crashed deliverer's item comes
    back), reports progress message by message, and removes it when everything went out.
    """

    def get(self, item_id: str) -> OutboxItem | None:
        """The item, or None when it was settled (or never existed)."""
        ...

    def due(self, now: datetime, *, limit: int = 100) -> list[OutboxItem]:
        """Items available at `now` (the bot's clock) and not leased, oldest first."""
        ...

    def claim(self, item_id: str, *, lease_seconds: float) -> OutboxItem | None:
        """Lease the item for `lease_seconds` of wall-clock time, even before it is available.

        Exactly one caller gets the item while the lease runs (it runs out by itself, as a
        lock does); None when it is leased by someone else or already settled. Each claim
        counts as an attempt: above 1, an earlier holder may have delivered part of it.
        """
        ...

    def advance(self, item_id: str, *, delivered: int) -> None:
        """Record that the first `delivered` messages were accepted."""
        ...

    def retry(self, item_id: str, *, at: datetime, error: str) -> None:
        """Give the lease back after a failure: available again at `at`, with the error."""
        ...

    def settle(self, item_id: str) -> None:
        """Everything went out: remove the item (no error when it is already gone)."""
        ...


@runtime_checkable
class Store(Protocol):
    """The bundle the bot opens once: every sub-store on one backend."""

    cases: CaseStore
    trackers: TrackerStore
    dedup: EventDeduplicator
    locks: LockManager
    timers: TimerStore
    outbox: Outbox

    def ping(self) -> None:
        """Return when the backend answers; raise StoreUnavailable otherwise."""
        ...

    def close(self) -> None:
        """Release connections; the store cannot be used afterwards."""
        ...
