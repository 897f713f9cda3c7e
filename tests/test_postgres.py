"""PostgreSQL as several replicas see it: two stores on one schema, row locks, races, election, outages.

Every test talks to a real server (TEST_DATABASE_URL) in a schema of its own; "replicas" here are separate
stores with separate connection pools, which is what separate processes have.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pytest
from psycopg.types.json import Jsonb

from bot.customers import customer_key
from bot.model import CustomerCounts, Effect, Status
from bot.store import StoreError, StoreUnavailable
from bot.store import seen as seen_keys
from bot.store.postgres import Leadership, PostgresStore, caches, schema
from bot.store.tinydb_store import TinyDBStore
from sandbox.fake_slack import FakeSlack
from tests.harness import Bot, make_config, start_bot
from tests.pg import TcpProxy, admin, fresh_schema, via
from tests.test_store_contract import file, file_with_card, new_complaint

TAKEOVER = timedelta(seconds=1.5)


def now() -> datetime:
    """The stores' clock."""
    return datetime.now(UTC)


@pytest.fixture
def url() -> Iterator[str]:
    """A URL to an empty schema of its own."""
    with fresh_schema() as found:
        yield found


@pytest.fixture
def replicas(url: str) -> Iterator[Callable[[], PostgresStore]]:
    """Open stores on the same schema, as separate replicas would; all closed afterwards."""
    opened: list[PostgresStore] = []

    def replica() -> PostgresStore:
        store = PostgresStore(url, now, takeover=TAKEOVER)
        opened.append(store)
        return store

    yield replica
    for store in opened:
        store.close()


