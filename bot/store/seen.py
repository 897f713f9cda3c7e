"""When idempotency keys are forgotten: the same rule for every backend.

A key only has to outlive Slack's redeliveries (minutes), so keys older than two days are swept; to keep
that cheap, the sweep runs once every SEEN_SWEEP_EVERY keys recorded, not on every commit.
"""

from __future__ import annotations

import threading
from datetime import timedelta

SEEN_KEEP = timedelta(days=2)
SEEN_SWEEP_EVERY = 500


class SweepSchedule:
    """Counts the keys a store recorded and says when the old ones are to be swept."""

    def __init__(self) -> None:
        self._recorded = 0
        self._lock = threading.Lock()

    def due(self, recorded: int) -> bool:
        """Count `recorded` more keys; True when that crossed a multiple of SEEN_SWEEP_EVERY."""
        with self._lock:
            before, after = self._recorded, self._recorded + recorded
            self._recorded = after
        return before // SEEN_SWEEP_EVERY != after // SEEN_SWEEP_EVERY
