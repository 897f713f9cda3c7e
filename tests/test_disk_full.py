"""A full disk: the filer is told it was not saved, and then it really is not; the store carries on afterwards."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.config import parse_config
from bot.services.bundle import build_services
from bot.services.lifecycle import Draft
from bot.store import files
from bot.store.tinydb_store import TinyDBStore


def now() -> datetime:
    return datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def test_a_failed_write_is_rolled_back_and_numbering_stays_gap_free(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "complaints.json"
    store = TinyDBStore(path, now)
    services = build_services(parse_config({"storage": {"path": str(path)}}, {}), store, now)
    first = services.lifecycle.file(Draft(channel="CSUPPORT", reporter="UANA", summary="first"))
    assert first.ok and first.complaint is not None and first.complaint.number == 1
    real_write = files.write_all

    def disk_full(fd: int, parts: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "write_all", disk_full)  # every write of a file or its journal
    refused = services.lifecycle.file(Draft(channel="CSUPPORT", reporter="UANA", summary="lost to a full disk"))
    assert not refused.ok and "could not be saved" in (refused.reply or "")
    assert store.get(2) is None and [c.number for c in store.open_complaints()] == [1]
    monkeypatch.setattr(files, "write_all", real_write)
    second = services.lifecycle.file(Draft(channel="CSUPPORT", reporter="UANA", summary="after the disk was freed"))
    assert second.ok and second.complaint is not None and second.complaint.number == 2
    store.close()
    reloaded = TinyDBStore(path, now)
    assert [(c.number, c.summary) for c in reloaded.all_complaints()] == [(1, "first"), (2, "after the disk was freed")]
    assert len(reloaded.pending_effects()) == 2  # the two cards, nothing of the refused one
