"""Keeping spans that do not overlap, in the order they are offered.

Checking each new span against every kept one is quadratic: 5,000 entities in a 20,000-
character message took 0.6 s. Kept spans are disjoint, so sorted by start they are sorted by
end too, and one binary search finds the only kept span a new one could overlap.
"""

from __future__ import annotations

from bisect import bisect_left


class DisjointSpans:
    """[start, end) spans taken so far, none overlapping another."""

    def __init__(self) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []

    def take(self, start: int, end: int) -> bool:
        """Keep the span unless it overlaps a kept one; True when it was kept."""
        index = bisect_left(self._starts, end)  # kept spans that start before this one ends
        if index and self._ends[index - 1] > start:
            return False
        self._starts.insert(index, start)
        self._ends.insert(index, end)
        return True
