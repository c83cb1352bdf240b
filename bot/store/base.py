"""The store contracts every backend implements (embedded SQLite, Redis).

Everything the bot keeps between messages goes through these protocols, so the dialogue
engine, the Slack adapter and the timers never know which backend is behind them. Every
method raises `StoreUnavailable` when the backing service is down; the bot turns that into a
"please try again" reply instead of a stack trace.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Protocol, Unpack, runtime_checkable

from bot.store.changes import UNASSIGNED, CaseFilters
from bot.store.errors import LockNotAcquired, StoreError, StoreUnavailable
from bot.store.models import AuditEntry, Case, CaseDraft, CasePage, Lock, OutboxItem, Timer

log = logging.getLogger(__name__)

__all__ = [
    "UNASSIGNED",
    "CaseFilters",
    "CasePage",
    "CaseStore",
    "ConversationTurns",
    "EventDeduplicator",
    "LockManager",
    "Outbox",
    "Store",
    "StoreUnavailable",
    "TimerStore",
    "TrackerStore",
    "Turn",
    "turn_lock_key",
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
        newest_first: bool = False,
        after: str | None = None,
        limit: int | None = None,
        **filters: Unpack[CaseFilters],
    ) -> list[Case]:
        """The cases matching every filter given, oldest first (newest first if asked).

        `assignee_id=UNASSIGNED` matches the cases nobody has taken; `origin_thread` is the
        requester's conversation key. A page holds at most `limit` cases; `after` (the number
        of the previous page's last case) continues in the same order, so any number of cases
        can be walked in constant memory.

        Active cases (statuses within ACTIVE_STATUS_VALUES) of a thread, requester, assignee,
        organization or of everyone are read from an index, newest first without touching
        closed ones, so a page costs the same however many cases are stored (one round trip
        on Redis). Any other query walks the requester's, organization's or everyone's cases,
        checking the rest on the way. Raises InvalidInput for an unknown status or a bad
        limit, InvalidCaseNumber for a malformed `after`, TypeError for an unknown filter.
        """
        ...

    def count_cases(self, *, at_most: int | None = None, **filters: Unpack[CaseFilters]) -> int:
        """How many cases `list_cases` would return with these filters, at most `at_most`.

        Counting one indexed dimension of active cases (or all of a requester's,
        organization's or everyone's cases) costs one index read; others count as they walk,
        and stop at `at_most`.
        """
        ...

    def newest_cases(
        self, *, limit: int, count_at_most: int, **filters: Unpack[CaseFilters]
    ) -> CasePage:
        """The newest `limit` matching cases (newest first) and how many match, counted up
        to `count_at_most`, read together: one round trip on Redis for a person's, a queue's
        or an organization's open cases, one read transaction on SQLite. Raises as
        `list_cases` does."""
        ...

    def audit_trail(self, number: str) -> list[AuditEntry]:
        """Every recorded change of the case, oldest first (empty for an unknown case)."""
        ...


@runtime_checkable
class TrackerStore(Protocol):
    """Conversation state as Rasa-style events (plain JSON-able dicts), per conversation key.

    Stored one event per entry (SQLite rows, a Redis list), so adding events never rewrites
    the earlier ones. Raises InvalidInput (nothing written) for events that are not plain JSON.
    """

    def load(self, conversation_key: str) -> list[dict[str, Any]]:
        """The events of the conversation, oldest first; empty when it never existed."""
        ...

    def append(self, conversation_key: str, events: list[dict[str, Any]]) -> None:
        """Add events at the end, atomically; writes only the new events."""
        ...

    def save(self, conversation_key: str, events: list[dict[str, Any]]) -> None:
        """Replace all events of the conversation, atomically."""
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

    def release_orphans(self) -> int:
        """Release the locks this process may hold without knowing it (an acquire or release
        whose answer was lost, so it may have landed), as a stopping replica does; returns how
        many. Raises StoreUnavailable, keeping the rest for a later call."""
        ...


def turn_lock_key(conversation_key: str) -> str:
    """The `LockManager` name of a conversation's lock, which `ConversationTurns` holds too."""
    return f"conversation:{conversation_key}"


