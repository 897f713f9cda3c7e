"""Two real bot processes (`python app.py`) sharing one PostgreSQL schema, driven the way Slack drives them.

Requests are spread over both replicas; the fake Slack records what they post. The claims under test are the
ones an operator relies on when running several replicas: one numbering, one owner, one message per change,
and a leader that can die without a reminder being lost or sent twice.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.model import Complaint, EventKind
from bot.store.postgres import PostgresStore
from sandbox.fake_slack import FakeSlack
from sandbox.sender import SECRET, Response, SlackSender
from tests.pg import fresh_schema

ROOT = Path(__file__).resolve().parent.parent
FAST = {
    "remind_unclaimed": "2s",
    "escalate_unclaimed": "60s",
    "ask_update": "1h",
    "escalate_quiet": "2h",
    "resolve_within": "1d",
}


def free_port() -> int:
    """A port nothing listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Replica:
    """One bot process."""

    def __init__(self, name: str, env: dict[str, str], log: Path) -> None:
        self.name = name
        self.port = int(env["PORT"])
        self.log = log
        self.slack = SlackSender(self.port)
        with log.open("wb") as out:
            self.process = subprocess.Popen(
                [sys.executable, "app.py"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
            )

    def health(self) -> dict[str, Any]:
        """What /healthz says now ({} while it does not answer)."""
        try:
            return dict(self.slack.get("/healthz").json())
        except (OSError, ValueError):
            return {}

    @property
    def role(self) -> str | None:
        """leader or follower."""
        return self.health().get("role")

    def wait_ready(self, timeout: float = 20.0) -> None:
        """Until /healthz says ok; the process log explains a failure."""
        deadline = time.monotonic() + timeout
        while self.health().get("status") != "ok":
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"replica {self.name} did not start:\n{self.log.read_text()[-3000:]}")
            time.sleep(0.05)

    def kill(self) -> None:
        """kill -9: no goodbye, the database notices the dropped connections."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM, as an orchestrator stops a replica."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


class Cluster:
    """Two replicas on one schema, and a store of the test's own to look at what they stored."""

    def __init__(self, replicas: list[Replica], url: str) -> None:
        self.replicas = replicas
        self.store = PostgresStore(url, lambda: datetime.now(UTC))

    def complaint(self, number: int) -> Complaint:
        """A stored complaint."""
        complaint = self.store.get(number)
        assert complaint is not None, f"#{number} is not stored"
        return complaint

    def leader(self) -> Replica:
        """The replica that leads now."""
        leaders = [replica for replica in self.replicas if replica.role == "leader"]
        assert len(leaders) == 1, [replica.health() for replica in self.replicas]
        return leaders[0]

    def settle(self, timeout: float = 15.0) -> None:
        """Until the outbox is empty."""
        wait(lambda: self.store.outbox_depth() == 0, "the outbox to drain", timeout)


