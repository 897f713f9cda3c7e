"""What a PostgreSQL store remembers between round trips, so the frequent reads cost less than a query.

Each memory is bounded or kept in step with the database: cards (a card stays one), bookkeeping values (a
few seconds), decoded complaints (checked against their row versions) and decoded outbox effects (dropped
once delivered).
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterable
from datetime import UTC
from typing import Any

from bot.model import Complaint, Effect

MAX_CARDS_REMEMBERED = 100_000
# Decoded complaints kept for reports: enough for years of a busy desk; past that the oldest read are forgotten
# and decoded again when a report needs them, so memory stays bounded however long the history grows.
MAX_COMPLAINTS_REMEMBERED = 20_000
META_FRESH = 2.0  # seconds a bookkeeping value read outside a transaction is used again without asking


class CardMemory:
    """(channel, card ts) -> complaint number: the quick check before every reaction and reply."""

    def __init__(self) -> None:
        self._cards: dict[tuple[str, str], int] = {}

    def get(self, channel: str, ts: str) -> int | None:
        """The number of the complaint whose card this is, when known."""
        return self._cards.get((channel, ts))

    def remember(self, channel: str, ts: str, number: int) -> None:
        """Keep a card's number; the memory is emptied now and then so it cannot grow without bound."""
        if len(self._cards) >= MAX_CARDS_REMEMBERED:
            self._cards.clear()
        self._cards[(channel, ts)] = number

    def remember_all(self, rows: Iterable[tuple[Any, Any, Any]]) -> None:
        """Keep (channel, ts, number) rows, up to the limit (the cards of open complaints at start)."""
        for channel, ts, number in list(rows)[:MAX_CARDS_REMEMBERED]:
            self._cards[(str(channel), str(ts))] = int(number)


class MetaMemory:
    """Bookkeeping values read outside a transaction, used again for META_FRESH seconds.

    A value this replica writes is read afresh at once; one another replica wrote may be seen up to
    META_FRESH seconds late.
    """

    def __init__(self) -> None:
        self._values: dict[str, tuple[float, Any]] = {}  # key -> (when read, value)
        self._written: dict[str, float] = {}  # key -> when this replica last committed a new value

    def fresh(self, key: str) -> tuple[bool, Any]:
        """(True, value) when a read of the last META_FRESH seconds can be used again."""
        hit = self._values.get(key)
        if hit is not None and time.monotonic() - hit[0] < META_FRESH:
            return True, hit[1]
        return False, None

    def read(self, key: str, value: Any, read_at: float) -> None:
        """A value read from the database at `read_at` (time.monotonic), unless a commit here overtook it."""
        if self._written.get(key, -1.0) < read_at:
            self._values[key] = (read_at, value)

    def wrote(self, keys: Iterable[str]) -> None:
        """This replica committed new values: read them afresh next time."""
        stamp = time.monotonic()
        for key in keys:
            self._written[key] = stamp
            self._values.pop(key, None)


class ComplaintMemory:
    """Decoded complaints by number with the row version they were read at, for reports over every complaint.

    Rebuilding 10,000 complaints from JSON took most of a second; a (number, version) scan tells which of
    the remembered ones are still current. At most `limit` are kept, the most recently read ones.
    """

    def __init__(self, limit: int = MAX_COMPLAINTS_REMEMBERED) -> None:
        self.limit = limit
        self._known: OrderedDict[int, tuple[int, Complaint]] = OrderedDict()
        self._lock = threading.Lock()

    def split(self, versions: list[tuple[Any, Any]]) -> tuple[list[int], dict[int, Complaint]]:
        """Of (number, version) rows: the numbers not remembered at that version, and the remembered ones (taken
        now, as reading the others may make room by forgetting some); those no longer stored are forgotten."""
        with self._lock:
            numbers = {n for n, _ in versions}
            for gone in [n for n in self._known if n not in numbers]:
                del self._known[gone]
            stale = [int(n) for n, v in versions if self._known.get(n, (None, None))[0] != v]
            kept = {int(n): self._known[n][1] for n, v in versions if self._known.get(n, (None, None))[0] == v}
        return stale, kept

    def update(self, rows: Iterable[tuple[Any, Any, Any]]) -> dict[int, Complaint]:
        """Remember (number, version, data) rows just read (forgetting the longest unread past the limit);
        returns them decoded."""
        fresh = {int(n): (int(v), Complaint.from_dict(data)) for n, v, data in rows}
        with self._lock:
            for number, known in fresh.items():
                self._known[number] = known
                self._known.move_to_end(number)
            while len(self._known) > self.limit:
                self._known.popitem(last=False)
        return {number: complaint for number, (_, complaint) in fresh.items()}

    def size(self) -> int:
        """How many decoded complaints are kept."""
        with self._lock:
            return len(self._known)


class EffectMemory:
    """Pending effects decoded once by id, shared read-only; their changing columns refreshed on each read."""

    def __init__(self) -> None:
        self._effects: dict[str, Effect] = {}
        self._lock = threading.Lock()

    def missing(self, ids: Iterable[str]) -> list[str]:
        """The ids not decoded yet."""
        with self._lock:
            return [effect_id for effect_id in ids if effect_id not in self._effects]

    def refreshed(self, decoded: dict[str, Effect], rows: list[tuple[Any, ...]]) -> list[Effect]:
        """Keep newly decoded effects; the effects of these (id, seq, attempts, not_before, last_error) rows."""
        with self._lock:
            self._effects.update(decoded)
            return [_refresh(self._effects[row[0]], row) for row in rows if row[0] in self._effects]

    def only(self, effects: list[Effect]) -> None:
        """The whole outbox was read: forget what is no longer in it."""
        with self._lock:
            self._effects = {effect.id: effect for effect in effects}

    def forget(self, effect_ids: Iterable[str]) -> None:
        """Delivered or abandoned effects."""
        with self._lock:
            for effect_id in effect_ids:
                self._effects.pop(effect_id, None)


def _refresh(effect: Effect, row: tuple[Any, ...]) -> Effect:
    """Bring an effect up to its row: the columns that change after queueing win over the JSON."""
    _, seq, attempts, not_before, last_error = row
    effect.seq, effect.attempts, effect.last_error = int(seq), int(attempts), last_error
    effect.not_before = None if not_before is None else not_before.astimezone(UTC)
    return effect
