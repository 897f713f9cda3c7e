"""Restarts and shutdowns of the real process: a clean exit when stopped while waiting for Slack, filing during
a Slack outage once the bot knows who it is from an earlier start, and a quiet log at every start."""

from __future__ import annotations

from pathlib import Path

from bot.identity import Identity, stored_identity
from sandbox.fake_slack import FakeSlack
from tests.harness import Bot
from tests.robustness import BotProcess, free_port, wait_until, write_config


def bot_cards(fake: FakeSlack, channel: str = "CSUPPORT") -> list[dict[str, object]]:
    """The bot's top-level messages in a channel."""
    return [m for m in fake.messages(channel) if m.get("user") == fake.bot_user_id]


def test_sigterm_while_waiting_for_slack_at_start_exits_0(fake: FakeSlack, tmp_path: Path) -> None:
    fake.fail("auth.test", status=503, times=-1)
    bot = BotProcess(fake, write_config(tmp_path)).start()
    wait_until(lambda: bot.health() == (503, {"status": "starting"}), "healthz to say starting", 20)
    wait_until(lambda: "Slack is not answering auth.test" in bot.output(), "the reason in the log", 20)
    assert bot.stop() == 0, bot.output()
    assert "Traceback" not in bot.output()


def test_a_restart_during_a_slack_outage_files_and_posts_once_slack_answers(fake: FakeSlack, tmp_path: Path) -> None:
    config = write_config(tmp_path)
    first = BotProcess(fake, config).start()
    first.wait_ready(timeout=30)
    assert first.stop() == 0, first.output()

    fake.fail("*", status=503, times=-1)  # Slack is down for the whole restart
    again = BotProcess(fake, config).start()
    try:
        again.wait_ready(timeout=30)  # the identity is known from the first start: no need to wait for Slack
        answer = again.slack.command("Müller GmbH got the wrong parts")
        assert answer.status == 200 and answer.text.startswith("Filed as #1"), answer.text
        assert bot_cards(fake) == []
        fake.heal()
        wait_until(lambda: len(bot_cards(fake)) == 1, "the card once Slack answers", 30)
    finally:
        assert again.stop() == 0, again.output()


def test_a_first_start_ever_waits_for_slack_to_know_who_it_is(fake: FakeSlack, tmp_path: Path) -> None:
    fake.fail("auth.test", status=503, times=-1)
    bot = BotProcess(fake, write_config(tmp_path)).start()
    try:
        wait_until(lambda: bot.health() == (503, {"status": "starting"}), "healthz to say starting", 20)
        assert bot.slack.command("wrong parts").status == 503
        fake.heal()
        bot.wait_ready(timeout=30)
        assert bot.slack.command("wrong parts").text.startswith("Filed as #1")
    finally:
        assert bot.stop() == 0, bot.output()


def test_a_start_through_slack_hiccups_logs_no_library_noise(fake: FakeSlack, tmp_path: Path) -> None:
    fake.fail("auth.test", status=503, times=2)
    fake.fail("chat.postMessage", status=503, times=2)
    bot = BotProcess(fake, write_config(tmp_path)).start()
    try:
        bot.wait_ready(timeout=30)
        assert bot.slack.command("wrong parts").status == 200
        wait_until(lambda: len(bot_cards(fake)) == 1, "the card after the retries", 30)
    finally:
        assert bot.stop() == 0, bot.output()
    output = bot.output()
    assert "Slack is not answering auth.test" in output  # the bot's own account of the retries stays
    assert "will be unused" not in output, output
    assert not [line for line in output.splitlines() if "ERROR slack_sdk" in line], output


def test_slack_unreachable_at_start_logs_the_bots_account_only_and_sigterm_exits_0(tmp_path: Path) -> None:
    bot = BotProcess(None, write_config(tmp_path), SLACK_API_URL=f"http://127.0.0.1:{free_port()}/api/").start()
    wait_until(lambda: bot.output().count("Slack is unreachable") >= 2, "two retries in the log", 20)
    assert bot.stop() == 0, bot.output()
    assert not [line for line in bot.output().splitlines() if "ERROR slack_sdk" in line], bot.output()


def test_the_bots_identity_is_stored_with_the_data_and_handed_to_the_services(bot: Bot, fake: FakeSlack) -> None:
    identity = stored_identity(bot.store)
    assert identity == Identity(user_id=fake.bot_user_id, bot_id=fake.bot_id, team_id=fake.team_id, url=identity.url)
    assert identity.url.startswith("https://") and identity.enterprise_id == ""
    assert bot.runtime.services is not None and bot.runtime.services.deps.identity == identity


def test_an_enterprise_grid_identity_survives_a_round_trip_through_the_store() -> None:
    answer = {"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1", "enterprise_id": "E1", "url": "u/"}
    identity = Identity.from_auth_test(answer)
    assert identity.enterprise_id == "E1" and identity.known
    assert Identity.from_dict(identity.to_dict()) == identity
    assert Identity.from_dict(None) == Identity() and not Identity().known
