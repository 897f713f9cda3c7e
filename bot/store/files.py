"""Crash-safe JSON files for TinyDB: memory-resident, atomic replace, group commit."""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable, Iterator, MutableMapping
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from bot.store import StoreCorrupt, StoreUnavailable

WHOLE_TABLE = None  # "every document of this table may have changed"


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
            _write_all(handle.fileno(), [payload] if isinstance(payload, bytes) else payload)
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


def _write_all(fd: int, parts: list[bytes | memoryview]) -> None:
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
        """Pass the news on to a storage that keeps encoded documents."""
        mark = getattr(self._storage, "changed", None)
        if mark is not None:
            mark(self.name, doc_ids)


class FileDB(TinyDB):
    """TinyDB whose tables report their changes to the storage."""

    table_class = TrackedTable


class MemoryFileStorage(Storage):
    """TinyDB storage that keeps the data in memory and writes it to disk only on `sync`.

    TinyDB's own JSONStorage re-reads and rewrites the whole file on every operation and writes in place.
    Here reads never touch the disk, and `sync` writes once for every change made so far: concurrent
    writers that wait for the same sync share one disk write (group commit).

    Encoding the whole file again for every sync made each commit cost time in proportion to everything
    in the file (30 ms for 2,000 open complaints), with the store locked. Each document's JSON is kept
    instead, and only the documents the tables report as changed (see `TrackedTable`) are encoded again;
    the file written is byte for byte what `json.dumps` of the whole data would give.
    """

    def __init__(self, path: str | Path, lock: threading.RLock) -> None:
        self.path = Path(path)
        self._lock = lock
        self._flush_lock = threading.Lock()
        self._data: dict[str, Any] = read_json_file(self.path) or {}
        self._version = 0
        self._flushed = 0
        self._encoded: dict[str, dict[str, bytes]] = {}  # table -> document id -> b'"id":{...},'
        self._dirty: dict[str, set[str] | None] = {}
        self.poisoned = False

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

    def sync(self, version: int) -> None:
        """Make every write up to `version` durable, sharing the disk write with concurrent callers.

        A failed write poisons this storage: its memory now holds changes the disk does not, so no later sync
        may write them as if they had been accepted. The store reloads the file (the last durable state).
        """
        with self._flush_lock:
            if self.poisoned:
                raise StoreUnavailable(f"{self.path}: an earlier write failed; the store is being reloaded")
            if self._flushed >= version:
                return
            with self._lock:
                payload = self._encode_changes()
                covered = self._version
            try:
                write_atomically(self.path, payload)
            except OSError as exc:
                self.poisoned = True
                raise StoreUnavailable(f"{self.path}: cannot be written ({exc})") from exc
            self._flushed = covered

    def _encode_changes(self) -> list[bytes | memoryview]:
        """Bring the encoded documents up to date; returns the file as parts (together what json.dumps gives).

        The parts are written as they are: joining megabytes in memory for every commit cost more than
        writing them. Each document is kept with a comma after it; the last one of a table goes without.
        """
        dirty, self._dirty = self._dirty, {}
        for name in [name for name in self._encoded if name not in self._data]:
            del self._encoded[name]
        parts: list[bytes | memoryview] = [b"{"]
        for index, (name, docs) in enumerate(self._data.items()):
            parts.append(("," if index else "").encode() + json.dumps(name, ensure_ascii=False).encode() + b":{")
            parts += self._table_parts(name, docs, dirty.get(name, set()))
            if docs:
                parts[-1] = memoryview(parts[-1])[:-1]
            parts.append(b"}")
        parts.append(b"}")
        return parts

    def _table_parts(self, name: str, docs: dict[str, Any], changed: set[str] | None) -> list[bytes]:
        """One table's encoded documents in file order, encoding again only those that changed."""
        encoded = self._encoded.get(name)
        if encoded is None or changed is WHOLE_TABLE:
            encoded = self._encoded[name] = {key: _encode(key, doc) for key, doc in docs.items()}
        else:
            for key in changed:
                if key in docs:
                    encoded[key] = _encode(key, docs[key])
                else:
                    encoded.pop(key, None)
        try:
            ordered = list(map(encoded.__getitem__, docs))  # in the table's order, without a Python-level loop
        except KeyError:  # a write no table reported: encode this table afresh rather than lose it
            encoded = self._encoded[name] = {key: _encode(key, doc) for key, doc in docs.items()}
            ordered = list(encoded.values())
        if len(encoded) != len(docs):
            self._encoded[name] = {key: encoded[key] for key in docs}
        return ordered

    def close(self) -> None:
        """Write what is pending."""
        self.sync(self._version)


def _encode(key: str, doc: Any) -> bytes:
    """One document as it appears inside its table in the file, with the comma that follows it, UTF-8."""
    return f"{json.dumps(key)}:{json.dumps(doc, ensure_ascii=False, separators=(',', ':'))},".encode()
