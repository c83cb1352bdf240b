"""The words severity is decided in: levels, business impact and workaround.

A leaf module (it imports nothing of ours), so the policy loader and the rules that read the
loaded policy can both use these without importing each other.
"""

from __future__ import annotations

from enum import IntEnum, StrEnum


class Severity(IntEnum):
    CRITICAL = 1
    HIGH = 2
    MEDIUM = 3
    LOW = 4


class Impact(StrEnum):
    """Business impact as the NLU reads it from the message."""

    BLOCKED = "blocked"  # a critical business function cannot be performed
    DEGRADED = "degraded"  # job functions possible, performance degraded or limited
    MINOR = "minor"  # non-critical functions unusable or hard to use
    TRIVIAL = "trivial"  # cosmetic, a small annoyance with no impact on the work
    REQUEST = "request"  # question, information, configuration help, feature request


class Workaround(StrEnum):
    YES = "yes"  # the work goes on normally with it
    PARTIAL = "partial"  # the work goes on, still degraded
    NO = "no"
    UNKNOWN = "unknown"  # the message does not say
