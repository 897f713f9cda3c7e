"""The outbox as a leader runs it: stopped and started again on every change of leader, and never fooled
by a list of pending effects that was read while a delivery was ending (a database answers slower than
memory, so that list is more often out of date there)."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

from adapters.slack_web import WebGateway, make_client
from bot.catalog import Catalog
from bot.config import Config
from bot.model import Effect
from bot.outbox import Outbox
from bot.rendering import Renderer
from bot.store.tinydb_store import TinyDBStore
from sandbox.fake_slack import FakeSlack


def now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


class SlowList(TinyDBStore):
    """A store whose list of pending effects arrives late, as from a busy database."""

    def lane_heads(self) -> list[Effect]:
        """The list as it was when asked, handed over a little later."""
        found = super().lane_heads()
        time.sleep(0.3)
        return found


def outbox_on(store: TinyDBStore, fake: FakeSlack) -> Outbox:
    """An outbox delivering to the fake Slack, woken by the store's commits as the runtime wires it."""
    config = Config()
    gateway = WebGateway(make_client("xoxb-test", fake.url, retries=False))
    outbox = Outbox(store, gateway, Renderer(Catalog("en", config.tz), config), now)
    store.add_commit_listener(outbox.wake)
    return outbox


def post(store: TinyDBStore, channel: str, text: str) -> None:
    """Queue one message."""
    with store.transaction() as tx:
        tx.enqueue(Effect(kind="post", lane=channel, channel=channel, text=text))


def wait(condition: object, what: str, timeout: float = 10.0) -> None:
    """Poll until the outbox got there."""
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def test_an_effect_delivered_while_the_pending_list_was_read_is_not_sent_again(tmp_path: Path) -> None:
    with FakeSlack(latency=0.15) as fake:
        store = SlowList(tmp_path / "complaints.json", now)
        outbox = outbox_on(store, fake)
        outbox.start()
        time.sleep(0.5)  # the outbox waits for work
        post(store, "CSUPPORT", "one")
        time.sleep(0.35)  # "one" is on its way; the next list is read while it arrives
        post(store, "CMGMT", "two")
        wait(lambda: store.outbox_depth() == 0, "the outbox to drain")
        time.sleep(0.5)
        outbox.stop()
        assert [m["text"] for m in fake.messages("CSUPPORT")] == ["one"]
        assert [m["text"] for m in fake.messages("CMGMT")] == ["two"]


def test_an_outbox_started_again_after_a_stop_delivers_again(tmp_path: Path) -> None:
    with FakeSlack() as fake:
        store = TinyDBStore(tmp_path / "complaints.json", now)
        outbox = outbox_on(store, fake)
        outbox.stop()  # a replica starts as a follower
        outbox.start()  # ... and is elected
        post(store, "CSUPPORT", "one")
        wait(lambda: store.outbox_depth() == 0, "the first delivery")
        outbox.stop()  # demoted
        post(store, "CSUPPORT", "two")
        time.sleep(0.3)
        assert store.outbox_depth() == 1, "a stopped outbox delivered"
        outbox.start()  # elected again
        wait(lambda: store.outbox_depth() == 0, "the delivery after the restart")
        outbox.stop()
        assert [m["text"] for m in fake.messages("CSUPPORT")] == ["one", "two"]


class CountedList(TinyDBStore):
    """A store that counts how often the outbox reads its list of pending effects."""

    reads = 0

    def lane_heads(self) -> list[Effect]:
        """The list, counted."""
        self.reads += 1
        return super().lane_heads()


def test_news_for_a_busy_lane_waits_for_that_lane_instead_of_waking_the_dispatcher(tmp_path: Path) -> None:
    with FakeSlack(latency=0.6) as fake:
        store = CountedList(tmp_path / "complaints.json", now)
        outbox = outbox_on(store, fake)
        outbox.start()
        post(store, "CSUPPORT", "one")
        wait(lambda: fake.calls_to("chat.postMessage"), "the first message to be on its way")
        reads = store.reads
        for text in ("two", "three", "four"):
            post(store, "CSUPPORT", text)  # its lane is busy with "one"
        assert store.reads == reads, "a commit for a busy lane made the dispatcher read the whole outbox"
        post(store, "CMGMT", "elsewhere")  # a free lane goes at once
        wait(lambda: [m["text"] for m in fake.messages("CMGMT")] == ["elsewhere"], "the free lane's message")
        wait(lambda: store.outbox_depth() == 0, "the busy lane to drain", timeout=15)
        outbox.stop()
        assert [m["text"] for m in fake.messages("CSUPPORT")] == ["one", "two", "three", "four"]
