"""Helpers for the failure tests: quick bots, counting what Slack shows, and running `python app.py` for real."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from adapters.runtime import Tuning
from sandbox.fake_slack import FakeSlack
from sandbox.sender import SECRET, SlackSender
from tests.harness import Bot, make_config, start_bot

ROOT = Path(__file__).resolve().parent.parent
# Short waits so a test of an outage takes seconds, not the minutes production allows.
QUICK = Tuning(
    slack_timeout=0.5, retry_base=0.05, retry_max=0.4, auth_retry_first=0.2, auth_retry_max=0.5, socket_check=0.2
)
CHANNELS = {"management": "CMGMT", "fallback": "CFALLBACK"}


def quick_bot(fake: FakeSlack, data: Path, **config: Any) -> Bot:
    """A bot on the fake Slack with short timeouts and retry delays (the caller stops it)."""
    config.setdefault("channels", CHANNELS)
    return start_bot(fake, make_config(str(data / "complaints.json"), **config), tuning=QUICK)


def number_of(answer_text: str) -> int:
    """The complaint number in a filing confirmation ("Filed as #12. …")."""
    return int(answer_text.split("#", 1)[1].split(".", 1)[0].split()[0])


def cards(fake: FakeSlack, channel: str = "CSUPPORT") -> list[dict[str, Any]]:
    """The bot's top-level messages in a channel (its cards there), oldest first."""
    return [m for m in fake.messages(channel) if m.get("user") == fake.bot_user_id]


def card_numbers(fake: FakeSlack, channel: str = "CSUPPORT") -> list[int]:
    """The complaint number of every card in a channel, in the order they were posted."""
    found = []
    for message in cards(fake, channel):
        title = str(message["blocks"][0]["text"]["text"])
        found.append(int(title.split("#", 1)[1].split()[0]))
    return found


def texts(messages: list[dict[str, Any]]) -> list[str]:
    """The text of each message."""
    return [str(m.get("text", "")) for m in messages]


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Poll a condition that another thread or process reaches."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class ReservedPort:
    """A local port held bound but not listening: a connection to it is refused, as to nothing at all, and no other
    test (in this process or another pytest-xdist worker) can take the port meanwhile, as one could take a port
    that `free_port` only found free. `release()` frees it just before the test's own server binds it."""

    def __init__(self) -> None:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.port = int(self._socket.getsockname()[1])

    def release(self) -> int:
        """Free the port for the server about to bind it; returns it."""
        self._socket.close()
        return self.port

    def __enter__(self) -> ReservedPort:
        return self

    def __exit__(self, *exc: object) -> None:
        self._socket.close()


def write_config(folder: Path, **values: Any) -> Path:
    """A YAML config in `folder` with the store there too."""
    data: dict[str, Any] = {"storage": {"path": str(folder / "data" / "complaints.json")}, "channels": CHANNELS}
    data.update(values)
    path = folder / "config.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


class BotProcess:
    """`python app.py` as a child process against the fake Slack, the way an operator runs it."""

    def __init__(self, fake: FakeSlack | None, config: Path | None, **env: str) -> None:
        self.port = free_port()
        base = {k: v for k, v in os.environ.items() if not k.startswith("SLACK_") and k != "ESCALATION_CONFIG"}
        base.update(
            SLACK_BOT_TOKEN="xoxb-test",
            SLACK_SIGNING_SECRET=SECRET,
            PORT=str(self.port),
            HOST="127.0.0.1",
            PYTHONUNBUFFERED="1",
        )
        if fake is not None:
            base["SLACK_API_URL"] = fake.url
        if config is not None:
            base["ESCALATION_CONFIG"] = str(config)
        base.update(env)
        self.env = {k: v for k, v in base.items() if v != ""}
        self.log = config.parent / f"bot-{self.port}.log" if config is not None else None
        self.proc: subprocess.Popen[bytes] | None = None
        self.slack = SlackSender(self.port)

    def start(self) -> BotProcess:
        """Start the process; its stdout and stderr go to one file."""
        out = open(self.log, "wb") if self.log else subprocess.PIPE  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "app.py"], cwd=ROOT, env=self.env, stdout=out, stderr=subprocess.STDOUT
        )
        return self

    def run(self, timeout: float = 20.0) -> tuple[int, str]:
        """Start and wait for it to exit by itself (a start-up failure); returns (exit code, output)."""
        self.proc = subprocess.Popen(
            [sys.executable, "app.py"], cwd=ROOT, env=self.env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
        )
        out, _ = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out.decode("utf-8", "replace")

    def health(self) -> tuple[int, Any] | None:
        """The /healthz answer, or None while nothing listens."""
        try:
            answer = self.slack.get("/healthz")
        except OSError:
            return None
        return answer.status, json.loads(answer.text)

    def outbox_depth(self) -> int:
        """How many effects the running bot still has queued, from /healthz."""
        answer = self.health()
        assert answer is not None
        return int(answer[1]["outbox"])

    def wait_ready(self, timeout: float = 20.0) -> None:
        """Until /healthz says ok (or the process died)."""

        def ready() -> bool:
            assert self.proc is not None
            if self.proc.poll() is not None:
                raise AssertionError(f"the bot exited with {self.proc.returncode}:\n{self.output()}")
            answer = self.health()
            return answer is not None and answer[0] == 200

        wait_until(ready, "the bot to be ready", timeout)

    def output(self) -> str:
        """Everything the process wrote so far."""
        return self.log.read_text("utf-8", "replace") if self.log and self.log.exists() else ""

    def wait_exit(self, timeout: float) -> int:
        """Wait for the process to exit by itself; returns its exit code."""
        assert self.proc is not None
        return int(self.proc.wait(timeout=timeout))

    def kill(self) -> None:
        """kill -9: no clean-up of any kind."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> int:
        """SIGTERM and wait; returns the exit code."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        return int(self.proc.returncode)
