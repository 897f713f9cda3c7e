"""Known-answer and property tests for opening-hours arithmetic used by follow-up timers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.business_hours import AlwaysOpen, BusinessHours, OpeningHours, make_opening_hours

BERLIN = ZoneInfo("Europe/Berlin")
WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))
CHRISTMAS = frozenset({date(2026, 12, 24), date(2026, 12, 25), date(2026, 12, 26)})
H = timedelta(hours=1)


def berlin(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    """Build a Europe/Berlin wall-clock datetime, for readable expectations."""
    return datetime(y, mo, d, h, mi, tzinfo=BERLIN)


def utc(y: int, mo: int, d: int, h: int = 0, mi: int = 0) -> datetime:
    """Build a UTC datetime, the zone every result is returned in."""
    return datetime(y, mo, d, h, mi, tzinfo=UTC)


def office(holidays: frozenset[date] = CHRISTMAS) -> BusinessHours:
    """Monday-Friday 08:00-18:00 in Berlin, the usual configuration."""
    return BusinessHours(BERLIN, WEEKDAYS, time(8), time(18), holidays)


def night_shift() -> BusinessHours:
    """Every day 00:00-06:00 in Berlin, a window that contains both DST changes."""
    return BusinessHours(BERLIN, EVERY_DAY, time(0), time(6), frozenset())


def round_the_clock() -> BusinessHours:
    """Every day, all day, in Berlin: open time equals elapsed time."""
    return BusinessHours(BERLIN, EVERY_DAY, time(0), time.max, frozenset())


# --- add -----------------------------------------------------------------------------------------


def test_add_within_one_day() -> None:
    """Open time inside a single window is plain addition."""
    assert office().add(berlin(2026, 3, 10, 9), 2 * H) == utc(2026, 3, 10, 10)


def test_add_across_the_night() -> None:
    """Time left at closing carries over to the next morning."""
    assert office().add(berlin(2026, 3, 10, 17), 3 * H) == utc(2026, 3, 11, 9)


def test_add_across_a_weekend() -> None:
    """Saturday and Sunday do not count when carrying over from Friday."""
    assert office().add(berlin(2026, 3, 6, 17, 30), H) == berlin(2026, 3, 9, 8, 30)
    assert office().add(berlin(2026, 3, 6, 17, 30), H) == utc(2026, 3, 9, 7, 30)


def test_add_across_christmas_holidays() -> None:
    """Holidays are skipped like closed days."""
    # Wed 23rd 17:00 + 2h: 1h on Wednesday, Thu-Sun closed, 1h on Monday 28th.
    assert office().add(berlin(2026, 12, 23, 17), 2 * H) == utc(2026, 12, 28, 8)
    assert office(frozenset()).add(berlin(2026, 12, 23, 17), 2 * H) == utc(2026, 12, 24, 8)


def test_add_across_spring_dst_change() -> None:
    """Opening stays 08:00 local after clocks go forward."""
    # Friday 17:00 CET + 2h -> Monday 09:00 CEST.
    assert office().add(berlin(2026, 3, 27, 17), 2 * H) == utc(2026, 3, 30, 7)


def test_add_across_autumn_dst_change() -> None:
    """Opening stays 08:00 local after clocks go back."""
    # Friday 17:00 CEST + 2h -> Monday 09:00 CET.
    assert office().add(berlin(2026, 10, 23, 17), 2 * H) == utc(2026, 10, 26, 8)


def test_add_zero_waits_for_next_opening() -> None:
    """A message that is already due still waits for the business to open."""
    assert office().add(berlin(2026, 3, 7, 12), timedelta(0)) == utc(2026, 3, 9, 7)
    assert office().add(berlin(2026, 3, 10, 12), timedelta(0)) == utc(2026, 3, 10, 11)


def test_add_ending_exactly_at_closing_returns_closing_instant() -> None:
    """The earliest moment the duration is used up is the closing instant."""
    assert office().add(berlin(2026, 3, 10, 17), H) == utc(2026, 3, 10, 17)


def test_add_starting_before_opening_counts_from_opening() -> None:
    """Closed time before opening does not count."""
    assert office().add(berlin(2026, 3, 10, 3), 90 * timedelta(minutes=1)) == berlin(2026, 3, 10, 9, 30)


def test_add_one_week_of_open_hours() -> None:
    """A full week of open time lands on the week's last closing."""
    # 50h = Monday 08:00 through Friday 18:00.
    assert office().add(berlin(2026, 3, 2, 8), 50 * H) == utc(2026, 3, 6, 17)
    assert office().add(berlin(2026, 3, 2, 8), 51 * H) == utc(2026, 3, 9, 8)