@dataclass
class Turn:
    """A conversation held for one turn: its lock and its events as they were loaded.

    `rewrite` is set when the stored form must be rewritten whole at the end (a conversation
    stored in an older format); `finished` once `ConversationTurns.finish` succeeded.
    """

    conversation_key: str
    lock: Lock
    events: list[dict[str, Any]] = field(default_factory=list)
    rewrite: bool = False
    finished: bool = False


@runtime_checkable
class ConversationTurns(Protocol):
    """A turn's own bookkeeping in two steps of one round trip (one transaction) each.

    `begin` takes the conversation's lock (`turn_lock_key`, shared with `LockManager`),
    records the event id and loads the events; `finish` writes what the turn added and
    releases the lock. The actions of a turn (cases, timers) write on their own in between.
    """

    def begin(
        self,
        conversation_key: str,
        *,
        event_id: str | None,
        lock_ttl_seconds: float,
        wait_seconds: float = 0.0,
        dedup_ttl_seconds: float,
    ) -> Turn | None:
        """Lock, de-duplicate and load in one step; None (nothing locked) for a seen event id.

        Raises LockNotAcquired when another holder still has the conversation after
        `wait_seconds`, InvalidInput for bad arguments, StoreUnavailable.
        """
        ...

    def finish(
        self,
        turn: Turn,
        *,
        added: list[dict[str, Any]],
        replace: list[dict[str, Any]] | None = None,
    ) -> bool:
        """Write the turn's events and release its lock in one step; marks the turn finished.

        Only `added` is written after the loaded events, unless `replace` (the whole, e.g.
        compacted, history) is given. False when the lock had expired meanwhile (the events
        are written anyway). Raises InvalidInput (nothing written, lock kept) or
        StoreUnavailable (nothing written on SQLite; on Redis a timed-out write may land).
        """
        ...

    def abandon(self, turn: Turn) -> None:
        """Release the lock of an unfinished turn without writing; no-op once finished.

        Never raises for a down store: the lock then expires by its TTL.
        """
        ...

    def append(
        self, conversation_key: str, events: list[dict[str, Any]], *, wait_seconds: float = 0.0
    ) -> None:
        """Add events outside a turn, once no turn holds the conversation, in one step.

        Raises LockNotAcquired when a turn still holds it after `wait_seconds`,
        InvalidInput, StoreUnavailable.
        """
        ...


def abandon_turn(turn: Turn, locks: LockManager) -> None:
    """`ConversationTurns.abandon` for every backend: release an unfinished turn's lock, never
    raising for a down store (the lock then expires by its TTL)."""
    if turn.finished:
        return
    turn.finished = True
    try:
        locks.release(turn.lock)
    except StoreError as error:
        log.warning("could not release %r (it expires by itself): %s", turn.lock.key, error)


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

    def schedule_all(self, timers: Mapping[str, tuple[datetime, dict[str, Any]]]) -> None:
        """Create or replace each timer ({timer ID: (due at, payload)}) in one step, one
        round trip on Redis: all of them are set, or (raising InvalidInput) none."""
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

    # Read-only members (properties), so a backend's own sub-store classes satisfy them.
    @property
    def cases(self) -> CaseStore: ...
    @property
    def trackers(self) -> TrackerStore: ...
    @property
    def dedup(self) -> EventDeduplicator: ...
    @property
    def locks(self) -> LockManager: ...
    @property
    def turns(self) -> ConversationTurns: ...
    @property
    def timers(self) -> TimerStore: ...
    @property
    def outbox(self) -> Outbox: ...

    def ping(self) -> None:
        """Return when the backend answers; raise StoreUnavailable otherwise."""
        ...

    def close(self) -> None:
        """Release connections; the store cannot be used afterwards."""
        ...
