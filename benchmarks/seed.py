"""History for the benchmark, written through the project's own store before the app starts."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.model import Complaint, EventKind, Status

CHANNELS = ("CSUPPORT1", "CSUPPORT2", "CSUPPORT3", "CSUPPORT4")
PEOPLE = ("UANA", "UBEN", "UCARA", "UDAVE", "UEVA", "UFRED", "UGINA", "UHANS")
CUSTOMERS = ("Müller GmbH", "Acme Corp", "Schmidt & Söhne", "Globex", "Initech", "Umbrella AG", "Hooli")
CATEGORIES = ("product", "delivery", "billing", "service", "other")
SEVERITIES = ("high", "normal", "normal", "normal", "low")
BATCH = 1000


def utc_now() -> datetime:
    """The real clock, the same one the app process uses."""
    return datetime.now(UTC)


def _summary(rng: random.Random, number: int) -> str:
    """A complaint text of realistic length."""
    customer = rng.choice(CUSTOMERS)
    what = rng.choice(
        (
            "wrong parts delivered",
            "invoice charged twice",
            "support never called back",
            "shipment arrived damaged",
            "login broken since the update",
            "order cancelled by mistake",
        )
    )
    return f"{customer}: {what} (order {100000 + number}), customer wants an answer today"


def _base(rng: random.Random, number: int, filed: datetime, card_ts: str | None = None) -> Complaint:
    """A freshly filed complaint with the fields every complaint has."""
    reporter = rng.choice(PEOPLE)
    complaint = Complaint(
        number=number,
        channel=CHANNELS[number % len(CHANNELS)],
        origin_channel=CHANNELS[number % len(CHANNELS)],
        reporter=reporter,
        summary=_summary(rng, number),
        filed_at=filed,
        severity=rng.choice(SEVERITIES),
        customer=rng.choice(CUSTOMERS),
        details="Customer called twice; ticket attached in the thread. " * 2,
        category=rng.choice(CATEGORIES),
        unclaimed_since=filed,
        last_activity_at=filed,
        card_ts=card_ts or f"{1_600_000_000 + number}.{number % 1_000_000:06d}",
    )
    complaint.record(EventKind.FILED, filed, reporter)
    return complaint


def resolved(rng: random.Random, number: int, now: datetime) -> Complaint:
    """A complaint claimed, discussed and resolved at some time in the last twelve months."""
    resolved_at = now - timedelta(days=rng.uniform(0.5, 365))
    filed = resolved_at - timedelta(hours=rng.uniform(1, 96))
    complaint = _base(rng, number, filed)
    owner = rng.choice(PEOPLE)
    claimed = filed + timedelta(minutes=rng.uniform(2, 90))
    complaint.status, complaint.owner = Status.RESOLVED, owner
    complaint.first_claimed_at = complaint.owned_since = claimed
    complaint.record(EventKind.CLAIMED, claimed, owner)
    complaint.replies, complaint.repliers = rng.randint(0, 12), [owner, complaint.reporter]
    complaint.resolved_at = complaint.last_activity_at = resolved_at
    complaint.resolution = "Replacement shipped and credit note issued; customer confirmed."
    complaint.confirmed = rng.random() < 0.7
    complaint.record(EventKind.RESOLVED, resolved_at, owner, complaint.resolution)
    return complaint


def open_now(rng: random.Random, number: int, now: datetime, card_ts: str | None = None) -> Complaint:
    """An open complaint filed in the last quarter hour, so no follow-up falls due while the benchmark runs.

    Odd numbers are owned, even ones wait for an owner (those can be claimed).
    """
    filed = now - timedelta(minutes=rng.uniform(1, 15))
    complaint = _base(rng, number, filed, card_ts)
    complaint.severity = "normal"
    if number % 2:
        owner = rng.choice(PEOPLE)
        claimed = filed + timedelta(seconds=30)
        complaint.status, complaint.owner = Status.OWNED, owner
        complaint.first_claimed_at = complaint.owned_since = complaint.last_activity_at = claimed
        complaint.record(EventKind.CLAIMED, claimed, owner)
    return complaint


def plan(
    total: int, open_count: int, now: datetime, cards: dict[int, str] | None = None, seed: int = 7
) -> Iterator[Complaint]:
    """`total` complaints in number order; the newest `open_count` are open, the others resolved.

    `cards` gives some open complaints the ts of a card that really is in the (fake) Slack.
    """
    rng = random.Random(seed)
    cards = cards or {}
    for number in range(1, total + 1):
        if number > total - open_count:
            yield open_now(rng, number, now, cards.get(number))
        else:
            yield resolved(rng, number, now)


def claimable(total: int, open_count: int, count: int) -> list[int]:
    """Numbers of open complaints that wait for an owner, newest first."""
    first_open = total - open_count + 1
    return [n for n in range(total, first_open - 1, -1) if n % 2 == 0][:count]


def channel_of(number: int) -> str:
    """The channel whose card a seeded complaint has."""
    return CHANNELS[number % len(CHANNELS)]


def seed_store(open_store: Callable[[], Any], total: int, open_count: int, cards: dict[int, str] | None = None) -> None:
    """Write the history through the store's transactions, a thousand complaints per transaction."""
    store = open_store()
    try:
        batch: list[Complaint] = []
        for complaint in plan(total, open_count, utc_now(), cards):
            batch.append(complaint)
            if len(batch) == BATCH:
                _commit(store, batch)
                batch = []
        if batch:
            _commit(store, batch)
    finally:
        store.close()


def _commit(store: Any, batch: list[Complaint]) -> None:
    """One transaction: numbers are taken the way the app takes them, so new complaints follow on."""
    with store.transaction() as tx:
        for complaint in batch:
            complaint.number = tx.next_number()
            tx.save(complaint)
