"""Socket Mode: reconnecting after `disconnect` and dropped connections, and doing each envelope's work once."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from bot import rendering
from bot.model import Status
from sandbox.fake_slack import FakeSlack
from tests.harness import Bot, make_config, start_bot
from tests.robustness import CHANNELS, QUICK, texts, wait_until


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


def drop_and_reconnect(socket_fake: FakeSlack) -> None:
    """Kill the connection like a network failure; Slack keeps what it could not deliver until the app is back."""
    assert socket_fake.socket is not None
    before = socket_fake.socket.connections
    socket_fake.socket.drop()
    socket_fake.socket.wait_connections(before + 1)


def filed(bot: Bot, text: str, trigger: str, envelope_id: str | None = None, delivery: int = 1) -> str:
    """Send `/complaint` as an envelope (the same fields Slack posts over HTTP) and return the bot's ack text
    (`delivery`: which time this envelope is sent, so that the ack waited for is this delivery's)."""
    assert bot.fake.socket is not None
    payload = bot.slack.command_fields(text, trigger_id=trigger)
    sent = bot.fake.socket.send_envelope("slash_commands", payload, envelope_id)
    return str(bot.fake.socket.wait_ack(sent, nth=delivery)["payload"]["text"])


def test_socket_mode_connects_with_the_app_token_and_files(socket_fake: FakeSlack, socket_bot: Bot) -> None:
    opened = socket_fake.wait_for("apps.connections.open")[0]
    assert opened.token == "xapp-1-A1-test"
    assert filed(socket_bot, "wrong parts", "trig.s1").startswith("Filed as #1")
    socket_bot.wait(lambda: socket_bot.complaint(1).card_ts is not None, "the card")
    health = socket_bot.slack.get("/healthz").json()
    assert health["status"] == "ok" and health["mode"] == "socket"


def test_after_disconnect_it_reconnects_and_goes_on(socket_fake: FakeSlack, socket_bot: Bot) -> None:
    assert socket_fake.socket is not None
    before = socket_fake.socket.connections
    socket_fake.socket.disconnect("refresh_requested")
    socket_fake.socket.wait_connections(before + 1)
    assert filed(socket_bot, "after a refresh", "trig.s2").startswith("Filed as #1")


def test_an_envelope_sent_while_the_connection_is_down_is_handled_after_reconnect(
    socket_fake: FakeSlack, socket_bot: Bot
) -> None:
    assert socket_fake.socket is not None
    drop_and_reconnect(socket_fake)  # what Slack could not deliver meanwhile, it sends on the new connection
    assert filed(socket_bot, "during a network failure", "trig.s3").startswith("Filed as #1")
    assert len(list(socket_bot.store.all_complaints())) == 1


def test_a_command_re_sent_after_a_lost_ack_files_one_complaint(socket_fake: FakeSlack, socket_bot: Bot) -> None:
    assert socket_fake.socket is not None
    first = filed(socket_bot, "wrong parts", "trig.s4", envelope_id="env-1")
    drop_and_reconnect(socket_fake)  # the ack may not have reached Slack, which then sends the envelope again
    again = filed(socket_bot, "wrong parts", "trig.s4", envelope_id="env-1", delivery=2)
    assert first == again and first.startswith("Filed as #1")
    socket_bot.settle()
    assert [c.number for c in socket_bot.store.all_complaints()] == [1]
    assert len([m for m in socket_fake.messages("CSUPPORT") if m.get("user") == "UBOT"]) == 1


def test_an_event_re_sent_after_reconnect_is_done_once(socket_fake: FakeSlack, socket_bot: Bot) -> None:
    assert socket_fake.socket is not None
    filed(socket_bot, "wrong parts", "trig.s5")
    socket_bot.wait(lambda: socket_bot.complaint(1).card_ts is not None, "the card")
    claim = socket_bot.slack.reaction_event("CSUPPORT", socket_bot.complaint(1).card_ts or "", "UBEN", "raising_hand")
    event = socket_bot.slack.event_body(claim, "Ev0SOCKET1")
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
    form = socket_bot.slack.modal("complaint_new", "CSUPPORT")
    payload = socket_bot.slack.view_submission_payload(form, values, "UANA")
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
    filed(socket_bot, "wrong parts", "trig.s6")
    socket_bot.wait(lambda: socket_bot.complaint(1).card_ts is not None, "the card")
    socket_bot.settle()

    def disk_full(fd: int, parts: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "write_all", disk_full)
    claim = socket_bot.slack.reaction_event("CSUPPORT", socket_bot.complaint(1).card_ts or "", "UBEN", "raising_hand")
    event = socket_bot.slack.event_body(claim, "Ev0SOCKETFULL")
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


def test_a_command_a_button_or_a_form_that_cannot_be_stored_is_acked_and_says_so_at_once(
    socket_fake: FakeSlack, socket_bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Acknowledged, so that Slack does not send it again (it would only for a lost ack): the person hears now."""
    from bot.store import files

    assert socket_fake.socket is not None
    socket = socket_fake.socket
    filed(socket_bot, "wrong parts", "trig.s7")
    socket_bot.wait(lambda: socket_bot.complaint(1).card_ts is not None, "the card")
    claim = socket_bot.slack.reaction_event("CSUPPORT", socket_bot.complaint(1).card_ts or "", "UBEN", "raising_hand")
    socket.wait_ack(socket.send_envelope("events_api", socket_bot.slack.event_body(claim)))
    socket_bot.wait(lambda: socket_bot.complaint(1).owner == "UBEN", "UBEN to own #1")
    socket_bot.settle()

    def disk_full(fd: int, parts: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(files, "write_all", disk_full)
    assert "could not be saved" in filed(socket_bot, "another one", "trig.s8")

    high = {"text": {"type": "plain_text", "text": "high"}, "value": "1:high"}
    choice = {"type": "static_select", "action_id": rendering.ACTION_SEVERITY, "block_id": "b", "selected_option": high}
    socket.wait_ack(socket.send_envelope("interactive", socket_bot.slack.block_actions_payload(choice, "UANA")))
    wait_until(
        lambda: any("could not be saved" in e["text"] for e in socket_fake.ephemerals if e["user"] == "UANA"),
        "the private note about the button",
    )

    values = {"resolution": {"value": {"type": "plain_text_input", "value": "parts replaced"}}}
    form = socket_bot.slack.view_submission_payload(socket_bot.slack.modal(rendering.VIEW_RESOLVE, "1"), values, "UBEN")
    answer = socket.wait_ack(socket.send_envelope("interactive", form))["payload"]
    assert answer["response_action"] == "errors" and "could not be saved" in answer["errors"]["resolution"]
    complaint = socket_bot.complaint(1)  # nothing of the three was stored
    assert complaint.severity == "normal" and complaint.status is Status.OWNED
    assert [c.number for c in socket_bot.store.all_complaints()] == [1]


def not_stored(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The log lines saying that an event could not be stored."""
    return [r.getMessage() for r in caplog.records if "could not be stored" in r.getMessage()]