def test_add_long_duration_is_fast_and_consistent() -> None:
    """Months of open time work and round-trip through open_between."""
    hours = office()
    start = berlin(2026, 1, 5, 8)
    end = hours.add(start, 2000 * H)
    assert hours.open_between(start, end) == 2000 * H


def test_add_rejects_negative_duration() -> None:
    """Negative amounts of open time are a caller error."""
    with pytest.raises(ValueError, match="negative"):
        office().add(berlin(2026, 3, 10, 9), -H)
    with pytest.raises(ValueError, match="negative"):
        AlwaysOpen().add(berlin(2026, 3, 10, 9), -H)


# --- DST windows count real elapsed time -------------------------------------------------------


def test_night_window_on_spring_change_is_five_hours() -> None:
    """A 00:00-06:00 window loses an hour when clocks go forward."""
    hours = night_shift()
    assert hours.open_between(berlin(2026, 3, 29, 0), berlin(2026, 3, 29, 6)) == 5 * H
    assert hours.add(berlin(2026, 3, 29, 0), 4 * H) == utc(2026, 3, 29, 3)
    assert hours.add(berlin(2026, 3, 29, 0), 5 * H) == utc(2026, 3, 29, 4)
    assert hours.add(berlin(2026, 3, 29, 0), 6 * H) == berlin(2026, 3, 30, 1)


def test_night_window_on_autumn_change_is_seven_hours() -> None:
    """A 00:00-06:00 window gains an hour when clocks go back."""
    hours = night_shift()
    assert hours.open_between(berlin(2026, 10, 25, 0), berlin(2026, 10, 25, 6)) == 7 * H
    assert hours.add(berlin(2026, 10, 25, 0), 7 * H) == utc(2026, 10, 25, 5)
    assert hours.add(berlin(2026, 10, 25, 0), 8 * H) == berlin(2026, 10, 26, 1)


def test_round_the_clock_days_follow_real_time() -> None:
    """All-day opening counts 23h and 25h days as they really are."""
    hours = round_the_clock()
    assert hours.open_between(berlin(2026, 3, 28), berlin(2026, 3, 30)) == 47 * H
    assert hours.open_between(berlin(2026, 10, 24), berlin(2026, 10, 26)) == 49 * H
    assert hours.add(berlin(2026, 10, 25), 24 * H) == berlin(2026, 10, 25, 23)
    assert hours.is_open(berlin(2026, 10, 25, 0))
    assert hours.is_open(utc(2026, 10, 25, 23, 59))


def test_opening_time_skipped_by_spring_change_opens_at_the_jump() -> None:
    """An opening time that never happens opens when the clock jumps past it."""
    hours = BusinessHours(BERLIN, EVERY_DAY, time(2, 30), time(10), frozenset())
    assert hours.next_open(berlin(2026, 3, 29, 1)) == utc(2026, 3, 29, 1)
    assert hours.open_between(utc(2026, 3, 29), utc(2026, 3, 30)) == 7 * H


