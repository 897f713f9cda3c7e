"""Socket Mode: reconnecting after `disconnect` and dropped connections, and doing each envelope's work once."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.fake_slack import FakeSlack
from tests.harness import Bot, make_config, start_bot
from tests.robustness import CHANNELS, QUICK, texts, wait_until


@pytest.fixture(scope="module")
def shared_fake() -> Iterator[FakeSlack]:
    """One fake Slack with Socket Mode for the module (closing its WebSocket server takes a while)."""
    with FakeSlack(socket_mode=True) as server:
        yield server


@pytest.fixture
def socket_fake(shared_fake: FakeSlack) -> FakeSlack:
    """The shared fake, with no calls, messages or faults from an earlier test."""
    shared_fake.reset()
    return shared_fake


@pytest.fixture
def socket_bot(socket_fake: FakeSlack, tmp_path: Path) -> Iterator[Bot]:
    """A bot in Socket Mode (an app token, no signing secret), connected to the fake."""
    config = make_config(str(tmp_path / "data" / "complaints.json"), channels=CHANNELS)
    assert socket_fake.socket is not None
    before = socket_fake.socket.connections
    bot = start_bot(socket_fake, config, tuning=QUICK, app_token="xapp-1-A1-test", signing_secret=None)
    socket_fake.socket.wait_connections(before + 1)
    yield bot
    bot.stop()


def command(text: str, trigger: str) -> dict[str, Any]:
    """A slash command payload as Socket Mode carries it."""
    return {
        "token": "vtok",
        "team_id": "T1",
        "team_domain": "acme",
        "channel_id": "CSUPPORT",
        "channel_name": "support",
        "user_id": "UANA",
        "user_name": "ana",
        "command": "/complaint",
        "text": text,
        "api_app_id": "A1",
        "is_enterprise_install": "false",
        "response_url": "http://127.0.0.1:9/commands/1",
        "trigger_id": trigger,
    }


def reaction(channel: str, ts: str, user: str, event_id: str) -> dict[str, Any]:
    """An events_api payload: someone reacted with the claim emoji."""
    return {
        "type": "event_callback",
        "token": "vtok",
        "team_id": "T1",
        "api_app_id": "A1",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
        "event": {
            "type": "reaction_added",
            "user": user,
            "reaction": "raising_hand",
            "item_user": "UBOT",
            "item": {"type": "message", "channel": channel, "ts": ts},
            "event_ts": f"{time.time():.6f}",
        },
    }


def drop_and_reconnect(socket_fake: FakeSlack) -> None:
    """Kill the connection like a network failure; Slack keeps what it could not deliver until the app is back."""
    assert socket_fake.socket is not None
    before = socket_fake.socket.connections
    socket_fake.socket.drop()
    socket_fake.socket.wait_connections(before + 1)


def filed(socket_fake: FakeSlack, text: str, trigger: str, envelope_id: str | None = None) -> str:
    """Send `/complaint` as an envelope and return the text of the bot's ack."""
    assert socket_fake.socket is not None
    sent = socket_fake.socket.send_envelope("slash_commands", command(text, trigger), envelope_id)
    return str(socket_fake.socket.wait_ack(sent)["payload"]["text"])


def test_socket_mode_connects_with_the_app_token_and_files(socket_fake: FakeSlack, socket_bot: Bot) -> None:
    opened = socket_fake.wait_for("apps.connections.open")[0]
    assert opened.token == "xapp-1-A1-test"
    assert filed(socket_fake, "wrong parts", "trig.s1").startswith("Filed as #1")
    socket_bot.wait(lambda: socket_bot.complaint(1).card_ts is not None, "the card")
    health = socket_bot.slack.get("/healthz").json()
    assert health["status"] == "ok" and health["mode"] == "socket"


def test_after_disconnect_it_reconnects_and_goes_on(socket_fake: FakeSlack, socket_bot: Bot) -> None:
    assert socket_fake.socket is not None
    before = socket_fake.socket.connections
    socket_fake.socket.disconnect("refresh_requested")
    socket_fake.socket.wait_connections(before + 1)
    assert filed(socket_fake, "after a refresh", "trig.s2").startswith("Filed as #1")


def test_an_envelope_sent_while_the_connection_is_down_is_handled_after_reconnect(
    socket_fake: FakeSlack, socket_bot: Bot
) -> None:
    assert socket_fake.socket is not None
    drop_and_reconnect(socket_fake)  # what Slack could not deliver meanwhile, it sends on the new connection
    assert filed(socket_fake, "during a network failure", "trig.s3").startswith("Filed as #1")
    assert len(list(socket_bot.store.all_complaints())) == 1


