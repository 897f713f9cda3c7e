"""Crash-safe JSON files for TinyDB: memory-resident, atomic replace, group commit.

One concept, though long: the file format of the TinyDB store (its journal, its atomic rewrite and the
tables that tell it what changed), which only makes sense read as a whole.
"""

from __future__ import annotations

import json
import logging
import os
import threading
from collections.abc import Callable, Iterable, Iterator, MutableMapping
from contextlib import suppress
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from bot.store.contract import StoreCorrupt, StoreUnavailable

WHOLE_TABLE = None  # "every document of this table may have changed"
GENERATION_TABLE = "_journal"  # in each file: which journal generation its lines continue from
COMPACT_AT_LEAST = 1 << 20  # journal bytes before the file is written anew (or the file's own size, if larger)
log = logging.getLogger("complaints.store")


def read_json_file(path: Path) -> dict[str, Any] | None:
    """Load a data file; a damaged one raises instead of being replaced by an empty store."""
    if not path.exists():
        return None
    try:
        text = path.read_text(encoding="utf-8")
        data = json.loads(text) if text.strip() else None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StoreCorrupt(f"{path}: cannot be read ({exc}); it was left as it is") from exc
    if data is not None and not isinstance(data, dict):
        raise StoreCorrupt(f"{path}: is not a complaint store; it was left as it is")
    return data


