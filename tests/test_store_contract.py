"""One store contract, two backends: every test here runs on TinyDB and on a real PostgreSQL.

The services only ever see the Store / Transaction protocols, so switching backends is configuration only
when both keep the same promises: numbering, locked changes, idempotency, the outbox, bookkeeping, reload.
"""

from __future__ import annotations

import itertools
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.customers import customer_key, history, kept_history
from bot.model import Complaint, CustomerCounts, Effect, EventKind, Status
from bot.store import AlreadySeen, Store
from bot.store.postgres import PostgresStore
from bot.store.tinydb_store import TinyDBStore
from tests.pg import fresh_schema

BACKENDS = ["tinydb", "postgresql"]
PLACE = pytest.StashKey["Place"]()
START = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def now() -> datetime:
    """The stores' clock."""
    return datetime.now(UTC)


class Place:
    """Where one backend keeps a test's data; opens a store on it, again after a close (a restart)."""

    def __init__(self, kind: str, where: str) -> None:
        self.kind = kind
        self.where = where
        self.stores: list[Any] = []

    def open(self) -> Any:
        """A store on this place's data."""
        if self.kind == "tinydb":
            store: Any = TinyDBStore(Path(self.where) / "complaints.json", now)
        else:
            store = PostgresStore(self.where, now, takeover=timedelta(seconds=3))
        self.stores.append(store)
        return store

    def reopen(self, store: Any) -> Any:
        """Close a store the way a stopping process does, and open the same data again."""
        store.close()
        return self.open()

    def close(self) -> None:
        """Close every store opened here (closing twice is harmless)."""
        for store in self.stores:
            store.close()


@contextmanager
def place(kind: str, tmp: Path) -> Iterator[Place]:
    """A fresh, empty place: a new folder for TinyDB, a new schema for PostgreSQL (dropped at the end)."""
    with ExitStack() as stack:
        where = tempfile.mkdtemp(dir=tmp) if kind == "tinydb" else stack.enter_context(fresh_schema())
        found = Place(kind, where)
        stack.callback(found.close)
        yield found


