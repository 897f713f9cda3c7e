"""The outbox over a long life: what it keeps per lane shrinks back when the lanes are done, its counters add
up under four workers, and no exception in a worker is lost from view."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest

from adapters.slack_web import WebGateway, make_client
from bot.catalog import Catalog
from bot.config import Config
from bot.model import Effect, Status
from bot.outbox import Outbox
from bot.rendering import Renderer
from bot.store import StoreError, files
from bot.store.tinydb_store import TinyDBStore
from sandbox.fake_slack import FakeSlack
from tests.test_store_contract import new_complaint

LANES = 2_000


def now() -> datetime:
    return datetime.now(UTC)


def outbox_on(store: TinyDBStore, fake: FakeSlack) -> Outbox:
    """An outbox delivering to the fake Slack with four workers, woken by the store's commits."""
    config = Config()
    gateway = WebGateway(make_client("xoxb-test", fake.url, retries=False))
    outbox = Outbox(store, gateway, Renderer(Catalog("en", config.tz), config), now, workers=4, base_delay=0.01)
    store.add_commit_listener(outbox.wake)
    return outbox


def wait(condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_thousands_of_lanes_leave_nothing_behind_and_the_counters_add_up(tmp_path: Path) -> None:
    with FakeSlack() as fake:
        store = TinyDBStore(tmp_path / "complaints.json", now)
        with store.transaction() as tx:  # pending at the start: each is looked for in Slack before it is posted
            for n in range(50):
                tx.enqueue(
                    Effect(kind="post", lane=f"talk:{n}", channel=f"CTALK{n}", text=f"left {n}", complaint=n + 1)
                )
        outbox = outbox_on(store, fake)
        outbox.start()
        try:
            for n in range(LANES):  # a lane per conversation, as the talks and private notes have
                with store.transaction() as tx:
                    tx.enqueue(Effect(kind="post", lane=f"talk:{n}", channel=f"CTALK{n}", text=f"hello {n}"))
                    tx.enqueue(Effect(kind="ephemeral", lane=f"eph:U{n}", channel="CSUPPORT", user=f"U{n}", text="hi"))
            wait(lambda: store.outbox_depth() == 0, "the outbox to drain")
            wait(lambda: outbox.sizes()["busy"] == 0, "the workers to finish")
            assert outbox.delivered == 2 * LANES + 50
            assert sum(outbox.failures.values()) == 0
            outbox.wake()
            wait(lambda: max(outbox.sizes().values()) <= 4, "the per-lane bookkeeping to shrink back", 10)
        finally:
            outbox.stop()
            store.close()


def test_an_exception_while_handling_a_failure_is_logged_with_the_complaint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    with FakeSlack() as fake:
        store = TinyDBStore(tmp_path / "complaints.json", now)
        outbox = outbox_on(store, fake)
        with store.transaction() as tx:
            tx.enqueue(Effect(kind="post", lane="CSUPPORT", channel="CSUPPORT", text="summary", complaint=42))
        fake.fail("chat.postMessage", status=429, retry_after=5)

        def disk_full(fd: int, parts: object) -> None:
            raise OSError(28, "No space left on device")

        monkeypatch.setattr(files, "write_all", disk_full)  # the retry cannot be stored
        outbox.start()
        try:
            wait(lambda: any(r.exc_info and "#42" in r.getMessage() for r in caplog.records), "the logged exception")
        finally:
            monkeypatch.undo()
            outbox.stop()
            with contextlib.suppress(StoreError):  # the failed write is still pending in memory
                store.close()


def test_thousands_of_customers_and_owners_leave_nothing_behind_in_the_lists(tmp_path: Path) -> None:
    store = TinyDBStore(tmp_path / "complaints.json", now)
    try:
        with store.transaction() as tx:
            for n in range(LANES):
                complaint = new_complaint(tx.next_number())
                complaint.customer, complaint.owner, complaint.status = f"Customer {n} GmbH", f"U{n}", Status.OWNED
                complaint.reporter = f"R{n}"
                tx.save(complaint)
        sizes = {"complaints": LANES, "customers": LANES, "owners": LANES, "reporters": LANES}
        assert store.lookup_sizes() == sizes
        with store.transaction() as tx:  # all handed over to one person, and the customers merged into one
            for n in range(1, LANES + 1):
                stored = tx.get(n)
                assert stored is not None
                stored.customer, stored.owner = "Acme Ltd", "UBEN"
                tx.save(stored)
        assert store.lookup_sizes() == {"complaints": LANES, "customers": 1, "owners": 1, "reporters": LANES}
        assert len(store.open_owned_by("UBEN")) == LANES and store.open_owned_by("U7") == []
        with store.transaction() as tx:  # all resolved: no reporter has anything open left
            for n in range(1, LANES + 1):
                stored = tx.get(n)
                assert stored is not None
                stored.status, stored.resolved_at = Status.RESOLVED, now()
                tx.save(stored)
        assert store.lookup_sizes() == {"complaints": LANES, "customers": 1, "owners": 1, "reporters": 0}
        assert store.open_reported_by("R7", 5) == (0, [])
    finally:
        store.close()