def test_a_command_re_sent_after_a_lost_ack_files_one_complaint(socket_fake: FakeSlack, socket_bot: Bot) -> None:
    assert socket_fake.socket is not None
    first = filed(socket_fake, "wrong parts", "trig.s4", envelope_id="env-1")
    drop_and_reconnect(socket_fake)  # the ack may not have reached Slack, which then sends the envelope again
    again = filed(socket_fake, "wrong parts", "trig.s4", envelope_id="env-1")
    assert first == again and first.startswith("Filed as #1")
    socket_bot.settle()
    assert [c.number for c in socket_bot.store.all_complaints()] == [1]
    assert len([m for m in socket_fake.messages("CSUPPORT") if m.get("user") == "UBOT"]) == 1


def test_an_event_re_sent_after_reconnect_is_done_once(socket_fake: FakeSlack, socket_bot: Bot) -> None:
    assert socket_fake.socket is not None
    filed(socket_fake, "wrong parts", "trig.s5")
    socket_bot.wait(lambda: socket_bot.complaint(1).card_ts is not None, "the card")
    event = reaction("CSUPPORT", socket_bot.complaint(1).card_ts or "", "UBEN", "Ev-socket-1")
    sent = socket_fake.socket.send_envelope("events_api", event)
    socket_fake.socket.wait_ack(sent)
    drop_and_reconnect(socket_fake)
    resent = socket_fake.socket.send_envelope("events_api", event, retry_attempt=1, retry_reason="timeout")
    socket_fake.socket.wait_ack(resent)
    socket_bot.settle()
    assert socket_bot.complaint(1).owner == "UBEN"
    wait_until(lambda: len(socket_bot.thread(1)) >= 1, "the claim in the thread")
    assert texts(socket_bot.thread(1)) == ["<@UBEN> took this on and owns it now."]


def test_a_form_re_sent_after_reconnect_files_one_complaint(socket_fake: FakeSlack, socket_bot: Bot) -> None:
    assert socket_fake.socket is not None
    values = {"summary": {"value": {"type": "plain_text_input", "value": "sent from the form"}}}
    payload = {
        "type": "view_submission",
        "api_app_id": "A1",
        "team": {"id": "T1"},
        "user": {"id": "UANA"},
        "view": {
            "id": "V0FORM1",
            "type": "modal",
            "callback_id": "complaint_new",
            "private_metadata": "CSUPPORT",
            "state": {"values": values},
        },
    }
    socket_fake.socket.wait_ack(socket_fake.socket.send_envelope("interactive", payload))
    drop_and_reconnect(socket_fake)
    socket_fake.socket.wait_ack(socket_fake.socket.send_envelope("interactive", payload))
    socket_bot.settle()
    assert [c.summary for c in socket_bot.store.all_complaints()] == ["sent from the form"]


def test_an_event_that_cannot_be_stored_is_not_acked_and_the_person_hears_after_the_last_try(
    socket_fake: FakeSlack, socket_bot: Bot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from bot.store import files

    assert socket_fake.socket is not None
    filed(socket_fake, "wrong parts", "trig.s6")
    socket_bot.wait(lambda: socket_bot.complaint(1).card_ts is not None, "the card")
    socket_bot.settle()

    def disk_full(fd: int, parts: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "write_all", disk_full)
    event = reaction("CSUPPORT", socket_bot.complaint(1).card_ts or "", "UBEN", "Ev-socket-full")
    unanswered = []
    for attempt in (0, 1, 2, 3):  # Slack's delivery and its three redeliveries, each after the last was handled
        unanswered.append(
            socket_fake.socket.send_envelope("events_api", event, retry_attempt=attempt, retry_reason="timeout")
        )

        def handled(n: int = attempt) -> bool:
            return len(not_stored(caplog)) > n

        wait_until(handled, f"delivery {attempt + 1} to be handled")
    wait_until(
        lambda: any("could not be saved" in e["text"] for e in socket_fake.ephemerals if e["user"] == "UBEN"),
        "the private note after the last redelivery",
    )
    for envelope in unanswered:  # no ack: Slack sends it again
        with pytest.raises(AssertionError, match="no ack"):
            socket_fake.socket.wait_ack(envelope, timeout=0.5)
    assert socket_bot.complaint(1).owner is None


def not_stored(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The log lines saying that an event could not be stored."""
    return [r.getMessage() for r in caplog.records if "could not be stored" in r.getMessage()]
