"""What Slack says about the app itself (tokens revoked, uninstalled, events held back) is a warning in the log,
over HTTP and over Socket Mode, and held-back events are counted in /metrics."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox.fake_slack import FakeSlack
from tests.harness import Bot, make_config, start_bot
from tests.robustness import CHANNELS, QUICK
from tests.slack_samples import answer_problems, check_request

RATE_LIMITED = "complaint_desk_app_rate_limited_total"


def warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The warnings logged so far."""
    return [record.getMessage() for record in caplog.records if record.levelno == logging.WARNING]


def counted(bot: Bot) -> float:
    """How many app_rate_limited notices /metrics shows."""
    lines = [line for line in bot.slack.get("/metrics").text.splitlines() if line.startswith(RATE_LIMITED)]
    assert len(lines) == 1, lines
    return float(lines[0].split()[-1])


def test_revoked_tokens_are_a_warning_naming_whose(bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    event = bot.slack.tokens_revoked_event(["UBOT"], ["UANA"])
    assert bot.slack.event(event).status == 200
    [line] = [w for w in warnings(caplog) if "tokens_revoked" in w]
    assert "bot tokens of UBOT" in line and "user tokens of UANA" in line and "reinstall" in line
    assert bot.fake.calls_to("chat.postMessage") == []


def test_uninstalling_the_app_is_a_warning_naming_the_workspace(bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    assert bot.slack.event(bot.slack.app_uninstalled_event()).status == 200
    [line] = [w for w in warnings(caplog) if "app_uninstalled" in w]
    assert "uninstalled from workspace T1" in line


def test_held_back_events_are_a_warning_and_counted(bot: Bot, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING)
    assert counted(bot) == 0
    answer = bot.slack.app_rate_limited(minute=1518467820)
    assert answer.status == 200 and answer.text == ""
    [line] = [w for w in warnings(caplog) if "app_rate_limited" in w]
    assert "workspace T1 since 20:37 UTC" in line
    assert counted(bot) == 1
    bot.slack.app_rate_limited()
    assert counted(bot) == 2
    assert bot.file() == 1  # and the bot goes on as usual


@pytest.fixture
def socket_bot(tmp_path: Path) -> Iterator[Bot]:
    """A bot in Socket Mode against its own fake."""
    with FakeSlack(socket_mode=True) as fake:
        assert fake.socket is not None
        config = make_config(str(tmp_path / "data" / "complaints.json"), channels=CHANNELS)
        bot = start_bot(fake, config, tuning=QUICK, app_token="xapp-1-A1-test", signing_secret=None)
        fake.socket.wait_connections(1)
        yield bot
        bot.stop()
        assert answer_problems(fake.calls) == []


def test_over_socket_mode_each_notice_is_acknowledged_warned_and_counted(
    socket_bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    socket, slack = socket_bot.fake.socket, socket_bot.slack
    assert socket is not None
    bodies = [
        slack.event_body(slack.tokens_revoked_event(["UBOT"], [])),
        slack.event_body(slack.app_uninstalled_event()),
        slack.app_rate_limited_body(),
    ]
    for body in bodies:
        socket.wait_ack(socket.send_envelope("events_api", body))
    said = " ".join(warnings(caplog))
    assert "tokens_revoked" in said and "app_uninstalled" in said and "app_rate_limited" in said
    assert counted(socket_bot) == 1


def test_the_notices_are_shaped_as_slack_sends_them() -> None:
    from sandbox.sender import SlackSender

    slack = SlackSender(0, on_send=check_request)
    slack.event_body(slack.tokens_revoked_event(["UBOT"], ["UANA"]))
    slack.event_body(slack.app_uninstalled_event())
    slack.app_rate_limited_body()
