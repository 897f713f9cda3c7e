"""Drives the running bot the way Slack does: signed HTTP requests in, the fake Web API recording what comes out."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import itertools
import json
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from adapters.runtime import Runtime, Tuning
from app import build_app
from bot.config import Config, Settings, parse_config
from bot.model import Complaint
from tests.fake_slack import FakeSlack

SECRET = "test-signing-secret"
_ids = itertools.count(1)


def sign(body: bytes, ts: int, secret: str = SECRET) -> str:
    """Slack's v0 request signature."""
    base = b"v0:" + str(ts).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Response:
    """What the app answered over HTTP."""

    status: int
    text: str
    headers: dict[str, str]

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.text)


class SlackSender:
    """Sends requests to the app's real endpoint exactly as Slack would, signed."""

    def __init__(self, port: int, secret: str = SECRET, timeout: float = 10.0) -> None:
        self.port = port
        self.secret = secret
        self.timeout = timeout

    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        signature: str | None = None,
        ts: int | None = None,
        headers: dict[str, str] | None = None,
        path: str = "/slack/events",
    ) -> Response:
        """POST raw bytes with Slack's headers."""
        ts = int(time.time()) if ts is None else ts
        all_headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": signature or sign(body, ts, self.secret),
            **(headers or {}),
        }
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        try:
            connection.request("POST", path, body=body, headers=all_headers)
            answer = connection.getresponse()
            return Response(answer.status, answer.read().decode("utf-8"), dict(answer.getheaders()))
        finally:
            connection.close()

    def get(self, path: str) -> Response:
        """GET, e.g. /healthz."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request("GET", path)
            answer = connection.getresponse()
            return Response(answer.status, answer.read().decode("utf-8"), dict(answer.getheaders()))
        finally:
            connection.close()

    def command(self, text: str, user: str = "UANA", channel: str = "CSUPPORT", **extra: str) -> Response:
        """A `/complaint` slash command."""
        fields = {
            "token": "vtok",
            "team_id": "T1",
            "team_domain": "acme",
            "channel_id": channel,
            "channel_name": "support",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/complaint",
            "text": text,
            "api_app_id": "A1",
            "is_enterprise_install": "false",
            "response_url": "http://127.0.0.1:9/commands/1",
            "trigger_id": f"trig.{next(_ids)}",
            **extra,
        }
        return self.post(urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def event(self, event: dict[str, Any], event_id: str | None = None, retry_num: int | None = None) -> Response:
        """An Events API callback."""
        body = {
            "type": "event_callback",
            "token": "vtok",
            "team_id": "T1",
            "api_app_id": "A1",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"team_id": "T1", "user_id": "UBOT", "is_bot": True}],
            "event": event,
        }
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}
        return self.post(json.dumps(body).encode(), "application/json", headers=headers)

    def reaction(
        self,
        channel: str,
        ts: str,
        user: str,
        emoji: str,
        added: bool = True,
        event_id: str | None = None,
        retry_num: int | None = None,
    ) -> Response:
        """reaction_added / reaction_removed on a message."""
        event = {
            "type": "reaction_added" if added else "reaction_removed",
            "user": user,
            "reaction": emoji,
            "item_user": "UBOT",
            "item": {"type": "message", "channel": channel, "ts": ts},
            "event_ts": f"{time.time():.6f}",
        }
        return self.event(event, event_id, retry_num)

    def reply(self, channel: str, thread_ts: str, user: str, text: str = "an update") -> Response:
        """A human reply in a thread."""
        ts = f"{time.time():.6f}"
        return self.event(
            {
                "type": "message",
                "user": user,
                "text": text,
                "ts": ts,
                "thread_ts": thread_ts,
                "channel": channel,
                "channel_type": "channel",
                "event_ts": ts,
            }
        )

    def interactive(self, payload: dict[str, Any]) -> Response:
        """An interactivity request: form body with one `payload` field."""
        return self.post(urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded")

    def button(
        self, action_id: str, value: str, user: str, channel: str = "CSUPPORT", message_ts: str = "1.0"
    ) -> Response:
        """A click on a button in a message."""
        return self.interactive(
            {
                "type": "block_actions",
                "api_app_id": "A1",
                "token": "vtok",
                "trigger_id": f"trig.{next(_ids)}",
                "user": {"id": user, "username": user.lower(), "team_id": "T1"},
                "team": {"id": "T1", "domain": "acme"},
                "channel": {"id": channel, "name": "support"},
                "response_url": "http://127.0.0.1:9/actions/1",
                "container": {
                    "type": "message",
                    "message_ts": message_ts,
                    "channel_id": channel,
                    "is_ephemeral": False,
                },
                "actions": [
                    {
                        "type": "button",
                        "action_id": action_id,
                        "block_id": "b",
                        "value": value,
                        "action_ts": f"{time.time():.6f}",
                    }
                ],
            }
        )

    def select(self, action_id: str, value: str, user: str, channel: str = "CSUPPORT") -> Response:
        """A choice in a static select in a message."""
        return self.interactive(
            {
                "type": "block_actions",
                "api_app_id": "A1",
                "token": "vtok",
                "trigger_id": f"trig.{next(_ids)}",
                "user": {"id": user, "team_id": "T1"},
                "team": {"id": "T1"},
                "channel": {"id": channel},
                "container": {"type": "message", "message_ts": "1.0", "channel_id": channel},
                "actions": [
                    {
                        "type": "static_select",
                        "action_id": action_id,
                        "block_id": "b",
                        "selected_option": {"text": {"type": "plain_text", "text": value}, "value": value},
                    }
                ],
            }
        )

    def submit(self, callback_id: str, values: dict[str, dict[str, Any]], user: str, metadata: str) -> Response:
        """A modal submission; `values` maps block_id to the input's state (e.g. {"value": "x"})."""
        state = {block: {"value": {"type": "plain_text_input", **field}} for block, field in values.items()}
        return self.interactive(
            {
                "type": "view_submission",
                "api_app_id": "A1",
                "trigger_id": f"trig.{next(_ids)}",
                "team": {"id": "T1"},
                "user": {"id": user, "team_id": "T1"},
                "view": {
                    "id": f"V{next(_ids):08d}",  # each opened modal has its own id
                    "type": "modal",
                    "callback_id": callback_id,
                    "private_metadata": metadata,
                    "state": {"values": state},
                    "hash": "h",
                    "blocks": [],
                },
            }
        )


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
        self.slack = SlackSender(runtime.http.port)

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
        """Wait until the outbox has delivered everything queued and every modal asked for is open."""
        self.wait(lambda: self.store.outbox_depth() == 0, "outbox to drain", timeout)
        executor = getattr(self.runtime.app, "listener_runner", None)
        if executor is not None and isinstance(executor.listener_executor, TrackedExecutor):
            self.wait(executor.listener_executor.idle, "modals to open", timeout)

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
    """Start a whole bot in this process against the fake Slack (`tuning` shortens its waits)."""
    kwargs: dict[str, Any] = {"now": now} if now else {}
    runtime = Runtime(make_settings(fake, **settings), config, tracked_app, tuning=tuning, **kwargs)
    runtime.start()
    return Bot(runtime, fake)
