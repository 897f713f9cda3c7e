"""Slack failing at every step: the complaint stays right and every message appears exactly once."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from slack_sdk import WebClient

from bot.model import Status
from bot.services import thread
from sandbox.fake_slack import FakeSlack
from tests.harness import Bot
from tests.robustness import card_numbers, cards, number_of, quick_bot, texts, wait_until

# (name, fake.fail keyword arguments): each a way Slack lets a call fail.
FAULTS: dict[str, dict[str, Any]] = {
    "429": {"status": 429, "retry_after": 1},
    "500": {"status": 500},
    "ratelimited": {"error": "ratelimited"},
    "timeout": {"status": 500, "delay": 1.0},
    "500-applied": {"status": 500, "after_effect": True},
    "timeout-applied": {"status": 500, "delay": 1.0, "after_effect": True},
}


@pytest.fixture
def start(fake: FakeSlack, tmp_path: Path) -> Iterator[Callable[..., Bot]]:
    """Quick bots (short timeouts and retries) on one data folder, stopped after the test."""
    bots: list[Bot] = []

    def make(**config: Any) -> Bot:
        bot = quick_bot(fake, tmp_path / "data", **config)
        bots.append(bot)
        return bot

    yield make
    for bot in bots:
        bot.stop()


def file(bot: Bot, text: str = "Müller GmbH got the wrong parts") -> int:
    """File by command; the answer comes at once whatever Slack does."""
    answer = bot.slack.command(text)
    assert answer.status == 200 and "#" in answer.text, answer.text
    return number_of(answer.text)


def thread_texts(bot: Bot, number: int) -> list[str]:
    """The texts of the replies under the complaint's current card."""
    return texts(bot.thread(number))


def assert_shown_once(bot: Bot, number: int, replies: int, summaries: int) -> None:
    """One card (the stored one), `replies` distinct thread messages, `summaries` in the management channel."""
    fake = bot.fake
    shown = cards(fake)
    assert [m["ts"] for m in shown] == [bot.complaint(number).card_ts], texts(shown)
    in_thread = thread_texts(bot, number)
    assert len(in_thread) == replies and len(set(in_thread)) == replies, in_thread
    assert len(fake.messages("CMGMT")) == summaries, texts(fake.messages("CMGMT"))


@pytest.mark.parametrize("fault", list(FAULTS))
def test_filing_survives_a_failed_card_post(start: Callable[..., Bot], fault: str) -> None:
    bot = start()
    bot.fake.fail("chat.postMessage", **FAULTS[fault])
    number = file(bot)
    bot.settle(timeout=10)
    assert_shown_once(bot, number, replies=0, summaries=0)
    assert "unclaimed" in str(bot.card(number)["blocks"])


@pytest.mark.parametrize("fault", list(FAULTS))
def test_claiming_survives_failed_update_and_thread_post(start: Callable[..., Bot], fault: str) -> None:
    bot = start()
    number = file(bot)
    bot.settle()
    bot.fake.fail("chat.update", **FAULTS[fault])
    bot.fake.fail("chat.postMessage", **FAULTS[fault])
    assert bot.react(number, "UBEN").status == 200
    assert bot.complaint(number).owner == "UBEN"
    bot.settle(timeout=10)
    assert_shown_once(bot, number, replies=1, summaries=0)
    assert "UBEN" in str(bot.card(number)["blocks"])


@pytest.mark.parametrize("fault", list(FAULTS))
def test_resolving_survives_failed_summary(start: Callable[..., Bot], fault: str) -> None:
    bot = start()
    number = file(bot)
    bot.settle()
    bot.react(number, "UBEN")
    bot.settle()
    bot.fake.fail("chat.postMessage", **FAULTS[fault], times=2)
    bot.fake.fail("chat.update", **FAULTS[fault])
    bot.react(number, "UBEN", emoji="white_check_mark")
    assert bot.complaint(number).status is Status.RESOLVED
    bot.settle(timeout=10)
    assert_shown_once(bot, number, replies=2, summaries=1)
    assert f"#{number}" in str(bot.fake.messages("CMGMT")[0]["blocks"])


