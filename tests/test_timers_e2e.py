"""Follow-up timers end to end: reminders, escalations, quiet owners on a clock the test moves; restarts live."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot import rendering
from bot.scheduler import FOLLOWUPS_JOB
from sandbox.fake_slack import FakeSlack
from sandbox.sender import SECRET, SlackSender
from tests.clock import Clock
from tests.harness import Bot, make_config, start_bot

FAST = {
    "normal": {
        "remind_unclaimed": "1s",
        "escalate_unclaimed": "3s",
        "ask_update": "1s",
        "escalate_quiet": "3s",
        "resolve_within": "1w",
    }
}


def management_posts(fake: FakeSlack) -> list[str]:
    return [
        str(c.args.get("blocks"))
        for c in fake.calls_to("chat.postMessage")
        if c.ok and c.args.get("channel") == "CMGMT"
    ]


@pytest.fixture
def clocked(fake: FakeSlack, tmp_path: Path) -> Iterator[tuple[Callable[..., Bot], Clock]]:
    """Start a bot on a clock the test moves; follow-ups run when `tick` says, as APScheduler would run them.

    The clock stands years ahead of the real one, so APScheduler never fires a follow-up on its own.
    """
    clock = Clock(datetime(2030, 1, 7, 9, 0, tzinfo=UTC))
    bots: list[Bot] = []

    def start(**config: Any) -> Bot:
        config.setdefault("channels", {"management": "CMGMT"})
        bot = start_bot(fake, make_config(str(tmp_path / "data" / "complaints.json"), **config), now=clock)
        bots.append(bot)
        return bot

    yield start, clock
    for bot in bots:
        bot.stop()


def tick(bot: Bot) -> None:
    """Run the follow-up job now, as APScheduler does at its moment, and let the outbox deliver what it sent."""
    timers = bot.runtime.timers
    assert timers is not None
    job = timers.scheduler.get_job(FOLLOWUPS_JOB)
    if job is not None:  # no job: nothing is planned
        job.func()
    bot.settle()


def test_unclaimed_reminder_then_one_escalation(clocked: tuple[Callable[..., Bot], Clock]) -> None:
    start, clock = clocked
    bot = start(severities=FAST)
    number = bot.file()
    clock.advance(seconds=1)
    tick(bot)
    assert any("Nobody has taken on" in m["text"] for m in bot.thread(number)), "first reminder"
    clock.advance(seconds=2)
    tick(bot)
    assert any("Nobody owns complaint #1" in b for b in management_posts(bot.fake)), "escalation"
    reminders = [m for m in bot.thread(number) if "react with :raising_hand:" in m["text"]]
    assert 1 <= len(reminders) <= 3
    assert "<@UANA>" in reminders[0]["text"]
    clock.advance(hours=1)
    tick(bot)
    assert len([b for b in management_posts(bot.fake) if "Nobody owns" in b]) == 1


def test_claiming_stops_the_reminders(clocked: tuple[Callable[..., Bot], Clock]) -> None:
    start, clock = clocked
    bot = start(severities={"normal": {**FAST["normal"], "ask_update": "1h", "escalate_quiet": "2h"}})
    number = bot.file()
    bot.react(number, "UBEN")
    bot.settle()
    before = len(bot.thread(number))
    clock.advance(seconds=30)
    tick(bot)
    assert len(bot.thread(number)) == before
    assert management_posts(bot.fake) == []


def test_quiet_owner_is_asked_and_a_reply_resets_the_clock(clocked: tuple[Callable[..., Bot], Clock]) -> None:
    start, clock = clocked
    bot = start(severities={"normal": {**FAST["normal"], "ask_update": "2s", "escalate_quiet": "4s"}})
    number = bot.file()
    bot.react(number, "UBEN")
    complaint = bot.complaint(number)
    for _ in range(3):  # keep replying: the question never comes
        clock.advance(seconds=1.5)
        tick(bot)
        bot.slack.reply(complaint.channel, complaint.card_ts or "", "UCAY", "called the customer")
        bot.settle()
    clock.advance(seconds=1.5)
    tick(bot)
    assert not any("any news" in m["text"] for m in bot.thread(number))
    clock.advance(seconds=0.5)
    tick(bot)
    assert any("any news" in m["text"] and "<@UBEN>" in m["text"] for m in bot.thread(number)), "the question"
    assert not any("has gone quiet" in b for b in management_posts(bot.fake))
    clock.advance(seconds=2)
    tick(bot)
    assert any("has gone quiet" in b for b in management_posts(bot.fake)), "quiet escalation"


def test_resolved_complaint_stays_silent(clocked: tuple[Callable[..., Bot], Clock]) -> None:
    start, clock = clocked
    bot = start(severities=FAST)
    number = bot.file()
    bot.react(number, "UBEN")
    bot.react(number, "UBEN", emoji="white_check_mark")
    bot.settle()
    before = len(bot.thread(number))
    clock.advance(weeks=2)
    tick(bot)
    assert len(bot.thread(number)) == before
    assert not any("Nobody owns" in b or "gone quiet" in b for b in management_posts(bot.fake))


def test_snooze_button_is_owner_only_and_shows_reason(clocked: tuple[Callable[..., Bot], Clock]) -> None:
    start, clock = clocked
    bot = start(severities={"normal": {**FAST["normal"], "ask_update": "1s", "escalate_quiet": "2s"}})
    number = bot.file()
    bot.react(number, "UBEN")
    clock.advance(seconds=1)
    tick(bot)
    assert any("any news" in m["text"] for m in bot.thread(number)), "question"
    assert bot.slack.button(rendering.ACTION_SNOOZE, f"{number}:3d", "UCAY").status == 200
    bot.fake.wait_for("chat.postEphemeral", where=lambda c: c.args.get("user") == "UCAY")
    assert bot.slack.button(rendering.ACTION_SNOOZE, f"{number}:3d", "UBEN").status == 200
    view = bot.fake.wait_for("views.open")[-1].args["view"]
    assert view["callback_id"] == rendering.VIEW_SNOOZE
    answer = bot.slack.submit(
        rendering.VIEW_SNOOZE, {"reason": {"value": "supplier answers Thursday"}}, "UBEN", view["private_metadata"]
    )
    assert answer.status == 200 and answer.text == ""
    bot.wait(lambda: any("supplier answers Thursday" in m["text"] for m in bot.thread(number)), "snooze note")
    assert bot.complaint(number).followups.snoozed_until is not None
    clock.advance(days=1)  # within the pause: the quiet escalation waits for its end
    tick(bot)
    assert not any("has gone quiet" in b for b in management_posts(bot.fake))


def _start_process(fake: FakeSlack, tmp_path: Path, port: int) -> subprocess.Popen[bytes]:
    config = {
        "storage": {"path": str(tmp_path / "data.json")},
        "channels": {"management": "CMGMT"},
        "severities": {"normal": {**FAST["normal"], "remind_unclaimed": "2s", "escalate_unclaimed": "30s"}},
    }
    (tmp_path / "config.yml").write_text(yaml.safe_dump(config))
    env = {
        **os.environ,
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake.url,
        "PORT": str(port),
        "HOST": "127.0.0.1",
        "ESCALATION_CONFIG": str(tmp_path / "config.yml"),
    }
    root = Path(__file__).resolve().parent.parent
    process = subprocess.Popen(
        [sys.executable, "app.py"], cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    sender = SlackSender(port)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            if sender.get("/healthz").status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.05)
    process.kill()
    raise AssertionError("bot did not become healthy")


def test_timer_due_while_down_fires_once_after_restart(fake: FakeSlack, tmp_path: Path, free_port: int) -> None:
    process = _start_process(fake, tmp_path, free_port)
    try:
        answer = SlackSender(free_port).command("the pallets arrived broken")
        assert answer.status == 200 and "#1" in answer.text
        fake.wait_for("chat.postMessage")
    finally:
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    time.sleep(6.5)  # all three reminders fall due while the bot is down
    posted = fake.calls_to("chat.postMessage")[0].response
    assert posted is not None
    card = posted["ts"]
    process = _start_process(fake, tmp_path, free_port)
    try:
        fake.wait_for("chat.postMessage", where=lambda c: c.args.get("thread_ts") == card)
        time.sleep(1.0)
        reminders = [c for c in fake.calls_to("chat.postMessage") if c.ok and c.args.get("thread_ts") == card]
        assert len(reminders) == 1, [c.args["text"] for c in reminders]
    finally:
        process.terminate()
        process.wait(timeout=10)
