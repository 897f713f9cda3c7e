"""A clock the test moves by hand, so follow-ups fall due when the test says, not after real waiting."""

from __future__ import annotations

from datetime import datetime, timedelta


class Clock:
    """Stands still at `at` until the test moves it."""

    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **delta: float) -> None:
        """Move on by a timedelta's worth (seconds=…, hours=…)."""
        self.at += timedelta(**delta)
