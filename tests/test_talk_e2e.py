"""Talking a complaint through, end to end: the nudge, Let's talk, We talked, and the history that keeps it."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from bot import rendering
from bot.model import EventKind
from bot.rendering import talk
from tests.harness import Bot

TALK = {"suggest_after_replies": 3}


def reply(bot: Bot, number: int, *users: str) -> None:
    """People write in the complaint's thread, one message each."""
    complaint = bot.complaint(number)
    for user in users:
        assert bot.slack.reply(complaint.channel, complaint.card_ts or "", user).status == 200


def with_action(messages: list[dict[str, Any]], action_id: str) -> list[dict[str, Any]]:
    """The messages carrying a button or link with this action id."""
    return [m for m in messages if f'"action_id": "{action_id}"' in json.dumps(m.get("blocks") or [])]


def ephemerals_for(bot: Bot, user: str) -> list[str]:
    """Private notes one person got (ephemerals, or DMs where Slack has no ephemeral)."""
    return [c.args["text"] for c in bot.fake.calls_to("chat.postEphemeral") if c.ok and c.args.get("user") == user]


def talking(bot: Bot, starter: str = "UCAY") -> tuple[int, str]:
    """A complaint by UANA, owned by UBEN, discussed by UCAY and UDAN; `starter` presses Let's talk."""
    number = bot.file()
    bot.react(number, "UBEN")
    reply(bot, number, "UCAY", "UDAN", "UBEN")
    assert bot.slack.button(talk.ACTION_TALK, str(number), starter).status == 200
    bot.wait(lambda: bot.complaint(number).talk_channel is not None, "talk channel stored")
    bot.settle()
    return number, bot.complaint(number).talk_channel or ""


def test_nudge_fires_once_at_the_threshold(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(talk=TALK)
    number = bot.file()
    bot.react(number, "UBEN")
    reply(bot, number, "UBEN", "UCAY")
    bot.settle()
    assert with_action(bot.thread(number), talk.ACTION_TALK) == []
    reply(bot, number, "UBEN")
    bot.settle()
    nudges = with_action(bot.thread(number), talk.ACTION_TALK)
    assert len(nudges) == 1 and "3 replies" in nudges[0]["text"]
    assert "Let's talk" in json.dumps(nudges[0]["blocks"])
    assert talk.ACTION_TALK_MEETING not in json.dumps(nudges[0]["blocks"])  # no meeting link configured
    reply(bot, number, "UCAY", "UBEN", "UDAN")
    bot.settle()
    assert len(with_action(bot.thread(number), talk.ACTION_TALK)) == 1
    kinds = [e.kind for e in bot.complaint(number).timeline]
    assert kinds.count(EventKind.TALK_SUGGESTED) == 1


def test_no_nudge_for_a_monologue_or_a_resolved_complaint(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(talk=TALK)
    alone = bot.file()
    reply(bot, alone, "UBEN", "UBEN", "UBEN", "UBEN", "UBEN")
    done = bot.file("Invoice sent twice")
    bot.react(done, "UBEN")
    bot.react(done, "UBEN", emoji="white_check_mark")
    reply(bot, done, "UBEN", "UCAY", "UDAN", "UANA")
    bot.settle()
    assert bot.complaint(alone).replies == 5 and bot.complaint(done).replies == 4
    assert with_action(bot.thread(alone), talk.ACTION_TALK) == []
    assert with_action(bot.thread(done), talk.ACTION_TALK) == []


def test_nudge_offers_the_meeting_link(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(talk={**TALK, "meeting_url": "https://meet.example.com/support"})
    number = bot.file()
    reply(bot, number, "UBEN", "UCAY", "UBEN")
    bot.settle()
    (nudge,) = with_action(bot.thread(number), talk.ACTION_TALK)
    assert "https://meet.example.com/support" in json.dumps(nudge["blocks"])
    assert bot.slack.button(talk.ACTION_TALK_MEETING, "", "UBEN").status == 200


def test_lets_talk_opens_the_right_group_once(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(talk=TALK)
    number, channel = talking(bot)
    (opened,) = bot.fake.calls_to("conversations.open")
    assert opened.args["users"].split(",") == ["UBEN", "UANA", "UCAY", "UDAN"]  # owner, reporter, starter, replier
    assert channel.startswith("G")
    (intro,) = bot.fake.messages(channel)
    blocks = json.dumps(intro["blocks"])
    assert "<@UCAY>" in intro["text"] and "#1" in intro["text"] and "wrong parts" in intro["text"]
    assert "huddle" in blocks and talk.ACTION_TALKED in blocks
    card_ts = bot.complaint(number).card_ts
    assert card_ts is not None
    assert f"archives/CSUPPORT/p{card_ts.replace('.', '')}" in blocks  # link to the thread
    complaint = bot.complaint(number)
    assert complaint.replies_before_talk == 3 and complaint.talk_started_at is not None
    started = [e for e in complaint.timeline if e.kind == EventKind.TALK_STARTED]
    assert [(e.actor, e.data["members"]) for e in started] == [("UCAY", ["UBEN", "UANA", "UCAY", "UDAN"])]
    (record,) = with_action(bot.thread(number), talk.ACTION_TALKED)
    assert "<@UCAY> started a talk with <@UBEN>, <@UANA> and <@UDAN>" in record["text"]

    assert bot.slack.button(talk.ACTION_TALK, str(number), "UBEN").status == 200  # pressed again
    bot.settle()
    assert len(bot.fake.calls_to("conversations.open")) == 1
    assert len(bot.fake.messages(channel)) == 1
    assert len(with_action(bot.thread(number), talk.ACTION_TALKED)) == 1
    assert any(f"already open: <#{channel}>" in t for t in ephemerals_for(bot, "UBEN"))
    assert bot.complaint(number).talk_started_at == complaint.talk_started_at


def test_group_leaves_out_the_bot_and_stays_within_a_group_dm(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(talk={"suggest_after_replies": 20})
    number = bot.file()
    bot.react(number, "UBEN")
    people = [f"U{n:02d}PEOPLE" for n in range(10)]
    reply(bot, number, "UBOT", *people)
    bot.slack.button(talk.ACTION_TALK, str(number), people[-1])
    bot.settle()
    (opened,) = bot.fake.calls_to("conversations.open")
    users = opened.args["users"].split(",")
    assert len(users) == 8 and "UBOT" not in users
    assert users[:3] == ["UBEN", "UANA", people[-1]]
    assert bot.fake.messages(bot.complaint(number).talk_channel or "")


def test_only_people_in_the_thread_start_a_talk_and_not_once_resolved(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(talk=TALK)
    number = bot.file()
    bot.react(number, "UBEN")
    reply(bot, number, "UCAY")
    bot.slack.button(talk.ACTION_TALK, str(number), "UZED")
    bot.settle()
    assert bot.fake.calls_to("conversations.open") == []
    assert any("for the people in its thread" in t for t in ephemerals_for(bot, "UZED"))
    bot.react(number, "UBEN", emoji="white_check_mark")
    bot.slack.button(talk.ACTION_TALK, str(number), "UCAY")
    bot.settle()
    assert bot.fake.calls_to("conversations.open") == []
    assert bot.complaint(number).talk_started_at is None
    assert any("already resolved" in t for t in ephemerals_for(bot, "UCAY"))


def test_we_talked_lands_in_thread_and_timeline(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(talk=TALK)
    number, channel = talking(bot)
    assert bot.slack.button(talk.ACTION_TALKED, str(number), "UZED", channel="CSUPPORT").status == 200
    bot.settle()
    assert bot.fake.calls_to("views.open") == []
    assert any("for the people in its thread" in t for t in ephemerals_for(bot, "UZED"))

    bot.slack.button(talk.ACTION_TALKED, str(number), "UDAN", channel=channel)
    view = bot.fake.wait_for("views.open")[0].args["view"]
    assert view["callback_id"] == talk.VIEW_TALKED and view["private_metadata"] == str(number)
    empty = bot.slack.submit(talk.VIEW_TALKED, {"outcome": {"value": "  "}}, "UDAN", str(number))
    assert empty.json()["response_action"] == "errors" and "outcome" in empty.json()["errors"]
    outcome = "Replacement ships Monday <!channel>\nAna tells the customer"
    assert bot.slack.submit(talk.VIEW_TALKED, {"outcome": {"value": outcome}}, "UDAN", str(number)).text == ""
    bot.settle()
    noted = [m["text"] for m in bot.thread(number) if "noted how the talk went" in m["text"]]
    assert noted == [
        "<@UDAN> noted how the talk went: Replacement ships Monday &lt;!channel&gt; Ana tells the customer"
    ]
    talked = [e for e in bot.complaint(number).timeline if e.kind == EventKind.TALKED]
    assert [(e.actor, e.note) for e in talked] == [
        ("UDAN", "Replacement ships Monday <!channel> Ana tells the customer")
    ]


def test_we_talked_before_any_talk_is_refused(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(talk=TALK)
    number = bot.file()
    bot.react(number, "UBEN")
    bot.slack.submit(talk.VIEW_TALKED, {"outcome": {"value": "we agreed"}}, "UBEN", str(number))
    bot.settle()
    assert not [e for e in bot.complaint(number).timeline if e.kind == EventKind.TALKED]
    assert any("Nobody has started a talk" in t for t in ephemerals_for(bot, "UBEN"))


def test_history_shows_the_talk(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(talk=TALK)
    number, _ = talking(bot)
    bot.slack.submit(talk.VIEW_TALKED, {"outcome": {"value": "Refund agreed"}}, "UBEN", str(number))
    bot.react(number, "UBEN", emoji="white_check_mark")
    bot.settle()
    bot.slack.button(rendering.ACTION_HISTORY, str(number), "UCAY")
    bot.settle()
    (history,) = [t for t in ephemerals_for(bot, "UCAY") if t.startswith("*History of #1*")]
    lines = history.splitlines()
    expected = [
        "filed by <@UANA>",
        "taken on by <@UBEN>",
        "talk suggested",
        "<@UCAY> started a talk",
        "<@UBEN> noted the talk's outcome: Refund agreed",
        "resolved by <@UBEN>",
    ]
    positions = [next(i for i, line in enumerate(lines) if want in line) for want in expected]
    assert positions == sorted(positions), lines
