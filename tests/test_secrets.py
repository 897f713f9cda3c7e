"""Secrets and data: no token in any log line, the data files for their owner only, one complaint traceable."""

from __future__ import annotations

import logging
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import rendering
from sandbox.fake_slack import FakeSlack
from sandbox.sender import SlackSender
from tests.harness import Bot
from tests.robustness import BotProcess, number_of, quick_bot, wait_until, write_config

BOT_TOKEN = "xoxb-1111-2222-secretbottoken"
APP_TOKEN = "xapp-1-A1-3333-secretapptoken"
SIGNING_SECRET = "0123456789abcdef-secret-signing"


def lifecycle_over_http(bot: BotProcess, fake: FakeSlack) -> None:
    """File, claim, hand over, resolve and reopen one complaint, signed with the real secret."""
    slack = SlackSender(bot.port, SIGNING_SECRET)
    number = number_of(slack.command("Müller GmbH got the wrong parts").text)
    card = wait_for_card(fake)
    slack.reaction("CSUPPORT", card, "UBEN", "raising_hand")
    slack.submit(rendering.VIEW_HANDOVER, {"handover_to": {"selected_user": "UCAY"}}, "UBEN", str(number))
    slack.reaction("CSUPPORT", card, "UBEN", "white_check_mark")
    slack.submit(rendering.VIEW_REOPEN, {"reason": {"value": "called again"}}, "UANA", str(number))
    assert slack.command("list").status == 200
    assert SlackSender(bot.port, "wrong-secret").command("forged").status == 401
    wait_until(lambda: len(fake.messages("CMGMT")) == 1, "the summary")


def wait_for_card(fake: FakeSlack) -> str:
    """The ts of the first card, once the bot has stored it (it adds its claim emoji only after that)."""
    wait_until(lambda: any(call.ok for call in fake.calls_to("reactions.add")), "the card")
    return next(m["ts"] for m in fake.messages("CSUPPORT") if m.get("user") == "UBOT")


def assert_no_secret(output: str) -> None:
    """None of the three secrets, nor a recognisable part of one."""
    assert output.strip(), "the bot logged nothing at all"
    for secret in (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET, "secretbottoken", "secretapptoken", "secret-signing"):
        assert secret not in output, f"{secret[:8]}… appears in the log"


def test_no_secret_in_a_debug_log_of_a_whole_lifecycle(fake: FakeSlack, tmp_path: Path) -> None:
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "LOG_LEVEL": "DEBUG"}
    bot = BotProcess(fake, write_config(tmp_path), **env).start()
    try:
        bot.wait_ready()
        lifecycle_over_http(bot, fake)
        fake.fail("chat.postMessage", status=500)  # errors are logged too
        SlackSender(bot.port, SIGNING_SECRET).command("Schmidt AG was billed twice")
        wait_until(lambda: (health := bot.health()) is not None and health[1]["outbox"] == 0, "the outbox to drain")
    finally:
        assert bot.stop() == 0
    output = bot.output()
    assert "DEBUG" in output and fake.calls_to("chat.postMessage")
    assert all(call.token == BOT_TOKEN for call in fake.calls if call.method != "apps.connections.open")
    assert_no_secret(output)


def test_no_secret_in_a_debug_log_in_socket_mode(tmp_path: Path) -> None:
    with FakeSlack(socket_mode=True) as fake:
        env = {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_APP_TOKEN": APP_TOKEN,
            "SLACK_SIGNING_SECRET": "",
            "LOG_LEVEL": "DEBUG",
        }
        bot = BotProcess(fake, write_config(tmp_path), **env).start()
        try:
            bot.wait_ready()
            assert fake.socket is not None
            fake.socket.wait_connections(1)
            payload = {
                "command": "/complaint",
                "text": "wrong parts",
                "user_id": "UANA",
                "channel_id": "CSUPPORT",
                "team_id": "T1",
                "api_app_id": "A1",
                "trigger_id": "trig.secret",
            }
            ack = fake.socket.wait_ack(fake.socket.send_envelope("slash_commands", payload))
            assert "#1" in ack["payload"]["text"]
            wait_for_card(fake)
            fake.socket.disconnect()
            fake.socket.wait_connections(2)
        finally:
            assert bot.stop() == 0
        assert fake.wait_for("apps.connections.open")[0].token == APP_TOKEN
        assert_no_secret(bot.output())


@pytest.fixture
def desk(fake: FakeSlack, tmp_path: Path) -> Iterator[Bot]:
    """A bot in this process."""
    bot = quick_bot(fake, tmp_path / "data")
    yield bot
    bot.stop()


def mode(path: Path) -> int:
    """The permission bits."""
    return stat.S_IMODE(path.stat().st_mode)


def test_data_files_are_readable_by_their_owner_only(desk: Bot, tmp_path: Path) -> None:
    number = desk.file()
    desk.react(number, "UBEN")
    desk.react(number, "UBEN", emoji="white_check_mark")
    desk.settle()
    files = sorted((tmp_path / "data").glob("*.json*"))
    names = [f.name for f in files]
    assert "complaints.json" in names and any(".archive-" in name for name in names), names
    assert "complaints.json.journal" in names, names
    for file in files:
        assert mode(file) == 0o600, f"{file.name}: {oct(mode(file))}"
    assert not list((tmp_path / "data").glob(".*.tmp")), "a temporary file was left behind"


def test_an_existing_data_file_is_tightened_when_the_bot_opens_it(fake: FakeSlack, tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "complaints.json").write_text("{}", encoding="utf-8")
    (data / "complaints.json").chmod(0o644)
    bot = quick_bot(fake, data)
    try:
        bot.file()
    finally:
        bot.stop()
    assert mode(data / "complaints.json") == 0o600


def test_every_log_line_about_a_complaint_names_it(desk: Bot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    number = desk.file()
    desk.react(number, "UBEN")
    desk.slack.submit(rendering.VIEW_HANDOVER, {"handover_to": {"selected_user": "UCAY"}}, "UBEN", str(number))
    desk.slack.select(rendering.ACTION_SEVERITY, f"{number}:high", "UBEN")
    desk.react(number, "UCAY", emoji="white_check_mark")  # refused: not the owner
    desk.react(number, "UBEN", emoji="white_check_mark")
    desk.slack.submit(rendering.VIEW_REOPEN, {"reason": {"value": "again"}}, "UANA", str(number))
    desk.fake.fail("chat.postMessage", status=500)
    desk.react(number, "UDAN")
    desk.settle()
    time.sleep(0.1)
    ours = [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("complaints.")
        and r.name not in ("complaints.http", "complaints.timers", "complaints.slack.status")  # not one complaint
    ]
    about: dict[str, Any] = {
        step: [line for line in ours if f"#{number}" in line and step in line]
        for step in (
            "filed",
            "claimed",
            "handover",
            "severity",
            "resolved",
            "reopened",
            "may not",
            "retrying",
            "delivered",
        )
    }
    assert all(about.values()), {step: lines for step, lines in about.items() if not lines}
    unnamed = [line for line in ours if "#" not in line]
    assert not unnamed, unnamed
