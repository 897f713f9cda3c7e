"""The reporter is never left guessing: news at each turn, and the customer question at the end, one quiet
direct-message thread per complaint."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot import rendering
from bot.model import EventKind, Status
from bot.rendering import reporter
from sandbox.fake_slack import FakeSlack
from tests.clock import Clock
from tests.harness import Bot, make_config, start_bot


def dms(bot: Bot, user: str) -> list[dict[str, Any]]:
    """The bot's direct messages to a person as their conversation shows them (broadcast replies too)."""
    return [m for m in bot.fake.messages(user) if m.get("user") == bot.fake.bot_user_id]


def roots(bot: Bot, user: str) -> list[dict[str, Any]]:
    """The threads the bot started in a person's direct messages (one per complaint)."""
    return [m for m in dms(bot, user) if m.get("subtype") != "thread_broadcast"]


def replies(bot: Bot, user: str, number: int) -> list[dict[str, Any]]:
    """The replies in the reporter's thread about a complaint."""
    thread = bot.complaint(number).reporter_thread
    assert thread.get("ts"), f"#{number} has no thread with its reporter"
    return bot.fake.messages(user, thread["ts"])


def root_of(bot: Bot, number: int) -> dict[str, Any]:
    """The root of the reporter's thread about a complaint, as Slack has it now."""
    thread = bot.complaint(number).reporter_thread
    message = bot.fake.message(thread["channel"], thread["ts"])
    assert message is not None
    return message


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


def test_reporter_hears_every_turn_in_one_thread_whose_root_shows_the_state(bot: Bot) -> None:
    number = bot.file()
    bot.react(number, "UBEN")
    bot.settle()
    (root,) = dms(bot, "UANA")
    assert "<@UBEN> has taken on your complaint" in root["text"] and f"#{number}" in root["text"]
    assert "*Now* · <@UBEN> is working on your complaint" in json.dumps(root["blocks"], ensure_ascii=False)
    thread = bot.complaint(number).reporter_thread
    assert (thread["channel"], thread["ts"]) == (bot.fake.dm_channel("UANA"), root["ts"])

    bot.slack.submit(rendering.VIEW_HANDOVER, {"handover_to": {"selected_user": "UCAY"}}, "UBEN", str(number))
    bot.settle()
    (handover,) = replies(bot, "UANA", number)
    assert handover["text"].startswith("<@UANA>: <@UBEN> has proposed handing your complaint")
    assert "<@UCAY>" in handover["text"] and handover.get("subtype") is None  # in the thread only
    root = root_of(bot, number)
    assert "edited" in root and "has proposed handing it over to <@UCAY>" in json.dumps(
        root["blocks"], ensure_ascii=False
    )
    assert "<@UBEN> has taken on your complaint" in json.dumps(
        root["blocks"], ensure_ascii=False
    )  # the first news stays

    bot.react(number, "UCAY")
    note = "Credit note issued <!here>"
    bot.slack.submit(rendering.VIEW_RESOLVE, {"resolution": {"value": note}}, "UCAY", str(number))
    bot.settle()
    claimed, asked = replies(bot, "UANA", number)[1:]
    assert claimed["text"].startswith("<@UANA>: <@UCAY> has taken on your complaint")
    assert asked["text"].startswith("<@UANA>: <@UCAY> has resolved your complaint")
    assert "Credit note issued &lt;!here&gt;" in asked["text"]
    blocks = json.dumps(asked["blocks"])
    assert "Customer satisfied" in blocks and "Not yet" in blocks and reporter.ACTION_NOT_YET in blocks
    assert asked["subtype"] == "thread_broadcast"  # the question is shown in the conversation too
    assert "*Now* · <@UCAY> has resolved your complaint: <" in json.dumps(
        root_of(bot, number)["blocks"], ensure_ascii=False
    )
    assert "wrong parts\\nIs the customer satisfied?" in json.dumps(root_of(bot, number)["blocks"], ensure_ascii=False)
    assert [m["ts"] for m in dms(bot, "UANA")] == [root["ts"], asked["ts"]]  # the root and the broadcast question
    for reply in replies(bot, "UANA", number):  # "@Ana @Cay has resolved" reads as if both had: she is addressed
        assert not re.match(r"<@\w+> <@", reply["text"]), reply["text"]


def test_ten_open_complaints_are_ten_threads(bot: Bot) -> None:
    numbers = [bot.file(f"Order {n} arrived damaged") for n in range(10)]
    for number in numbers:
        bot.react(number, "UBEN")
    bot.settle()
    for number in numbers:
        bot.slack.submit(rendering.VIEW_HANDOVER, {"handover_to": {"selected_user": "UCAY"}}, "UBEN", str(number))
        bot.react(number, "UCAY")
    bot.settle()
    assert len(roots(bot, "UANA")) == 10
    for number in numbers:
        said = [m["text"] for m in replies(bot, "UANA", number)]
        assert len(said) == 2 and all(text.startswith("<@UANA>: ") for text in said)
        assert all(f"#{number}<" in text or f"|#{number}>" in text for text in said)


def test_a_root_whose_answer_was_lost_is_found_not_posted_twice(bot: Bot) -> None:
    number = bot.file()
    bot.fake.fail("chat.postMessage", status=500, after_effect=True, times=2)  # the thread's and the reporter's
    bot.react(number, "UBEN")
    bot.wait(lambda: bot.complaint(number).reporter_thread.get("ts") is not None, "the root stored", 10)
    bot.settle(10)
    (root,) = dms(bot, "UANA")
    assert bot.complaint(number).reporter_thread["ts"] == root["ts"]
    assert len([m for m in bot.thread(number) if "took this on" in m["text"]]) == 1
    bot.slack.submit(rendering.VIEW_HANDOVER, {"handover_to": {"selected_user": "UCAY"}}, "UBEN", str(number))
    bot.settle()
    assert len(dms(bot, "UANA")) == 1 and len(replies(bot, "UANA", number)) == 1


def test_a_complaint_open_before_threads_starts_its_thread_with_the_next_step(bot: Bot) -> None:
    number = bot.file()
    bot.react(number, "UBEN")
    bot.settle()
    with bot.store.transaction() as tx:  # as it was stored by a version without threads
        complaint = tx.get(number)
        complaint.reporter_thread = {}
        tx.save(complaint)
    bot.slack.submit(rendering.VIEW_RESOLVE, {"resolution": {"value": "New parts sent"}}, "UBEN", str(number))
    bot.settle()
    thread = bot.complaint(number).reporter_thread
    root = bot.fake.message(thread["channel"], thread["ts"])
    assert root is not None and root["text"].startswith("<@UBEN> has resolved your complaint")
    assert reporter.ACTION_SATISFIED not in json.dumps(
        root["blocks"], ensure_ascii=False
    )  # the question is asked in the thread
    (asked,) = replies(bot, "UANA", number)
    assert asked["text"].startswith("<@UANA>: Once you've spoken to the customer")
    assert asked["subtype"] == "thread_broadcast" and reporter.ACTION_SATISFIED in json.dumps(asked["blocks"])
    assert "New parts sent" not in asked["text"]  # said once, in the root


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


@pytest.fixture
def clocked(fake: FakeSlack, tmp_path: Path) -> Iterator[tuple[Bot, Clock]]:
    """A bot on a clock the test controls."""
    clock = Clock(datetime.now(UTC))
    config = make_config(str(tmp_path / "data" / "complaints.json"), channels={"management": "CMGMT"})
    bot = start_bot(fake, config, now=clock)
    yield bot, clock
    bot.stop()


def test_reporter_hears_of_an_escalation(clocked: tuple[Bot, Clock]) -> None:
    bot, clock = clocked
    number = bot.file()
    clock.at += timedelta(hours=2, minutes=1)
    assert bot.runtime.services is not None
    bot.runtime.services.followups.run_due(number)
    bot.wait(lambda: any(e.kind == EventKind.ESCALATED for e in bot.complaint(number).timeline), "escalation")
    bot.settle()
    texts = [m["text"] for m in dms(bot, "UANA")]
    assert len(texts) == 1 and "management has been told" in texts[0] and f"#{number}" in texts[0]
