"""The embedded store: TinyDB files, one for open work and one per month of resolved complaints.

Every write rewrites a whole TinyDB file, so the file that each click rewrites holds only what is open
(open complaints, the outbox, recent event ids, counters). A resolved complaint moves to the archive file of
the month it was resolved in; that file is rewritten only when one of its complaints changes. Everything is
also held in memory, so reads never touch the disk.
"""

from __future__ import annotations

import copy
import itertools
import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from tinydb.table import Document

from bot.leadership import SingleLeader
from bot.model import Complaint, CustomerCounts, Effect, Status, from_iso, to_iso
from bot.store.contract import WAITING_COUNTED, AlreadySeen, ChangeListener, CommitListener, StoreUnavailable
from bot.store.files import FileDB, MemoryFileStorage
from bot.store.lookups import Lookups
from bot.store.seen import SEEN_KEEP, SweepSchedule

log = logging.getLogger("complaints.store")
HOT = "hot"


def _copy(complaint: Complaint) -> Complaint:
    """A private copy that a transaction may change without touching what readers see.

    A deep copy: it shares nothing mutable, and costs half of a round trip through to_dict/from_dict.
    """
    return copy.deepcopy(complaint)


class TinyDBStore:
    """TinyDB behind the store contract, safe under concurrent listener threads."""

    backend = "tinydb"

    def __init__(self, path: str | Path, now: Callable[[], datetime]) -> None:
        self._path = Path(path)
        self._now = now
        self._lock = threading.RLock()
        self._listeners: list[CommitListener] = []
        self._dbs: dict[str, FileDB] = {HOT: self._open(self._path)}
        for file in sorted(self._path.parent.glob(f"{self._path.stem}.archive-*.json")):
            self._dbs[file.stem.rsplit(".archive-", 1)[1]] = self._open(file)
        self._complaints: dict[int, Complaint] = {}
        self._where: dict[int, str] = {}
        self._cards: dict[tuple[str, str], int] = {}
        self._lookups = Lookups()  # per customer and per person, for cards and App Homes
        self._seen: dict[str, int] = {}
        self._sweeps = SweepSchedule()
        self._effects: dict[str, int] = {}
        # The outbox in queue order, as Effect objects: the dispatcher asks for it after every commit, and
        # rebuilding it from the table each time cost time in proportion to the outbox's depth.
        self._pending: dict[str, Effect] = {}
        self._lanes: dict[str, dict[str, Effect]] = {}  # the same effects by lane, each lane in queue order
        self._load()

    def _open(self, path: Path) -> FileDB:
        """Open one file with the memory-resident, atomically written storage."""
        return FileDB(path, storage=MemoryFileStorage, lock=self._lock)

    def _archive_path(self, month: str) -> Path:
        """Where resolved complaints of one month live."""
        return self._path.with_name(f"{self._path.stem}.archive-{month}.json")

    def _load(self) -> None:
        """Index every file; when a crash left a complaint in two files, the newer version wins.

        The indexes are built aside and put in place at once: readers that take no lock (the quick card check
        before a reaction) never see them half-built while the files are read again after a failed write.
        """
        found: dict[int, tuple[Complaint, str]] = {}
        for where, db in self._dbs.items():
            for doc in db.table("complaints").all():
                complaint = Complaint.from_dict(doc)
                known = found.get(complaint.number)
                if known is None or complaint.version > known[0].version:
                    found[complaint.number] = (complaint, where)
        lookups = Lookups()
        for complaint, _ in found.values():
            lookups.put(complaint)
        self._complaints = {number: complaint for number, (complaint, _) in found.items()}
        self._where = {number: where for number, (_, where) in found.items()}
        self._cards = {(c.channel, c.card_ts): c.number for c in self._complaints.values() if c.card_ts}
        self._lookups = lookups
        hot = self._dbs[HOT]
        self._seen = {doc["key"]: doc.doc_id for doc in hot.table("seen").all()}
        self._effects = {doc["id"]: doc.doc_id for doc in hot.table("outbox").all()}
        queued = sorted((Effect.from_dict(doc) for doc in hot.table("outbox").all()), key=lambda e: e.seq)
        self._pending, self._lanes = {}, {}
        for effect in queued:
            self._queue(effect)

    def _remember(self, complaint: Complaint, where: str) -> None:
        """Keep the in-memory indexes in step with the files."""
        self._complaints[complaint.number] = complaint
        self._where[complaint.number] = where
        if complaint.card_ts:
            self._cards[(complaint.channel, complaint.card_ts)] = complaint.number
        self._lookups.put(complaint)

    def add_commit_listener(self, listener: CommitListener) -> None:
        """Be told after every commit that queued effects, and in which lanes (the outbox dispatcher wakes up)."""
        self._listeners.append(listener)

    def add_change_listener(self, listener: ChangeListener) -> None:
        """No other process changes these files: there is nothing to be told of."""

    def leadership(self, on_elected: Callable[[], None], on_demoted: Callable[[], None]) -> SingleLeader:
        """The only process there is leads from start to stop."""
        return SingleLeader(on_elected, on_demoted)

    @contextmanager
    def transaction(self) -> Iterator[_Transaction]:
        """Serialise units of work; durable once the block is left without an error."""
        with self._lock:
            tx = _Transaction(self)
            yield tx
            touched = self._apply(tx)
        try:
            for where in sorted(touched, key=lambda w: w == HOT):
                storage = self._dbs[where].storage
                storage.sync(storage.version)
        except StoreUnavailable:
            self._recover()
            raise
        if tx.effects:
            lanes = frozenset(effect.lane for effect in tx.effects)
            for listener in self._listeners:
                listener(lanes)

    def _recover(self) -> None:
        """After a failed write (disk full), forget what memory holds beyond the files: reload them.

        Every transaction whose write did not reach the disk has raised StoreUnavailable to its caller (who
        told the person it was not saved), so the files are exactly what people were told is stored.
        """
        with self._lock:
            if not any(db.storage.poisoned for db in self._dbs.values()):
                return
            log.error("a data file could not be written; reloading %s from disk", self._path)
            for db in self._dbs.values():
                db.storage.abandon()
            self._dbs = {HOT: self._open(self._path)}
            for file in sorted(self._path.parent.glob(f"{self._path.stem}.archive-*.json")):
                self._dbs[file.stem.rsplit(".archive-", 1)[1]] = self._open(file)
            self._load()

    def _apply(self, tx: _Transaction) -> set[str]:
        """Write a transaction's staged changes into the TinyDB tables; returns the files touched."""
        touched: set[str] = set()
        for complaint in tx.staged.values():
            touched |= self._put_complaint(complaint)
        hot = self._dbs[HOT]
        meta = dict(tx.meta)
        if tx.numbers_taken:
            meta["next_number"] = self._meta("next_number", 1) + tx.numbers_taken
        seq = self._meta("effect_seq", 0)
        for effect in tx.effects:
            seq += 1
            effect.seq = seq
            raw = effect.to_dict()
            self._effects[effect.id] = hot.table("outbox").insert(raw)
            self._queue(Effect.from_dict(raw))
        if tx.effects:
            meta["effect_seq"] = seq
        for effect_id in tx.finished:
            self._drop_effect(effect_id)
        if tx.effects:
            tx.waiting = min(len(self._effects), WAITING_COUNTED)
        self._record_seen(tx.keys)
        if meta:
            self._write_meta(meta)
        if meta or tx.effects or tx.keys or tx.finished:
            touched.add(HOT)
        return touched

    def _put_complaint(self, complaint: Complaint) -> set[str]:
        """Store a complaint in the file it belongs to now, and out of the one it was in."""
        complaint.version += 1
        where = HOT if complaint.is_open else (complaint.resolved_at or self._now()).strftime("%Y-%m")
        if where not in self._dbs:
            self._dbs[where] = self._open(self._archive_path(where))
        before = self._where.get(complaint.number)
        self._dbs[where].table("complaints").upsert(_doc(complaint), cond=None)
        touched = {where}
        if before is not None and before != where:
            self._dbs[before].table("complaints").remove(doc_ids=[complaint.number])
            touched.add(before)
        self._remember(complaint, where)
        return touched

    def _meta(self, key: str, default: Any = None) -> Any:
        """Read a bookkeeping value; callers hold the lock."""
        doc = self._dbs[HOT].table("meta").get(doc_id=1)
        return default if doc is None else doc.get(key, default)

    def _write_meta(self, values: dict[str, Any]) -> None:
        """Merge bookkeeping values into the single meta document."""
        table = self._dbs[HOT].table("meta")
        current = dict(table.get(doc_id=1) or {})
        current.update(values)
        table.upsert(_with_id(current, 1), cond=None)

    def _record_seen(self, keys: list[str]) -> None:
        """Remember idempotency keys, forgetting those older than any redelivery Slack makes."""
        if not keys:
            return
        table = self._dbs[HOT].table("seen")
        now = self._now()
        for key in keys:
            self._seen[key] = table.insert({"key": key, "at": to_iso(now)})
        if self._sweeps.due(len(keys)):
            cutoff = now - SEEN_KEEP
            old = [doc for doc in table.all() if (from_iso(doc["at"]) or now) < cutoff]
            table.remove(doc_ids=[doc.doc_id for doc in old])
            for doc in old:
                self._seen.pop(doc["key"], None)

    def _drop_effect(self, effect_id: str) -> None:
        """Forget a delivered effect."""
        doc_id = self._effects.pop(effect_id, None)
        self._unqueue(effect_id)
        if doc_id is not None:
            self._dbs[HOT].table("outbox").remove(doc_ids=[doc_id])

    # Reads: shared objects that callers must not change.

    def get(self, number: int) -> Complaint | None:
        """A read-only view of one complaint."""
        return self._complaints.get(number)

    def by_card(self, channel: str, ts: str) -> Complaint | None:
        """A read-only view of the complaint whose card is this message."""
        number = self._cards.get((channel, ts))
        return None if number is None else self._complaints.get(number)

    def card_number(self, channel: str, ts: str) -> int | None:
        """Which complaint this message is the card of, if any."""
        return self._cards.get((channel, ts))

    def open_complaints(self) -> list[Complaint]:
        """Every open complaint in number order."""
        with self._lock:
            return sorted((c for c in self._complaints.values() if c.is_open), key=lambda c: c.number)

    def all_complaints(self) -> Iterator[Complaint]:
        """Every complaint in number order."""
        with self._lock:
            snapshot = sorted(self._complaints.values(), key=lambda c: c.number)
        return iter(snapshot)

    def customer_counts(self, key: str, before: int) -> CustomerCounts:
        """A customer's complaints numbered below `before`, from the lists kept in memory."""
        with self._lock:
            return self._lookups.customer_counts(key, before)

    def open_owned_by(self, user: str) -> list[Complaint]:
        """The open complaints this person owns, in number order."""
        with self._lock:
            return [self._complaints[n] for n in self._lookups.open_owned_by(user)]

    def unclaimed_complaints(self) -> list[Complaint]:
        """The complaints waiting for an owner, in number order."""
        with self._lock:
            return [self._complaints[n] for n in self._lookups.unclaimed()]

    def open_reported_by(self, user: str, limit: int) -> tuple[int, list[Complaint]]:
        """How many open complaints this person reported and does not own, and the `limit` oldest."""
        with self._lock:
            count, numbers = self._lookups.open_reported_by(user, limit)
            return count, [self._complaints[n] for n in numbers]

    def resolved_by(self, user: str, since: datetime, limit: int) -> tuple[int, list[Complaint]]:
        """How many complaints this person resolved at or after `since`, and the `limit` latest, newest first."""
        with self._lock:
            count, numbers = self._lookups.resolved_by(user, since, limit)
            return count, [self._complaints[n] for n in numbers]

    def lookup_sizes(self) -> dict[str, int]:
        """How much the per-customer and per-person lists hold (for tests)."""
        with self._lock:
            return self._lookups.sizes()

    def get_meta(self, key: str) -> Any:
        """Read a bookkeeping value."""
        with self._lock:
            return self._meta(key)

    # Outbox.

    def pending_effects(self, limit: int = 10_000) -> list[Effect]:
        """Effects not yet delivered, in the order they were queued (read-only objects, shared between calls)."""
        with self._lock:
            return list(itertools.islice(self._pending.values(), limit))

    def lane_heads(self) -> list[Effect]:
        """The oldest pending effect of each lane, oldest first (read-only objects)."""
        with self._lock:
            heads = [next(iter(lane.values())) for lane in self._lanes.values()]
        return sorted(heads, key=lambda effect: effect.seq)

    def _queue(self, effect: Effect) -> None:
        """Keep an effect in the outbox's memory: in queue order, and in its lane's order."""
        self._pending[effect.id] = effect
        self._lanes.setdefault(effect.lane, {})[effect.id] = effect

    def _unqueue(self, effect_id: str) -> None:
        """Forget an effect in the outbox's memory, and its lane once that is empty."""
        effect = self._pending.pop(effect_id, None)
        if effect is None:
            return
        lane = self._lanes.get(effect.lane, {})
        lane.pop(effect_id, None)
        if not lane:
            self._lanes.pop(effect.lane, None)

    def finish_effect(self, effect_id: str) -> None:
        """Remove a delivered or abandoned effect, without waiting for the disk.

        The removal reaches the file with the next commit (or at close). Should the process die before that,
        the effect is attempted again after the restart, and the outbox first looks in Slack for the message
        it already posted, so nobody sees it twice; this saves a whole-file write per delivered message.
        """
        with self._lock:
            self._drop_effect(effect_id)

    def retry_effect(self, effect_id: str, not_before: datetime, error: str) -> None:
        """Put an effect back with a later time and the reason it failed."""
        with self._lock:
            doc_id = self._effects.get(effect_id)
            if doc_id is None:
                return
            table = self._dbs[HOT].table("outbox")
            doc = dict(table.get(doc_id=doc_id) or {})
            doc.update(attempts=doc.get("attempts", 0) + 1, not_before=to_iso(not_before), last_error=error)
            table.upsert(_with_id(doc, doc_id), cond=None)
            self._queue(Effect.from_dict(doc))  # in its place: the ids are already there
            storage = self._dbs[HOT].storage
            version = storage.version
        storage.sync(version)

    def outbox_depth(self) -> int:
        """How many effects wait."""
        return len(self._effects)

    def count_by_status(self) -> dict[str, int]:
        """How many complaints are in each state, counted in memory."""
        counts = {status.value: 0 for status in Status}
        with self._lock:
            for complaint in self._complaints.values():
                counts[complaint.status.value] += 1
        return counts

    def ping(self) -> bool:
        """A file store is always there once loaded."""
        return True

    def close(self) -> None:
        """Write anything pending."""
        with self._lock:
            for db in self._dbs.values():
                db.close()


