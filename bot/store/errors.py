"""Errors every store backend raises, so callers handle one set whatever the backend.

Messages are written for people: they name the bad value and never contain connection
strings, tokens or stack traces.
"""

from __future__ import annotations

import cases.errors


class StoreError(Exception):
    """Base of all store errors; the message is safe to show to a user."""


class StoreUnavailable(StoreError):
    """The backing service (SQLite file, Redis server) cannot be reached: try again later."""


class InvalidInput(StoreError, ValueError):
    """A caller passed a value the store refuses; nothing was changed."""


class InvalidCaseNumber(InvalidInput, cases.errors.InvalidCaseNumber):
    """The text is not a case number of the form CS-<digits> (raised by store calls)."""


class InvalidChange(InvalidInput):
    """An update names a field that cannot change or gives it a value of the wrong kind."""


class CaseNotFound(StoreError, LookupError):
    """No case has this number."""


class VersionConflict(StoreError):
    """The case changed since the caller read it (optimistic concurrency check failed)."""


class LockNotAcquired(StoreError):
    """Someone else held the lock for longer than the caller was willing to wait."""
