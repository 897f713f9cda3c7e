"""The store contract every backend keeps, so services never know where complaints live.

Everything a caller (services, runtime, metrics, reports) uses on a store is declared here: nobody probes
a backend for what it can do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, Protocol

from bot.leadership import Role
from bot.model import Complaint, CustomerCounts, Effect

# Told after a commit that queued effects: the lanes they went into, or None when not known (another replica).
CommitListener = Callable[[frozenset[str] | None], None]
# Told of a complaint another replica changed, as it is stored now.
ChangeListener = Callable[[Complaint], None]
WAITING_COUNTED = 100


class StoreError(Exception):
    """The store cannot do what was asked (damaged file, database down); nothing was changed."""


class StoreCorrupt(StoreError):
    """A data file cannot be read; it is left untouched for an operator to look at."""


class StoreUnavailable(StoreError):
    """The store cannot save right now; the caller must tell the user it was not saved."""


class AlreadySeen(Exception):
    """The idempotency key a transaction was stored `once` under was recorded before: nothing in it was stored."""


class Transaction(Protocol):
    """One atomic unit of work: everything staged in it is stored together or not at all."""

    # Once committed, how many effects wait in the outbox (this one's included, at most WAITING_COUNTED);
    # counted only when it queued any, without a further read, so a filing can say honestly whether its
    # card is still queued.
    waiting: int

    def next_number(self) -> int:
        """The number for a complaint filed in this transaction; only used up if the transaction commits.

        It is final once the transaction committed. Inside it, a backend may hand out a stand-in (PostgreSQL
        takes the real number as the last step before COMMIT) and sets the real one at commit, on the complaint
        and on the effects that name it; so callers read `complaint.number` after the commit.
        """

    def get(self, number: int, once: str = "") -> Complaint | None:
        """A private, locked copy of a complaint to change.

        With `once` (an idempotency key, recorded as by `first_time`), None also when the key was seen before:
        a redelivered event finds nothing to do. A backend may send both to its server at once.
        """

    def by_card(self, channel: str, ts: str, once: str = "") -> Complaint | None:
        """The complaint whose card is this message, locked for change; `once` as for `get`."""

    def save(self, complaint: Complaint) -> None:
        """Stage a complaint's new state."""

    def enqueue(self, effect: Effect) -> None:
        """Stage a Slack side effect; it goes out only once the transaction is stored."""

    def first_time(self, key: str) -> bool:
        """Record an idempotency key; False when it was already recorded (a redelivery)."""

    def once(self, key: str) -> None:
        """Store this transaction only under an idempotency key not recorded before; else AlreadySeen is raised.

        Unlike `first_time` it needs no answer before the commit, so a backend may record the key with the
        commit itself (PostgreSQL: one message for the whole filing). A backend that knows at once may raise
        AlreadySeen here already; either way the block's changes are not stored.
        """

    def get_meta(self, key: str) -> Any:
        """Read a small bookkeeping value (e.g. the last digest period)."""

    def set_meta(self, key: str, value: Any) -> None:
        """Stage a small bookkeeping value."""

    def finish_effect(self, effect_id: str) -> None:
        """Stage the removal of a delivered effect, stored together with what its delivery changed."""


class Store(Protocol):
    """Where complaints, the outbox and bookkeeping live."""

    backend: str

    def transaction(self) -> AbstractContextManager[Transaction]:
        """Open a unit of work; leaving the block without an error commits it durably."""

    def add_commit_listener(self, listener: CommitListener) -> None:
        """Be told after each commit that queued effects (here or, where a backend can tell, on another replica)."""

    def add_change_listener(self, listener: ChangeListener) -> None:
        """Be told of complaints another replica changed (the leader re-plans their timers).

        A backend that serves one process only has no other replica, and never calls it.
        """

    def leadership(self, on_elected: Callable[[], None], on_demoted: Callable[[], None]) -> Role:
        """The election of the one process that runs timers and the outbox (a single process always leads)."""

    def get(self, number: int) -> Complaint | None:
        """A read-only view of one complaint."""

    def by_card(self, channel: str, ts: str) -> Complaint | None:
        """A read-only view of the complaint whose card is this message."""

    def card_number(self, channel: str, ts: str) -> int | None:
        """Which complaint this message is the card of, if any: the quick check before every reaction and reply.

        A backend may remember the answers it found; a card posted anew leaves its old ts remembered, which is
        harmless, as the transaction that follows looks the card up again.
        """

    def open_complaints(self) -> list[Complaint]:
        """Every open complaint, read-only, in number order."""

    def all_complaints(self) -> Iterator[Complaint]:
        """Every complaint ever filed, read-only, in number order (for reports and exports)."""

    # Kept where complaints change, so that a card and an App Home cost the same however long the history is.

    def customer_counts(self, key: str, before: int) -> CustomerCounts:
        """The complaints of the customer with this forgiving key (bot.customers.customer_key) numbered below
        `before`: how many, how many of them open, and the latest one's number (an empty key has none)."""

    def open_owned_by(self, user: str) -> list[Complaint]:
        """The open complaints this person owns, read-only, in number order."""

    def unclaimed_complaints(self) -> list[Complaint]:
        """The complaints waiting for an owner, read-only, in number order."""

    def open_reported_by(self, user: str, limit: int) -> tuple[int, list[Complaint]]:
        """How many open complaints this person reported and does not own (someone else does, or nobody yet),
        and the `limit` oldest of them, read-only, in number order: the reporter answers to the customer for
        them. Those the person owns are left out, as `open_owned_by` lists them."""

    def resolved_by(self, user: str, since: datetime, limit: int) -> tuple[int, list[Complaint]]:
        """How many complaints this person owned when resolved at or after `since`, and the `limit` most
        recently resolved of them, read-only, newest first."""

    def get_meta(self, key: str) -> Any:
        """Read a bookkeeping value outside a transaction."""

    def pending_effects(self, limit: int = 10_000) -> list[Effect]:
        """Outbox entries not yet delivered, oldest first (the outbox decides which may go now)."""

    def lane_heads(self) -> list[Effect]:
        """The oldest pending effect of each lane, oldest first: all the outbox may start now.

        It costs what the number of lanes costs, not the outbox's depth, which grows while Slack is slow.
        """

    def finish_effect(self, effect_id: str) -> None:
        """Remove a delivered (or given-up) effect from the outbox."""

    def retry_effect(self, effect_id: str, not_before: datetime, error: str) -> None:
        """Put an effect back for a later attempt."""

    def outbox_depth(self) -> int:
        """How many effects wait; for health and metrics."""

    def count_by_status(self) -> dict[str, int]:
        """How many complaints are in each state, every state named; for metrics."""

    def ping(self) -> bool:
        """Whether the store answers; for /healthz."""

    def close(self) -> None:
        """Flush and release files or connections."""
