"""Drives the running bot the way Slack does: signed HTTP requests in, the fake Web API recording what comes out."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import replace
from datetime import datetime
from typing import Any

from adapters.runtime import Runtime, Tuning
from app import build_app
from bot.config import Config, Settings, parse_config
from bot.model import Complaint
from sandbox.app_manifest import AppManifest
from sandbox.fake_slack import FakeSlack
from sandbox.sender import SECRET, Response, SlackSender
from tests.slack_samples import check_request


def make_config(storage_path: str, **values: Any) -> Config:
    """A config as a YAML document would give it, with the store in the test's folder."""
    data = {"storage": {"path": storage_path}, **values}
    return parse_config(data, {})


def make_settings(fake: FakeSlack, **values: Any) -> Settings:
    """Settings for a bot talking to the fake Slack, serving on an ephemeral port."""
    base = Settings(
        bot_token="xoxb-test", app_token=None, signing_secret=SECRET, api_url=fake.url, host="127.0.0.1", port=0
    )
    return replace(base, **values)


class Bot:
    """A running bot under test, with shortcuts for what people do in Slack."""

    def __init__(self, runtime: Runtime, fake: FakeSlack) -> None:
        self.runtime = runtime
        self.fake = fake
        # Every request a test sends is held against Slack's sample of it as it is built.
        self.slack = SlackSender(
            runtime.http.port, on_send=check_request, messages=fake.message, shared=fake.is_ext_shared
        )

    @property
    def store(self) -> Any:
        """The bot's store."""
        return self.runtime.store

    def complaint(self, number: int) -> Complaint:
        """The stored complaint."""
        complaint = self.store.get(number)
        assert complaint is not None, f"#{number} is not stored"
        return complaint

    def file(self, text: str = "Müller GmbH got the wrong parts", user: str = "UANA", channel: str = "CSUPPORT") -> int:
        """File by slash command and wait for the card; returns the number."""
        answer = self.slack.command(text, user=user, channel=channel)
        assert answer.status == 200, answer.text
        number = int(answer.text.split("#", 1)[1].split(".", 1)[0].split()[0])
        self.wait(lambda: self.complaint(number).card_ts is not None, f"card of #{number}")
        return number

    def card(self, number: int) -> dict[str, Any]:
        """The card message as Slack has it now."""
        complaint = self.complaint(number)
        message = self.fake.message(complaint.channel, complaint.card_ts or "")
        assert message is not None
        return message

    def react(self, number: int, user: str, emoji: str = "raising_hand", added: bool = True, **kw: Any) -> Response:
        """React on the complaint's card."""
        complaint = self.complaint(number)
        return self.slack.reaction(complaint.channel, complaint.card_ts or "", user, emoji, added, **kw)

    def thread(self, number: int) -> list[dict[str, Any]]:
        """The replies in the card's thread."""
        complaint = self.complaint(number)
        return self.fake.messages(complaint.channel, complaint.card_ts)

    def settle(self, timeout: float = 5.0) -> None:
        """Wait until the outbox has delivered everything queued and bolt's executor is idle: every modal asked
        for is open, and every request that waited for a lookup in Slack has been handled (and may have queued
        more for the outbox)."""
        runner = getattr(self.runtime.app, "listener_runner", None)
        executor = runner.listener_executor if runner is not None else None
        tracked = executor if isinstance(executor, TrackedExecutor) else None

        def quiet() -> bool:
            return (tracked is None or tracked.idle()) and self.store.outbox_depth() == 0

        self.wait(quiet, "outbox to drain and the listener executor to be idle", timeout)

    @staticmethod
    def wait(condition: Callable[[], bool], what: str, timeout: float = 5.0) -> None:
        """Poll a condition the bot reaches asynchronously."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}")
            time.sleep(0.01)

    def stop(self) -> None:
        """Stop the bot."""
        self.runtime.stop()


class TrackedExecutor(ThreadPoolExecutor):
    """bolt's listener executor (modals open there), telling the tests when it has nothing left to do."""

    def __init__(self) -> None:
        super().__init__(max_workers=10, thread_name_prefix="bolt-listener")
        self._pending = 0
        self._lock = threading.Lock()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        """Run `fn`, counted until it has finished."""
        with self._lock:
            self._pending += 1
        future = super().submit(fn, *args, **kwargs)
        future.add_done_callback(self._done)
        return future

    def _done(self, _: Future[Any]) -> None:
        """One task less."""
        with self._lock:
            self._pending -= 1

    def idle(self) -> bool:
        """Nothing queued or running."""
        with self._lock:
            return self._pending == 0


def tracked_app(settings: Settings, services: Any, client: Any) -> Any:
    """The app as `app.py` builds it, with a listener executor the tests can wait for."""
    app = build_app(settings, services, client)
    app.listener_runner.listener_executor = TrackedExecutor()
    return app


def start_bot(
    fake: FakeSlack,
    config: Config,
    now: Callable[[], datetime] | None = None,
    tuning: Tuning | None = None,
    **settings: Any,
) -> Bot:
    """Start a whole bot in this process against the fake Slack (`tuning` shortens its waits).

    Unless the test granted other scopes, the bot's token has those manifest.yml asks for, as after installing it.
    """
    if fake.bot_scopes is None:
        fake.bot_scopes = set(AppManifest.load().bot_scopes)
    kwargs: dict[str, Any] = {"now": now} if now else {}
    runtime = Runtime(make_settings(fake, **settings), config, tracked_app, tuning=tuning, **kwargs)
    runtime.start()
    return Bot(runtime, fake)
