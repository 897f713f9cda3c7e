"""What people write in a card's thread is activity, whatever its subtype; edits, deletions, joins and other
apps' posts are not. Each event is shaped as Slack's sample of it (the sender is checked against them)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.rendering import talk
from bot.scheduler import FOLLOWUPS_JOB
from sandbox.fake_slack import FakeSlack
from tests.clock import Clock
from tests.harness import Bot, make_config, start_bot

# The owner is asked after 1 s of quiet and management hears after 3 s.
QUICK = {"normal": {"remind_unclaimed": "1h", "escalate_unclaimed": "2h", "ask_update": "1s", "escalate_quiet": "3s"}}
# What people write: a plain reply, one also sent to the channel, a photo, a /me line.
WRITTEN = [None, "thread_broadcast", "file_share", "me_message"]
# What is not a reply: an edit, a deletion, someone joining, another app's post.
NOT_WRITTEN = ["message_changed", "message_deleted", "channel_join", "bot_message"]


@pytest.fixture
def start(fake: FakeSlack, tmp_path: Path) -> Iterator[Callable[..., tuple[Bot, Clock]]]:
    """Start a bot on a clock the test moves (years ahead, so no follow-up fires on its own)."""
    bots: list[Bot] = []

    def begin(**config: Any) -> tuple[Bot, Clock]:
        clock = Clock(datetime(2030, 1, 7, 9, 0, tzinfo=UTC))
        config.setdefault("channels", {"management": "CMGMT"})
        bot = start_bot(fake, make_config(str(tmp_path / "data" / "complaints.json"), **config), now=clock)
        bots.append(bot)
        return bot, clock

    yield begin
    for bot in bots:
        bot.stop()


def tick(bot: Bot) -> None:
    """Run the follow-up job now, as APScheduler would at its moment, and let the outbox deliver."""
    timers = bot.runtime.timers
    assert timers is not None
    job = timers.scheduler.get_job(FOLLOWUPS_JOB)
    if job is not None:
        job.func()
    bot.settle()


def written(bot: Bot, number: int, user: str, subtype: str | None) -> None:
    """Someone writes in the complaint's thread, as a message of this subtype."""
    complaint = bot.complaint(number)
    answer = bot.slack.reply(complaint.channel, complaint.card_ts or "", user, "called the customer", subtype)
    assert answer.status == 200, answer.text
    bot.settle()


def not_written(bot: Bot, number: int, user: str, subtype: str) -> None:
    """Something happens in the complaint's thread that nobody wrote as a reply."""
    complaint = bot.complaint(number)
    channel, card_ts, slack = complaint.channel, complaint.card_ts or "", bot.slack
    earlier = bot.fake.add_message(channel, "on it", user=user, thread_ts=card_ts)
    event = {
        "message_changed": lambda: slack.edit_event(channel, card_ts, earlier["ts"], user, "on it now", "on it"),
        "message_deleted": lambda: slack.delete_event(channel, card_ts, earlier["ts"], user, "on it"),
        "channel_join": lambda: slack.join_event(channel, user),
        "bot_message": lambda: slack.bot_message_event(channel, "B0OTHERAPP", "a reminder from elsewhere", card_ts),
    }[subtype]()
    assert slack.event(event).status == 200
    bot.settle()


def gone_quiet(bot: Bot) -> bool:
    """Management was told that the owner went quiet."""
    posts = [c for c in bot.fake.calls_to("chat.postMessage") if c.ok and c.args.get("channel") == "CMGMT"]
    return any("gone quiet" in str(c.args.get("blocks")) for c in posts)


@pytest.mark.parametrize("subtype", WRITTEN)
def test_what_people_write_counts_and_restarts_the_quiet_clock(
    start: Callable[..., tuple[Bot, Clock]], subtype: str | None
) -> None:
    bot, clock = start(severities=QUICK)
    number = bot.file()
    bot.react(number, "UBEN")
    bot.settle()
    clock.advance(seconds=2)
    written(bot, number, "UBEN", subtype)
    complaint = bot.complaint(number)
    assert complaint.replies == 1 and complaint.repliers == ["UBEN"]
    assert complaint.last_activity_at == clock()
    clock.advance(seconds=2)  # 4 s after the claim, 2 s after the reply: no escalation yet
    tick(bot)
    assert not gone_quiet(bot)
    clock.advance(seconds=2)
    tick(bot)
    assert gone_quiet(bot)


@pytest.mark.parametrize("subtype", NOT_WRITTEN)
def test_edits_deletions_joins_and_other_apps_are_no_activity(
    start: Callable[..., tuple[Bot, Clock]], subtype: str
) -> None:
    bot, clock = start(severities=QUICK)
    number = bot.file()
    bot.react(number, "UBEN")
    bot.settle()
    clock.advance(seconds=2)
    not_written(bot, number, "UBEN", subtype)
    complaint = bot.complaint(number)
    assert complaint.replies == 0 and complaint.repliers == []
    clock.advance(seconds=2)  # 4 s after the claim: the quiet clock was never restarted
    tick(bot)
    assert gone_quiet(bot)


@pytest.mark.parametrize("subtype", WRITTEN)
def test_what_people_write_brings_the_talk_nudge(start: Callable[..., tuple[Bot, Clock]], subtype: str | None) -> None:
    bot, _ = start(talk={"suggest_after_replies": 2})
    number = bot.file()
    written(bot, number, "UBEN", subtype)
    written(bot, number, "UANA", subtype)
    nudges = [m for m in bot.thread(number) if talk.ACTION_TALK in str(m.get("blocks"))]
    assert len(nudges) == 1


@pytest.mark.parametrize("subtype", NOT_WRITTEN)
def test_no_nudge_for_what_nobody_wrote(start: Callable[..., tuple[Bot, Clock]], subtype: str) -> None:
    bot, _ = start(talk={"suggest_after_replies": 1})
    number = bot.file()
    not_written(bot, number, "UBEN", subtype)
    not_written(bot, number, "UANA", subtype)
    assert not [m for m in bot.thread(number) if talk.ACTION_TALK in str(m.get("blocks"))]