def test_ambiguous_opening_time_on_autumn_change_opens_at_first_occurrence() -> None:
    """An opening time that happens twice opens the first time."""
    hours = BusinessHours(BERLIN, EVERY_DAY, time(2, 30), time(10), frozenset())
    assert hours.next_open(berlin(2026, 10, 25, 1)) == utc(2026, 10, 25, 0, 30)
    assert hours.open_between(utc(2026, 10, 25), utc(2026, 10, 26)) == 8 * H + 30 * timedelta(minutes=1)


# --- next_open / is_open -----------------------------------------------------------------------


def test_next_open_when_open_returns_same_instant_in_utc() -> None:
    """An open instant is returned unchanged, in UTC."""
    result = office().next_open(berlin(2026, 3, 10, 12))
    assert result == utc(2026, 3, 10, 11)
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (berlin(2026, 3, 10, 6), utc(2026, 3, 10, 7)),  # before opening
        (berlin(2026, 3, 10, 18), utc(2026, 3, 11, 7)),  # exactly at closing
        (berlin(2026, 3, 10, 21), utc(2026, 3, 11, 7)),  # evening
        (berlin(2026, 3, 7, 12), utc(2026, 3, 9, 7)),  # Saturday
        (berlin(2026, 3, 6, 19), utc(2026, 3, 9, 7)),  # Friday evening
        (berlin(2026, 12, 24, 10), utc(2026, 12, 28, 7)),  # Christmas Eve holiday
        (berlin(2026, 3, 28, 12), utc(2026, 3, 30, 6)),  # weekend with spring change
        (berlin(2026, 10, 24, 12), utc(2026, 10, 26, 7)),  # weekend with autumn change
    ],
)
def test_next_open_outside_hours(when: datetime, expected: datetime) -> None:
    """Closed instants map to the next opening."""
    assert office().next_open(when) == expected


def test_is_open_boundaries() -> None:
    """Windows include their opening and exclude their closing."""
    hours = office()
    assert hours.is_open(berlin(2026, 3, 10, 8))
    assert hours.is_open(berlin(2026, 3, 10, 17, 59))
    assert not hours.is_open(berlin(2026, 3, 10, 18))
    assert not hours.is_open(berlin(2026, 3, 10, 7, 59))
    assert not hours.is_open(berlin(2026, 3, 7, 12))
    assert not hours.is_open(berlin(2026, 12, 25, 12))


# --- open_between ------------------------------------------------------------------------------


def test_open_between() -> None:
    """Only time inside windows is counted."""
    hours = office()
    assert hours.open_between(berlin(2026, 3, 10, 9), berlin(2026, 3, 10, 11)) == 2 * H
    assert hours.open_between(berlin(2026, 3, 6, 12), berlin(2026, 3, 9, 10)) == 8 * H
    assert hours.open_between(berlin(2026, 3, 7, 0), berlin(2026, 3, 8, 23)) == timedelta(0)
    assert hours.open_between(berlin(2026, 12, 23, 0), berlin(2026, 12, 29, 0)) == 20 * H
    assert hours.open_between(berlin(2026, 3, 2, 0), berlin(2026, 3, 9, 0)) == 50 * H


def test_open_between_reversed_or_equal_is_zero() -> None:
    """An empty or reversed range holds no open time."""
    hours = office()
    assert hours.open_between(berlin(2026, 3, 10, 11), berlin(2026, 3, 10, 9)) == timedelta(0)
    assert hours.open_between(berlin(2026, 3, 10, 11), berlin(2026, 3, 10, 11)) == timedelta(0)


# --- AlwaysOpen --------------------------------------------------------------------------------


def test_always_open() -> None:
    """Without business hours every instant counts."""
    hours = AlwaysOpen()
    start = berlin(2026, 3, 28, 23)
    assert hours.is_open(start)
    assert hours.next_open(start) == utc(2026, 3, 28, 22)
    assert hours.add(start, 5 * H) == utc(2026, 3, 29, 3)
    assert hours.add(start, 5 * H).tzinfo is UTC
    assert hours.add(start, timedelta(0)) == start
    assert hours.open_between(start, berlin(2026, 3, 29, 6)) == 6 * H
    assert hours.open_between(berlin(2026, 3, 29, 6), start) == timedelta(0)


