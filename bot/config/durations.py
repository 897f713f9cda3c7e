"""Durations as config files write them ('90s', '15m', '4h', '2d', '1w', '1h30m')."""

from __future__ import annotations

import re
from datetime import timedelta

_UNIT_SECONDS = {"w": 604_800, "d": 86_400, "h": 3_600, "m": 60, "s": 1}
_DURATION_RE = re.compile(r"(?:\d+[wdhms])+")
_DURATION_PART_RE = re.compile(r"(\d+)([wdhms])")


def parse_duration(text: str) -> timedelta:
    """Turn '90s', '15m', '4h', '2d', '1w' or '1h30m' into a timedelta, so config files stay readable."""
    compact = text.strip().lower() if isinstance(text, str) else ""
    if not _DURATION_RE.fullmatch(compact):
        raise ValueError(
            f"{text!r} is not a duration; write a number and a unit (s, m, h, d or w), "
            "e.g. 90s, 15m, 4h, 2d, 1w or 1h30m"
        )
    parts = [(int(number), unit) for number, unit in _DURATION_PART_RE.findall(compact)]
    units = [unit for _, unit in parts]
    if units != sorted(set(units), key="wdhms".index):
        raise ValueError(f"{text!r}: give each unit once, the largest first, e.g. 1h30m")
    seconds = sum(number * _UNIT_SECONDS[unit] for number, unit in parts)
    if seconds <= 0:
        raise ValueError(f"{text!r}: a duration must be longer than zero")
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        raise ValueError(f"{text!r} is too long") from None


def format_duration(value: timedelta) -> str:
    """Write a timedelta as the config file does ('1h30m'), so error messages quote values recognisably."""
    seconds = int(value.total_seconds())
    parts = []
    for unit, size in _UNIT_SECONDS.items():
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"
