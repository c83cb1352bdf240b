"""What a case operation refuses, in words a person can be shown."""

from __future__ import annotations


class CaseError(ValueError):
    """Base of the case rules' refusals; the message is safe to show."""


class InvalidCaseNumber(CaseError):
    """The text is not a case number of the form CS-<digits>."""


class InvalidTransition(CaseError):
    """The case's status cannot change this way (see `cases.transitions`)."""


class NotAllowedNow(CaseError):
    """The operation makes no sense for the case as it is (closed, already restored, ...)."""
