"""Crash-safe JSON files for TinyDB: memory-resident, atomic replace, group commit."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path
from typing import Any

from tinydb.storages import Storage

from bot.store import StoreCorrupt, StoreUnavailable


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


def write_atomically(path: Path, payload: bytes) -> None:
    """Write beside the file, fsync, then rename over it, so a crash leaves the old or the new file whole."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
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


class MemoryFileStorage(Storage):
    """TinyDB storage that keeps the data in memory and writes it to disk only on `sync`.

    TinyDB's own JSONStorage re-reads and rewrites the whole file on every operation and writes in place.
    Here reads never touch the disk, and `sync` writes once for every change made so far: concurrent
    writers that wait for the same sync share one disk write (group commit).
    """

    def __init__(self, path: str | Path, lock: threading.RLock) -> None:
        self.path = Path(path)
        self._lock = lock
        self._flush_lock = threading.Lock()
        self._data: dict[str, Any] = read_json_file(self.path) or {}
        self._version = 0
        self._flushed = 0

    def read(self) -> dict[str, Any]:
        """Hand TinyDB the live data; callers hold the store lock."""
        return self._data

    def write(self, data: dict[str, Any]) -> None:
        """Accept TinyDB's new data; it reaches the disk at the next sync."""
        self._data = data
        self._version += 1

    @property
    def version(self) -> int:
        """How many writes were accepted; a transaction waits for the sync that covers its version."""
        return self._version

    def sync(self, version: int) -> None:
        """Make every write up to `version` durable, sharing the disk write with concurrent callers."""
        with self._flush_lock:
            if self._flushed >= version:
                return
            with self._lock:
                payload = json.dumps(self._data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
                covered = self._version
            try:
                write_atomically(self.path, payload)
            except OSError as exc:
                raise StoreUnavailable(f"{self.path}: cannot be written ({exc})") from exc
            self._flushed = covered

    def close(self) -> None:
        """Write what is pending."""
        self.sync(self._version)
