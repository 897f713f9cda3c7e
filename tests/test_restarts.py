"""Restarts and shutdowns of the real process: a clean exit when stopped while waiting for Slack, filing during
a Slack outage once the bot knows who it is from an earlier start, in Socket Mode connecting once Slack answers
(or exiting 2 when Slack then refuses the token), and a quiet log at every start."""

from __future__ import annotations

from pathlib import Path

from bot.identity import Identity, stored_identity
from sandbox.fake_slack import FakeSlack
from sandbox.sender import SlackSender
from tests.harness import Bot
from tests.robustness import BotProcess, ReservedPort, texts, wait_until, write_config
from tests.slack_samples import answer_problems, check_request

SOCKET_MODE = {"SLACK_APP_TOKEN": "xapp-1-A1-test", "SLACK_SIGNING_SECRET": ""}


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
    with ReservedPort() as nowhere:
        bot = BotProcess(None, write_config(tmp_path), SLACK_API_URL=f"http://127.0.0.1:{nowhere.port}/api/").start()
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


def started_once_in_socket_mode(config: Path) -> None:
    """A first start in Socket Mode while Slack answers: the bot learns who it is and stores it with its data."""
    with FakeSlack(socket_mode=True) as fake:
        assert fake.socket is not None
        first = BotProcess(fake, config, **SOCKET_MODE).start()
        first.wait_ready(timeout=30)
        fake.socket.wait_connections(1)
        assert first.stop() == 0, first.output()


def test_a_socket_mode_restart_while_slack_is_unreachable_connects_once_slack_answers(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    started_once_in_socket_mode(config)
    slack_at = ReservedPort()  # nothing answers there yet: Slack is unreachable
    again = BotProcess(None, config, SLACK_API_URL=f"http://127.0.0.1:{slack_at.port}/api/", **SOCKET_MODE).start()
    try:
        again.wait_ready(timeout=30)  # the identity is known from the first start
        wait_until(lambda: "Socket Mode cannot connect yet" in again.output(), "the reason in the log", 20)
        with FakeSlack(socket_mode=True, port=slack_at.release()) as fake:  # Slack is back
            assert fake.socket is not None
            fake.socket.wait_connections(1, timeout=60)  # connected in the background, without a restart
            slack = SlackSender(again.port, on_send=check_request, messages=fake.message)
            sent = fake.socket.send_envelope("slash_commands", slack.command_fields("wrong parts"))
            assert str(fake.socket.wait_ack(sent)["payload"]["text"]).startswith("Filed as #1")
            wait_until(lambda: len(bot_cards(fake)) == 1, "the card", 30)
            card_ts = str(bot_cards(fake)[0]["ts"])
            # Slack has the card; the bot knows its ts once that delivery is stored, as before any person could react
            wait_until(lambda: again.outbox_depth() == 0, "the card's delivery to be stored", 30)
            claim = slack.event_body(slack.reaction_event("CSUPPORT", card_ts, "UBEN", "raising_hand"))
            fake.socket.wait_ack(fake.socket.send_envelope("events_api", claim))
            wait_until(lambda: texts(fake.messages("CSUPPORT", card_ts)) != [], "the claim in the thread", 30)
            assert texts(fake.messages("CSUPPORT", card_ts)) == ["<@UBEN> took this on and owns it now."]
            assert not answer_problems(fake.calls)
            assert again.stop() == 0, again.output()
    finally:
        slack_at.release()
        again.stop()
    assert "Traceback" not in again.output(), again.output()


def test_a_token_refused_after_a_start_on_the_stored_identity_exits_2_with_one_line(tmp_path: Path) -> None:
    config = write_config(tmp_path)
    started_once_in_socket_mode(config)
    slack_at = ReservedPort()
    token = "xoxb-invalid"  # revoked while the bot was down; Slack says so once it answers
    env = {**SOCKET_MODE, "SLACK_BOT_TOKEN": token}
    again = BotProcess(None, config, SLACK_API_URL=f"http://127.0.0.1:{slack_at.port}/api/", **env).start()
    try:
        again.wait_ready(timeout=30)
        wait_until(lambda: "Slack is unreachable" in again.output(), "the reason in the log", 20)
        with FakeSlack(socket_mode=True, port=slack_at.release()) as fake:
            assert again.wait_exit(timeout=60) == 2, again.output()
            assert fake.calls_to("auth.test")[-1].answered
    finally:
        slack_at.release()
        again.stop()
    output = again.output()
    lines = [line for line in output.splitlines() if line.strip()]
    assert lines[-1].startswith("error: SLACK_BOT_TOKEN: Slack refused it (invalid_auth)"), output
    assert output.count("Slack refused it") == 1, output
    assert token not in output and "Traceback" not in output, output
