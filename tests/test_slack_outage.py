"""A Slack outage of several minutes: one probe stands for the whole outbox, and when Slack answers again every
waiting message goes out promptly, in order per channel; health and metrics say what is going on."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from adapters.runtime import Tuning
from sandbox.fake_slack import FakeSlack
from tests.harness import Bot, make_config, start_bot
from tests.robustness import CHANNELS, card_numbers, number_of, wait_until

# Production waits (retries back off up to five minutes), with a short Web API timeout.
PRODUCTION = Tuning(slack_timeout=0.5)
FILED_IN = ["CSUPPORT", "CSALES", "CQUALITY", "CPLANT"]


class ShiftedClock:
    """The real clock plus an offset the test moves forward, so minutes of an outage pass in a second."""

    def __init__(self) -> None:
        self.offset = timedelta(0)
        self._lock = threading.Lock()

    def __call__(self) -> datetime:
        with self._lock:
            return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.offset += timedelta(seconds=seconds)


@pytest.fixture
def clock() -> ShiftedClock:
    return ShiftedClock()


@pytest.fixture
def bot(fake: FakeSlack, tmp_path: Path, clock: ShiftedClock) -> Iterator[Bot]:
    config = make_config(str(tmp_path / "data" / "complaints.json"), channels=CHANNELS)
    running = start_bot(fake, config, now=clock, tuning=PRODUCTION)
    yield running
    running.stop()


def attempts(fake: FakeSlack) -> int:
    """How many Web API calls the bot made since it started (a retried post first looks for itself)."""
    return len([c for c in fake.calls_to("*") if c.answered and c.method != "auth.test"])


def metric(bot: Bot, name: str) -> float:
    """One gauge from /metrics."""
    for line in bot.slack.get("/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"{name} not in /metrics")


def test_after_a_five_minute_outage_every_waiting_card_goes_out_promptly_in_order(
    bot: Bot, fake: FakeSlack, clock: ShiftedClock
) -> None:
    fake.fail("*", status=503, times=-1)
    filed: dict[str, list[int]] = {channel: [] for channel in FILED_IN}
    for round_ in range(2):
        for channel in FILED_IN:
            answer = bot.slack.command(f"complaint {round_} in {channel}", channel=channel)
            assert answer.status == 200, answer.text
            filed[channel].append(number_of(answer.text))
    wait_until(lambda: attempts(fake) >= 1, "the first attempt")
    before = attempts(fake)
    steps = 10
    for _ in range(steps):  # five minutes of failures, 30 s at a time
        seen = attempts(fake)
        clock.advance(30)
        bot.runtime.outbox.wake() if bot.runtime.outbox else None

        def probed(seen: int = seen) -> bool:
            return attempts(fake) > seen

        wait_until(probed, "the next probe")
    # One probe at a time stands for the whole outbox: not one attempt per waiting message.
    assert attempts(fake) - before <= steps + 2, attempts(fake) - before
    health = bot.slack.get("/healthz")
    assert health.status == 200
    assert health.json()["slack"] == "down" and health.json()["oldest_waiting_seconds"] >= 240
    assert metric(bot, "complaint_desk_slack_up") == 0.0
    assert metric(bot, "complaint_desk_outbox_oldest_seconds") >= 240

    fake.heal()
    # Production waits up to five minutes per message; every card is there within 15 s (the probe: 3 s).
    wait_until(lambda: all(len(card_numbers(fake, c)) == 2 for c in FILED_IN), "every card", timeout=15)
    for channel in FILED_IN:
        assert card_numbers(fake, channel) == filed[channel]  # in the order they were filed
    bot.settle(timeout=15)
    health = bot.slack.get("/healthz").json()
    assert health["slack"] == "ok" and health["oldest_waiting_seconds"] == 0
    assert metric(bot, "complaint_desk_slack_up") == 1.0


def test_a_rate_limit_is_not_an_outage_and_its_retry_after_is_honoured(
    bot: Bot, fake: FakeSlack, clock: ShiftedClock
) -> None:
    fake.fail("chat.postMessage", status=429, retry_after=30)
    answer = bot.slack.command("slow day at Slack")
    number = number_of(answer.text)
    wait_until(lambda: any(c.status == 429 for c in fake.calls_to("chat.postMessage")), "the 429")
    wait_until(lambda: bool(bot.store.pending_effects()) and bot.store.pending_effects()[0].attempts == 1, "retry")
    waiting = bot.store.pending_effects()[0]
    assert waiting.last_error == "ratelimited"
    assert waiting.not_before is not None and waiting.not_before >= clock() + timedelta(seconds=25)
    assert bot.slack.get("/healthz").json()["slack"] == "ok"
    clock.advance(30)
    bot.wait(lambda: bot.complaint(number).card_ts is not None, "the card after Retry-After", 10)
