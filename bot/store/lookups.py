"""Lists kept where complaints change, so a card and an App Home never read every complaint.

A card names its customer's earlier complaints; an App Home lists what a person owns, what they reported that
is open with someone else or waits, what waits for an owner and what the person resolved lately. Each is kept
here per customer (by the forgiving customer key) and per person, updated with every stored change, so
answering costs what that customer's or person's complaints cost, not the whole history. The TinyDB store
holds one in memory; PostgreSQL answers the same from indexed columns.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import datetime

from bot.customers import customer_key
from bot.model import Complaint, CustomerCounts, Status


@dataclass(frozen=True)
class _Facts:
    """What the lists know of one complaint, to take it out again when it changes."""

    key: str
    open: bool
    unclaimed: bool
    owner: str
    reporter: str
    resolved_at: datetime | None


def facts(complaint: Complaint) -> _Facts:
    """The facts of a complaint as stored now."""
    resolved = complaint.status is Status.RESOLVED
    return _Facts(
        key=customer_key(complaint.customer) if complaint.customer else "",
        open=complaint.is_open,
        unclaimed=complaint.status is Status.UNCLAIMED,
        owner=complaint.owner or "",
        reporter=complaint.reporter or "",
        resolved_at=complaint.resolved_at if resolved else None,
    )


class Lookups:
    """Per customer: complaint numbers in order, and the open ones; per person: open complaints they own, open
    ones they reported and do not own, and the ones they resolved.

    Not thread-safe by itself: the store calls it under its own lock.
    """

    def __init__(self) -> None:
        self._facts: dict[int, _Facts] = {}
        self._by_customer: dict[str, list[int]] = {}  # key -> numbers, ascending
        self._open_by_customer: dict[str, set[int]] = {}
        self._open_by_owner: dict[str, set[int]] = {}
        self._open_reported: dict[str, set[int]] = {}  # reporter -> open numbers someone else owns, or nobody
        self._unclaimed: set[int] = set()
        self._resolved_by_owner: dict[str, list[tuple[datetime, int]]] = {}  # owner -> (resolved at, number), sorted

    def put(self, complaint: Complaint) -> None:
        """Take a stored complaint in, as it is now (replacing what was known of it)."""
        number, new = complaint.number, facts(complaint)
        old = self._facts.get(number)
        if old == new:
            return
        if old is not None:
            self._drop(number, old)
        self._facts[number] = new
        if new.key:
            bisect.insort(self._by_customer.setdefault(new.key, []), number)
            if new.open:
                self._open_by_customer.setdefault(new.key, set()).add(number)
        if new.open and new.owner:
            self._open_by_owner.setdefault(new.owner, set()).add(number)
        if new.open and new.reporter and new.reporter != new.owner:
            self._open_reported.setdefault(new.reporter, set()).add(number)
        if new.unclaimed:
            self._unclaimed.add(number)
        if new.resolved_at is not None and new.owner:
            bisect.insort(self._resolved_by_owner.setdefault(new.owner, []), (new.resolved_at, number))

    def _drop(self, number: int, old: _Facts) -> None:
        """Take out what was known of a complaint; empty lists go, so nothing is kept for nobody."""
        if old.key:
            _remove_sorted(self._by_customer, old.key, number)
            _discard(self._open_by_customer, old.key, number)
        _discard(self._open_by_owner, old.owner, number)
        _discard(self._open_reported, old.reporter, number)
        self._unclaimed.discard(number)
        if old.resolved_at is not None:
            _remove_sorted(self._resolved_by_owner, old.owner, (old.resolved_at, number))

    def customer_counts(self, key: str, before: int) -> CustomerCounts:
        """The customer's complaints numbered below `before`: how many, how many open, the latest one."""
        numbers = self._by_customer.get(key, []) if key else []
        earlier = bisect.bisect_left(numbers, before)
        still_open = sum(1 for n in self._open_by_customer.get(key, ()) if n < before)
        return CustomerCounts(earlier, still_open, numbers[earlier - 1] if earlier else None)

    def open_owned_by(self, user: str) -> list[int]:
        """Numbers of the open complaints `user` owns, ascending."""
        return sorted(self._open_by_owner.get(user, ()))

    def unclaimed(self) -> list[int]:
        """Numbers of the complaints waiting for an owner, ascending."""
        return sorted(self._unclaimed)

    def open_reported_by(self, user: str, limit: int) -> tuple[int, list[int]]:
        """How many open complaints `user` reported and does not own, and the numbers of the `limit` oldest."""
        numbers = self._open_reported.get(user, set())
        return len(numbers), sorted(numbers)[: max(limit, 0)]

    def resolved_by(self, user: str, since: datetime, limit: int) -> tuple[int, list[int]]:
        """How many complaints `user` resolved at or after `since`, and the numbers of the `limit` latest."""
        resolved = self._resolved_by_owner.get(user, [])
        start = bisect.bisect_left(resolved, (since, 0))
        latest = resolved[max(start, len(resolved) - limit) :] if limit > 0 else []
        return len(resolved) - start, [number for _, number in reversed(latest)]

    def sizes(self) -> dict[str, int]:
        """How many keys each list holds (for tests that check nothing is kept for nobody)."""
        return {
            "complaints": len(self._facts),
            "customers": len(self._by_customer),
            "owners": len(self._open_by_owner) + len(self._resolved_by_owner),
            "reporters": len(self._open_reported),
        }


def _remove_sorted(lists: dict, key: str, item: object) -> None:
    """Remove one item from a sorted list in `lists`, and the list when it is empty."""
    found = lists.get(key)
    if not found:
        return
    at = bisect.bisect_left(found, item)
    if at < len(found) and found[at] == item:
        del found[at]
    if not found:
        del lists[key]


def _discard(sets: dict[str, set[int]], key: str, number: int) -> None:
    """Remove a number from a set in `sets`, and the set when it is empty."""
    found = sets.get(key)
    if found is None:
        return
    found.discard(number)
    if not found:
        del sets[key]
