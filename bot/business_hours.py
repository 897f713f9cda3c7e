"""Opening-hours arithmetic so follow-up timers only count time when the business is open.

Everything here is pure computation on timezone-aware datetimes; results are always returned in UTC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo

_ZERO = timedelta(0)
_ONE_DAY = timedelta(days=1)
_RESOLUTION = timedelta(microseconds=1)


class OpeningHours(Protocol):
    """What timers need to know about opening hours, whatever the configuration."""

    def is_open(self, t: datetime) -> bool:
        """Tell whether the business is open at instant `t`."""
        ...

    def next_open(self, t: datetime) -> datetime:
        """Return `t` itself if open, else the next moment the business opens (UTC)."""
        ...

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """Return the moment (UTC) when `duration` of open time has passed since `start`."""
        ...

    def open_between(self, a: datetime, b: datetime) -> timedelta:
        """Return how much open time lies between `a` and `b` (zero if `b <= a`)."""
        ...

    def open_clock(self, now: datetime) -> Callable[[datetime], timedelta]:
        """How much open time passed from a moment until `now`, for many moments at little cost each."""
        ...


def _to_utc(t: datetime) -> datetime:
    """Normalise an aware datetime to UTC so arithmetic is in real elapsed time."""
    if t.tzinfo is None or t.utcoffset() is None:
        raise ValueError(f"timezone-aware datetime required, got naive {t!r}")
    return t.astimezone(UTC)


def _check_duration(duration: timedelta) -> None:
    """Reject negative durations, which have no meaning as an amount of open time."""
    if duration < _ZERO:
        raise ValueError(f"duration must not be negative, got {duration!r}")


class AlwaysOpen:
    """Opening hours where the whole clock counts, used when no business hours are configured."""

    def is_open(self, t: datetime) -> bool:
        """Return True for any aware instant, since every instant counts."""
        _to_utc(t)
        return True

    def next_open(self, t: datetime) -> datetime:
        """Return `t` in UTC, since it is always open."""
        return _to_utc(t)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """Return `start + duration` in UTC."""
        _check_duration(duration)
        return _to_utc(start) + duration

    def open_between(self, a: datetime, b: datetime) -> timedelta:
        """Return the real elapsed time from `a` to `b`, or zero if `b <= a`."""
        return max(_to_utc(b) - _to_utc(a), _ZERO)

    def open_clock(self, now: datetime) -> Callable[[datetime], timedelta]:
        """The real elapsed time until `now`."""
        return lambda moment: max(now - moment, _ZERO)


def _wall_clock(u: datetime, tz: ZoneInfo) -> datetime:
    """Return the naive local wall-clock reading in `tz` at UTC instant `u`."""
    return u.astimezone(tz).replace(tzinfo=None)


def _first_instant_at(local: datetime, tz: ZoneInfo) -> datetime:
    """Return the first UTC instant at which the wall clock in `tz` reads `local` or later.

    For an ambiguous time (clocks going back) this is the first occurrence; for a time skipped by
    clocks going forward it is the instant of the jump.
    """
    guess = local.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if _wall_clock(guess, tz) == local:
        return guess
    # `local` falls in a gap: fold=1 lands before the jump, fold=0 after it; bisect for the jump.
    lo = local.replace(tzinfo=tz, fold=1).astimezone(UTC)
    hi = guess
    while hi - lo > _RESOLUTION:
        mid = lo + (hi - lo) // 2
        if _wall_clock(mid, tz) >= local:
            hi = mid
        else:
            lo = mid
    return hi


def days_later(t: datetime, days: int, tz: ZoneInfo) -> datetime:
    """Return the moment (UTC) the wall clock in `tz` shows the same time `days` calendar days after `t`.

    This is what a person means by "one day" or "three days": across a clock change 10:00 stays 10:00.
    """
    local = _wall_clock(_to_utc(t), tz) + timedelta(days=days)
    return _first_instant_at(local, tz)


class BusinessHours:
    """Weekly wall-clock opening hours in one timezone, with holidays, so timers count only open time.

    The business is open from `start` (inclusive) to `end` (exclusive) local time on each of `days`
    (0=Monday … 6=Sunday), except on `holidays`. Times are wall-clock times in `tz`, so 08:00 stays 08:00
    across DST changes, and a window spanning a change counts the real elapsed time. A `start` skipped
    by clocks going forward opens at the moment of the jump; an ambiguous one opens at its first
    occurrence. `end` may be `time.max` to mean "until midnight", allowing round-the-clock days.
    Overnight windows (`start >= end`, e.g. 22:00-06:00) are not supported.
    """

    def __init__(
        self,
        tz: ZoneInfo,
        days: frozenset[int],
        start: time,
        end: time,
        holidays: frozenset[date],
    ) -> None:
        """Validate and store the configuration."""
        if not days:
            raise ValueError("business hours need at least one open day")
        if not all(isinstance(d, int) and 0 <= d <= 6 for d in days):
            raise ValueError(f"days must be integers 0 (Monday) to 6 (Sunday), got {sorted(days)!r}")
        if start.tzinfo is not None or end.tzinfo is not None:
            raise ValueError("start and end must be naive wall-clock times")
        if start >= end:
            raise ValueError(f"start {start} must be before end {end}; overnight windows are not supported")
        self.tz = tz
        self.days = frozenset(days)
        self.start = start.replace(fold=0)
        self.end = end.replace(fold=0)
        self.holidays = frozenset(holidays)

    def __repr__(self) -> str:
        """Show the configuration for logs and test failures."""
        return (
            f"BusinessHours(tz={self.tz.key!r}, days={sorted(self.days)}, start={self.start}, "
            f"end={self.end}, holidays={len(self.holidays)})"
        )

    def _is_open_day(self, d: date) -> bool:
        """Tell whether local date `d` has an opening window at all."""
        return d.weekday() in self.days and d not in self.holidays

    def _window(self, d: date) -> tuple[datetime, datetime] | None:
        """Return the UTC [open, close) interval of local date `d`, or None when closed that day."""
        if not self._is_open_day(d):
            return None
        opens = _first_instant_at(datetime.combine(d, self.start), self.tz)
        if self.end == time.max:
            closes = _first_instant_at(datetime.combine(d + _ONE_DAY, time.min), self.tz)
        else:
            closes = _first_instant_at(datetime.combine(d, self.end), self.tz)
        return (opens, closes) if opens < closes else None

    def _windows_after(self, u: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Yield, in order, the UTC windows that close after instant `u` (never ends: some day is open)."""
        d = _wall_clock(u, self.tz).date() - _ONE_DAY
        while True:
            window = self._window(d)
            if window is not None and window[1] > u:
                yield window
            d += _ONE_DAY

    def is_open(self, t: datetime) -> bool:
        """Tell whether the business is open at instant `t`."""
        return self.next_open(t) == _to_utc(t)

    def next_open(self, t: datetime) -> datetime:
        """Return `t` (in UTC) if open, else the next moment the business opens."""
        u = _to_utc(t)
        opens, _ = next(self._windows_after(u))
        return max(opens, u)

    def add(self, start: datetime, duration: timedelta) -> datetime:
        """Return the first moment (UTC) at which `duration` of open time has passed since `start`.

        A zero duration returns `next_open(start)`. When the time runs out exactly at closing, the
        closing instant itself is returned.
        """
        _check_duration(duration)
        u = _to_utc(start)
        remaining = duration
        for opens, closes in self._windows_after(u):
            begin = max(opens, u)
            available = closes - begin
            if remaining < available:
                return begin + remaining
            if remaining == available:
                return closes
            remaining -= available
        raise AssertionError("unreachable: _windows_after never ends")

    def open_between(self, a: datetime, b: datetime) -> timedelta:
        """Return how much open time lies between `a` and `b` (zero if `b <= a`)."""
        ua, ub = _to_utc(a), _to_utc(b)
        total = _ZERO
        if ub <= ua:
            return total
        for opens, closes in self._windows_after(ua):
            if opens >= ub:
                break
            total += min(closes, ub) - max(opens, ua)
        return total

    def open_clock(self, now: datetime) -> Callable[[datetime], timedelta]:
        """Open time from any moment until `now`, from a table of each local day's window (see `_DayTable`)."""
        return _DayTable(self, now).open_since


