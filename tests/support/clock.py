"""A clock that stands still until a test moves it."""

from __future__ import annotations

from datetime import datetime


class Clock:
    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment
