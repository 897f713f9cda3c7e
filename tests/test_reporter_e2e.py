"""The reporter is never left guessing: direct messages at each turn, and the customer question at the end."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import rendering
from bot.model import EventKind, Status
from bot.rendering import reporter
from sandbox.fake_slack import FakeSlack
from tests.harness import Bot, make_config, start_bot


def dms(bot: Bot, user: str) -> list[dict[str, Any]]:
    """The bot's direct messages to a person, oldest first."""
    return [m for m in bot.fake.messages(user) if m.get("user") == bot.fake.bot_user_id]


def question(bot: Bot, user: str = "UANA") -> dict[str, Any]:
    """The latest direct message asking whether the customer is satisfied."""
    asked = [m for m in dms(bot, user) if reporter.ACTION_SATISFIED in json.dumps(m.get("blocks") or [])]
    assert asked, [m["text"] for m in dms(bot, user)]
    return asked[-1]


def value_of(message: dict[str, Any], action_id: str) -> str:
    """The value of a button in a message."""
    for block in message.get("blocks") or []:
        for element in block.get("elements") or []:
            if element.get("action_id") == action_id:
                return str(element["value"])
    raise AssertionError(f"no {action_id} button")


def resolved(bot: Bot, note: str = "Replacement parts sent by express") -> int:
    """A complaint by UANA that UBEN took on and resolved with a note."""
    number = bot.file()
    bot.react(number, "UBEN")
    answer = bot.slack.submit(rendering.VIEW_RESOLVE, {"resolution": {"value": note}}, "UBEN", str(number))
    assert answer.status == 200 and answer.text == ""
    bot.settle()
    return number


def test_reporter_hears_of_claim_handover_and_resolution(bot: Bot) -> None:
    number = bot.file()
    bot.react(number, "UBEN")
    bot.settle()
    (claimed,) = dms(bot, "UANA")
    assert "<@UBEN> has taken on your complaint" in claimed["text"] and f"#{number}" in claimed["text"]
    bot.slack.submit(rendering.VIEW_HANDOVER, {"handover_to": {"selected_user": "UCAY"}}, "UBEN", str(number))
    bot.settle()
    handover = dms(bot, "UANA")[-1]["text"]
    assert "<@UBEN> has proposed handing your complaint" in handover and "<@UCAY>" in handover
    bot.react(number, "UCAY")
    note = "Credit note issued <!here>"
    bot.slack.submit(rendering.VIEW_RESOLVE, {"resolution": {"value": note}}, "UCAY", str(number))
    bot.settle()
    asked = question(bot)
    assert "<@UCAY> has resolved your complaint" in asked["text"]
    assert "Credit note issued &lt;!here&gt;" in asked["text"]
    blocks = json.dumps(asked["blocks"])
    assert "Customer satisfied" in blocks and "Not yet" in blocks and reporter.ACTION_NOT_YET in blocks
    assert len(dms(bot, "UANA")) == 4  # claimed, handover, claimed again, resolved


def test_nothing_is_sent_for_what_the_reporter_did_themselves(bot: Bot) -> None:
    number = bot.file()
    bot.react(number, "UANA")
    bot.slack.submit(rendering.VIEW_RESOLVE, {"resolution": {"value": "Sorted it myself"}}, "UANA", str(number))
    bot.settle()
    assert bot.complaint(number).status is Status.RESOLVED
    assert dms(bot, "UANA") == []


