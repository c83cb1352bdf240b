"""Business-hours calendar in the customer's own time zone.

Opening and closing are wall-clock times (08:00-17:00 local), so each day's window is built in
the customer's zone and all arithmetic on elapsed time is done in UTC. That keeps deadlines
right on DST weekends, where adding a timedelta to a local time would be off by an hour.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

MONDAY_TO_FRIDAY: frozenset[int] = frozenset(range(5))
# A holiday list can make a calendar with no open day; stop looking after ten years.
_SEARCH_LIMIT_DAYS = 3660


def require_aware(moment: datetime, name: str = "time") -> None:
    """Reject naive datetimes: a wall time without a zone is a different instant per customer."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must include a UTC offset or time zone: {moment.isoformat()}")


def as_zone(tz: str | ZoneInfo) -> ZoneInfo:
    """A ZoneInfo from an IANA name; unknown names raise ValueError with the name."""
    if isinstance(tz, ZoneInfo):
        return tz
    if not isinstance(tz, str) or not tz.strip():
        raise ValueError("time zone must be an IANA name such as Europe/Berlin")
    try:
        return ZoneInfo(tz.strip())
    except (KeyError, ValueError, OSError):
        raise ValueError(
            f"unknown time zone {tz!r}; use an IANA name such as Europe/Berlin"
        ) from None


def add_clock_time(start: datetime, delta: timedelta, tz: ZoneInfo) -> datetime:
    """Elapsed (around-the-clock) time, immune to DST jumps, returned in `tz`."""
    require_aware(start, "start")
    return (start.astimezone(UTC) + delta).astimezone(tz)


@dataclass(frozen=True)
class BusinessCalendar:
    """Working windows of one customer: weekdays `open`-`close` local time, minus holidays."""

    tz: ZoneInfo
    holidays: frozenset[date] = field(default_factory=frozenset)
    open: time = time(8)
    close: time = time(17)
    weekdays: frozenset[int] = MONDAY_TO_FRIDAY

    def __post_init__(self) -> None:
        if self.close <= self.open:
            raise ValueError("closing time must be later than opening time")
        if not self.weekdays:
            raise ValueError("a business calendar needs at least one working weekday")
        object.__setattr__(self, "tz", as_zone(self.tz))
        object.__setattr__(self, "holidays", frozenset(self.holidays))

    @classmethod
    def for_zone(
        cls,
        tz: str | ZoneInfo,
        *,
        holidays: Iterable[date] = (),
        open: time = time(8),
        close: time = time(17),
        weekdays: frozenset[int] = MONDAY_TO_FRIDAY,
    ) -> BusinessCalendar:
        return cls(
            tz=as_zone(tz),
            holidays=frozenset(holidays),
            open=open,
            close=close,
            weekdays=weekdays,
        )

    # --- days and windows ---------------------------------------------------------------

    def is_business_day(self, day: date) -> bool:
        return day.weekday() in self.weekdays and day not in self.holidays

    def window(self, day: date) -> tuple[datetime, datetime]:
        """Opening and closing instants of `day` in the calendar's zone (normalised via UTC)."""
        opening = datetime.combine(day, self.open, tzinfo=self.tz)
        closing = datetime.combine(day, self.close, tzinfo=self.tz)
        return _normalise(opening, self.tz), _normalise(closing, self.tz)

    def business_days_from(self, day: date) -> Iterator[date]:
        """Business days from `day` on (inclusive), for up to ten years."""
        for offset in range(_SEARCH_LIMIT_DAYS):
            candidate = day + timedelta(days=offset)
            if self.is_business_day(candidate):
                yield candidate
        raise ValueError("the business calendar has no open day within ten years")

    def _local(self, moment: datetime, name: str) -> datetime:
        require_aware(moment, name)
        return moment.astimezone(self.tz)

    def is_open(self, at: datetime | None = None) -> bool:
        """True while support works on business-hours cases for this customer (default: now)."""
        local = self._local(at if at is not None else datetime.now(UTC), "at")
        if not self.is_business_day(local.date()):
            return False
        opening, closing = self.window(local.date())
        return opening <= local < closing

    def next_opening(self, at: datetime) -> datetime:
        """`at` itself when open, otherwise the start of the next business window."""
        local = self._local(at, "at")
        for day in self.business_days_from(local.date()):
            opening, closing = self.window(day)
            if local < closing:
                return max(local, opening)
        raise AssertionError("unreachable: business_days_from raises when exhausted")

    def end_of_business_day(self, at: datetime | date) -> datetime:
        """Closing time of the business day containing `at`, or of the next one when closed.

        A date gives the close of that date if it is a business day, else of the next one.
        """
        if isinstance(at, datetime):
            local = self._local(at, "at")
            start_day = local.date()
            for day in self.business_days_from(start_day):
                _, closing = self.window(day)
                if local < closing:
                    return closing
            raise AssertionError("unreachable")
        day = next(self.business_days_from(at))
        return self.window(day)[1]

    # --- arithmetic ------------------------------------------------------------------------

    @property
    def business_day_length(self) -> timedelta:
        sample = date(2001, 1, 1)  # any day: wall-clock length of the window
        return datetime.combine(sample, self.close) - datetime.combine(sample, self.open)

    def add_business_time(self, start: datetime, delta: timedelta) -> datetime:
        """`start` plus `delta` of open time; counting starts at the next opening if closed.

        A deadline that ends exactly at closing time is reported as that closing time.
        """
        if delta < timedelta(0):
            raise ValueError("business time to add must not be negative")
        local = self._local(start, "start")
        remaining = delta
        for day in self.business_days_from(local.date()):
            opening, closing = self.window(day)
            if local >= closing:
                continue
            begin = max(local, opening)
            available = closing.astimezone(UTC) - begin.astimezone(UTC)
            if remaining <= available:
                return add_clock_time(begin, remaining, self.tz)
            remaining -= available
        raise AssertionError("unreachable")

    def add_business_days(self, start: datetime, days: int) -> datetime:
        """`days` full working days of open time after `start` (one day = one window length).

        From inside a window this lands on the same local time `days` business days later;
        from outside (evening, weekend, holiday) or from the opening bell it lands on the close
        of the n-th business day: the earliest instant with that much open time behind it.
        """
        if days < 0:
            raise ValueError("business days to add must not be negative")
        return self.add_business_time(start, self.business_day_length * days)

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Open time elapsed from `start` to `end` (zero when `end` is not later)."""
        begin = self._local(start, "start")
        finish = self._local(end, "end")
        total = timedelta(0)
        if finish <= begin:
            return total
        for day in self.business_days_from(begin.date()):
            if day > finish.date():
                break
            opening, closing = self.window(day)
            low = max(begin, opening)
            high = min(finish, closing)
            if high > low:
                total += high.astimezone(UTC) - low.astimezone(UTC)
        return total


def _normalise(moment: datetime, tz: ZoneInfo) -> datetime:
    """Resolve a wall time that falls in a DST gap to a real instant in `tz`."""
    return moment.astimezone(UTC).astimezone(tz)


def local_time(moment: datetime, tz: ZoneInfo) -> str:
    """How a person reads an instant: "Mon 23 Nov 2026, 10:30 CST" in their zone (never ISO)."""
    local = moment.astimezone(tz)
    return local.strftime("%a %d %b %Y, %H:%M ") + (local.tzname() or str(tz))
