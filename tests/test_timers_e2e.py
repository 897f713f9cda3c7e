"""Follow-up timers end to end with second-long timers: reminders, escalations, quiet owners, restarts."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from bot import rendering
from sandbox.fake_slack import FakeSlack
from sandbox.sender import SECRET, SlackSender
from tests.harness import Bot

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


def test_unclaimed_reminder_then_one_escalation(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(severities=FAST)
    number = bot.file()
    bot.wait(lambda: any("Nobody has taken on" in m["text"] for m in bot.thread(number)), "first reminder", 4)
    bot.wait(lambda: any("Nobody owns complaint #1" in b for b in management_posts(bot.fake)), "escalation", 6)
    reminders = [m for m in bot.thread(number) if "react with :raising_hand:" in m["text"]]
    assert 1 <= len(reminders) <= 3
    assert "<@UANA>" in reminders[0]["text"]
    time.sleep(1.5)
    assert len([b for b in management_posts(bot.fake) if "Nobody owns" in b]) == 1


def test_claiming_stops_the_reminders(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(severities={"normal": {**FAST["normal"], "ask_update": "1h", "escalate_quiet": "2h"}})
    number = bot.file()
    bot.react(number, "UBEN")
    bot.settle()
    before = len(bot.thread(number))
    time.sleep(3.5)
    assert len(bot.thread(number)) == before
    assert management_posts(bot.fake) == []


def test_quiet_owner_is_asked_and_a_reply_resets_the_clock(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(severities={"normal": {**FAST["normal"], "ask_update": "2s", "escalate_quiet": "4s"}})
    number = bot.file()
    bot.react(number, "UBEN")
    complaint = bot.complaint(number)
    for _ in range(3):  # keep replying: the question never comes
        time.sleep(1)
        bot.slack.reply(complaint.channel, complaint.card_ts or "", "UCAY", "called the customer")
    assert not any("any news" in m["text"] for m in bot.thread(number))
    bot.wait(
        lambda: any("any news" in m["text"] and "<@UBEN>" in m["text"] for m in bot.thread(number)),
        "the question to the owner",
        4,
    )
    bot.wait(lambda: any("has gone quiet" in b for b in management_posts(bot.fake)), "quiet escalation", 5)


def test_resolved_complaint_stays_silent(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(severities=FAST)
    number = bot.file()
    bot.react(number, "UBEN")
    bot.react(number, "UBEN", emoji="white_check_mark")
    bot.settle()
    before = len(bot.thread(number))
    time.sleep(3.5)
    assert len(bot.thread(number)) == before
    assert not any("Nobody owns" in b or "gone quiet" in b for b in management_posts(bot.fake))


def test_snooze_button_is_owner_only_and_shows_reason(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(severities={"normal": {**FAST["normal"], "ask_update": "1s", "escalate_quiet": "2s"}})
    number = bot.file()
    bot.react(number, "UBEN")
    bot.wait(lambda: any("any news" in m["text"] for m in bot.thread(number)), "question", 4)
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
