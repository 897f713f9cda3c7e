"""The TinyDB file storage: changed in place and written from cached documents, yet the same as TinyDB's own."""

from __future__ import annotations

import json
import random
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tinydb import Query, TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Document

from bot.model import Effect
from bot.store.files import FileDB, MemoryFileStorage
from bot.store.tinydb_store import TinyDBStore

TABLES = ("complaints", "outbox", "seen")


def contents(db: TinyDB) -> dict[str, dict[int, dict[str, Any]]]:
    """Every table's documents by id."""
    return {name: {doc.doc_id: dict(doc) for doc in db.table(name).all()} for name in TABLES}


def step(rng: random.Random, i: int, ours: TinyDB, theirs: TinyDB) -> None:
    """One random write, done on both databases; both must answer the same."""
    name, op = rng.choice(TABLES), rng.random()
    pair = (ours.table(name), theirs.table(name))
    doc_id, value, text = rng.randint(1, 40), rng.randint(0, 4), "Müller €" * rng.randint(0, 2)
    if op < 0.35:
        answers = [t.insert({"x": value, "text": text}) for t in pair]
    elif op < 0.55:
        answers = [t.upsert(Document({"y": i}, doc_id=doc_id)) for t in pair]
    elif op < 0.7:
        answers = [t.remove(doc_ids=[doc_id]) for t in pair]
    elif op < 0.75:
        answers = [t.remove(Query().x == value) for t in pair]
    elif op < 0.85:
        answers = [t.update({"z": i}, doc_ids=[doc_id]) for t in pair]
    elif op < 0.9:
        answers = [t.update_multiple([({"w": i}, Query().x == value)]) for t in pair]
    elif op < 0.95:
        answers = [t.insert_multiple([{"m": i}, {"m": i + 1}]) for t in pair]
    elif op < 0.98:
        answers = [t.truncate() for t in pair]
    else:
        ours.drop_table(name)
        theirs.drop_table(name)
        answers = []
    assert answers[:1] == answers[1:], (i, name, op)


def test_random_writes_give_tinydbs_results_and_json_dumps_bytes(tmp_path: Path) -> None:
    path = tmp_path / "complaints.json"
    ours = FileDB(path, storage=MemoryFileStorage, lock=threading.RLock())
    theirs = TinyDB(storage=MemoryStorage)
    rng = random.Random(7)
    for i in range(1500):
        step(rng, i, ours, theirs)
        assert contents(ours) == contents(theirs), i
        if i % 7 == 0:
            ours.storage.sync(ours.storage.version)
            data = ours.storage.read()
            assert path.read_bytes() == json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), i
            reopened = FileDB(path, storage=MemoryFileStorage, lock=threading.RLock())
            assert contents(reopened) == contents(theirs), i


def test_the_outbox_keeps_its_order_through_retries_finishes_and_a_restart(tmp_path: Path) -> None:
    now = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
    store = TinyDBStore(tmp_path / "complaints.json", lambda: now)
    with store.transaction() as tx:
        for text in ("one", "two", "three", "four"):
            tx.enqueue(Effect(kind="post", lane="C1", channel="C1", text=text))
    first, second, *_ = store.pending_effects()
    store.retry_effect(second.id, now + timedelta(minutes=1), "ratelimited")
    store.finish_effect(first.id)
    seen = [(e.text, e.attempts, e.last_error) for e in store.pending_effects()]
    assert seen == [("two", 1, "ratelimited"), ("three", 0, ""), ("four", 0, "")]
    assert [e.text for e in store.pending_effects(limit=2)] == ["two", "three"]
    store.close()
    again = TinyDBStore(tmp_path / "complaints.json", lambda: now)
    assert [(e.text, e.attempts, e.last_error) for e in again.pending_effects()] == seen
    assert again.outbox_depth() == 3