def wait(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Poll until something that happens in the background has happened."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def in_thread(work: Callable[[], Any]) -> tuple[threading.Thread, list[Any]]:
    """Run work in a thread; its result lands in the list."""
    result: list[Any] = []
    thread = threading.Thread(target=lambda: result.append(work()))
    thread.start()
    return thread, result


# Numbering, locks and idempotency across replicas.


def test_two_replicas_filing_at_once_share_one_gap_free_numbering(replicas: Callable[[], PostgresStore]) -> None:
    stores = [replicas(), replicas()]
    numbers: list[int] = []
    start = threading.Barrier(40)

    def one(i: int) -> None:
        start.wait()
        numbers.append(file(stores[i % 2]))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(40)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(numbers) == list(range(1, 41))
    filed_order = sorted(stores[0].all_complaints(), key=lambda c: c.number)
    assert [c.number for c in filed_order] == list(range(1, 41))


def test_a_claim_waits_for_the_other_replicas_change_and_then_sees_it(replicas: Callable[[], PostgresStore]) -> None:
    first, second = replicas(), replicas()
    number = file(first)
    locked = threading.Event()
    order: list[str] = []

    def other_replica() -> tuple[Status, str | None]:
        locked.wait()
        with second.transaction() as tx:
            complaint = tx.get(number)
            order.append("second read")
            assert complaint is not None
            return complaint.status, complaint.owner

    thread, seen = in_thread(other_replica)
    with first.transaction() as tx:
        complaint = tx.get(number)
        assert complaint is not None
        complaint.status, complaint.owner = Status.OWNED, "UANA"
        tx.save(complaint)
        locked.set()
        time.sleep(0.3)  # the other replica is now waiting for this row
        order.append("first commits")
    thread.join()
    assert order == ["first commits", "second read"]
    assert seen == [(Status.OWNED, "UANA")]


def test_by_card_locks_the_row_too(replicas: Callable[[], PostgresStore]) -> None:
    first, second = replicas(), replicas()
    file_with_card(first, "1700000000.000100")
    locked = threading.Event()

    def other_replica() -> str | None:
        locked.wait()
        with second.transaction() as tx:
            complaint = tx.by_card("CSUPPORT", "1700000000.000100")
            assert complaint is not None
            return complaint.owner

    thread, seen = in_thread(other_replica)
    with first.transaction() as tx:
        complaint = tx.by_card("CSUPPORT", "1700000000.000100")
        assert complaint is not None
        complaint.owner, complaint.status = "UBEN", Status.OWNED
        tx.save(complaint)
        locked.set()
        time.sleep(0.3)
    thread.join()
    assert seen == ["UBEN"]


@pytest.mark.parametrize("first_commits", [True, False], ids=["first-commits", "first-rolls-back"])
def test_a_key_two_replicas_race_for_is_first_time_for_exactly_one(
    replicas: Callable[[], PostgresStore], first_commits: bool
) -> None:
    first, second = replicas(), replicas()
    inserted = threading.Event()

    def other_replica() -> bool:
        inserted.wait()
        with second.transaction() as tx:
            return tx.first_time("event:Ev42")

    thread, seen = in_thread(other_replica)
    with pytest.raises(LookupError) if not first_commits else _nothing(), first.transaction() as tx:
        assert tx.first_time("event:Ev42") is True
        inserted.set()
        time.sleep(0.3)  # the other replica's insert now waits for this transaction's outcome
        if not first_commits:
            raise LookupError("the handler failed")
    thread.join()
    assert seen == [not first_commits]


class _nothing:
    """A context manager that expects nothing (the other branch of pytest.raises)."""

    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> None:
        return None


def test_idempotency_keys_older_than_any_redelivery_are_swept(
    replicas: Callable[[], PostgresStore], url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(seen_keys, "SEEN_SWEEP_EVERY", 3)
    store = replicas()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO seen (key, at) VALUES ('event:Old', %s)", (now() - seen_keys.SEEN_KEEP - timedelta(hours=1),)
        )

        def kept() -> list[str]:
            return sorted(str(row[0]) for row in conn.execute("SELECT key FROM seen").fetchall())

        with store.transaction() as tx:  # two keys with a commit, and one read at once: the third sweeps
            tx.once("file:A")
            tx.once("file:B")
        assert kept() == ["event:Old", "file:A", "file:B"]
        with store.transaction() as tx:
            assert tx.first_time("event:New")
        assert kept() == ["event:New", "file:A", "file:B"]
        conn.execute(
            "INSERT INTO seen (key, at) VALUES ('event:Old', %s)", (now() - seen_keys.SEEN_KEEP - timedelta(hours=1),)
        )
        for key in ("file:C", "file:D", "file:E"):  # keys recorded with the commit sweep too
            with store.transaction() as tx:
                tx.once(key)
        assert "event:Old" not in kept() and "file:E" in kept()


def test_effects_queued_on_one_replica_are_seen_and_finished_on_another(replicas: Callable[[], PostgresStore]) -> None:
    follower, leader = replicas(), replicas()
    with follower.transaction() as tx:
        tx.enqueue(Effect(kind="post", lane="CMGMT", channel="CMGMT", text="digest"))
        assert leader.pending_effects() == []
    pending = leader.pending_effects()
    assert [e.text for e in pending] == ["digest"]
    leader.finish_effect(pending[0].id)
    assert follower.pending_effects() == [] and follower.outbox_depth() == 0


# Election and notifications.


class Node:
    """One replica's election, recording what it was told."""

    def __init__(self, store: PostgresStore) -> None:
        self.store = store
        self.events: list[str] = []
        self.leadership: Leadership = store.leadership(
            lambda: self.events.append("elected"), lambda: self.events.append("demoted")
        )

    @property
    def leads(self) -> bool:
        """Whether this replica holds the lead now."""
        return self.leadership.role == "leader"


@pytest.fixture
def nodes(replicas: Callable[[], PostgresStore]) -> Iterator[Callable[[], Node]]:
    """Replicas that take part in the election; all stopped afterwards."""
    started: list[Node] = []

    def node() -> Node:
        found = Node(replicas())
        found.leadership.start()
        started.append(found)
        return found

    yield node
    for found in started:
        found.leadership.stop()


def test_exactly_one_replica_leads_and_another_takes_over_when_it_dies(nodes: Callable[[], Node]) -> None:
    first, second = nodes(), nodes()
    assert first.leads and not second.leads
    assert first.leadership.health_fields() == {"role": "leader"}
    assert second.leadership.health_fields() == {"role": "follower"}
    assert first.events == ["demoted", "elected"] and second.events == ["demoted"]

    conn = first.leadership._conn
    assert conn is not None
    first.leadership._stopped.set()  # the leader's process dies: it never tries again ...
    with admin() as db:  # ... and the server ends its session, which frees the lock
        db.execute("SELECT pg_terminate_backend(%s)", (conn.info.backend_pid,))
    wait(lambda: second.leads, "the follower to take over", timeout=TAKEOVER.total_seconds() * 3)
    wait(lambda: first.events[-1] == "demoted", "the old leader to notice it lost the lead")
    assert sum(node.leads for node in (first, second)) == 1


def test_a_leader_whose_connection_breaks_steps_down_and_one_replica_leads_again(nodes: Callable[[], Node]) -> None:
    first, second = nodes(), nodes()
    conn = first.leadership._conn
    assert conn is not None and first.leads
    with admin() as db:  # a network blip: the process lives on, its lock connection is gone
        db.execute("SELECT pg_terminate_backend(%s)", (conn.info.backend_pid,))
    wait(lambda: "demoted" in first.events[1:], "the leader to step down at once")
    wait(lambda: sum(node.leads for node in (first, second)) == 1, "one leader again", timeout=10)


def test_a_leader_that_stops_hands_over(nodes: Callable[[], Node]) -> None:
    first, second = nodes(), nodes()
    first.leadership.stop()
    assert first.events[-1] == "demoted" and first.leadership.role == "follower"
    wait(lambda: second.leads, "the follower to take over", timeout=TAKEOVER.total_seconds() * 3)


def test_only_followers_notify_and_a_filing_names_its_real_number(nodes: Callable[[], Node], url: str) -> None:
    leader, follower = nodes(), nodes()
    assert leader.leads
    with psycopg.connect(url, autocommit=True) as listener:
        listener.execute(f'LISTEN "{leader.store.channel}"')
        file(leader.store)  # the leader tells nobody: it is the only one listening
        number = file(follower.store)
        heard = [json.loads(n.payload) for n in listener.notifies(timeout=2.0, stop_after=2)]
    assert [(message["from"] == follower.store.token, message["numbers"]) for message in heard] == [(True, [number])]


def test_the_leader_hears_of_effects_and_changes_committed_on_a_follower(nodes: Callable[[], Node]) -> None:
    leader, follower = nodes(), nodes()
    assert leader.leads
    woken: list[frozenset[str] | None] = []
    changed: list[tuple[int, str | None]] = []
    leader.store.add_commit_listener(woken.append)
    leader.store.add_change_listener(lambda c: changed.append((c.number, c.owner)))
    number = file(follower.store)
    wait(lambda: bool(woken), "the leader's outbox to be woken by the follower's commit")
    assert woken[0] == frozenset({"CSUPPORT"}), "the leader is told which lane the follower's effect went to"
    wait(lambda: (number, None) in changed, "the leader to hear which complaint changed")
    with follower.store.transaction() as tx:
        complaint = tx.get(number)
        assert complaint is not None
        complaint.owner = "UBEN"
        tx.save(complaint)
    wait(lambda: (number, "UBEN") in changed, "the leader to hear of the claim")


# Schema versions.


def test_a_schema_of_the_first_release_gains_its_indexes_and_keeps_its_data(
    url: str, replicas: Callable[[], PostgresStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:1])
    monkeypatch.setattr(schema, "LATEST", 1)
    replicas().close()  # the first release's tables, with a complaint and its card queued as it wrote them
    complaint = new_complaint(1)
    complaint.customer, complaint.owner, complaint.status = "Müller GmbH", "UBEN", Status.OWNED
    card = Effect(kind="card", lane="CSUPPORT", complaint=1, channel="CSUPPORT")
    with psycopg.connect(url) as conn:
        conn.execute(
            "INSERT INTO complaints (number, status, channel, card_ts, version, filed_at, resolved_at, data) "
            "VALUES (1, 'owned', 'CSUPPORT', NULL, 1, %s, NULL, %s)",
            (complaint.filed_at, Jsonb(complaint.to_dict())),
        )
        conn.execute(
            "INSERT INTO outbox (id, lane, data) VALUES (%s, 'CSUPPORT', %s)", (card.id, Jsonb(card.to_dict()))
        )
    monkeypatch.undo()
    upgraded = replicas()
    assert upgraded.schema_version() == schema.LATEST
    with psycopg.connect(url) as conn:
        found = conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        indexes = {row[0] for row in found}
    assert {"outbox_lane", "complaints_customer", "complaints_open_owner"} <= indexes
    assert [(e.kind, e.complaint) for e in upgraded.lane_heads()] == [("card", 1)]
    assert upgraded.customer_counts(customer_key("mueller"), 2) == CustomerCounts(1, 1, 1)
    assert [c.number for c in upgraded.open_owned_by("UBEN")] == [1]


def test_complaints_stored_before_the_reporter_list_are_listed_for_their_reporter_after_the_upgrade(
    url: str, replicas: Callable[[], PostgresStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:3])
    monkeypatch.setattr(schema, "LATEST", 3)
    earlier = replicas()  # the release before: no reporter column
    taken = file(earlier)
    with earlier.transaction() as tx:
        complaint = tx.get(taken)
        assert complaint is not None
        complaint.owner, complaint.status = "UBEN", Status.OWNED
        tx.save(complaint)
    monkeypatch.undo()
    upgraded = replicas()
    assert upgraded.schema_version() == schema.LATEST
    waiting = file(earlier)  # a replica of the release before still runs while the others are upgraded
    with psycopg.connect(url) as conn:
        found = conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = current_schema()")
        assert "complaints_open_reporter" in {row[0] for row in found}
    count, listed = upgraded.open_reported_by("UANA", 5)
    assert (count, [c.number for c in listed]) == (2, [taken, waiting])
    assert [c.owner for c in listed] == ["UBEN", None]
    assert upgraded.open_reported_by("UBEN", 5) == (0, [])


def test_the_schema_is_versioned_and_a_later_step_keeps_the_data(
    url: str, replicas: Callable[[], PostgresStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    store = replicas()
    assert store.schema_version() == schema.LATEST
    number = file(store)
    store.close()
    again = replicas()  # opening again runs nothing twice
    assert again.schema_version() == schema.LATEST
    again.close()

    later = (schema.LATEST + 1, "complaints get a tag", ("ALTER TABLE complaints ADD COLUMN tag text",))
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, later))
    monkeypatch.setattr(schema, "LATEST", schema.LATEST + 1)
    upgraded = replicas()
    assert upgraded.schema_version() == schema.LATEST
    stored = upgraded.get(number)
    assert stored is not None and stored.summary == "wrong parts"
    assert file(upgraded) == number + 1
    upgraded.close()

    monkeypatch.undo()
    with pytest.raises(StoreError, match="newer than this release"):
        PostgresStore(url, now)


# Outages.


def test_an_unreachable_database_is_store_unavailable() -> None:
    with pytest.raises(StoreUnavailable, match="does not answer"):
        PostgresStore("postgresql://postgres@127.0.0.1:9/test", now, wait=0.5, open_wait=0.5)


def test_a_database_outage_is_reported_and_the_store_recovers_by_itself(url: str) -> None:
    proxy = TcpProxy()
    store = PostgresStore(via(url, proxy.port), now, takeover=TAKEOVER, wait=1.0)
    try:
        assert file(store) == 1
        assert store.outbox_depth() == 1
        proxy.cut()
        with pytest.raises(StoreUnavailable):
            file(store)
        with pytest.raises(StoreUnavailable):
            store.get(1)
        assert store.ping() is False
        assert store.outbox_depth() == 1  # the last known depth, while ping says the database is away
        proxy.restore()
        wait(store.ping, "the store to reconnect")
        assert file(store) == 2
    finally:
        store.close()
        proxy.close()


# The bot on PostgreSQL: configuration only.


def pg_config(tmp_path: Path, url: str, **values: Any) -> Any:
    """The test config with the PostgreSQL backend."""
    values.setdefault("channels", {"management": "CMGMT", "fallback": "CFALLBACK"})
    storage = {"backend": "postgresql", "url": url, "takeover": "2s"}
    return make_config(str(tmp_path / "unused.json"), storage=storage, **values)


def test_the_bot_runs_on_postgresql_and_survives_an_outage(fake: FakeSlack, tmp_path: Path, url: str) -> None:
    proxy = TcpProxy()
    bot: Bot | None = None
    try:
        bot = start_bot(fake, pg_config(tmp_path, via(url, proxy.port)))
        health = bot.slack.get("/healthz")
        assert health.status == 200, health.text
        assert {k: health.json()[k] for k in ("backend", "database", "role")} == {
            "backend": "postgresql",
            "database": True,
            "role": "leader",
        }
        number = bot.file()
        assert number == 1
        bot.settle()

        proxy.cut()
        answer = bot.slack.command("the delivery was late")
        assert answer.status == 200
        assert "could not be saved" in answer.text, answer.text
        down = bot.slack.get("/healthz")
        assert down.status == 200 and down.json()["database"] is False and down.json()["status"] == "degraded"

        proxy.restore()
        bot.wait(lambda: bot.slack.get("/healthz").json().get("role") == "leader", "the lead again", timeout=15)
        assert bot.file("the delivery was late") == 2
        bot.settle()
    finally:
        if bot is not None:
            bot.stop()
        proxy.close()


def test_a_digest_period_two_replicas_run_at_once_is_posted_once(fake: FakeSlack, tmp_path: Path, url: str) -> None:
    bots = [start_bot(fake, pg_config(tmp_path, url)) for _ in range(2)]
    try:
        assert sorted(bot.runtime.leadership.role for bot in bots if bot.runtime.leadership) == ["follower", "leader"]
        bots[1].file()
        together = threading.Barrier(2)
        outcomes: list[bool] = []

        def run(bot: Bot) -> None:
            together.wait()  # e.g. the old leader's cron and the new leader's catch-up after a takeover
            assert bot.runtime.services is not None
            outcomes.append(bot.runtime.services.reports.scheduled_management().ok)

        threads = [threading.Thread(target=run, args=(bot,)) for bot in bots]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == [False, True]
        assert bots[0].runtime.services is not None
        assert not bots[0].runtime.services.reports.scheduled_management().ok
        bots[0].settle(timeout=15)
        posted = [c for c in fake.calls_to("chat.postMessage") if c.args.get("channel") == "CMGMT"]
        assert len(posted) == 1
    finally:
        for bot in bots:
            bot.stop()


def test_a_bot_on_the_file_store_is_the_single_leader(bot: Bot) -> None:
    health = bot.slack.get("/healthz").json()
    assert (health["backend"], health["role"]) == ("tinydb", "single")


# Migration from TinyDB.


def migrate(path: Path, url: str) -> subprocess.CompletedProcess[str]:
    """Run the migration command as an operator would."""
    command = [sys.executable, "-m", "bot.store", "migrate", "--from", "tinydb", str(path), "--to", "postgresql"]
    return subprocess.run(
        [*command, "--url", url], capture_output=True, text=True, timeout=60, cwd=Path(__file__).parent.parent
    )


def test_migrating_from_tinydb_copies_everything_once(tmp_path: Path, url: str) -> None:
    path = tmp_path / "data" / "complaints.json"
    source = TinyDBStore(path, now)
    for _ in range(5):
        file(source)
    with source.transaction() as tx:
        complaint = tx.get(3)
        assert complaint is not None
        complaint.status, complaint.owner, complaint.resolved_at = Status.RESOLVED, "UBEN", now()
        complaint.record("resolved", now(), "UBEN", "replaced the parts")
        tx.save(complaint)
        tx.save(new_complaint(tx.next_number()))
        tx.set_meta("digest:last", "2026-11-25")
    expected = [c.to_dict() for c in source.all_complaints()]
    source.close()

    first = migrate(path, url)
    assert first.returncode == 0, first.stderr
    assert "6/6" in first.stderr and "copied 6" in first.stdout, (first.stdout, first.stderr)

    target = PostgresStore(url, now)
    try:
        assert [c.to_dict() for c in target.all_complaints()] == expected
        assert target.get_meta("digest:last") == "2026-11-25"
        assert [c.number for c in target.open_complaints()] == [1, 2, 4, 5, 6]
        before = _dump(url)
        second = migrate(path, url)
        assert second.returncode == 0, second.stderr
        assert "copied 0" in second.stdout and "unchanged 6" in second.stdout, second.stdout
        assert _dump(url) == before
        assert file(target) == 7
    finally:
        target.close()


def test_migrating_into_a_database_that_has_other_complaints_overwrites_nothing(tmp_path: Path, url: str) -> None:
    path = tmp_path / "complaints.json"
    source = TinyDBStore(path, now)
    file(source)
    source.close()
    target = PostgresStore(url, now)
    try:
        with target.transaction() as tx:
            other = new_complaint(tx.next_number(), summary="filed in the database")
            other.reporter = "UBEN"
            tx.save(other)
        result = migrate(path, url)
        assert result.returncode == 2
        assert "#1 in the database is a different complaint" in result.stderr
        stored = target.get(1)
        assert stored is not None and stored.summary == "filed in the database"
    finally:
        target.close()


def test_the_migration_command_explains_what_is_wrong(tmp_path: Path) -> None:
    result = migrate(tmp_path / "missing.json", "postgresql://postgres@127.0.0.1:9/test")
    assert result.returncode == 2
    assert "missing.json" in result.stderr and "does not exist" in result.stderr


def _dump(url: str) -> str:
    """Every complaint row and counter, to compare before and after."""
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT number, version, data FROM complaints ORDER BY number").fetchall()
        counter = conn.execute("SELECT value FROM counters").fetchall()
    return json.dumps([rows, counter], default=str, sort_keys=True)


def test_bookkeeping_read_outside_a_transaction_is_fresh_after_own_writes_and_soon_after_others(
    replicas: Callable[[], PostgresStore], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(caches, "META_FRESH", 0.3)
    mine, other = replicas(), replicas()
    assert mine.get_meta("home_users") is None
    with mine.transaction() as tx:
        tx.set_meta("home_users", ["UANA"])
    assert mine.get_meta("home_users") == ["UANA"], "this replica's own write was not read afresh"
    with other.transaction() as tx:
        tx.set_meta("home_users", ["UANA", "UBEN"])
    with other.transaction() as tx:
        assert tx.get_meta("home_users") == ["UANA", "UBEN"]  # a transaction always reads the row
    wait(lambda: mine.get_meta("home_users") == ["UANA", "UBEN"], "the other replica's write", timeout=2)


def test_the_decoded_complaints_kept_for_reports_are_bounded(url: str) -> None:
    store = PostgresStore(url, datetime.now, remember_complaints=300)
    try:
        for _ in range(4):
            with store.transaction() as tx:
                for _ in range(500):
                    tx.save(new_complaint(tx.next_number()))
        assert [c.number for c in store.all_complaints()] == list(range(1, 2001))
        assert store.memory_sizes()["complaints"] <= 300
        with store.transaction() as tx:  # a change is read afresh, remembered or not
            changed = tx.get(1)
            assert changed is not None
            changed.summary = "changed"
            tx.save(changed)
        everything = list(store.all_complaints())
        assert len(everything) == 2000 and everything[0].summary == "changed"
        assert store.memory_sizes()["complaints"] <= 300
    finally:
        store.close()