def test_customer_satisfied_is_recorded_once_and_closes_the_question(bot: Bot) -> None:
    number = resolved(bot)
    asked = question(bot)
    value, dm = value_of(asked, reporter.ACTION_SATISFIED), bot.fake.dm_channel("UANA")
    bot.slack.button(reporter.ACTION_SATISFIED, value, "UBEN", channel=dm, message_ts=asked["ts"])
    bot.settle()
    assert bot.complaint(number).confirmed is None
    assert any("Only <@UANA>, who reported #1" in m["text"] for m in dms(bot, "UBEN"))

    assert bot.slack.button(reporter.ACTION_SATISFIED, value, "UANA", channel=dm, message_ts=asked["ts"]).status == 200
    bot.settle()
    complaint = bot.complaint(number)
    assert complaint.confirmed is True
    assert [e.actor for e in complaint.timeline if e.kind == EventKind.CONFIRMED] == ["UANA"]
    confirmed = [m["text"] for m in bot.thread(number) if "confirmed that the customer is satisfied" in m["text"]]
    assert confirmed == ["<@UANA> confirmed that the customer is satisfied. :tada:"]
    updated = bot.fake.message(dm, asked["ts"])
    assert updated is not None and "edited" in updated
    assert reporter.ACTION_SATISFIED not in json.dumps(updated["blocks"])
    assert "Replacement parts sent by express" in json.dumps(updated["blocks"])
    assert "customer is satisfied with #1" in updated["text"]

    bot.slack.button(reporter.ACTION_SATISFIED, value, "UANA", channel=dm, message_ts=asked["ts"])
    bot.settle()
    assert [e.kind for e in bot.complaint(number).timeline].count(EventKind.CONFIRMED) == 1
    assert len([m for m in bot.thread(number) if "confirmed that the customer" in m["text"]]) == 1
    assert any("You already said" in m["text"] for m in dms(bot, "UANA"))


def test_not_yet_reopens_with_the_reporters_reason(bot: Bot) -> None:
    number = resolved(bot)
    asked = question(bot)
    value, dm = value_of(asked, reporter.ACTION_NOT_YET), bot.fake.dm_channel("UANA")
    bot.slack.button(reporter.ACTION_NOT_YET, value, "UBEN", channel=dm, message_ts=asked["ts"])
    bot.settle()
    assert bot.fake.calls_to("views.open") == []
    forged = bot.slack.submit(
        reporter.VIEW_NOT_YET, {"reason": {"value": "meh"}}, "UBEN", f"{value}:{dm}:{asked['ts']}"
    )
    assert forged.status == 200
    bot.settle()
    assert bot.complaint(number).status is Status.RESOLVED

    bot.slack.button(reporter.ACTION_NOT_YET, value, "UANA", channel=dm, message_ts=asked["ts"])
    view = bot.fake.wait_for("views.open")[0].args["view"]
    assert view["callback_id"] == reporter.VIEW_NOT_YET
    empty = bot.slack.submit(reporter.VIEW_NOT_YET, {"reason": {"value": " "}}, "UANA", view["private_metadata"])
    assert empty.json()["response_action"] == "errors"
    reason = "The parts arrived scratched"
    answer = bot.slack.submit(reporter.VIEW_NOT_YET, {"reason": {"value": reason}}, "UANA", view["private_metadata"])
    assert answer.status == 200 and answer.text == ""
    bot.settle()
    complaint = bot.complaint(number)
    assert complaint.status is Status.UNCLAIMED and complaint.confirmed is None
    assert [(e.actor, e.note) for e in complaint.timeline if e.kind == EventKind.REOPENED] == [("UANA", reason)]
    assert any(reason in m["text"] and "<@UANA> reopened" in m["text"] for m in bot.thread(number))
    updated = bot.fake.message(dm, asked["ts"])
    assert updated is not None and reporter.ACTION_NOT_YET not in json.dumps(updated["blocks"])
    assert reason in updated["text"]

    bot.slack.button(reporter.ACTION_SATISFIED, value, "UANA", channel=dm, message_ts=asked["ts"])
    bot.settle()
    assert bot.complaint(number).confirmed is None  # an answered question cannot be answered again
    assert any("out of date" in m["text"] for m in dms(bot, "UANA"))


class Clock:
    """A clock the test moves forward."""

    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def clocked(fake: FakeSlack, tmp_path: Path) -> Iterator[tuple[Bot, Clock]]:
    """A bot on a clock the test controls."""
    clock = Clock()
    config = make_config(str(tmp_path / "data" / "complaints.json"), channels={"management": "CMGMT"})
    bot = start_bot(fake, config, now=clock)
    yield bot, clock
    bot.stop()


def test_reporter_hears_of_an_escalation(clocked: tuple[Bot, Clock]) -> None:
    bot, clock = clocked
    number = bot.file()
    clock.at += timedelta(hours=2, minutes=1)
    bot.runtime.services.followups.run_due(number)
    bot.wait(lambda: any(e.kind == EventKind.ESCALATED for e in bot.complaint(number).timeline), "escalation")
    bot.settle()
    texts = [m["text"] for m in dms(bot, "UANA")]
    assert len(texts) == 1 and "management has been told" in texts[0] and f"#{number}" in texts[0]
