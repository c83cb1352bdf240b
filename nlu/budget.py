"""A cooperative time budget for one NLU call.

Python cannot stop CPU work in a thread from outside, so a parse keeps its own deadline: it
checks the clock between stages and, every so often, inside the loops whose length follows
the input (tokens, issues). Past the deadline `check` raises `BudgetExceeded`, and the service
returns a result marked `timed_out` instead of holding the turn (and everyone behind it).
"""

from __future__ import annotations

import time
from collections.abc import Callable

# The slowest 4,000-character input bench/nlu_worst_case.py knows parses in about 40 ms;
# over 10 times that is a fault to report, not a message to finish, and still short to wait.
PARSE_BUDGET_SECONDS = 0.5
# Loops read the clock once per this many steps: a clock read costs about as much as a step.
CHECK_EVERY = 64

Clock = Callable[[], float]


class BudgetExceeded(Exception):
    """The deadline passed during `stage`; the parse stops where it is."""

    def __init__(self, stage: str) -> None:
        super().__init__(f"NLU time budget exceeded during {stage}")
        self.stage = stage


class Deadline:
    """Ends `seconds` after it is made, on `clock` (a fake clock in tests)."""

    def __init__(self, seconds: float, *, clock: Clock = time.monotonic) -> None:
        self._clock = clock
        self.seconds = seconds
        self._ends = clock() + seconds
        self._steps = 0

    @classmethod
    def unlimited(cls) -> Deadline:
        return cls(float("inf"))

    def expired(self) -> bool:
        return self._clock() >= self._ends

    def check(self, stage: str) -> None:
        """Raise BudgetExceeded once the deadline has passed."""
        if self.expired():
            raise BudgetExceeded(stage)

    def tick(self, stage: str) -> None:
        """`check`, but reading the clock only every CHECK_EVERY calls (for per-item loops)."""
        self._steps += 1
        if self._steps % CHECK_EVERY == 0:
            self.check(stage)


class NluTimedOut(Exception):
    """Raised by a caller (the engine) when a parse came back `timed_out`: the message is
    answered with a request for a shorter one, and the turn records nothing."""

    def __init__(self, length: int) -> None:
        super().__init__(f"the NLU ran out of time on a {length}-character message")
        self.length = length