class _Transaction:
    """Staged changes of one unit of work against the TinyDB store."""

    def __init__(self, store: TinyDBStore) -> None:
        self._store = store
        self.staged: dict[int, Complaint] = {}
        self.effects: list[Effect] = []
        self.keys: list[str] = []
        self.meta: dict[str, Any] = {}
        self.finished: list[str] = []
        self.numbers_taken = 0
        self.waiting = 0

    def next_number(self) -> int:
        """The next number; only used up if the transaction commits."""
        self.numbers_taken += 1
        return self._store._meta("next_number", 1) + self.numbers_taken - 1

    def get(self, number: int, once: str = "") -> Complaint | None:
        """A private copy to change; None also when `once` was seen before."""
        if number in self.staged:
            found: Complaint | None = self.staged[number]
        else:
            known = self._store.get(number)
            found = None if known is None else _copy(known)
        return None if found is None or (once and not self.first_time(once)) else found

    def by_card(self, channel: str, ts: str, once: str = "") -> Complaint | None:
        """A private copy of the complaint whose card is this message; None also when `once` was seen before."""
        known = self._store.by_card(channel, ts)
        return None if known is None else self.get(known.number, once)

    def save(self, complaint: Complaint) -> None:
        """Stage a complaint's new state."""
        self.staged[complaint.number] = complaint

    def enqueue(self, effect: Effect) -> None:
        """Stage a Slack side effect."""
        self.effects.append(effect)

    def first_time(self, key: str) -> bool:
        """Record an idempotency key; False for one seen before."""
        if key in self._store._seen or key in self.keys:
            return False
        self.keys.append(key)
        return True

    def once(self, key: str) -> None:
        """Store this transaction only under a new idempotency key; known at once here, as the store is locked."""
        if not self.first_time(key):
            raise AlreadySeen(key)

    def get_meta(self, key: str) -> Any:
        """Read a bookkeeping value, including one staged here."""
        return self.meta[key] if key in self.meta else self._store._meta(key)

    def set_meta(self, key: str, value: Any) -> None:
        """Stage a bookkeeping value."""
        self.meta[key] = value

    def finish_effect(self, effect_id: str) -> None:
        """Stage the removal of a delivered effect, together with what its delivery changed."""
        self.finished.append(effect_id)


def _doc(complaint: Complaint) -> Document:
    """A TinyDB document whose id is the complaint number."""
    return _with_id(complaint.to_dict(), complaint.number)


def _with_id(data: dict[str, Any], doc_id: int) -> Document:
    """TinyDB upserts by document id when given a Document."""
    return Document(data, doc_id=doc_id)
