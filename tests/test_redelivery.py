"""A command delivered twice acts once; two commands act twice.

Slack documents redelivery for events only; still, should the same command (the same trigger_id) arrive a second
time, as an envelope sent again on a new Socket Mode connection or a body posted again over HTTP, the report, the
export, the channel digest and the 8D report are made once, and the second delivery gets the first answer.
A person who runs the command twice sends two commands, each with its own trigger_id: both act.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from bot import rendering
from bot.config import Config
from bot.rendering import reporter, talk
from bot.rendering.reporter import answer_value
from sandbox.fake_slack import FakeSlack
from tests.harness import Bot, make_config, start_bot
from tests.robustness import CHANNELS, QUICK, texts

MANAGER = "UBOSS"


def bot_messages(fake: FakeSlack, channel: str, title: str) -> int:
    """How many of the bot's top-level messages in a channel carry this title."""
    return len(
        [
            m
            for m in fake.messages(channel)
            if m.get("user") == fake.bot_user_id and title in json.dumps(m.get("blocks"), ensure_ascii=False)
        ]
    )


def files(fake: FakeSlack, suffix: str, channel: str) -> int:
    """How many files with this ending the bot shared into a channel."""
    return len([f for f in fake.files.values() if f.filename.endswith(suffix) and f.channel == channel])


# Each command with a side effect, and how to count what it made.
COMMANDS: dict[str, Callable[[FakeSlack], int]] = {
    "report": lambda fake: bot_messages(fake, "CMGMT", "Complaints report"),
    "export": lambda fake: files(fake, ".csv", fake.dm_channel(MANAGER)),
    "digest": lambda fake: bot_messages(fake, "CSUPPORT", "Complaint digest"),
    "8d 1": lambda fake: files(fake, ".pdf", "CSUPPORT"),
}


def config(tmp_path: Path) -> Config:
    """Management channel and a manager, so that report and export act."""
    return make_config(str(tmp_path / "data" / "complaints.json"), channels=CHANNELS, managers=[MANAGER])


@pytest.fixture
def socket_bot(socket_fake: FakeSlack, tmp_path: Path) -> Iterator[Bot]:
    """A bot in Socket Mode, connected to the fake, with complaint #1 filed in #support and its card posted."""
    assert socket_fake.socket is not None
    before = socket_fake.socket.connections
    bot = start_bot(socket_fake, config(tmp_path), tuning=QUICK, app_token="xapp-1-A1-test", signing_secret=None)
    socket_fake.socket.wait_connections(before + 1)
    answer = socket_fake.socket.wait_ack(
        socket_fake.socket.send_envelope("slash_commands", bot.slack.command_fields("wrong parts"))
    )
    assert str(answer["payload"]["text"]).startswith("Filed as #1")
    bot.wait(lambda: bot.complaint(1).card_ts is not None, "the card")
    bot.settle()
    yield bot
    bot.stop()


@pytest.fixture
def http_bot(socket_fake: FakeSlack, tmp_path: Path) -> Iterator[Bot]:
    """A bot in HTTP mode, with complaint #1 filed in #support and its card posted."""
    bot = start_bot(socket_fake, config(tmp_path), tuning=QUICK)
    assert bot.file("wrong parts") == 1
    bot.settle()
    yield bot
    bot.stop()


@pytest.mark.parametrize("words", list(COMMANDS))
def test_a_command_re_sent_after_a_reconnect_acts_once(socket_fake: FakeSlack, socket_bot: Bot, words: str) -> None:
    assert socket_fake.socket is not None
    made = COMMANDS[words]
    payload = socket_bot.slack.command_fields(words, user=MANAGER)
    envelope = socket_fake.socket.send_envelope("slash_commands", payload)
    first = socket_fake.socket.wait_ack(envelope)
    before = socket_fake.socket.connections
    socket_fake.socket.drop()  # the ack may not have reached Slack, which sends the same envelope on the new connection
    socket_fake.socket.wait_connections(before + 1)
    socket_fake.socket.send_envelope("slash_commands", payload, envelope)
    again = socket_fake.socket.wait_ack(envelope, nth=2)
    socket_bot.settle()
    assert made(socket_fake) == 1, f"/complaint {words} acted {made(socket_fake)} times"
    assert again == first

    other = socket_bot.slack.command_fields(words, user=MANAGER)  # run again: a new command, a new trigger_id
    assert other["trigger_id"] != payload["trigger_id"]
    socket_fake.socket.wait_ack(socket_fake.socket.send_envelope("slash_commands", other))
    socket_bot.settle()
    assert made(socket_fake) == 2