# --- validation --------------------------------------------------------------------------------


@pytest.mark.parametrize("hours", [office(), AlwaysOpen()], ids=["business", "always"])
def test_naive_datetimes_rejected(hours: OpeningHours) -> None:
    """Naive datetimes are ambiguous, so every entry point refuses them."""
    naive = datetime(2026, 3, 10, 9)
    aware = utc(2026, 3, 10, 9)
    with pytest.raises(ValueError, match="naive"):
        hours.is_open(naive)
    with pytest.raises(ValueError, match="naive"):
        hours.next_open(naive)
    with pytest.raises(ValueError, match="naive"):
        hours.add(naive, H)
    with pytest.raises(ValueError, match="naive"):
        hours.open_between(naive, aware)
    with pytest.raises(ValueError, match="naive"):
        hours.open_between(aware, naive)


@pytest.mark.parametrize(
    ("days", "start", "end", "message"),
    [
        (frozenset(), time(8), time(18), "at least one open day"),
        (frozenset({7}), time(8), time(18), r"0 \(Monday\) to 6"),
        (frozenset({-1}), time(8), time(18), r"0 \(Monday\) to 6"),
        (WEEKDAYS, time(9), time(9), "must be before end"),
        (WEEKDAYS, time(22), time(6), "overnight windows are not supported"),
        (WEEKDAYS, time(8, tzinfo=UTC), time(18), "naive wall-clock"),
    ],
)
def test_bad_configs_rejected(days: frozenset[int], start: time, end: time, message: str) -> None:
    """Unusable configurations fail at construction, not later in a timer."""
    with pytest.raises(ValueError, match=message):
        BusinessHours(BERLIN, days, start, end, frozenset())


def test_make_opening_hours() -> None:
    """The factory picks the implementation from the config."""
    assert isinstance(make_opening_hours("Europe/Berlin", None), AlwaysOpen)
    config = {"days": WEEKDAYS, "start": time(8), "end": time(18), "holidays": CHRISTMAS}
    hours = make_opening_hours("Europe/Berlin", config)
    assert isinstance(hours, BusinessHours)
    assert hours.add(berlin(2026, 12, 23, 17), 2 * H) == utc(2026, 12, 28, 8)


# --- properties --------------------------------------------------------------------------------

CONFIGS: list[OpeningHours] = [
    office(),
    night_shift(),
    round_the_clock(),
    BusinessHours(BERLIN, frozenset({0, 2, 6}), time(2, 15), time(2, 45), frozenset({date(2026, 11, 1)})),
    BusinessHours(ZoneInfo("America/New_York"), WEEKDAYS, time(1, 30), time(17), frozenset()),
    AlwaysOpen(),
]

instants = st.datetimes(
    min_value=datetime(2026, 1, 1),
    max_value=datetime(2027, 12, 31),
    timezones=st.just(UTC),
)
durations = st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20))


@settings(deadline=None, max_examples=150)
@given(hours=st.sampled_from(CONFIGS), start=instants, d1=durations, d2=durations)
def test_add_is_inverse_of_open_between_and_monotonic(
    hours: OpeningHours, start: datetime, d1: timedelta, d2: timedelta
) -> None:
    """Adding then measuring round-trips, add is monotonic, and results are open or just closed."""
    d1, d2 = sorted((d1, d2))
    r1, r2 = hours.add(start, d1), hours.add(start, d2)
    assert hours.open_between(start, r1) == d1
    assert hours.open_between(start, r2) == d2
    assert start <= r1 <= r2
    for r in (r1, r2):
        assert r.tzinfo is UTC
        just_closed = hours.is_open(r - timedelta(microseconds=1)) and r > start
        assert hours.is_open(r) or just_closed
    if d1 == timedelta(0):
        assert r1 == hours.next_open(start)
