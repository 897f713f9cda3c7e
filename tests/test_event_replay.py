"""Every event Slack's samples show, delivered as Slack would deliver it, over HTTP and over Socket Mode.

Each is acknowledged within Slack's deadline; those the bot has no use for change nothing and post nothing (an
opened Home tab is published, as it should be); and afterwards the bot files and claims as usual.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.fake_slack import FakeSlack
from sandbox.sender import ACK_DEADLINE, SlackSender
from tests.harness import Bot, make_config, start_bot
from tests.robustness import CHANNELS, QUICK
from tests.slack_samples import Filler, answer_problems, event_files

PERSON = "U0PERSON"


def deliveries() -> list[tuple[str, dict[str, Any]]]:
    """All 96 samples, filled with a real workspace's ids: a person in a channel that holds no complaint."""
    filler = Filler(user=PERSON, channel="C0ELSEWHERE")
    return [(name, filler.body(name)) for name in sorted(event_files().values())]


def state(bot: Bot) -> list[dict[str, Any]]:
    """Every stored complaint, as data."""
    return [complaint.to_dict() for complaint in bot.store.all_complaints()]


class Transport:
    """How the test reaches the bot: signed HTTP posts, or envelopes on the Socket Mode connection."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot

    def deliver(self, name: str, body: dict[str, Any]) -> None:
        """Send one event body; fails unless the bot acknowledged it within Slack's deadline."""
        raise NotImplementedError

    def command(self, text: str) -> str:
        """`/complaint <text>`; the bot's answer."""
        raise NotImplementedError

    def file(self, text: str) -> int:
        """File and wait for the card and its claim emoji; the complaint's number."""
        answer = self.command(text)
        assert answer.startswith("Filed as #"), answer
        number = int(answer.split("#", 1)[1].split(".", 1)[0].split()[0])
        self.bot.wait(lambda: self.bot.complaint(number).card_ts is not None, "the card")
        self.bot.fake.wait_for(
            "reactions.add", where=lambda c: c.args["timestamp"] == self.bot.complaint(number).card_ts
        )
        self.bot.settle()
        return number

    def claim(self, number: int, user: str) -> None:
        """React on the card with the claim emoji."""
        complaint = self.bot.complaint(number)
        event = self.bot.slack.reaction_event(complaint.channel, complaint.card_ts or "", user, "raising_hand")
        self.deliver("a claim", self.bot.slack.event_body(event))


class Http(Transport):
    """Signed posts to /slack/events, given up after Slack's deadline."""

    def __init__(self, bot: Bot) -> None:
        super().__init__(bot)
        self.slack = SlackSender(bot.runtime.http.port, timeout=ACK_DEADLINE)

    def deliver(self, name: str, body: dict[str, Any]) -> None:
        answer = self.slack.post(json.dumps(body).encode(), "application/json")
        assert answer.status == 200, f"{name}: {answer.status} {answer.text}"

    def command(self, text: str) -> str:
        return self.bot.slack.command(text).text


class Socket(Transport):
    """Envelopes on the bot's Socket Mode connection, each acknowledged within Slack's deadline."""

    def deliver(self, name: str, body: dict[str, Any]) -> None:
        socket = self.bot.fake.socket
        assert socket is not None
        envelope = socket.send_envelope("events_api", body)
        assert socket.wait_ack(envelope, timeout=ACK_DEADLINE)["envelope_id"] == envelope, name

    def command(self, text: str) -> str:
        socket = self.bot.fake.socket
        assert socket is not None
        envelope = socket.send_envelope("slash_commands", self.bot.slack.command_fields(text))
        return str(socket.wait_ack(envelope, timeout=ACK_DEADLINE)["payload"]["text"])


def replayed(transport: Transport) -> None:
    """Deliver every sample to a bot with one filed complaint, then check nothing but a Home tab came of it."""
    bot = transport.bot
    number = transport.file("wrong parts delivered")
    before, calls = state(bot), len(bot.fake.calls)
    bodies = deliveries()
    assert len(bodies) == 96
    for name, body in bodies:
        transport.deliver(name, body)
    bot.settle()
    assert state(bot) == before
    made = bot.fake.calls[calls:]
    assert {call.method for call in made} == {"views.publish"}, [(c.method, c.args) for c in made]
    assert {call.args["user_id"] for call in made} == {PERSON}  # app_home_opened: the person's Home tab
    transport.claim(number, "UBEN")
    bot.settle()
    assert bot.complaint(number).owner == "UBEN"
    assert transport.file("another complaint after all that") == number + 1


def test_every_event_sample_over_http_is_acknowledged_and_only_a_home_tab_follows(bot: Bot) -> None:
    replayed(Http(bot))


@pytest.fixture
def socket_bot(tmp_path: Path) -> Iterator[Bot]:
    """A bot in Socket Mode against its own fake."""
    with FakeSlack(socket_mode=True) as fake:
        assert fake.socket is not None
        config = make_config(str(tmp_path / "data" / "complaints.json"), channels=CHANNELS)
        bot = start_bot(fake, config, tuning=QUICK, app_token="xapp-1-A1-test", signing_secret=None)
        fake.socket.wait_connections(1)
        yield bot
        bot.stop()
        problems = answer_problems(fake.calls)
        assert not problems, f"the fake answered unlike Slack: {problems[:10]}"


def test_every_event_sample_over_socket_mode_is_acknowledged_and_only_a_home_tab_follows(socket_bot: Bot) -> None:
    replayed(Socket(socket_bot))
