"""Durable state of the assistant: cases, conversations, event dedup, locks and timers.

Callers depend on the protocols in `bot.store.base` and get a backend from
`bot.store.factory.open_store`, so the embedded SQLite store and the Redis store are
interchangeable.
"""

from bot.store.base import (
    CaseStore,
    EventDeduplicator,
    LockManager,
    Store,
    TimerStore,
    TrackerStore,
)
from bot.store.errors import (
    CaseNotFound,
    InvalidCaseNumber,
    InvalidChange,
    InvalidInput,
    LockNotAcquired,
    StoreError,
    StoreUnavailable,
    VersionConflict,
)
from bot.store.models import AuditEntry, Case, CaseDraft, Lock, Timer

__all__ = [
    "AuditEntry",
    "Case",
    "CaseDraft",
    "CaseNotFound",
    "CaseStore",
    "EventDeduplicator",
    "InvalidCaseNumber",
    "InvalidChange",
    "InvalidInput",
    "Lock",
    "LockManager",
    "LockNotAcquired",
    "Store",
    "StoreError",
    "StoreUnavailable",
    "Timer",
    "TimerStore",
    "TrackerStore",
    "VersionConflict",
]