@pytest.mark.parametrize("words", list(COMMANDS))
def test_the_same_command_posted_twice_acts_once_and_a_second_command_acts_again(
    socket_fake: FakeSlack, http_bot: Bot, words: str
) -> None:
    made = COMMANDS[words]
    body = urlencode(http_bot.slack.command_fields(words, user=MANAGER)).encode()
    first = http_bot.slack.post(body, "application/x-www-form-urlencoded")
    again = http_bot.slack.post(body, "application/x-www-form-urlencoded")
    http_bot.settle()
    assert first.status == again.status == 200
    assert made(socket_fake) == 1, f"/complaint {words} acted {made(socket_fake)} times"
    assert again.text == first.text

    second = http_bot.slack.command(words, user=MANAGER)  # a double submit: Slack gives it its own trigger_id
    assert second.status == 200
    http_bot.settle()
    assert made(socket_fake) == 2


# Interactions: a button or a form sent again after a reconnect changes nothing more, and tells nobody anything.


def claimed(bot: Bot) -> None:
    """UBEN takes #1 on (a reaction, over the Socket Mode connection)."""
    assert bot.fake.socket is not None
    event = bot.slack.event_body(
        bot.slack.reaction_event("CSUPPORT", bot.complaint(1).card_ts or "", "UBEN", "raising_hand")
    )
    bot.fake.socket.wait_ack(bot.fake.socket.send_envelope("events_api", event))
    bot.wait(lambda: bot.complaint(1).owner == "UBEN", "UBEN to own #1")
    bot.settle()


def form(bot: Bot, callback_id: str, metadata: str, user: str, **typed: str) -> dict[str, Any]:
    """A submitted modal with typed text in its inputs (block id = field name)."""
    values = {name: {"value": {"type": "plain_text_input", "value": value}} for name, value in typed.items()}
    return bot.slack.view_submission_payload(bot.slack.modal(callback_id, metadata), values, user)


def handover(bot: Bot) -> dict[str, Any]:
    claimed(bot)
    picked = {"handover_to": {"value": {"type": "users_select", "selected_user": "UCAY"}}}
    return bot.slack.view_submission_payload(bot.slack.modal(rendering.VIEW_HANDOVER, "1"), picked, "UBEN")


def snooze(bot: Bot) -> dict[str, Any]:
    claimed(bot)
    return form(bot, rendering.VIEW_SNOOZE, "1:3d", "UBEN", reason="supplier answers next week")


def resolve(bot: Bot) -> dict[str, Any]:
    claimed(bot)
    return form(bot, rendering.VIEW_RESOLVE, "1", "UBEN", resolution="parts replaced")


def reopen(bot: Bot) -> dict[str, Any]:
    claimed(bot)
    assert bot.runtime.services is not None
    assert bot.runtime.services.lifecycle.resolve(1, "UBEN", "parts replaced").ok
    bot.settle()
    return form(bot, rendering.VIEW_REOPEN, "1", "UANA", reason="customer called again")


def start_talk(bot: Bot) -> dict[str, Any]:
    claimed(bot)
    action = {"action_id": talk.ACTION_TALK, "block_id": "b", "text": {"type": "plain_text", "text": "Talk"}}
    action.update(type="button", value="1")
    return bot.slack.block_actions_payload(action, "UBEN")  # on the nudge in the thread


def talked(bot: Bot) -> dict[str, Any]:
    claimed(bot)
    assert bot.runtime.services is not None
    assert bot.runtime.services.talk.start(1, "UBEN", "CSUPPORT").ok
    bot.settle()
    return form(bot, talk.VIEW_TALKED, "1", "UBEN", outcome="agreed on a credit note")


INTERACTIONS: dict[str, Callable[[Bot], dict[str, Any]]] = {
    "handover": handover,
    "snooze": snooze,
    "resolve": resolve,
    "reopen": reopen,
    "start_talk": start_talk,
    "talked": talked,
}


@pytest.mark.parametrize("name", list(INTERACTIONS))
def test_an_interaction_re_sent_after_a_reconnect_acts_once(socket_fake: FakeSlack, socket_bot: Bot, name: str) -> None:
    assert socket_fake.socket is not None
    payload = INTERACTIONS[name](socket_bot)
    before = len(socket_bot.complaint(1).timeline)
    envelope = socket_fake.socket.send_envelope("interactive", payload)
    first = socket_fake.socket.wait_ack(envelope)
    socket_bot.settle()
    after_first = (len(socket_bot.complaint(1).timeline), texts(socket_bot.thread(1)), socket_fake.ephemerals)
    assert after_first[0] == before + 1, f"{name} did nothing the first time"

    connections = socket_fake.socket.connections
    socket_fake.socket.drop()
    socket_fake.socket.wait_connections(connections + 1)
    socket_fake.socket.send_envelope("interactive", payload, envelope)
    again = socket_fake.socket.wait_ack(envelope, nth=2)
    socket_bot.settle()
    assert (len(socket_bot.complaint(1).timeline), texts(socket_bot.thread(1)), socket_fake.ephemerals) == after_first
    assert again == first


# Presses that answer privately or open a form: the reporter's answer to "is the customer satisfied?" and the
# card's History. A second delivery of the same press shows nothing at all; a new press answers as before.

