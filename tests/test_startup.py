"""Starting against a sick Slack: wait and say why for an outage, stop with one clear line for a bad token."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from adapters.runtime import Runtime, Stopped
from app import build_app
from sandbox.fake_slack import FakeSlack
from sandbox.sender import SlackSender
from tests.harness import make_config, make_settings
from tests.robustness import QUICK, BotProcess, ReservedPort, wait_until, write_config


class Starting:
    """A Runtime whose start() runs in a thread, so the test can look at it while it waits for Slack."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._start, daemon=True)
        self.thread.start()
        wait_until(lambda: runtime.http.port > 0, "the HTTP port")
        self.slack = SlackSender(runtime.http.port)

    def _start(self) -> None:
        """Run start(), keeping what it raised."""
        try:
            self.runtime.start()
        except BaseException as exc:  # the test inspects it
            self.error = exc

    def health(self) -> tuple[int, dict[str, object]]:
        """The /healthz status and body."""
        answer = self.slack.get("/healthz")
        return answer.status, answer.json()


@pytest.fixture
def starting(fake: FakeSlack, tmp_path: Path) -> Iterator[Callable[..., Starting]]:
    """Start runtimes in the background; each is stopped after the test."""
    runtimes: list[Starting] = []

    def make(**settings: object) -> Starting:
        config = make_config(str(tmp_path / "data" / "complaints.json"))
        runtime = Runtime(make_settings(fake, **settings), config, build_app, tuning=QUICK)
        started = Starting(runtime)
        runtimes.append(started)
        return started

    yield make
    for started in runtimes:
        started.runtime.stopped.set()
        started.thread.join(timeout=10)
        started.runtime.stop()


def test_slack_answering_5xx_at_start_is_waited_out_while_healthz_says_starting(
    fake: FakeSlack, starting: Callable[..., Starting], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    fake.fail("auth.test", status=503, times=-1)
    bot = starting()
    wait_until(lambda: len(fake.calls_to("auth.test")) >= 4, "auth.test to be retried")
    assert bot.health() == (503, {"status": "starting"})
    command = bot.slack.command("wrong parts")
    assert command.status == 503
    waits = [r.getMessage() for r in caplog.records if r.name == "complaints" and "auth.test" in r.getMessage()]
    assert waits and all("trying again in" in line for line in waits), waits
    fake.heal()
    wait_until(lambda: bot.runtime.ready, "the bot to be ready")
    status, body = bot.health()
    assert status == 200 and body["status"] == "ok"
    assert bot.slack.command("wrong parts").text.startswith("Filed as #1")
    assert bot.error is None


def test_slack_unreachable_at_start_is_retried_and_logged(
    fake: FakeSlack, starting: Callable[..., Starting], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    with ReservedPort() as nowhere:
        bot = starting(api_url=f"http://127.0.0.1:{nowhere.port}/api/")
        wait_until(lambda: sum("unreachable" in r.getMessage() for r in caplog.records) >= 2, "two retries")
        assert bot.health() == (503, {"status": "starting"})
        bot.runtime.stopped.set()
    bot.thread.join(timeout=10)
    assert isinstance(bot.error, Stopped)
    assert not [r for r in caplog.records if r.exc_info], "a traceback was logged"


@pytest.mark.parametrize(("token", "code"), [("xoxb-invalid", "invalid_auth"), ("xoxb-revoked", "token_revoked")])
def test_a_refused_token_exits_2_with_one_line(fake: FakeSlack, tmp_path: Path, token: str, code: str) -> None:
    exit_code, output = BotProcess(fake, write_config(tmp_path), SLACK_BOT_TOKEN=token).run()
    assert exit_code == 2, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1, output
    assert lines[0].startswith("error: SLACK_BOT_TOKEN") and code in lines[0]
    assert token not in output and "Traceback" not in output
    assert len(fake.calls_to("auth.test")) == 1  # no waiting for a token that will never work


def test_a_missing_bot_token_exits_2_naming_it_the_manifest_and_the_demo(tmp_path: Path) -> None:
    exit_code, output = BotProcess(None, write_config(tmp_path), SLACK_BOT_TOKEN="").run()
    assert exit_code == 2, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and "SLACK_BOT_TOKEN" in lines[0] and "manifest.yml" in lines[0], output
    assert "make demo" in lines[0], output


def test_the_process_waits_for_slack_and_serves_healthz_meanwhile(fake: FakeSlack, tmp_path: Path) -> None:
    fake.fail("auth.test", status=500, times=-1)
    bot = BotProcess(fake, write_config(tmp_path)).start()
    try:
        wait_until(lambda: bot.health() == (503, {"status": "starting"}), "healthz to answer")
        wait_until(lambda: "Slack is not answering auth.test" in bot.output(), "the reason in the log")
        fake.heal()
        bot.wait_ready(timeout=30)
    finally:
        assert bot.stop() == 0
    assert "Slack is not answering auth.test" in bot.output()
    assert "Traceback" not in bot.output()


def test_settings_are_not_in_a_repr(fake: FakeSlack) -> None:
    settings = replace(make_settings(fake), app_token="xapp-1-secret")
    assert "xoxb-test" not in repr(settings) and "xapp-1-secret" not in repr(settings)