def test_a_deleted_card_is_posted_again_once_when_it_changes(start: Callable[..., Bot]) -> None:
    bot = start()
    number = file(bot)
    bot.settle()
    old = bot.complaint(number).card_ts
    assert old is not None
    WebClient(token="xoxb-test", base_url=bot.fake.url).chat_delete(channel="CSUPPORT", ts=old)
    bot.fake.fail("chat.postMessage", status=500, after_effect=True)  # the new card's first answer is lost
    bot.react(number, "UBEN")
    bot.settle(timeout=10)
    assert bot.complaint(number).card_ts != old
    assert bot.fake.calls_to("chat.update")[-1].response == {"ok": False, "error": "message_not_found"}
    assert_shown_once(bot, number, replies=1, summaries=0)
    assert "UBEN" in str(bot.card(number)["blocks"])


def test_a_reply_under_a_deleted_card_brings_the_card_back(start: Callable[..., Bot]) -> None:
    bot = start()
    number = file(bot)
    bot.settle()
    old = bot.complaint(number).card_ts
    assert old is not None
    WebClient(token="xoxb-test", base_url=bot.fake.url).chat_delete(channel="CSUPPORT", ts=old)
    bot.fake.fail("chat.postMessage", error="thread_not_found")  # what Slack answers for a deleted parent
    with bot.store.transaction() as tx:
        tx.enqueue(thread(bot.complaint(number), "a reminder"))
    bot.settle(timeout=10)
    assert bot.complaint(number).card_ts not in (None, old)
    assert_shown_once(bot, number, replies=1, summaries=0)
    assert thread_texts(bot, number) == ["a reminder"]


def test_an_answer_no_retry_can_fix_is_logged_and_does_not_block_the_channel(
    start: Callable[..., Bot], caplog: pytest.LogCaptureFixture
) -> None:
    bot = start()
    bot.fake.fail("chat.postMessage", error="invalid_blocks")
    with caplog.at_level(logging.WARNING):
        first = file(bot)
        bot.settle()
        second = file(bot, "Schmidt AG was billed twice")
        bot.settle()
    assert bot.complaint(first).card_ts is None and bot.complaint(first).status is Status.UNCLAIMED
    assert card_numbers(bot.fake) == [second]
    assert any("giving up" in r.message and f"#{first}" in r.message for r in caplog.records)
    # The next change to the first complaint brings its card after all, with its thread message under it.
    bot.slack.select("complaint_severity", f"{first}:high", "UANA")
    bot.settle()
    assert card_numbers(bot.fake) == [second, first]
    assert len(thread_texts(bot, first)) == 1


def test_slack_down_commands_are_still_filed_and_cards_follow_in_order(start: Callable[..., Bot]) -> None:
    bot = start()
    bot.fake.fail("*", status=500, times=-1)
    numbers = [file(bot, f"complaint number {i} from the outage") for i in range(5)]
    assert numbers == [1, 2, 3, 4, 5]
    assert all(bot.complaint(n).card_ts is None for n in numbers)
    time.sleep(1.0)  # the outage lasts; the outbox keeps retrying
    assert bot.store.outbox_depth() == 5
    bot.fake.heal()
    bot.settle(timeout=10)
    assert card_numbers(bot.fake) == numbers


def test_slack_timing_out_but_applying_posts_shows_each_card_once_in_order(start: Callable[..., Bot]) -> None:
    bot = start()
    # Posting and reading back time out (though Slack applies them); looking at the channel still works.
    for method in ("chat.postMessage", "conversations.history", "reactions.add"):
        bot.fake.fail(method, status=500, delay=1.0, after_effect=True, times=-1)
    numbers = [file(bot, f"complaint {i} while Slack is slow") for i in range(4)]
    wait_until(lambda: len(bot.fake.calls_to("conversations.history")) >= 2, "a post to be retried")
    assert len(cards(bot.fake)) == 1  # applied, though the bot heard nothing back
    bot.fake.heal()
    bot.settle(timeout=15)
    assert card_numbers(bot.fake) == numbers


def test_effects_left_by_a_stopped_bot_go_out_after_the_restart(fake: FakeSlack, start: Callable[..., Bot]) -> None:
    bot = start()
    fake.fail("chat.postMessage", status=500, after_effect=True, times=-1)  # posted, but the bot never hears so
    fake.fail("conversations.history", status=500, times=-1)  # ... and cannot look it up either
    first = file(bot)
    second = file(bot, "Schmidt AG was billed twice")
    wait_until(lambda: len(fake.calls_to("chat.postMessage")) >= 1, "the first card post")
    bot.stop()
    assert bot.store.outbox_depth() >= 1
    fake.heal()
    again = start()
    again.settle(timeout=10)
    assert card_numbers(fake) == [first, second]
    assert again.complaint(first).card_ts == cards(fake)[0]["ts"]
