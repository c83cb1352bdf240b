"""Errors every store backend raises, so callers handle one set whatever the backend."""

from __future__ import annotations


class StoreError(Exception):
    """Base of all store errors; the message is safe to show to a user."""


class StoreUnavailable(StoreError):
    """The backing service (SQLite file, Redis server) cannot be reached: try again later."""


class InvalidCaseNumber(StoreError, ValueError):
    """The text is not a case number of the form CS-<digits>."""


class CaseNotFound(StoreError, LookupError):
    """No case has this number."""


class InvalidChange(StoreError, ValueError):
    """An update names a field that cannot change or gives it a value of the wrong kind."""


class VersionConflict(StoreError):
    """The case changed since the caller read it (optimistic concurrency check failed)."""


class LockNotAcquired(StoreError):
    """Someone else held the lock for longer than the caller was willing to wait."""
