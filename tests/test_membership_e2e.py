"""Where the bot is a member: Slack sends a conversation's events only to apps in it.

People act through the sandbox's Slack client, which sends events exactly where Slack would: only from
conversations the bot is in, and only those the manifest subscribes to. The workspace is the sandbox's, plus
#quality (public, the bot never invited), #board (private, without the bot) and #escalations (the fallback).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from sandbox.app_manifest import AppManifest
from sandbox.client import SandboxClient
from sandbox.fake_slack import FakeSlack
from sandbox.workspace import BOT_USER, SALES, Channel, demo_workspace
from tests.harness import Bot, make_config, start_bot

QUALITY, BOARD, ESCALATIONS = "CQUALITY", "GBOARD", "CESCALATIONS"
EVERYONE = ["UANA", "UBEN", "UCARLA", "UDORA"]


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """The sandbox's workspace with a public channel and a private one the bot is not in, and a fallback."""
    workspace = demo_workspace()
    workspace.add_channel(Channel(QUALITY, "quality", list(EVERYONE)))
    workspace.add_channel(Channel(BOARD, "board", ["UANA", "UDORA"], is_private=True))
    workspace.add_channel(Channel(ESCALATIONS, "escalations", [*EVERYONE, BOT_USER]))
    with FakeSlack(workspace=workspace, bot_user_id=BOT_USER) as server:
        yield server


@pytest.fixture
def start(fake: FakeSlack, tmp_path: Path) -> Iterator[Callable[..., tuple[Bot, SandboxClient]]]:
    """Start the bot (config keys as keyword arguments) and the people's Slack client in front of it."""
    bots: list[Bot] = []

    def started(**config: Any) -> tuple[Bot, SandboxClient]:
        config.setdefault("channels", {"management": "CMANAGEMENT", "fallback": ESCALATIONS})
        bot = start_bot(fake, make_config(str(tmp_path / "data" / "complaints.json"), **config))
        bots.append(bot)
        return bot, SandboxClient(fake, bot.slack, AppManifest.load())

    yield started
    for bot in bots:
        bot.stop()


def told(fake: FakeSlack, user: str) -> list[str]:
    """What only this person was shown: private messages (a command's answers among them) and DMs."""
    private = [e["text"] for e in fake.ephemerals if e["user"] == user]
    return private + [m.get("text", "") for m in fake.messages(user)]


def card_ts(bot: Bot, number: int) -> str:
    """The complaint's card, once posted."""
    bot.wait(lambda: bot.complaint(number).card_ts is not None, f"the card of #{number}")
    return str(bot.complaint(number).card_ts)


def test_filing_in_a_public_channel_the_bot_is_not_in_joins_it_first_so_a_claim_by_emoji_works(
    fake: FakeSlack, start: Callable[..., tuple[Bot, SandboxClient]]
) -> None:
    bot, people = start()
    people.send("UANA", QUALITY, "/complaint Flanges delivered with the wrong bore")
    ts = card_ts(bot, 1)
    assert bot.complaint(1).channel == QUALITY
    joins = fake.calls_to("conversations.join")
    posts = [c for c in fake.calls_to("chat.postMessage") if c.args.get("channel") == QUALITY]
    assert [c.args["channel"] for c in joins] == [QUALITY] and joins[0].at < posts[0].at
    assert BOT_USER in fake.workspace.channels[QUALITY].members
    people.react("UBEN", QUALITY, ts, "raising_hand")  # delivered: the bot is in #quality now
    bot.settle()
    assert bot.complaint(1).owner == "UBEN"


def test_without_joining_slack_would_send_no_claim(
    fake: FakeSlack, start: Callable[..., tuple[Bot, SandboxClient]]
) -> None:
    """What joining prevents: a card posted by chat:write.public alone is deaf to reactions."""
    bot, people = start()
    people.send("UANA", QUALITY, "/complaint Flanges delivered with the wrong bore")
    ts = card_ts(bot, 1)
    fake.workspace.leave(QUALITY, BOT_USER)  # as if it had only posted there
    people.react("UBEN", QUALITY, ts, "raising_hand")
    bot.settle()
    assert bot.complaint(1).owner is None


def test_a_private_channel_the_bot_is_not_in_sends_the_card_to_the_fallback_and_says_how_to_invite(
    fake: FakeSlack, start: Callable[..., tuple[Bot, SandboxClient]]
) -> None:
    bot, people = start()
    people.send("UANA", BOARD, "/complaint The audit found a wrong certificate")
    card_ts(bot, 1)
    bot.settle()
    assert bot.complaint(1).channel == ESCALATIONS
    assert fake.messages(BOARD) == []
    [note] = [text for text in told(fake, "UANA") if "/invite @Complaint Desk" in text]
    assert f"<#{BOARD}>" in note and f"<#{ESCALATIONS}>" in note
    assert [c.args["channel"] for c in fake.calls_to("conversations.join")] == []  # a private channel needs an invite


def test_without_a_fallback_it_is_filed_and_its_card_appears_once_the_bot_is_invited(
    fake: FakeSlack, start: Callable[..., tuple[Bot, SandboxClient]]
) -> None:
    bot, people = start(channels={"management": "CMANAGEMENT"})
    people.send("UANA", BOARD, "/complaint The audit found a wrong certificate")
    bot.settle()
    assert bot.complaint(1).card_ts is None and bot.complaint(1).channel == BOARD
    [note] = [text for text in told(fake, "UANA") if "cannot be shown until you invite me" in text]
    assert "#1" in note and "/invite @Complaint Desk" in note
    people.send("UDORA", BOARD, "/invite @Complaint Desk")
    card_ts(bot, 1)
    assert [m["user"] for m in fake.messages(BOARD)] == [BOT_USER]


def test_when_the_bot_is_removed_open_complaints_move_to_the_fallback_and_the_old_cards_say_where(
    fake: FakeSlack, start: Callable[..., tuple[Bot, SandboxClient]]
) -> None:
    bot, people = start()
    people.send("UANA", SALES, "/complaint Flanges delivered with the wrong bore")
    people.send("UANA", SALES, "/complaint Invoice charged twice")
    old = [card_ts(bot, 1), card_ts(bot, 2)]
    people.react("UBEN", SALES, old[0], "raising_hand")
    people.react("UANA", SALES, old[1], "raising_hand")
    bot.settle()
    people.react("UANA", SALES, old[1], "white_check_mark")
    bot.settle()
    assert not bot.complaint(2).is_open  # a resolved complaint stays where it is
    people.send("UCARLA", SALES, "/remove @Complaint Desk")
    bot.settle()
    moved = bot.complaint(1)
    assert moved.channel == ESCALATIONS and moved.card_ts and moved.owner == "UBEN"
    assert bot.complaint(2).channel == SALES
    stays = fake.message(SALES, old[0])
    assert stays is not None and stays["text"] == f"Complaint #1 moved to <#{ESCALATIONS}>; its thread continues there."
    thread = [m["text"] for m in fake.messages(ESCALATIONS, moved.card_ts)]
    assert any(f"moved here from <#{SALES}>" in text for text in thread)
    people.send("UBEN", ESCALATIONS, "called the customer back", thread_ts=moved.card_ts)  # the thread goes on there
    bot.settle()
    assert bot.complaint(1).replies == 1


def test_the_same_removal_heard_twice_moves_nothing_twice(
    fake: FakeSlack, start: Callable[..., tuple[Bot, SandboxClient]]
) -> None:
    bot, people = start()
    people.send("UANA", SALES, "/complaint Flanges delivered with the wrong bore")
    card_ts(bot, 1)
    fake.workspace.leave(SALES, BOT_USER)
    bot.slack.member_left(SALES, BOT_USER)
    bot.slack.left(SALES, "UCARLA")
    bot.settle()
    cards = [m for m in fake.messages(ESCALATIONS) if m["user"] == BOT_USER]
    assert len(cards) == 1 and bot.complaint(1).channel == ESCALATIONS


def test_at_start_the_bot_joins_the_public_channels_holding_open_cards(
    fake: FakeSlack, start: Callable[..., tuple[Bot, SandboxClient]]
) -> None:
    bot, people = start()
    people.send("UANA", QUALITY, "/complaint Flanges delivered with the wrong bore")
    card_ts(bot, 1)
    bot.stop()
    fake.workspace.leave(QUALITY, BOT_USER)  # as an earlier version left it: posted there without joining
    fake.reset()
    again, _ = start()
    again.wait(lambda: bool(fake.calls_to("conversations.join")), "the join at start")
    assert BOT_USER in fake.workspace.channels[QUALITY].members
    assert again.complaint(1).channel == QUALITY


# The first answer to a filing comes before the bot has asked Slack whether it may post where the card should go,
# so it says where the card goes and that the filer will hear if it cannot: nothing a later note has to take back.
FIRST_ANSWER = {
    "en": (
        "Filed as #1. Its card goes to <#{wanted}>, where every step will follow in its thread. If I cannot post it "
        "there, I will tell you."
    ),
    "de": (
        "Als #1 erfasst. Die Karte kommt in <#{wanted}>, alle weiteren Schritte folgen in ihrem Thread. Kann ich sie "
        "dort nicht posten, sage ich dir Bescheid."
    ),
}
WHERE_IT_WENT = {"en": "so the card of #1 is in <#{card}>", "de": "deshalb steht die Karte von #1 in <#{card}>"}


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize(
    ("filed_in", "routed_to", "named", "card"),
    [
        (QUALITY, None, QUALITY, QUALITY),  # public, the bot not in it: it joins, the card goes there
        (BOARD, None, BOARD, ESCALATIONS),  # private, the bot not in it: the fallback, as a note then says
        (SALES, QUALITY, QUALITY, QUALITY),  # routed to a public channel: joined by the check after start
        (SALES, BOARD, ESCALATIONS, ESCALATIONS),  # routed to a private one: the check after start found it closed
    ],
)
def test_the_first_answer_to_a_filing_says_only_what_is_known_then(
    fake: FakeSlack,
    start: Callable[..., tuple[Bot, SandboxClient]],
    language: str,
    filed_in: str,
    routed_to: str | None,
    named: str,
    card: str,
) -> None:
    config: dict[str, Any] = {"language": language}
    if routed_to:
        config["routing"] = {"default": routed_to}
    bot, people = start(**config)
    if routed_to:
        routes = bot.runtime.routes
        assert routes is not None
        bot.wait(routes.checked.is_set, "the routing check")
    people.send("UANA", filed_in, "/complaint Flanges delivered with the wrong bore")
    card_ts(bot, 1)
    bot.settle()
    assert bot.complaint(1).channel == card
    first, *later = told(fake, "UANA")
    assert first == FIRST_ANSWER[language].format(wanted=named)
    if card == named:
        assert later == []
    else:  # the note the first answer announced
        [note] = later
        assert WHERE_IT_WENT[language].format(card=card) in note and f"<#{named}>" in note