def write_atomically(path: Path, payload: bytes | list[bytes | memoryview]) -> None:
    """Write beside the file, fsync, then rename over it, so a crash leaves the old or the new file whole.

    The payload may come in parts, written one after the other without joining them in memory first.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb", buffering=0) as handle:
            write_all(handle.fileno(), [payload] if isinstance(payload, bytes) else payload)
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def write_all(fd: int, parts: list[bytes | memoryview]) -> None:
    """Write every part, in order, with as few system calls as the kernel allows (no joined copy)."""
    batch = os.sysconf("SC_IOV_MAX")
    pending: list[bytes | memoryview] = list(parts)
    start = 0
    while start < len(pending):
        chunk = pending[start : start + batch]
        written = os.writev(fd, chunk)
        if written == sum(map(len, chunk)):
            start += len(chunk)
            continue
        for part in chunk:
            if written < len(part):  # a short write: go on from the middle of this part
                pending[start] = memoryview(part)[written:]
                break
            written -= len(part)
            start += 1


class _IntKeys(MutableMapping[int, Any]):
    """A stored table (string keys, as in the JSON file) seen with integer document ids, without copying it."""

    def __init__(self, raw: dict[str, Any], id_class: Callable[[str], int]) -> None:
        """Wrap the live table."""
        self._raw = raw
        self._id = id_class

    def __getitem__(self, doc_id: int) -> Any:
        """The document with this id."""
        return self._raw[str(doc_id)]

    def __setitem__(self, doc_id: int, doc: Any) -> None:
        """Store a document under this id."""
        self._raw[str(doc_id)] = doc

    def __delitem__(self, doc_id: int) -> None:
        """Remove the document with this id."""
        del self._raw[str(doc_id)]

    def __contains__(self, doc_id: object) -> bool:
        """Whether a document has this id."""
        return str(doc_id) in self._raw

    def __iter__(self) -> Iterator[int]:
        """The ids, listed first so that the table may change while they are gone through."""
        return iter([self._id(key) for key in self._raw])

    def __len__(self) -> int:
        """How many documents."""
        return len(self._raw)

    def clear(self) -> None:
        """Remove every document."""
        self._raw.clear()


class TrackedTable(Table):
    """A TinyDB table that tells its storage which documents a write changed, so only those are encoded again.

    It also changes the stored table in place: TinyDB 4.9 copies the whole table twice for every write (to
    turn the keys into integers and back), which made each write cost time in proportion to the table.
    Unlike TinyDB's copy, a write that fails halfway keeps what it did before failing; the store's writes
    (one document by id) cannot fail halfway.
    """

    def _update_table(self, updater: Callable[[dict[int, Any]], None]) -> None:
        """Run a TinyDB write on the live table."""
        tables = self._storage.read()
        if tables is None:
            tables = {}
        raw = tables.setdefault(self.name, {})
        updater(_IntKeys(raw, self.document_id_class))  # type: ignore[arg-type]
        self._storage.write(tables)
        self.clear_cache()

    def insert(self, document: Any) -> int:
        """Insert one document."""
        doc_id = super().insert(document)
        self._changed([doc_id])
        return doc_id

    def insert_multiple(self, documents: Any) -> list[int]:
        """Insert several documents."""
        doc_ids = super().insert_multiple(documents)
        self._changed(doc_ids)
        return doc_ids

    def update(self, fields: Any, cond: Any = None, doc_ids: Any = None) -> list[int]:
        """Change documents in place (upsert comes through here too)."""
        updated = super().update(fields, cond, doc_ids)
        self._changed(updated)
        return updated

    def update_multiple(self, updates: Any) -> list[int]:
        """Change documents in place, several conditions at once."""
        updated = super().update_multiple(updates)
        self._changed(updated)
        return updated

    def remove(self, cond: Any = None, doc_ids: Any = None) -> list[int]:
        """Remove documents."""
        removed = super().remove(cond, doc_ids)
        self._changed(removed)
        return removed

    def truncate(self) -> None:
        """Remove every document."""
        super().truncate()
        self._changed(WHOLE_TABLE)

    def _changed(self, doc_ids: list[int] | None) -> None:
        """Pass the news on to the storage, which keeps encoded documents."""
        storage = self._storage
        assert isinstance(storage, MemoryFileStorage), "a TrackedTable lives in a FileDB"
        storage.changed(self.name, doc_ids)


class FileDB(TinyDB):
    """TinyDB whose tables report their changes to the storage."""

    table_class = TrackedTable

    @property
    def storage(self) -> MemoryFileStorage:
        """The journaled storage a FileDB is always opened with."""
        storage = super().storage
        assert isinstance(storage, MemoryFileStorage), "a FileDB is opened with storage=MemoryFileStorage"
        return storage


class MemoryFileStorage(Storage):
    """TinyDB storage that keeps the data in memory, with a journal beside the file for each commit.

    TinyDB's own JSONStorage re-reads and rewrites the whole file on every operation and writes in place.
    Here reads never touch the disk, and `sync` makes every change so far durable at once: concurrent
    writers that wait for the same sync share one disk write (group commit).

    A sync appends one line to `<file>.journal` with the documents that changed (and fsyncs it), so a
    commit costs what it changed, not what the file holds: rewriting the file on every commit took time in
    proportion to every open complaint. Once the journal outgrows the file, the file is written anew
    (atomically) and the journal starts over. Both carry a generation number: a crash between the two
    leaves a file newer than its journal, whose lines are then already in the file and are skipped.
    Each document's JSON is kept between commits, so neither a journal line nor a new file encodes what
    did not change; the file is byte for byte what `json.dumps` of the whole data (plus its generation)
    would give.
    """

    def __init__(self, path: str | Path, lock: threading.RLock) -> None:
        self.path = Path(path)
        self.journal_path = self.path.with_name(f"{self.path.name}.journal")
        self._lock = lock
        self._flush_lock = threading.Lock()
        self._version = 0
        self._flushed = 0
        self._encoded: dict[str, dict[str, bytes]] = {}  # table -> document id -> b'"id":{...},'
        self._dirty: dict[str, set[str] | None] = {}
        self.poisoned = False
        data = read_json_file(self.path) or {}
        marker = data.pop(GENERATION_TABLE, None)
        self._generation = int((marker or {}).get("1", {}).get("generation", 0))
        self._data: dict[str, Any] = data
        self._file_exists = self.path.exists()
        # journal bytes at which the file is written anew: once the journal is larger than the file itself
        self._compact_at = max(COMPACT_AT_LEAST, self.path.stat().st_size if self._file_exists else 0)
        for existing in (self.path, self.journal_path):
            _owner_only(existing)
        self._synced: dict[str, dict[str, Any]] = dict(data)  # each table's dict as of the last sync
        self._journal_size = self._replay()
        self._journal_fd: int | None = None

    # TinyDB's side.

    def read(self) -> dict[str, Any]:
        """Hand TinyDB the live data; callers hold the store lock."""
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        """Accept TinyDB's new data; it reaches the disk at the next sync."""
        if data is not self._data:  # a whole new database (drop_tables): nothing encoded is valid any more
            self._encoded.clear()
        self._data = data
        self._version += 1

    def changed(self, table: str, doc_ids: list[int] | None) -> None:
        """Note documents to encode again at the next sync; callers hold the store lock."""
        if doc_ids is WHOLE_TABLE:
            self._dirty[table] = WHOLE_TABLE
            return
        dirty = self._dirty.setdefault(table, set())
        if dirty is not WHOLE_TABLE:
            dirty.update(str(doc_id) for doc_id in doc_ids)

    @property
    def version(self) -> int:
        """How many writes were accepted; a transaction waits for the sync that covers its version."""
        return self._version

    # Commits.

    def sync(self, version: int) -> None:
        """Make every write up to `version` durable, sharing the disk write with concurrent callers.

        A failed write poisons this storage: its memory now holds changes the disk does not, so no later sync
        may write them as if they had been accepted. The store reloads the files (the last durable state).
        """
        with self._flush_lock:
            if self.poisoned:
                raise StoreUnavailable(f"{self.path}: an earlier write failed; the store is being reloaded")
            if self._flushed >= version:
                return
            if not self._file_exists:  # a new file is written whole first, so every journal has its file
                self._compact(must=True)
                return
            with self._lock:
                line = self._journal_line()
                covered = self._version
            if line is not None:
                try:
                    self._append(line)
                except OSError as exc:
                    self.poisoned = True
                    raise StoreUnavailable(f"{self.journal_path}: cannot be written ({exc})") from exc
            self._flushed = covered
            if self._journal_size > self._compact_at:
                self._compact()

    def compact(self) -> None:
        """Write the whole file anew and start an empty journal (also done by itself as the journal grows)."""
        with self._flush_lock:
            if self.poisoned:
                raise StoreUnavailable(f"{self.path}: an earlier write failed; the store is being reloaded")
            self._compact()

    def _compact(self, must: bool = False) -> None:
        """The file anew from memory (every change so far), then a fresh journal; callers hold the flush lock.

        A failure here loses nothing when the journal holds every commit, so it is logged and tried again
        later; when the file is new (`must`), nothing else holds the changes and the failure is raised.
        """
        with self._lock:
            line = self._journal_line()  # brings every encoded document up to date; the new file holds these
            generation = self._generation + 1
            parts = self._file_parts(generation)
            covered = self._version
        try:
            write_atomically(self.path, parts)
            write_atomically(self.journal_path, _header(generation))
        except OSError as exc:
            if must:
                self.poisoned = True
                raise StoreUnavailable(f"{self.path}: cannot be written ({exc})") from exc
            log.warning("%s: could not be written anew (%s); its journal keeps growing until it can", self.path, exc)
            self._compact_at = 2 * self._journal_size  # not at every commit: after as much journal again
            self._keep_in_journal(line, covered)
            return
        self._close_journal()
        self._generation = generation
        self._file_exists = True
        self._compact_at = max(COMPACT_AT_LEAST, sum(map(len, parts)))
        self._journal_size = len(_header(generation))
        self._flushed = max(self._flushed, covered)

    def _keep_in_journal(self, line: bytes | None, covered: int) -> None:
        """The changes a failed new file was to hold go to the journal after all.

        Should that fail too, the storage is poisoned: the writers of those changes are still waiting for
        their sync, which then tells them they were not saved, and the store reloads what is on disk.
        """
        if line is not None:
            try:
                self._append(line)
            except OSError as exc:
                self.poisoned = True
                log.error("%s: cannot be written either (%s); the store reloads what is on disk", self.path, exc)
                return
        self._flushed = max(self._flushed, covered)

    def _append(self, line: bytes) -> None:
        """Add one line to the journal and wait until it is on disk; a torn line is cut off again."""
        if self._journal_fd is None:
            if not self.journal_path.exists():
                write_atomically(self.journal_path, _header(self._generation))
                self._journal_size = len(_header(self._generation))
            self._journal_fd = os.open(self.journal_path, os.O_WRONLY | os.O_APPEND)
        try:
            write_all(self._journal_fd, [line])
            os.fdatasync(self._journal_fd)
        except OSError:
            with suppress(OSError):
                os.ftruncate(self._journal_fd, self._journal_size)
            self._close_journal()
            raise
        self._journal_size += len(line)

    def _close_journal(self) -> None:
        """Let go of the journal's file descriptor."""
        fd, self._journal_fd = self._journal_fd, None
        if fd is not None:
            with suppress(OSError):
                os.close(fd)

    # Encoding.

    def _journal_line(self) -> bytes | None:
        """The changes since the last sync as one journal line; None when nothing changed."""
        dirty, self._dirty = self._dirty, {}
        gone = sorted(name for name in self._synced if name not in self._data)
        for name, docs in self._data.items():
            if docs is not self._synced.get(name):  # a new table, or one dropped and made again since
                dirty[name] = WHOLE_TABLE
        self._synced = dict(self._data)
        for name in [name for name in self._encoded if name not in self._data]:
            del self._encoded[name]
        tables: list[bytes] = []
        for name, changed in dirty.items():
            docs = self._data.get(name)
            if docs is None:
                continue
            key = json.dumps(name, ensure_ascii=False).encode()
            tables.append(key + b":" + self._table_change(name, docs, changed))
        if not tables and not gone:
            return None
        parts = [b'{"tables":{', b",".join(tables), b'},"dropped":', json.dumps(gone, ensure_ascii=False).encode()]
        return b"".join([*parts, b"}\n"])

    def _table_change(self, name: str, docs: dict[str, Any], changed: set[str] | None) -> bytes:
        """One table's part of a journal line: its changed documents and removed ids, or all of it.

        The encoded documents kept for the next new file are brought up to date on the way; a table's kept
        documents may be fewer than its documents (those not encoded yet), but never out of date.
        """
        encoded = self._encoded.setdefault(name, {})
        if changed is WHOLE_TABLE:
            encoded.clear()
            encoded.update((key, _encode(key, doc)) for key, doc in docs.items())
            return b'{"all":{' + _joined(encoded.values()) + b"}}"
        put, removed = [], []
        for key in sorted(changed):
            if key in docs:
                encoded[key] = _encode(key, docs[key])
                put.append(encoded[key])
            else:
                encoded.pop(key, None)
                removed.append(key)
        return b'{"put":{' + _joined(put) + b'},"removed":' + json.dumps(removed).encode() + b"}"

    def _file_parts(self, generation: int) -> list[bytes | memoryview]:
        """The whole file as parts (together what json.dumps gives), encoding only what is not encoded yet.

        The parts are written as they are: joining megabytes in memory cost more than writing them.
        """
        parts: list[bytes | memoryview] = [b"{"]
        for index, (name, docs) in enumerate(self._data.items()):
            parts.append(("," if index else "").encode() + json.dumps(name, ensure_ascii=False).encode() + b":{")
            parts += self._table_parts(name, docs)
            if docs:
                parts[-1] = memoryview(parts[-1])[:-1]
            parts.append(b"}")
        marker = json.dumps({GENERATION_TABLE: {"1": {"generation": generation}}}, separators=(",", ":"))
        parts.append(("," if self._data else "").encode() + marker[1:].encode())
        return parts

    def _table_parts(self, name: str, docs: dict[str, Any]) -> list[bytes]:
        """One table's encoded documents in file order, encoding only those not encoded yet."""
        encoded = self._encoded.setdefault(name, {})
        for key in docs.keys() - encoded.keys():
            encoded[key] = _encode(key, docs[key])
        if len(encoded) != len(docs):
            self._encoded[name] = encoded = {key: encoded[key] for key in docs}
        return list(map(encoded.__getitem__, docs))  # in the table's order, without a Python-level loop

    # Opening.

    def _replay(self) -> int:
        """Apply the journal's lines to the data read from the file; returns the journal's size.

        A last line without its newline is a write the crash cut short (nobody was told it was stored): it is
        cut off. Lines from before the file was last written anew (an older generation) are skipped.
        """
        try:
            raw = self.journal_path.read_bytes()
        except FileNotFoundError:
            return 0
        except OSError as exc:
            raise StoreCorrupt(f"{self.journal_path}: cannot be read ({exc}); it was left as it is") from exc
        complete = raw[: raw.rfind(b"\n") + 1]
        lines = complete.splitlines()
        try:
            header = json.loads(lines[0]) if lines else {}
            generation = int(header["generation"]) if lines else self._generation
            records = [json.loads(line) for line in lines[1:]]
        except (ValueError, KeyError, TypeError) as exc:
            raise StoreCorrupt(f"{self.journal_path}: cannot be read ({exc}); it was left as it is") from exc
        if generation > self._generation:
            raise StoreCorrupt(f"{self.journal_path}: is newer than {self.path.name}; both were left as they are")
        if len(complete) < len(raw):
            log.warning("%s: cut off an unfinished last line (a crash while writing it)", self.journal_path)
            os.truncate(self.journal_path, len(complete))
        if not lines:
            self.journal_path.unlink()
            return 0
        if generation < self._generation:  # the file was written anew, the new journal not yet begun
            write_atomically(self.journal_path, _header(self._generation))
            return len(_header(self._generation))
        for record in records:
            self._apply_record(record)
        return len(complete)

    def _apply_record(self, record: dict[str, Any]) -> None:
        """One journal line: replace or change tables, drop the tables it names."""
        for name, change in record.get("tables", {}).items():
            if "all" in change:
                self._data[name] = dict(change["all"])
                continue
            table = self._data.setdefault(name, {})
            table.update(change.get("put", {}))
            for key in change.get("removed", []):
                table.pop(key, None)
        for name in record.get("dropped", []):
            self._data.pop(name, None)
        self._synced = dict(self._data)

    def close(self) -> None:
        """Write what is pending."""
        self.sync(self._version)
        self._close_journal()

    def abandon(self) -> None:
        """Let go of the files without writing anything (memory is no longer what was stored).

        The caller holds the store lock, which a sync in progress may be waiting for while it holds the flush
        lock: so the journal is closed only if no sync is in progress (otherwise its descriptor stays open).
        """
        self.poisoned = True
        if self._flush_lock.acquire(blocking=False):
            try:
                self._close_journal()
            finally:
                self._flush_lock.release()


def _owner_only(path: Path) -> None:
    """Complaints are personal data: a file others may read (an older release's, a copied backup) is tightened."""
    try:
        if path.exists() and path.stat().st_mode & 0o077:
            os.chmod(path, 0o600)
    except OSError as exc:
        log.warning("%s: could not be made readable by its owner only (%s)", path, exc)


def _header(generation: int) -> bytes:
    """The journal's first line: the generation of the file its lines apply to."""
    return json.dumps({"generation": generation}).encode() + b"\n"


def _joined(parts: Iterable[bytes]) -> bytes:
    """Encoded documents (each with its comma) as the inside of a JSON object."""
    return b"".join(parts)[:-1]


def _encode(key: str, doc: Any) -> bytes:
    """One document as it appears inside its table in the file, with the comma that follows it, UTF-8."""
    return f"{json.dumps(key)}:{json.dumps(doc, ensure_ascii=False, separators=(',', ':'))},".encode()
