"""Slack's side of the conversation with the bot: signed requests, as Slack sends them to its endpoint."""

from __future__ import annotations

import hashlib
import hmac
import http.client
import itertools
import json
import time
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

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
            "token": "vtok",
            "team_id": "T1",
            "api_app_id": "A1",
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": "T1",
                    "user_id": "UBOT",
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
            "event_context": f"4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJUMSJ9-{next(_ids)}",  # opaque to apps
            "context_team_id": "T1",
            "context_enterprise_id": None,
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
        item_user: str | None = "UBOT",
    ) -> Response:
        """reaction_added / reaction_removed on a message (``item_user``: who wrote it)."""
        event = {
            "type": "reaction_added" if added else "reaction_removed",
            "user": user,
            "reaction": emoji,
            "item_user": item_user,
            "item": {"type": "message", "channel": channel, "ts": ts},
            "event_ts": f"{time.time():.6f}",
        }
        if item_user is None:
            del event["item_user"]
        return self.event(event, event_id, retry_num)

    def reply(self, channel: str, thread_ts: str, user: str, text: str = "an update") -> Response:
        """A human reply in a thread."""
        ts = f"{time.time():.6f}"
        return self.message(channel, user, text, ts, thread_ts=thread_ts)

    def message(
        self,
        channel: str,
        user: str,
        text: str,
        ts: str,
        *,
        thread_ts: str | None = None,
        channel_type: str = "channel",
        team: str | None = None,
        parent_user_id: str | None = None,
        files: list[dict[str, Any]] | None = None,
    ) -> Response:
        """A person's message (message.channels / .groups / .im), a thread reply when ``thread_ts`` is given;
        with ``files`` (Slack's file objects) it is a file_share message, as Slack sends one."""
        event: dict[str, Any] = {"type": "message", "user": user, "text": text, "ts": ts}
        if files:
            event.update(subtype="file_share", files=files, upload=True, display_as_bot=False)
        if thread_ts:
            event["thread_ts"] = thread_ts
        if parent_user_id:
            event["parent_user_id"] = parent_user_id
        if team:
            event["team"] = team
        event.update(channel=channel, channel_type=channel_type, event_ts=ts)
        return self.event(event)

    def app_home_opened(self, user: str, channel: str, view: dict[str, Any] | None = None) -> Response:
        """A person opens the app's Home tab; ``view`` is the Home view published for them, if any."""
        event: dict[str, Any] = {"type": "app_home_opened", "user": user, "channel": channel, "tab": "home"}
        event["event_ts"] = f"{time.time():.6f}"
        if view is not None:
            event["view"] = view
        return self.event(event)

    def interactive(self, payload: dict[str, Any]) -> Response:
        """An interactivity request: form body with one `payload` field."""
        return self.post(urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded")

    def button(
        self, action_id: str, value: str, user: str, channel: str = "CSUPPORT", message_ts: str = "1.0"
    ) -> Response:
        """A click on a button in a message."""
        action = {"type": "button", "action_id": action_id, "block_id": "b", "value": value}
        return self.block_action(action, user, channel=channel, message_ts=message_ts)

    def select(self, action_id: str, value: str, user: str, channel: str = "CSUPPORT") -> Response:
        """A choice in a static select in a message."""
        option = {"text": {"type": "plain_text", "text": value}, "value": value}
        action = {"type": "static_select", "action_id": action_id, "block_id": "b", "selected_option": option}
        return self.block_action(action, user, channel=channel)

    def block_action(
        self,
        action: dict[str, Any],
        user: str,
        *,
        channel: str | None = None,
        message_ts: str = "1.0",
        ephemeral: bool = False,
        view: dict[str, Any] | None = None,
        message: dict[str, Any] | None = None,
        team: str = "T1",
        trigger_id: str | None = None,
        response_url: str = "http://127.0.0.1:9/actions/1",
    ) -> Response:
        """A click or choice on an element: in a message in ``channel``, or in a modal or Home tab (``view``)."""
        payload: dict[str, Any] = {
            "type": "block_actions",
            "api_app_id": "A1",
            "token": "vtok",
            "trigger_id": trigger_id or f"trig.{next(_ids)}",
            "user": {"id": user, "username": user.lower(), "name": user.lower(), "team_id": team},
            "team": {"id": "T1", "domain": "acme"},
        }
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view.get("id", "")}
            payload["view"] = view
        else:
            payload["channel"] = {"id": channel or "CSUPPORT", "name": "support"}
            payload["response_url"] = response_url
            payload["container"] = {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel or "CSUPPORT",
                "is_ephemeral": ephemeral,
            }
            if message is not None:
                payload["message"] = message
            payload["state"] = {"values": {}}
        payload["actions"] = [{**action, "action_ts": f"{time.time():.6f}"}]
        return self.interactive(payload)

    def message_shortcut(
        self,
        callback_id: str,
        message: dict[str, Any],
        user: str,
        channel: str,
        *,
        team: str = "T1",
        trigger_id: str | None = None,
        response_url: str = "http://127.0.0.1:9/actions/1",
    ) -> Response:
        """A message shortcut (the message's "More actions" menu), as a message_action payload."""
        return self.interactive(
            {
                "type": "message_action",
                "callback_id": callback_id,
                "trigger_id": trigger_id or f"trig.{next(_ids)}",
                "message_ts": message.get("ts", ""),
                "response_url": response_url,
                "message": message,
                "team": {"id": "T1", "domain": "acme"},
                "user": {"id": user, "name": user.lower(), "team_id": team},
                "channel": {"id": channel, "name": "support"},
                "token": "vtok",
                "action_ts": f"{time.time():.6f}",
                "is_enterprise_install": False,
            }
        )

    def submit(self, callback_id: str, values: dict[str, dict[str, Any]], user: str, metadata: str) -> Response:
        """A modal submission; `values` maps block_id to the input's state (e.g. {"value": "x"})."""
        state = {block: {"value": {"type": "plain_text_input", **field}} for block, field in values.items()}
        view = {
            "id": f"V{next(_ids):08d}",  # each opened modal has its own id
            "type": "modal",
            "callback_id": callback_id,
            "private_metadata": metadata,
            "hash": "h",
            "blocks": [],
        }
        return self.view_submission(view, state, user)

    def view_submission(
        self,
        view: dict[str, Any],
        values: dict[str, dict[str, Any]],
        user: str,
        *,
        team: str = "T1",
        trigger_id: str | None = None,
    ) -> Response:
        """A modal submitted: the view as Slack keeps it, with ``values`` (block_id -> action_id -> state)."""
        return self.interactive(
            {
                "type": "view_submission",
                "api_app_id": "A1",
                "trigger_id": trigger_id or f"trig.{next(_ids)}",
                "team": {"id": "T1"},
                "user": {"id": user, "team_id": team},
                "view": {**view, "state": {"values": values}},
            }
        )

    def view_closed(self, view: dict[str, Any], user: str, *, team: str = "T1", is_cleared: bool = False) -> Response:
        """A modal closed with its close button (sent only for views opened with notify_on_close)."""
        return self.interactive(
            {
                "type": "view_closed",
                "api_app_id": "A1",
                "token": "vtok",
                "team": {"id": "T1", "domain": "acme"},
                "user": {"id": user, "name": user.lower(), "team_id": team},
                "view": view,
                "is_cleared": is_cleared,
                "is_enterprise_install": False,
            }
        )
