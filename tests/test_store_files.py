"""The TinyDB file storage: changed in place and written from cached documents, yet the same as TinyDB's own."""

from __future__ import annotations

import json
import random
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from tinydb import Query, TinyDB
from tinydb.storages import MemoryStorage
from tinydb.table import Document

from bot.model import Effect
from bot.store import StoreCorrupt, files
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
    answers: list[object]
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
        for t in pair:
            t.truncate()  # answers nothing
        answers = []
    else:
        ours.drop_table(name)
        theirs.drop_table(name)
        answers = []
    assert answers[:1] == answers[1:], (i, name, op)


def open_db(path: Path) -> FileDB:
    """The file (and its journal) as the store opens it."""
    return FileDB(path, storage=MemoryFileStorage, lock=threading.RLock())


def test_random_writes_give_tinydbs_results_through_journal_and_new_files(tmp_path: Path) -> None:
    path = tmp_path / "complaints.json"
    ours = open_db(path)
    theirs = TinyDB(storage=MemoryStorage)
    rng = random.Random(7)
    generation = 0
    for i in range(1500):
        step(rng, i, ours, theirs)
        assert contents(ours) == contents(theirs), i
        if i % 7 == 0:
            ours.storage.sync(ours.storage.version)
            assert contents(open_db(path)) == contents(theirs), i  # the file plus its journal's lines
        if i % 50 == 0:
            ours.storage.compact()
            written = json.loads(path.read_bytes())["_journal"]["1"]["generation"]
            assert written > generation, "the new file did not start a new generation"
            generation = written
            data = {**ours.storage.read(), "_journal": {"1": {"generation": generation}}}
            assert path.read_bytes() == json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), i
            assert path.with_name("complaints.json.journal").read_bytes() == b'{"generation": %d}\n' % generation
            assert contents(open_db(path)) == contents(theirs), i


def journal_of(path: Path) -> Path:
    """Where a file's journal lives."""
    return path.with_name(f"{path.name}.journal")


def test_a_commit_appends_what_changed_and_the_file_is_written_anew_once_the_journal_outgrows_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "COMPACT_AT_LEAST", 4000)
    path = tmp_path / "complaints.json"
    db = open_db(path)
    table = db.table("complaints")
    table.insert_multiple([{"summary": "x" * 200} for _ in range(30)])  # about 7,000 bytes
    db.storage.sync(db.storage.version)  # a journal line longer than 4,000 bytes: the file is written at once
    size = path.stat().st_size
    assert size > 6000 and journal_of(path).stat().st_size < 100
    for n in range(1, 400):
        table.update({"summary": f"changed {n}"}, doc_ids=[1])
        before = journal_of(path).stat().st_size
        db.storage.sync(db.storage.version)
        grown = journal_of(path).stat().st_size - before
        if grown < 0:  # the journal outgrew the file: it was written anew and the journal began again
            break
        assert grown < 200, "a commit of one small change wrote more than that change"
    else:
        raise AssertionError("the journal grew past the file's size and the file was never written anew")
    assert path.stat().st_size < size  # the new file has the short summaries
    assert open_db(path).table("complaints").get(doc_id=1) == {"summary": f"changed {n}"}


def test_an_unfinished_last_line_is_cut_off_and_later_commits_still_count(tmp_path: Path) -> None:
    path = tmp_path / "complaints.json"
    db = open_db(path)
    db.table("complaints").insert({"summary": "kept"})
    db.storage.close()
    with journal_of(path).open("ab") as journal:
        journal.write(b'{"tables":{"complaints":{"put":{"2":{"summ')  # the crash came mid-write
    again = open_db(path)
    assert [dict(doc) for doc in again.table("complaints").all()] == [{"summary": "kept"}]
    again.table("complaints").insert({"summary": "after the crash"})
    again.storage.close()
    texts = [doc["summary"] for doc in open_db(path).table("complaints").all()]
    assert texts == ["kept", "after the crash"]


def test_a_crash_between_the_new_file_and_the_new_journal_skips_the_old_lines(tmp_path: Path) -> None:
    path = tmp_path / "complaints.json"
    db = open_db(path)
    table = db.table("complaints")
    table.insert({"summary": "first"})
    db.storage.sync(db.storage.version)
    old_journal = journal_of(path).read_bytes()
    table.update({"summary": "second"}, doc_ids=[1])
    db.storage.compact()
    journal_of(path).write_bytes(old_journal)  # as if the crash came before the new journal replaced the old
    again = open_db(path)
    assert again.table("complaints").get(doc_id=1) == {"summary": "second"}, "an older journal line won"
    again.table("complaints").update({"summary": "third"}, doc_ids=[1])
    again.storage.close()
    assert open_db(path).table("complaints").get(doc_id=1) == {"summary": "third"}


def test_a_damaged_line_before_the_last_is_refused_not_skipped(tmp_path: Path) -> None:
    path = tmp_path / "complaints.json"
    db = open_db(path)
    for text in ("in the file", "one", "two"):
        db.table("complaints").insert({"summary": text})
        db.storage.sync(db.storage.version)
    lines = journal_of(path).read_bytes().splitlines(keepends=True)
    journal_of(path).write_bytes(lines[0] + b"garbage\n" + lines[2])
    with pytest.raises(StoreCorrupt):
        open_db(path)


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


def test_a_new_file_that_cannot_be_written_fails_no_commit_and_is_tried_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(files, "COMPACT_AT_LEAST", 2000)
    path = tmp_path / "complaints.json"
    db = open_db(path)
    table = db.table("complaints")
    table.insert({"summary": "first"})
    db.storage.sync(db.storage.version)  # the file exists from here on
    real_write = files.write_atomically
    attempts: list[Path] = []

    def no_room_for_the_file(target: Path, payload: Any) -> None:
        if target == path:
            attempts.append(target)
            raise OSError(28, "No space left on device")
        real_write(target, payload)

    monkeypatch.setattr(files, "write_atomically", no_room_for_the_file)
    for n in range(60):  # far more journal than 2,000 bytes: the file is due to be written anew
        table.insert({"summary": f"kept in the journal {n} " + "x" * 40})
        db.storage.sync(db.storage.version)  # must not raise: every line is in the journal
    assert len(open_db(path).table("complaints")) == 61
    assert 1 <= len(attempts) <= 4, f"{len(attempts)} tries to write the file anew in 60 commits"
    monkeypatch.setattr(files, "write_atomically", real_write)
    for n in range(200):
        table.insert({"summary": f"after the disk was freed {n}"})
        db.storage.sync(db.storage.version)
        if "after the disk was freed" in path.read_text(encoding="utf-8"):
            break
    else:
        raise AssertionError("the file was never written anew once the disk had room")
    assert len(open_db(path).table("complaints")) == 62 + n


def test_changes_waiting_for_a_failed_new_file_still_reach_the_journal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "complaints.json"
    db = open_db(path)
    table = db.table("complaints")
    table.insert({"summary": "first"})
    db.storage.sync(db.storage.version)
    table.insert({"summary": "not synced yet when the new file is tried"})
    real_write = files.write_atomically

    def no_room_for_the_file(target: Path, payload: Any) -> None:
        if target == path:
            raise OSError(28, "No space left on device")
        real_write(target, payload)

    monkeypatch.setattr(files, "write_atomically", no_room_for_the_file)
    db.storage.compact()  # fails, as it would when a sync finds the journal grown past the file
    db.storage.sync(db.storage.version)
    texts = [doc["summary"] for doc in open_db(path).table("complaints").all()]
    assert texts == ["first", "not synced yet when the new file is tried"]