class _DayTable:
    """Open time from any moment until `now`, from a table of each local day's opening window.

    Asking the opening hours for a deadline walks day by day; with thousands of open complaints that adds up.
    Each day's window is looked up once here instead, so every complaint costs a few subtractions.
    """

    def __init__(self, hours: BusinessHours, now: datetime) -> None:
        self.hours = hours
        self.tz: tzinfo = hours.tz
        self.now = now
        self.today = now.astimezone(self.tz).date()
        self._windows: dict[date, tuple[datetime, datetime] | None] = {}
        self._until_now: dict[date, timedelta] = {}

    def _midnight(self, day: date) -> datetime:
        """The start of a local day, as an instant."""
        return datetime.combine(day, time.min, tzinfo=self.tz).astimezone(UTC)

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        """The day's [opens, closes), or None when it is closed all day."""
        if day not in self._windows:
            start, end = self._midnight(day), self._midnight(day + _ONE_DAY)
            total = self.hours.open_between(start, end)
            opens = self.hours.next_open(start) if total > _ZERO else None
            self._windows[day] = None if opens is None else (opens, opens + total)
        return self._windows[day]

    def _from_midnight(self, day: date) -> timedelta:
        """Open time from the start of `day` until now (filled from today backwards, without recursion)."""
        if day not in self._until_now:
            oldest = min(self._until_now, default=self.today + _ONE_DAY)
            running = self._until_now.get(oldest, _ZERO)
            current = oldest - _ONE_DAY
            while current >= day:
                running += self._part(current, self._midnight(current))
                self._until_now[current] = running
                current -= _ONE_DAY
        return self._until_now[day]

    def _part(self, day: date, start: datetime) -> timedelta:
        """Open time on `day` from `start` to the day's end (or to now, today)."""
        window = self._window(day)
        if window is None:
            return _ZERO
        end = min(window[1], self.now) if day == self.today else window[1]
        return max(end - max(start, window[0]), _ZERO)

    def open_since(self, moment: datetime) -> timedelta:
        """How much open time has passed between `moment` and now."""
        day = moment.astimezone(self.tz).date()
        if day > self.today:
            return _ZERO
        if day == self.today:
            return self._part(day, moment)
        return self._part(day, moment) + self._from_midnight(day + _ONE_DAY)


def make_opening_hours(tz_name: str, business_hours: dict | None) -> OpeningHours:
    """Build the opening hours for a validated config, so callers need not know which kind they get.

    `business_hours` is None (the whole clock counts) or a dict with keys `days` (frozenset of 0-6),
    `start` and `end` (`datetime.time`) and `holidays` (frozenset of `datetime.date`).
    """
    if business_hours is None:
        return AlwaysOpen()
    return BusinessHours(
        tz=ZoneInfo(tz_name),
        days=frozenset(business_hours["days"]),
        start=business_hours["start"],
        end=business_hours["end"],
        holidays=frozenset(business_hours.get("holidays", frozenset())),
    )