@pytest.fixture(params=BACKENDS, ids=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """An empty store of each backend."""
    with place(request.param, tmp_path) as found:
        request.node.stash[PLACE] = found
        yield found.open()


@pytest.fixture
def reopen(request: pytest.FixtureRequest, store: Any) -> Callable[[Any], Any]:
    """Close a store and open its data again."""
    return request.node.stash[PLACE].reopen


def new_complaint(number: int, channel: str = "CSUPPORT", summary: str = "wrong parts") -> Complaint:
    """A freshly filed complaint."""
    at = START + timedelta(minutes=number)
    complaint = Complaint(
        number=number,
        channel=channel,
        reporter="UANA",
        summary=summary,
        filed_at=at,
        severity="normal",
        unclaimed_since=at,
        last_activity_at=at,
    )
    complaint.record(EventKind.FILED, at, "UANA")
    return complaint


def file(store: Store, channel: str = "CSUPPORT", effect: bool = True) -> int:
    """File one complaint the way the lifecycle service does: number, save and card in one transaction."""
    with store.transaction() as tx:
        complaint = new_complaint(tx.next_number(), channel)
        tx.save(complaint)
        if effect:
            tx.enqueue(Effect(kind="card", lane=channel, complaint=complaint.number, channel=channel))
    return complaint.number


def file_with_card(store: Store, ts: str) -> int:
    """File one complaint and give it a card in CSUPPORT with this ts, as the outbox does once it is posted."""
    number = file(store)
    with store.transaction() as tx:
        complaint = tx.get(number)
        assert complaint is not None
        complaint.card_ts = ts
        tx.save(complaint)
    return number


def snapshot(store: Store) -> dict[str, Any]:
    """Everything a restart must keep."""
    return {
        "complaints": [c.to_dict() for c in store.all_complaints()],
        "open": [c.number for c in store.open_complaints()],
        "outbox": [e.to_dict() for e in store.pending_effects()],
        "meta": store.get_meta("digest"),
    }


# Numbering.


def test_numbers_are_unique_and_follow_each_other(store: Store) -> None:
    assert [file(store) for _ in range(3)] == [1, 2, 3]
    with store.transaction() as tx:  # two at once; inside, a backend may hand out stand-ins
        pair = [new_complaint(tx.next_number(), summary=text) for text in ("fourth", "fifth")]
        for complaint in pair:
            tx.save(complaint)
            tx.enqueue(Effect(kind="card", lane="CSUPPORT", complaint=complaint.number, channel="CSUPPORT"))
    assert [c.number for c in pair] == [4, 5], "the complaints did not get their numbers on commit"
    assert [(n, store.get(n).summary) for n in (4, 5)] == [(4, "fourth"), (5, "fifth")]  # type: ignore[union-attr]
    assert [e.complaint for e in store.pending_effects()][-2:] == [4, 5], "an effect names a stand-in"
    assert [e.complaint for e in tx.effects] == [4, 5]  # type: ignore[attr-defined]
    assert file(store) == 6


def test_a_transaction_that_raises_uses_no_number_and_changes_nothing(store: Store) -> None:
    file(store)
    with pytest.raises(RuntimeError), store.transaction() as tx:
        complaint = new_complaint(tx.next_number())
        tx.save(complaint)
        tx.enqueue(Effect(kind="card", lane="CSUPPORT", complaint=complaint.number))
        tx.set_meta("digest", "2026-11-25")
        assert tx.first_time("event:Ev1")
        raise RuntimeError("the service failed half-way")
    assert store.get(2) is None
    assert len(store.pending_effects()) == 1
    assert store.get_meta("digest") is None
    assert file(store) == 2
    with store.transaction() as tx:
        assert tx.first_time("event:Ev1"), "a key recorded by a rolled-back transaction was kept"


def test_thirty_threads_filing_at_once_get_thirty_consecutive_numbers(store: Store) -> None:
    numbers: list[int] = []
    start = threading.Barrier(30)

    def one() -> None:
        start.wait()
        numbers.append(file(store))

    threads = [threading.Thread(target=one) for _ in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == list(range(1, 31))
    assert [c.number for c in store.all_complaints()] == list(range(1, 31))


# Complaints and their changes.


def test_saved_complaints_are_found_by_number_and_by_card(store: Store) -> None:
    number = file_with_card(store, "1700000000.000100")
    found = store.by_card("CSUPPORT", "1700000000.000100")
    assert found is not None and found.number == number
    assert store.by_card("CSUPPORT", "1700000000.999999") is None
    assert store.by_card("COTHER", "1700000000.000100") is None
    assert store.card_number("CSUPPORT", "1700000000.000100") == number
    assert store.card_number("CSUPPORT", "1700000000.999999") is None
    assert store.card_number("COTHER", "1700000000.000100") is None
    assert store.get(99) is None
    with store.transaction() as tx:
        locked = tx.by_card("CSUPPORT", "1700000000.000100")
        assert locked is not None and locked.number == number
        assert tx.get(99) is None


def test_a_card_set_by_another_replica_is_found_by_its_number(store: Store, reopen: Callable[[Any], Any]) -> None:
    number = file(store)
    assert store.card_number("CSUPPORT", "1700000000.000200") is None
    with store.transaction() as tx:
        complaint = tx.get(number)
        assert complaint is not None
        complaint.card_ts = "1700000000.000200"
        tx.save(complaint)
    again = reopen(store)  # nothing remembered: the answer comes from the stored data
    assert again.card_number("CSUPPORT", "1700000000.000200") == number


def test_changes_go_through_transactions_and_resolved_complaints_leave_the_open_list(store: Store) -> None:
    first, second, third = file(store), file(store), file(store)
    with store.transaction() as tx:
        complaint = tx.get(second)
        assert complaint is not None
        complaint.status, complaint.owner = Status.OWNED, "UBEN"
        complaint.record(EventKind.CLAIMED, START, "UBEN")
        tx.save(complaint)
    claimed = store.get(second)
    assert claimed is not None and claimed.status is Status.OWNED and claimed.owner == "UBEN"
    version = claimed.version
    with store.transaction() as tx:
        complaint = tx.get(second)
        assert complaint is not None
        complaint.status, complaint.resolved_at, complaint.resolution = Status.RESOLVED, START, "replaced"
        tx.save(complaint)
    resolved = store.get(second)
    assert resolved is not None and resolved.status is Status.RESOLVED and resolved.version == version + 1
    assert [c.number for c in store.open_complaints()] == [first, third]
    assert [c.number for c in store.all_complaints()] == [first, second, third]


def test_a_change_inside_a_transaction_is_seen_by_that_transaction_only(store: Store) -> None:
    number = file(store)
    with store.transaction() as tx:
        complaint = tx.get(number)
        assert complaint is not None
        complaint.summary = "changed"
        tx.save(complaint)
        again = tx.get(number)
        assert again is not None and again.summary == "changed"
    stored = store.get(number)
    assert stored is not None and stored.summary == "changed"


def test_the_timeline_comes_back_exactly_as_recorded(store: Store) -> None:
    number = file(store)
    with store.transaction() as tx:
        complaint = tx.get(number)
        assert complaint is not None
        complaint.record(EventKind.CLAIMED, START + timedelta(seconds=1, microseconds=5), "UBEN", previous_owner=None)
        complaint.record(
            EventKind.SNOOZED,
            START + timedelta(hours=2),
            "UBEN",
            "waiting for the Müller GmbH reply",
            until="2026-11-27T08:00:00+00:00",
        )
        complaint.record(EventKind.ESCALATED, START + timedelta(days=1), None, reason="quiet")
        tx.save(complaint)
        expected = [entry.to_dict() for entry in complaint.timeline]
    stored = store.get(number)
    assert stored is not None
    assert [entry.to_dict() for entry in stored.timeline] == expected
    assert [entry.kind for entry in stored.timeline] == ["filed", "claimed", "snoozed", "escalated"]
    assert stored.timeline[1].at == START + timedelta(seconds=1, microseconds=5)


# Idempotency keys.


def test_an_idempotency_key_counts_once(store: Store) -> None:
    with store.transaction() as tx:
        assert tx.first_time("event:Ev1") is True
        assert tx.first_time("event:Ev1") is False
    with store.transaction() as tx:
        assert tx.first_time("event:Ev1") is False
        assert tx.first_time("event:Ev2") is True


def test_a_locking_read_with_a_key_finds_nothing_on_a_redelivery(store: Store) -> None:
    number = file_with_card(store, "1700000000.000300")
    with store.transaction() as tx:
        first = tx.by_card("CSUPPORT", "1700000000.000300", once="event:Ev5")
        assert first is not None and first.number == number
    with store.transaction() as tx:
        assert tx.by_card("CSUPPORT", "1700000000.000300", once="event:Ev5") is None
        assert tx.get(number, once="event:Ev5") is None
        assert tx.get(number, once="event:Ev6") is not None
        assert tx.first_time("event:Ev6") is False, "the key read along with the complaint was not recorded"
        again = tx.get(number, once="event:Ev7")  # staged or not, the key still counts once
        assert again is not None
        tx.save(again)
        assert tx.get(number, once="event:Ev7") is None
    with store.transaction() as tx:
        assert tx.get(number, once="event:Ev7") is None


def test_the_same_event_racing_on_one_card_acts_once(store: Store) -> None:
    number = file_with_card(store, "1700000000.000400")
    acted: list[bool] = []
    start = threading.Barrier(6)

    def handle() -> None:
        start.wait()
        with store.transaction() as tx:
            complaint = tx.by_card("CSUPPORT", "1700000000.000400", once="event:EvRace")
            acted.append(complaint is not None)
            if complaint is not None:
                complaint.replies += 1
                tx.save(complaint)

    threads = [threading.Thread(target=handle) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(acted) == [False] * 5 + [True]
    stored = store.get(number)
    assert stored is not None and stored.replies == 1


def file_once(store: Store, key: str) -> int | None:
    """File one complaint stored only under a new key, as a filing with Slack's trigger id is; None if seen."""
    try:
        with store.transaction() as tx:
            tx.once(key)
            complaint = new_complaint(tx.next_number())
            tx.save(complaint)
            tx.enqueue(Effect(kind="card", lane="CSUPPORT", complaint=complaint.number, channel="CSUPPORT"))
    except AlreadySeen:
        return None
    return complaint.number


def test_a_transaction_stored_once_under_a_key_is_not_stored_again(store: Store) -> None:
    assert file_once(store, "file:T1") == 1
    depth = store.outbox_depth()
    assert file_once(store, "file:T1") is None
    assert [c.number for c in store.all_complaints()] == [1], "the repeated filing was stored"
    assert store.outbox_depth() == depth, "the repeated filing's card was queued"
    assert file_once(store, "file:T2") == 2, "the refused filing used up a number"
    with store.transaction() as tx:
        assert tx.first_time("file:T2") is False
        assert tx.first_time("file:T3") is True
    assert file_once(store, "file:T3") is None


def test_a_key_stored_once_is_forgotten_when_its_transaction_fails(store: Store) -> None:
    with pytest.raises(RuntimeError), store.transaction() as tx:
        tx.once("file:T9")
        tx.save(new_complaint(tx.next_number()))
        raise RuntimeError("the unit of work failed")
    assert file_once(store, "file:T9") == 1


def test_the_same_filing_racing_with_itself_is_stored_once(store: Store) -> None:
    numbers: list[int | None] = []
    start = threading.Barrier(6)

    def handle() -> None:
        start.wait()
        numbers.append(file_once(store, "file:TRace"))

    threads = [threading.Thread(target=handle) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers, key=lambda n: n or 0) == [None] * 5 + [1]
    assert [c.number for c in store.all_complaints()] == [1]
    assert file(store) == 2


def test_two_transactions_racing_for_one_period_claim_only_one_wins(store: Store) -> None:
    wins: list[bool] = []
    start = threading.Barrier(8)

    def claim() -> None:
        start.wait()
        with store.transaction() as tx:
            wins.append(tx.first_time("digest:management:2026-11-25T08:00"))

    threads = [threading.Thread(target=claim) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(wins) == [False] * 7 + [True]


# The outbox.


def test_an_effect_is_visible_only_after_its_transaction_commits(store: Store) -> None:
    woken: list[frozenset[str] | None] = []
    store.add_commit_listener(woken.append)
    with store.transaction() as tx:
        tx.enqueue(Effect(kind="post", lane="CMGMT", channel="CMGMT", text="hello"))
        assert store.pending_effects() == []
        assert woken == []
    assert [e.text for e in store.pending_effects()] == ["hello"]
    assert store.outbox_depth() == 1
    assert woken == [frozenset({"CMGMT"})]
    with store.transaction() as tx:
        tx.set_meta("quiet", True)
    assert woken == [frozenset({"CMGMT"})], "a commit without effects woke the outbox"


def test_pending_effects_come_oldest_first_and_retry_and_finish_change_them(store: Store) -> None:
    for text in ("one", "two"):
        with store.transaction() as tx:
            tx.enqueue(Effect(kind="post", lane="CMGMT", channel="CMGMT", text=text))
    with store.transaction() as tx:
        tx.enqueue(Effect(kind="post", lane="CMGMT", channel="CMGMT", text="three"))
        tx.enqueue(Effect(kind="thread", lane="CSUPPORT", complaint=1, text="four", blocks=[{"type": "divider"}]))
    pending = store.pending_effects()
    assert [e.text for e in pending] == ["one", "two", "three", "four"]
    assert [e.seq for e in pending] == sorted(e.seq for e in pending) and len({e.seq for e in pending}) == 4
    assert pending[3].blocks == [{"type": "divider"}] and pending[3].complaint == 1
    assert store.pending_effects(limit=2) == pending[:2]

    later = START + timedelta(minutes=5)
    store.retry_effect(pending[0].id, later, "ratelimited")
    store.retry_effect(pending[0].id, later + timedelta(minutes=1), "internal_error")
    retried = store.pending_effects()[0]
    assert (retried.attempts, retried.not_before, retried.last_error) == (
        2,
        later + timedelta(minutes=1),
        "internal_error",
    )

    store.finish_effect(pending[1].id)
    with store.transaction() as tx:
        tx.finish_effect(pending[2].id)
    assert [e.text for e in store.pending_effects()] == ["one", "four"]
    assert store.outbox_depth() == 2
    store.finish_effect("no-such-effect")
    store.retry_effect("no-such-effect", later, "x")
    assert store.outbox_depth() == 2


# Bookkeeping.


def test_meta_values_are_staged_in_the_transaction_and_kept(store: Store) -> None:
    assert store.get_meta("digest") is None
    with store.transaction() as tx:
        assert tx.get_meta("digest") is None
        tx.set_meta("digest", {"management": "2026-11-25T08:00", "channels": ["CSUPPORT"]})
        assert tx.get_meta("digest") == {"management": "2026-11-25T08:00", "channels": ["CSUPPORT"]}
        tx.set_meta("count", 3)
    assert store.get_meta("digest") == {"management": "2026-11-25T08:00", "channels": ["CSUPPORT"]}
    with store.transaction() as tx:
        tx.set_meta("count", tx.get_meta("count") + 1)
    assert store.get_meta("count") == 4


def test_ping_says_the_store_answers(store: Store) -> None:
    assert store.ping() is True
    assert store.backend in BACKENDS


# Reload.


def test_closing_and_reopening_gives_the_same_data(store: Store, reopen: Callable[[Any], Any]) -> None:
    for _ in range(3):
        file(store)
    with store.transaction() as tx:
        complaint = tx.get(2)
        assert complaint is not None
        complaint.status, complaint.resolved_at = Status.RESOLVED, START + timedelta(days=40)
        tx.save(complaint)
        tx.set_meta("digest", "2026-11-25")
        tx.first_time("event:Ev9")
    store.retry_effect(store.pending_effects()[0].id, START, "ratelimited")
    before = snapshot(store)
    again = reopen(store)
    assert snapshot(again) == before
    assert file(again) == 4
    with again.transaction() as tx:
        assert tx.first_time("event:Ev9") is False


# Property-based: any sequence of steps keeps numbering unique and every complaint in a valid state.

STEP = st.one_of(
    st.tuples(st.just("file")),
    st.tuples(st.just("file_fails")),
    st.tuples(
        st.sampled_from(["claim", "release", "resolve", "reopen"]), st.integers(1, 6), st.sampled_from(["UANA", "UBEN"])
    ),
)
_examples = itertools.count()


def apply(store: Store, step: tuple[Any, ...], model: dict[int, tuple[Status, str | None]]) -> None:
    """Do one step on the store and on a plain model of what the store should then hold."""
    kind = step[0]
    if kind in ("file", "file_fails"):
        try:
            with store.transaction() as tx:
                complaint = new_complaint(tx.next_number())
                tx.save(complaint)
                tx.enqueue(Effect(kind="card", lane="CSUPPORT", complaint=complaint.number))
                if kind == "file_fails":
                    raise LookupError("failed before commit")
            model[complaint.number] = (Status.UNCLAIMED, None)
        except LookupError:
            pass
        return
    number, user = step[1], step[2]
    with store.transaction() as tx:
        found = tx.get(number)
        if found is None:
            assert number not in model
            return
        changed = transition(found, kind, user)
        if changed:
            tx.save(found)
            model[number] = (found.status, found.owner)


def transition(complaint: Complaint, kind: str, user: str) -> bool:
    """The lifecycle's state rules in miniature: claim, release by the owner, resolve, reopen."""
    at = START + timedelta(hours=1)
    if kind == "claim" and complaint.status is not Status.RESOLVED and complaint.owner != user:
        complaint.status, complaint.owner = Status.OWNED, user
    elif kind == "release" and complaint.status is Status.OWNED and complaint.owner == user:
        complaint.status, complaint.owner = Status.UNCLAIMED, None
    elif kind == "resolve" and complaint.status is Status.OWNED:
        complaint.status, complaint.resolved_at = Status.RESOLVED, at
    elif kind == "reopen" and complaint.status is Status.RESOLVED:
        complaint.status, complaint.owner, complaint.resolved_at = Status.UNCLAIMED, None, None
    else:
        return False
    complaint.record(kind, at, user)
    return True


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(STEP, max_size=25))
def test_any_sequence_of_steps_keeps_numbers_unique_and_states_valid(
    request: pytest.FixtureRequest, store: Store, tmp_path: Path, steps: list[tuple[Any, ...]]
) -> None:
    kind = request.node.stash[PLACE].kind
    with place(kind, tmp_path) as fresh:
        current = fresh.open()
        model: dict[int, tuple[Status, str | None]] = {}
        for step in steps:
            apply(current, step, model)
        stored = {c.number: c for c in current.all_complaints()}
        assert list(stored) == list(range(1, len(model) + 1)), "numbers are not unique and gap-free"
        assert {n: (c.status, c.owner) for n, c in stored.items()} == model
        for complaint in stored.values():
            if complaint.status is not Status.RESOLVED:  # a resolved complaint keeps its last owner
                assert (complaint.owner is not None) == (complaint.status is Status.OWNED)
            assert (complaint.resolved_at is not None) == (complaint.status is Status.RESOLVED)
        assert [c.number for c in current.open_complaints()] == [
            n for n, (status, _) in model.items() if status is not Status.RESOLVED
        ]
        before = snapshot(current)
        assert snapshot(fresh.reopen(current)) == before


def test_a_transaction_that_queued_effects_knows_how_many_wait_once_it_committed(store: Store) -> None:
    with store.transaction() as tx:
        tx.enqueue(Effect(kind="post", lane="CMGMT", channel="CMGMT", text="one"))
    assert tx.waiting == 1
    with store.transaction() as tx:
        tx.enqueue(Effect(kind="post", lane="CMGMT", channel="CMGMT", text="two"))
        tx.enqueue(Effect(kind="post", lane="CSUPPORT", channel="CSUPPORT", text="three"))
    assert tx.waiting == 3
    store.finish_effect(store.pending_effects()[0].id)
    with store.transaction() as tx:
        tx.enqueue(Effect(kind="post", lane="CMGMT", channel="CMGMT", text="four"))
    assert tx.waiting == 3


def test_lane_heads_are_the_oldest_effect_of_each_lane_through_retries_and_finishes(store: Store) -> None:
    texts = [("CMGMT", "m1"), ("CSUPPORT", "s1"), ("CMGMT", "m2"), ("eph:UANA", "e1"), ("CSUPPORT", "s2")]
    for lane, text in texts:
        with store.transaction() as tx:
            tx.enqueue(Effect(kind="post", lane=lane, channel=lane, text=text))
    assert [e.text for e in store.lane_heads()] == ["m1", "s1", "e1"]
    first = store.lane_heads()[0]
    store.retry_effect(first.id, START, "ratelimited")
    heads = store.lane_heads()
    assert (heads[0].text, heads[0].attempts, heads[0].last_error) == ("m1", 1, "ratelimited")
    store.finish_effect(first.id)
    store.finish_effect(heads[2].id)
    assert [e.text for e in store.lane_heads()] == ["s1", "m2"]
    for effect in store.pending_effects():
        store.finish_effect(effect.id)
    assert store.lane_heads() == []


# What a card and an App Home read: a customer's counts and a person's lists, without reading every complaint.


def file_for(store: Store, customer: str, owner: str = "", reporter: str = "UANA") -> int:
    """File a complaint naming a customer, reported by `reporter`, claimed by `owner` when given."""
    with store.transaction() as tx:
        complaint = new_complaint(tx.next_number())
        complaint.customer, complaint.reporter = customer, reporter
        if owner:
            complaint.owner, complaint.status, complaint.owned_since = owner, Status.OWNED, complaint.filed_at
        tx.save(complaint)
    return complaint.number


def change(store: Store, number: int, **fields: Any) -> None:
    """Change fields of a stored complaint in a transaction."""
    with store.transaction() as tx:
        complaint = tx.get(number)
        assert complaint is not None
        for name, value in fields.items():
            setattr(complaint, name, value)
        tx.save(complaint)


def test_a_customers_counts_follow_every_change(store: Store, reopen: Callable[[Any], Any]) -> None:
    key = customer_key("Müller GmbH")
    first = file_for(store, "Müller GmbH")
    file_for(store, "Acme Ltd")
    second = file_for(store, "mueller")
    fourth = file_for(store, "MÜLLER GmbH & Co. KG")
    assert store.customer_counts(key, first) == CustomerCounts(0, 0, None)
    assert store.customer_counts(key, second) == CustomerCounts(1, 1, first)
    assert store.customer_counts(key, fourth) == CustomerCounts(2, 2, second)
    assert store.customer_counts(key, fourth + 1) == CustomerCounts(3, 3, fourth)
    change(store, first, status=Status.RESOLVED, resolved_at=START + timedelta(hours=5))
    assert store.customer_counts(key, fourth) == CustomerCounts(2, 1, second)
    change(store, second, customer="Acme")  # the customer corrected: it counts for Acme now
    assert store.customer_counts(key, fourth) == CustomerCounts(1, 0, first)
    assert store.customer_counts(customer_key("ACME"), fourth) == CustomerCounts(2, 2, second)
    assert store.customer_counts("", fourth) == CustomerCounts(0, 0, None)
    again = reopen(store)
    assert again.customer_counts(key, fourth + 1) == CustomerCounts(2, 1, fourth)


def test_a_persons_home_lists_follow_every_change(store: Store, reopen: Callable[[Any], Any]) -> None:
    mine = file_for(store, "Acme", owner="UBEN")
    other = file_for(store, "Acme", owner="UCAY")
    waiting = [file_for(store, "Acme"), file_for(store, "Acme")]
    assert [c.number for c in store.open_owned_by("UBEN")] == [mine]
    assert [c.number for c in store.unclaimed_complaints()] == waiting
    change(store, waiting[0], owner="UBEN", status=Status.OWNED)  # claimed
    assert [c.number for c in store.open_owned_by("UBEN")] == [mine, waiting[0]]
    assert [c.number for c in store.unclaimed_complaints()] == [waiting[1]]
    resolved_at = START + timedelta(days=3)
    change(store, mine, status=Status.RESOLVED, resolved_at=resolved_at)
    change(store, other, owner="UBEN")  # handed over
    assert [c.number for c in store.open_owned_by("UBEN")] == [other, waiting[0]]
    assert numbers(store.resolved_by("UBEN", resolved_at - timedelta(days=1), 5)) == (1, [mine])
    assert store.resolved_by("UBEN", resolved_at + timedelta(seconds=1), 5) == (0, [])
    assert store.resolved_by("UCAY", START, 5) == (0, [])
    change(store, waiting[0], status=Status.RESOLVED, resolved_at=resolved_at + timedelta(hours=1))
    change(store, other, status=Status.RESOLVED, resolved_at=resolved_at + timedelta(hours=2))
    assert numbers(store.resolved_by("UBEN", START, 5)) == (3, [other, waiting[0], mine])  # newest first
    assert numbers(store.resolved_by("UBEN", START, 2)) == (3, [other, waiting[0]])
    again = reopen(store)
    assert again.open_owned_by("UBEN") == []
    assert [c.number for c in again.unclaimed_complaints()] == [waiting[1]]
    assert numbers(again.resolved_by("UBEN", START, 1)) == (3, [other])


def test_a_reporters_list_holds_what_someone_else_owns_or_nobody_does(
    store: Store, reopen: Callable[[Any], Any]
) -> None:
    waiting = file_for(store, "Acme")  # reported by UANA, nobody has taken it on
    taken = file_for(store, "Acme", owner="UBEN")
    own = file_for(store, "Acme", owner="UANA")  # she took it on herself: it is hers, listed as owned
    theirs = file_for(store, "Acme", owner="UANA", reporter="UCAY")
    assert numbers(store.open_reported_by("UANA", 5)) == (2, [waiting, taken])
    assert numbers(store.open_reported_by("UANA", 1)) == (2, [waiting])  # the oldest
    assert numbers(store.open_reported_by("UANA", 0)) == (2, [])
    assert numbers(store.open_reported_by("UCAY", 5)) == (1, [theirs])
    assert store.open_reported_by("UBEN", 5) == (0, [])  # owning is not reporting
    change(store, own, owner="UBEN")  # handed over: now someone else has it
    assert numbers(store.open_reported_by("UANA", 5)) == (3, [waiting, taken, own])
    change(store, taken, owner=None, status=Status.UNCLAIMED)  # released: it waits, still hers to answer for
    change(store, waiting, owner="UANA", status=Status.OWNED)  # she took it on herself
    assert numbers(store.open_reported_by("UANA", 5)) == (2, [taken, own])
    change(store, taken, status=Status.RESOLVED, resolved_at=START + timedelta(days=1))
    assert numbers(store.open_reported_by("UANA", 5)) == (1, [own])
    again = reopen(store)
    assert numbers(again.open_reported_by("UANA", 5)) == (1, [own])
    change(again, taken, status=Status.UNCLAIMED, resolved_at=None)  # reopened
    assert numbers(again.open_reported_by("UANA", 5)) == (2, [taken, own])
    assert numbers(again.open_reported_by("UCAY", 5)) == (1, [theirs])


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["UANA", "UBEN"]),
            st.sampled_from(["", "UANA", "UBEN", "UCAY"]),
            st.sampled_from(["", "UANA", "UBEN", "UCAY", "resolved"]),
        ),
        min_size=1,
        max_size=10,
    )
)
def test_a_reporters_list_says_what_the_whole_history_says(store: Store, filings: list[tuple[str, str, str]]) -> None:
    """Filed by one person, owned by another or nobody, then handed on, released or resolved: the kept list of
    what a person reported equals what reading every complaint would say."""
    for reporter, owner, later in filings:
        number = file_for(store, "Acme", owner=owner, reporter=reporter)
        if later == "resolved":
            change(store, number, status=Status.RESOLVED, resolved_at=START + timedelta(days=1))
        else:
            change(store, number, owner=later or None, status=Status.OWNED if later else Status.UNCLAIMED)
    everything = list(store.all_complaints())
    for person in ("UANA", "UBEN", "UCAY"):
        expected = [c.number for c in everything if c.is_open and c.reporter == person and c.owner != person]
        assert numbers(store.open_reported_by(person, 3)) == (len(expected), expected[:3])


def numbers(found: tuple[int, list[Complaint]]) -> tuple[int, list[int]]:
    """A count and complaints, as the count and their numbers."""
    return found[0], [c.number for c in found[1]]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.tuples(st.sampled_from(["Müller GmbH", "mueller", "Acme Ltd", "ACME", ""]), st.booleans()),
        min_size=1,
        max_size=12,
    )
)
def test_the_kept_counts_say_what_the_whole_history_says(store: Store, filings: list[tuple[str, bool]]) -> None:
    """A card's customer line from the kept counts equals the one computed from every complaint."""
    numbers = []
    for customer, resolved in filings:
        number = file_for(store, customer)
        if resolved:
            change(store, number, status=Status.RESOLVED, resolved_at=START + timedelta(days=1))
        numbers.append(number)
    everything = list(store.all_complaints())
    for complaint in everything:
        assert kept_history(store, complaint) == history(everything, complaint)