def wait(condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    """Poll until the replicas got there."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def number_of(answer: Response) -> int:
    """The complaint number in a filing's private answer."""
    assert answer.status == 200, answer.text
    return int(answer.text.split("#", 1)[1].split(".", 1)[0].split()[0])


@pytest.fixture
def start(fake: FakeSlack, tmp_path: Path) -> Iterator[Callable[..., Cluster]]:
    """Start two replicas with a config (keyword arguments become config keys); stopped afterwards."""
    processes: list[Replica] = []
    stores: list[PostgresStore] = []

    with fresh_schema() as url:

        def make(**config: Any) -> Cluster:
            config.setdefault("channels", {"management": "CMGMT", "fallback": "CFALLBACK"})
            config.setdefault("digests", {"management": "", "channels": ""})
            config["storage"] = {"backend": "postgresql", "takeover": "3s"}
            path = tmp_path / "config.yml"
            path.write_text(yaml.safe_dump(config), encoding="utf-8")
            replicas = []
            for name in ("a", "b"):
                env = {
                    **os.environ,
                    "SLACK_BOT_TOKEN": "xoxb-test",
                    "SLACK_SIGNING_SECRET": SECRET,
                    "SLACK_API_URL": fake.url,
                    "HOST": "127.0.0.1",
                    "PORT": str(free_port()),
                    "ESCALATION_CONFIG": str(path),
                    "DATABASE_URL": url,
                    "LOG_LEVEL": "INFO",
                }
                replicas.append(Replica(name, env, tmp_path / f"replica-{name}.log"))
                processes.append(replicas[-1])  # stopped at the end even if the other one fails to start
            for replica in replicas:
                replica.wait_ready()
            cluster = Cluster(replicas, url)
            stores.append(cluster.store)
            return cluster

        try:
            yield make
        finally:
            for replica in processes:
                replica.stop()
            for store in stores:
                store.close()


def cards(fake: FakeSlack) -> list[dict[str, Any]]:
    """Top-level messages in the support channel: the cards."""
    return fake.messages("CSUPPORT")


def test_fifty_filings_spread_over_two_replicas_get_the_numbers_one_to_fifty(
    start: Callable[..., Cluster], fake: FakeSlack
) -> None:
    cluster = start()
    assert sorted(replica.role or "" for replica in cluster.replicas) == ["follower", "leader"]

    def one(i: int) -> int:
        replica = cluster.replicas[i % 2]
        return number_of(replica.slack.command(f"order {i} arrived damaged", user="UANA"))

    with ThreadPoolExecutor(max_workers=50) as pool:
        numbers = list(pool.map(one, range(50)))
    assert sorted(numbers) == list(range(1, 51))
    cluster.settle()
    stored = list(cluster.store.all_complaints())
    assert [c.number for c in stored] == list(range(1, 51))
    assert all(c.card_ts for c in stored)
    assert len(cards(fake)) == 50, "a card was posted twice or not at all"
    assert len({message["ts"] for message in cards(fake)}) == 50


def test_the_same_reaction_on_both_replicas_at_once_makes_one_owner_and_one_message(
    start: Callable[..., Cluster], fake: FakeSlack
) -> None:
    cluster = start()
    number = number_of(cluster.replicas[1].slack.command("the invoice is wrong"))
    wait(lambda: cluster.complaint(number).card_ts is not None, "the card")
    card_ts = cluster.complaint(number).card_ts or ""
    together = threading.Barrier(4)

    def react(replica: Any, user: str, event_id: str) -> Response:
        together.wait()
        return replica.slack.reaction("CSUPPORT", card_ts, user, "raising_hand", event_id=event_id)

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(
            pool.map(
                react,
                [*cluster.replicas, *cluster.replicas],
                ["UBEN", "UBEN", "UCARL", "UCARL"],
                ["EvSAME1", "EvSAME1", "EvOTHER", "EvOTHER"],
            )
        )
    assert all(answer.status == 200 for answer in answers)
    cluster.settle()
    complaint = cluster.complaint(number)
    assert complaint.owner in ("UBEN", "UCARL")
    loser = "UCARL" if complaint.owner == "UBEN" else "UBEN"
    claims = [entry for entry in complaint.timeline if entry.kind == EventKind.CLAIMED]
    assert [entry.actor for entry in claims] == [complaint.owner]
    thread = fake.messages("CSUPPORT", card_ts)
    assert [m["text"] for m in thread if "took this on" in m["text"]] == [
        f"<@{complaint.owner}> took this on and owns it now."
    ]
    told = [e for e in fake.ephemerals if e.get("user") == loser]
    assert len(told) == 1 and f"#{number} is owned by" in told[0]["text"]


def test_when_the_leader_is_killed_the_other_replica_takes_over_and_each_reminder_goes_out_once(
    start: Callable[..., Cluster], fake: FakeSlack
) -> None:
    cluster = start(default_severity="fast", severities={"fast": FAST})
    leader = cluster.leader()
    survivor = next(replica for replica in cluster.replicas if replica is not leader)
    numbers = [number_of(cluster.replicas[i % 2].slack.command(f"parcel {i} is missing")) for i in range(4)]
    wait(lambda: all(cluster.complaint(n).card_ts for n in numbers), "the cards")

    leader.kill()
    wait(lambda: survivor.role == "leader", "the survivor to take over", timeout=10)

    def reminded_to_the_end() -> bool:
        return all(cluster.complaint(n).followups.reminders_sent == 3 for n in numbers)

    wait(reminded_to_the_end, "every complaint's third reminder", timeout=20)
    cluster.settle()
    time.sleep(1.0)  # time for a duplicate to show up, if there were one
    for number in numbers:
        complaint = cluster.complaint(number)
        steps = [entry.data["step"] for entry in complaint.timeline if entry.kind == EventKind.REMINDED]
        assert steps == sorted(set(steps)) and steps[-1] == 3, steps
        thread = fake.messages("CSUPPORT", complaint.card_ts)
        shown = [(m["ts"], m["text"][:50], (m.get("metadata") or {}).get("event_payload")) for m in thread]
        assert len(thread) == len(steps), (shown, [(c.method, c.args) for c in fake.calls if c.method != "auth.test"])
    assert len(cards(fake)) == len(numbers)