Press = Callable[[], dict[str, Any]]  # a new press each call, with its own trigger_id


def shown(bot: Bot) -> tuple[Any, ...]:
    """Everything people see of #1: its timeline, its thread, private notes, direct messages, forms opened."""
    fake = bot.fake
    dms = []
    for user in ("UANA", "UBEN", "UCAY", MANAGER):
        for message in fake.messages(user):
            dms.append((message, fake.messages(user, message["ts"])))
    views = [call.args.get("trigger_id") for call in fake.calls_to("views.open")]
    return len(bot.complaint(1).timeline), texts(bot.thread(1)), fake.ephemerals, dms, views


def question(bot: Bot) -> tuple[str, str]:
    """#1 resolved by UBEN: the ts of the question to its reporter UANA, and its buttons' value."""
    claimed(bot)
    assert bot.runtime.services is not None
    assert bot.runtime.services.lifecycle.resolve(1, "UBEN", "parts replaced").ok
    bot.settle()
    asked = [m for m in bot.fake.messages("UANA") if reporter.ACTION_SATISFIED in json.dumps(m.get("blocks"))]
    assert asked, "no question to the reporter"
    return asked[-1]["ts"], answer_value(bot.complaint(1))


def answer(bot: Bot, action_id: str) -> Press:
    """The reporter presses one of the question's buttons."""
    ts, value = question(bot)
    action = {"action_id": action_id, "block_id": "b", "text": {"type": "plain_text", "text": action_id}}
    action.update(type="button", value=value)
    dm = bot.fake.dm_channel("UANA")
    return lambda: bot.slack.block_actions_payload(action, "UANA", channel=dm, message_ts=ts)


def satisfied(bot: Bot) -> Press:
    return answer(bot, reporter.ACTION_SATISFIED)


def not_yet(bot: Bot) -> Press:
    return answer(bot, reporter.ACTION_NOT_YET)


def not_yet_form(bot: Bot) -> Press:
    ts, value = question(bot)
    metadata = f"{value}:{bot.fake.dm_channel('UANA')}:{ts}"
    return lambda: form(bot, reporter.VIEW_NOT_YET, metadata, "UANA", reason="the parts arrived scratched")


def history(bot: Bot) -> Press:
    action = {"action_id": rendering.ACTION_HISTORY, "block_id": "b", "text": {"type": "plain_text", "text": "H"}}
    action.update(type="button", value="1")
    return lambda: bot.slack.block_actions_payload(action, "UCAY", channel="CSUPPORT")


def dm_texts(bot: Bot, user: str) -> list[str]:
    return [str(m.get("text")) for m in bot.fake.messages(user)]


def new_press_answers(name: str, bot: Bot, before: tuple[Any, ...], trigger_id: str) -> bool:
    """What a new press does, as it always did."""
    fake = bot.fake
    if name == "satisfied":  # answered already: the reporter is told so
        return dm_texts(bot, "UANA")[-1].startswith("You already said")
    if name == "not_yet_form":  # reopened already: the question is out of date
        return "out of date" in dm_texts(bot, "UANA")[-1]
    if name == "not_yet":  # not answered yet: the form opens for the new press
        return fake.view_for_trigger(trigger_id) is not None
    shown_to = [e for e in fake.ephemerals if e["user"] == "UCAY"]
    return len(shown_to) == len([e for e in before[2] if e["user"] == "UCAY"]) + 1  # the timeline, again


PRESSES: dict[str, Callable[[Bot], Press]] = {
    "satisfied": satisfied,
    "not_yet": not_yet,
    "not_yet_form": not_yet_form,
    "history": history,
}


@pytest.mark.parametrize("name", list(PRESSES))
def test_a_press_re_sent_after_a_reconnect_shows_nothing_more_and_a_new_press_answers(
    socket_fake: FakeSlack, socket_bot: Bot, name: str
) -> None:
    assert socket_fake.socket is not None
    press = PRESSES[name](socket_bot)
    before = shown(socket_bot)
    payload = press()
    envelope = socket_fake.socket.send_envelope("interactive", payload)
    first = socket_fake.socket.wait_ack(envelope)
    socket_bot.settle()
    after_first = shown(socket_bot)
    assert after_first != before, f"{name} showed nothing the first time"

    connections = socket_fake.socket.connections
    socket_fake.socket.drop()
    socket_fake.socket.wait_connections(connections + 1)
    socket_fake.socket.send_envelope("interactive", payload, envelope)
    again = socket_fake.socket.wait_ack(envelope, nth=2)
    socket_bot.settle()
    assert shown(socket_bot) == after_first, f"the second delivery of {name} showed something"
    assert again == first

    other = press()
    assert other["trigger_id"] != payload["trigger_id"]
    socket_fake.socket.wait_ack(socket_fake.socket.send_envelope("interactive", other))
    socket_bot.settle()
    assert new_press_answers(name, socket_bot, after_first, other["trigger_id"])
