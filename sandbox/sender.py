"""Slack's side of the conversation with the bot: signed requests, shaped as Slack sends them to its endpoint.

Every body is built field by field after Slack's own published payloads (the samples Slack's Java SDK keeps as
test data): the same field names, JSON types and nesting, and nothing Slack does not send. The builders return
plain dicts, so the same payloads can travel over HTTP (signed) or in a Socket Mode envelope.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import itertools
import json
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

SECRET = "test-signing-secret"
ACK_DEADLINE = 3.0  # seconds Slack waits for an answer before it counts a request as failed
RESPONSE_URL = "http://127.0.0.1:9/actions/1"  # where respond() would post; nothing listens, nothing leaves
_ids = itertools.count(1)

Json = dict[str, Any]
Observer = Callable[[str, Json], None]
MessageLookup = Callable[[str, str], Json | None]


def sign(body: bytes, ts: int, secret: str = SECRET) -> str:
    """Slack's v0 request signature."""
    base = b"v0:" + str(ts).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def now_ts() -> str:
    """A message timestamp as Slack writes them: seconds, a dot, six digits."""
    return f"{time.time():.6f}"


def _plain(text: str) -> Json:
    """A plain_text object as Slack echoes it back in payloads."""
    return {"type": "plain_text", "text": text, "emoji": True}


@dataclass
class Response:
    """What the app answered over HTTP."""

    status: int
    text: str
    headers: dict[str, str]

    def json(self) -> Any:
        """The body as JSON."""
        return json.loads(self.text)


@dataclass(frozen=True)
class Installation:
    """Where the app is installed, as every request names it: workspace, app and bot user.

    `enterprise_id` stays None outside Enterprise Grid: Slack then sends null (authorizations, enterprise) or
    leaves the field out (commands).
    """

    team_id: str = "T1"
    team_domain: str = "acme"
    app_id: str = "A1"
    bot_user_id: str = "UBOT"
    enterprise_id: str | None = None
    enterprise_name: str | None = None
    verification_token: str = "vtok"
    org_wide: bool = False  # installed on the whole Enterprise Grid organisation: is_enterprise_install true


class SlackSender:
    """Sends requests to the app's real endpoint exactly as Slack would, signed.

    `on_send` sees every payload a builder made (kind, body) before it goes out, so tests can hold it against
    Slack's samples; `messages` finds the message a button or shortcut is on, which Slack sends along whole.
    """

    def __init__(
        self,
        port: int,
        secret: str = SECRET,
        timeout: float = 10.0,
        *,
        installation: Installation | None = None,
        on_send: Observer | None = None,
        messages: MessageLookup | None = None,
        shared: Callable[[str], bool] | None = None,
    ) -> None:
        self.port = port
        self.secret = secret
        self.timeout = timeout
        self.installation = installation or Installation()
        self.on_send = on_send
        self.messages = messages
        self.shared = shared  # whether a channel is shared with another organisation (Slack Connect)

    # -- transport

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

    def _built(self, kind: str, body: Json) -> Json:
        """Hand a freshly built payload to the observer, then return it."""
        if self.on_send is not None:
            self.on_send(kind, body)
        return body

    # -- slash commands

    def command_fields(self, text: str, user: str = "UANA", channel: str = "CSUPPORT", **extra: str) -> dict[str, str]:
        """The form fields of a `/complaint` slash command (enterprise fields only inside Enterprise Grid)."""
        where = self.installation
        fields = {
            "token": where.verification_token,
            "team_id": where.team_id,
            "team_domain": where.team_domain,
            "channel_id": channel,
            "channel_name": _channel_name(channel),
            "user_id": user,
            "user_name": user.lower(),
            "command": "/complaint",
            "text": text,
            "api_app_id": where.app_id,
            "is_enterprise_install": "true" if where.org_wide else "false",
            "response_url": "http://127.0.0.1:9/commands/1",
            "trigger_id": self._trigger(),
        }
        if where.enterprise_id:
            fields.update(enterprise_id=where.enterprise_id, enterprise_name=where.enterprise_name or "")
        fields.update(extra)
        return self._built("command", fields)

    def command(self, text: str, user: str = "UANA", channel: str = "CSUPPORT", **extra: str) -> Response:
        """A `/complaint` slash command."""
        fields = self.command_fields(text, user, channel, **extra)
        return self.post(urlencode(fields).encode(), "application/x-www-form-urlencoded")

    # -- events

    def event_body(self, event: Json, event_id: str | None = None) -> Json:
        """An Events API callback around `event`, with every envelope field Slack sends."""
        where = self.installation
        body = {
            "token": where.verification_token,
            "team_id": where.team_id,
            "api_app_id": where.app_id,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{next(_ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": where.enterprise_id,
                    "team_id": where.team_id,
                    "user_id": where.bot_user_id,
                    "is_bot": True,
                    "is_enterprise_install": where.org_wide,
                }
            ],
            "is_ext_shared_channel": self._shared(event),
            "event_context": f"4-eyJldCI6Im1lc3NhZ2UiLCJ0aWQiOiJ{where.team_id}In0-{next(_ids)}",  # opaque to apps
            "context_team_id": where.team_id,
            "context_enterprise_id": where.enterprise_id,
        }
        if where.enterprise_id:
            body["enterprise_id"] = where.enterprise_id
        return self._built("event", body)

    def _shared(self, event: Json) -> bool:
        """is_ext_shared_channel: whether the event's channel is shared with another organisation."""
        item = event.get("item")
        channel = event.get("channel") or (item.get("channel") if isinstance(item, dict) else None)
        return bool(self.shared and isinstance(channel, str) and self.shared(channel))

    def event(self, event: Json, event_id: str | None = None, retry_num: int | None = None) -> Response:
        """An Events API callback."""
        body = self.event_body(event, event_id)
        headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"} if retry_num else {}
        return self.post(json.dumps(body).encode(), "application/json", headers=headers)

    def reaction_event(
        self, channel: str, ts: str, user: str, emoji: str, added: bool = True, item_user: str | None = "UBOT"
    ) -> Json:
        """reaction_added / reaction_removed on a message; `item_user` wrote it (absent when no person did)."""
        event = {
            "type": "reaction_added" if added else "reaction_removed",
            "user": user,
            "item": {"type": "message", "channel": channel, "ts": ts},
            "reaction": emoji,
            "item_user": item_user,
            "event_ts": now_ts(),
        }
        if item_user is None:
            del event["item_user"]
        return event

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
        return self.event(self.reaction_event(channel, ts, user, emoji, added, item_user), event_id, retry_num)

    def message_event(
        self,
        channel: str,
        user: str,
        text: str,
        ts: str | None = None,
        *,
        thread_ts: str | None = None,
        subtype: str | None = None,
        channel_type: str | None = None,
        team: str | None = None,
        parent_user_id: str | None = None,
        files: list[Json] | None = None,
    ) -> Json:
        """A message someone wrote, as Slack delivers it: a plain one, or one of the subtypes people write.

        `thread_broadcast` is a reply also sent to the channel, `file_share` a file posted with the message (with
        `files`, Slack's file objects, or one photo), `me_message` a `/me` line. A reply names its thread and the
        thread's author (the bot, unless given).
        """
        ts = ts or now_ts()
        subtype = "file_share" if files else subtype
        event: Json = {"type": "message", "channel": channel, "user": user, "text": text, "ts": ts}
        if subtype is None:
            event.update(client_msg_id=str(uuid.uuid4()), team=team or self.installation.team_id)
        else:
            event["subtype"] = subtype
        if subtype == "thread_broadcast":
            event["client_msg_id"] = str(uuid.uuid4())
        if thread_ts:
            event["thread_ts"] = thread_ts
            parent = parent_user_id or self.installation.bot_user_id
            if subtype == "thread_broadcast":
                event["root"] = {"type": "message", "user": parent, "ts": thread_ts, "thread_ts": thread_ts}
            else:
                event["parent_user_id"] = parent
        if subtype == "file_share":
            event.update(files=files or [_file(user)], upload=True, display_as_bot=False)
        event.update(event_ts=ts, channel_type=channel_type or _channel_type(channel))
        return event

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
        event = self.message_event(
            channel,
            user,
            text,
            ts,
            thread_ts=thread_ts,
            channel_type=channel_type,
            team=team,
            parent_user_id=parent_user_id,
            files=files,
        )
        return self.event(event)

    def reply(
        self, channel: str, thread_ts: str, user: str, text: str = "an update", subtype: str | None = None
    ) -> Response:
        """A person's reply in a thread (or, with a subtype, a broadcast reply, a file, a /me line)."""
        return self.event(self.message_event(channel, user, text, thread_ts=thread_ts, subtype=subtype))

    def edit_event(self, channel: str, thread_ts: str, ts: str, user: str, text: str, old_text: str = "") -> Json:
        """message_changed: someone edited their reply in a thread."""
        now = now_ts()
        message: Json = {"type": "message", "user": user, "text": text, "ts": ts, "thread_ts": thread_ts}
        message.update(edited={"user": user, "ts": now}, parent_user_id=self.installation.bot_user_id)
        previous = {**message, "text": old_text}
        previous.pop("edited")
        return {
            "type": "message",
            "subtype": "message_changed",
            "channel": channel,
            "hidden": True,
            "message": message,
            "previous_message": previous,
            "event_ts": now,
            "ts": now,
            "channel_type": _channel_type(channel),
        }

    def delete_event(self, channel: str, thread_ts: str, ts: str, user: str, text: str = "") -> Json:
        """message_deleted: someone deleted their reply in a thread."""
        now = now_ts()
        previous = {"type": "message", "user": user, "text": text, "ts": ts, "thread_ts": thread_ts}
        return {
            "type": "message",
            "subtype": "message_deleted",
            "channel": channel,
            "hidden": True,
            "deleted_ts": ts,
            "previous_message": previous,
            "event_ts": now,
            "ts": now,
            "channel_type": _channel_type(channel),
        }

    def join_event(self, channel: str, user: str) -> Json:
        """channel_join: someone joined the channel (Slack posts the line itself)."""
        ts = now_ts()
        return {
            "type": "message",
            "subtype": "channel_join",
            "team": self.installation.team_id,
            "user": user,
            "channel": channel,
            "channel_type": _channel_type(channel),
            "text": f"<@{user}> has joined the channel",
            "ts": ts,
            "event_ts": ts,
        }

    def bot_message_event(self, channel: str, bot_id: str, text: str, thread_ts: str | None = None) -> Json:
        """bot_message: another integration posted (no user, a bot id)."""
        ts = now_ts()
        event: Json = {"type": "message", "subtype": "bot_message", "bot_id": bot_id, "username": "another bot"}
        event.update(channel=channel, text=text, ts=ts)
        if thread_ts:
            event["thread_ts"] = thread_ts
        event.update(event_ts=ts, channel_type=_channel_type(channel))
        return event

    def member_joined(self, channel: str, user: str, inviter: str, *, private: bool = False) -> Response:
        """member_joined_channel: someone (the bot, when invited) joined a channel (MemberJoinedChannelPayload)."""
        event = {
            "type": "member_joined_channel",
            "user": user,
            "channel": channel,
            "channel_type": "G" if private else "C",
            "team": self.installation.team_id,
            "inviter": inviter,
            "event_ts": now_ts(),
        }
        return self.event(event)

    def member_left(self, channel: str, user: str, *, private: bool = False) -> Response:
        """member_left_channel: someone left a channel or was removed (MemberLeftChannelPayload)."""
        event = {
            "type": "member_left_channel",
            "user": user,
            "channel": channel,
            "channel_type": "G" if private else "C",
            "team": self.installation.team_id,
            "event_ts": now_ts(),
        }
        return self.event(event)

    def left(self, channel: str, actor: str, *, private: bool = False) -> Response:
        """channel_left / group_left: the bot itself left or was removed by `actor` (ChannelLeftPayload)."""
        kind = "group_left" if private else "channel_left"
        return self.event({"type": kind, "channel": channel, "actor_id": actor, "event_ts": now_ts()})

    def channel_shared(self, channel: str, connected_team: str) -> Response:
        """channel_shared: another organisation joined the channel (ChannelSharedPayload)."""
        event = {
            "type": "channel_shared",
            "connected_team_id": connected_team,
            "channel": channel,
            "event_ts": now_ts(),
        }
        return self.event(event)

    def channel_unshared(self, channel: str, team: str, *, still_shared: bool = False) -> Response:
        """channel_unshared: an organisation left a shared channel (ChannelUnsharedPayload)."""
        event = {
            "type": "channel_unshared",
            "previously_connected_team_id": team,
            "channel": channel,
            "is_ext_shared": still_shared,
            "event_ts": now_ts(),
        }
        return self.event(event)

    def home_opened_event(
        self, user: str, channel: str | None = None, view: Json | None = None, tab: str = "home"
    ) -> Json:
        """app_home_opened: someone opened the app's Home tab; `view` is the Home view published for them, if any."""
        event: Json = {"type": "app_home_opened", "user": user, "channel": channel or f"D{user}", "tab": tab}
        event["event_ts"] = now_ts()
        if view is not None:
            event["view"] = view
        return event

    def app_home_opened(self, user: str, channel: str, view: Json | None = None) -> Response:
        """A person opens the app's Home tab; ``view`` is the Home view published for them, if any."""
        return self.event(self.home_opened_event(user, channel, view))

    @staticmethod
    def tokens_revoked_event(bot_users: list[str], users: list[str]) -> Json:
        """tokens_revoked: tokens of the app stopped working; Slack names whose (bot users, people)."""
        return {"type": "tokens_revoked", "tokens": {"oauth": users, "bot": bot_users}}

    @staticmethod
    def app_uninstalled_event() -> Json:
        """app_uninstalled: the app was removed from the workspace."""
        return {"type": "app_uninstalled"}

    def app_rate_limited_body(self, minute: int | None = None) -> Json:
        """app_rate_limited: no envelope, no inner event; the body itself says which minute Slack stopped."""
        where = self.installation
        body = {
            "token": where.verification_token,
            "type": "app_rate_limited",
            "team_id": where.team_id,
            "minute_rate_limited": minute if minute is not None else int(time.time()) // 60 * 60,
            "api_app_id": where.app_id,
        }
        return self._built("app_rate_limited", body)

    def app_rate_limited(self, minute: int | None = None) -> Response:
        """Slack tells the app it holds back its events (over HTTP, signed like every request)."""
        return self.post(json.dumps(self.app_rate_limited_body(minute)).encode(), "application/json")

    # -- interactivity

    def interactive(self, payload: Json) -> Response:
        """An interactivity request: form body with one `payload` field."""
        return self.post(urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded")

    def _team(self) -> Json:
        """The `team` object of an interaction: the workspace the app is installed in."""
        where = self.installation
        team: Json = {"id": where.team_id, "domain": where.team_domain}
        if where.enterprise_id:
            team.update(enterprise_id=where.enterprise_id, enterprise_name=where.enterprise_name or "")
        return team

    def _user(self, user: str, team: str | None = None, *, username: bool = True) -> Json:
        """The `user` object of an interaction; `team` is the person's own (message shortcuts: no `username`)."""
        shown: Json = {"id": user, "username": user.lower(), "name": user.lower()}
        shown["team_id"] = team or self.installation.team_id
        if not username:
            shown.pop("username")
        return shown

    def _enterprise(self) -> Json | None:
        """The `enterprise` object, null outside Enterprise Grid."""
        where = self.installation
        return {"id": where.enterprise_id, "name": where.enterprise_name or ""} if where.enterprise_id else None

    def _message(self, channel: str, message_ts: str) -> Json:
        """The message an action happened on, whole, as Slack sends it along (or a bare one if unknown)."""
        found = self.messages(channel, message_ts) if self.messages is not None else None
        if found is not None:
            return found
        where = self.installation
        return {
            "type": "message",
            "user": where.bot_user_id,
            "ts": message_ts,
            "bot_id": "BBOT",
            "app_id": where.app_id,
            "text": "",
            "team": where.team_id,
            "blocks": [],
        }

    def _trigger(self) -> str:
        """A fresh trigger_id, shaped like Slack's."""
        return f"{next(_ids)}.{int(time.time())}.{uuid.uuid4().hex}"

    def block_actions_payload(
        self,
        action: Json,
        user: str,
        *,
        channel: str | None = None,
        message_ts: str = "1.0",
        ephemeral: bool = False,
        view: Json | None = None,
        message: Json | None = None,
        team: str | None = None,
        trigger_id: str | None = None,
        response_url: str = RESPONSE_URL,
    ) -> Json:
        """A block_actions payload: a click or choice in a message in `channel`, or in a modal or Home tab."""
        where = self.installation
        payload: Json = {
            "type": "block_actions",
            "user": self._user(user, team),
            "api_app_id": where.app_id,
            "token": where.verification_token,
            "trigger_id": trigger_id or self._trigger(),
            "team": self._team(),
            "enterprise": self._enterprise(),
            "is_enterprise_install": where.org_wide,
        }
        if view is not None:
            payload["container"] = {"type": "view", "view_id": view.get("id", "")}
            payload["view"] = view
            payload["state"] = view.get("state") or {"values": {}}
        else:
            channel = channel or "CSUPPORT"
            payload["container"] = {
                "type": "message",
                "message_ts": message_ts,
                "channel_id": channel,
                "is_ephemeral": ephemeral,
            }
            payload["channel"] = {"id": channel, "name": _channel_name(channel)}
            if not ephemeral:  # Slack keeps no copy of an ephemeral message to send along
                payload["message"] = message if message is not None else self._message(channel, message_ts)
            payload["state"] = {"values": {}}
            payload["response_url"] = response_url
        payload["actions"] = [{**action, "action_ts": now_ts()}]
        return self._built("block_actions", payload)

    def block_action(
        self,
        action: Json,
        user: str,
        *,
        channel: str | None = None,
        message_ts: str = "1.0",
        ephemeral: bool = False,
        view: Json | None = None,
        message: Json | None = None,
        team: str = "T1",
        trigger_id: str | None = None,
        response_url: str = RESPONSE_URL,
    ) -> Response:
        """A click or choice on an element: in a message in ``channel``, or in a modal or Home tab (``view``)."""
        payload = self.block_actions_payload(
            action,
            user,
            channel=channel,
            message_ts=message_ts,
            ephemeral=ephemeral,
            view=view,
            message=message,
            team=team,
            trigger_id=trigger_id,
            response_url=response_url,
        )
        return self.interactive(payload)

    def button(
        self, action_id: str, value: str, user: str, channel: str = "CSUPPORT", message_ts: str = "1.0"
    ) -> Response:
        """A click on a button in a message."""
        action = {"action_id": action_id, "block_id": "b", "text": _plain(action_id), "value": value, "type": "button"}
        return self.block_action(action, user, channel=channel, message_ts=message_ts)

    def select(
        self, action_id: str, value: str, user: str, channel: str = "CSUPPORT", message_ts: str = "1.0"
    ) -> Response:
        """A choice in a static select in a message."""
        action = {
            "type": "static_select",
            "action_id": action_id,
            "block_id": "b",
            "selected_option": {"text": _plain(value), "value": value},
            "placeholder": _plain("Choose"),
        }
        return self.block_action(action, user, channel=channel, message_ts=message_ts)

    def modal(self, callback_id: str, metadata: str, view_id: str | None = None) -> Json:
        """A modal as Slack keeps it once opened (for a test that submits one it did not open through the fake)."""
        where = self.installation
        view_id = view_id or f"V{next(_ids):08d}"  # each opened modal has its own id
        return {
            "id": view_id,
            "team_id": where.team_id,
            "type": "modal",
            "blocks": [],
            "private_metadata": metadata,
            "callback_id": callback_id,
            "state": {"values": {}},
            "hash": f"{int(time.time())}.{uuid.uuid4().hex[:8]}",
            "title": _plain("Complaint"),
            "clear_on_close": False,
            "notify_on_close": False,
            "close": _plain("Cancel"),
            "submit": _plain("Submit"),
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": where.app_id,
            "external_id": "",
            "app_installed_team_id": where.team_id,
            "bot_id": "BBOT",
        }

    def view_submission_payload(
        self, view: Json, values: Json, user: str, *, team: str | None = None, trigger_id: str | None = None
    ) -> Json:
        """A view_submission payload: the view as Slack keeps it, with `values` (block_id -> action_id -> state)."""
        where = self.installation
        payload = {
            "type": "view_submission",
            "team": self._team(),
            "user": self._user(user, team),
            "api_app_id": where.app_id,
            "token": where.verification_token,
            "trigger_id": trigger_id or self._trigger(),
            "view": {**view, "state": {"values": values}},
            "enterprise": self._enterprise(),
            "is_enterprise_install": where.org_wide,
        }
        return self._built("view_submission", payload)

    def view_submission(
        self, view: Json, values: Json, user: str, *, team: str = "T1", trigger_id: str | None = None
    ) -> Response:
        """A modal submitted: the view as Slack keeps it, with ``values`` (block_id -> action_id -> state)."""
        return self.interactive(self.view_submission_payload(view, values, user, team=team, trigger_id=trigger_id))

    def submit(self, callback_id: str, values: dict[str, dict[str, Any]], user: str, metadata: str) -> Response:
        """A modal submission; `values` maps block_id to the input's state (e.g. {"value": "x"})."""
        state = {block: {"value": {"type": "plain_text_input", **field}} for block, field in values.items()}
        return self.view_submission(self.modal(callback_id, metadata), state, user)

    def view_closed_payload(self, view: Json, user: str, *, team: str | None = None, is_cleared: bool = False) -> Json:
        """A view_closed payload: someone closed a modal that asked to be told (notify_on_close)."""
        where = self.installation
        payload = {
            "type": "view_closed",
            "team": self._team(),
            "user": self._user(user, team),
            "api_app_id": where.app_id,
            "token": where.verification_token,
            "view": view,
            "is_cleared": is_cleared,
            "enterprise": self._enterprise(),
            "is_enterprise_install": where.org_wide,
        }
        return self._built("view_closed", payload)

    def view_closed(self, view: Json, user: str, *, team: str = "T1", is_cleared: bool = False) -> Response:
        """A modal closed with its close button (sent only for views opened with notify_on_close)."""
        return self.interactive(self.view_closed_payload(view, user, team=team, is_cleared=is_cleared))

    def message_action_payload(
        self,
        callback_id: str,
        message: Json,
        user: str,
        channel: str,
        *,
        team: str | None = None,
        trigger_id: str | None = None,
        response_url: str = RESPONSE_URL,
    ) -> Json:
        """A message_action payload: someone chose one of the app's shortcuts in a message's menu."""
        where = self.installation
        payload = {
            "type": "message_action",
            "callback_id": callback_id,
            "trigger_id": trigger_id or self._trigger(),
            "message_ts": message.get("ts", ""),
            "response_url": response_url,
            "message": message,
            "team": self._team(),
            "user": self._user(user, team, username=False),
            "channel": {"id": channel, "name": _channel_name(channel)},
            "token": where.verification_token,
            "action_ts": now_ts(),
            "enterprise": self._enterprise(),
            "is_enterprise_install": where.org_wide,
        }
        return self._built("message_action", payload)

    def message_shortcut(
        self,
        callback_id: str,
        message: Json,
        user: str,
        channel: str,
        *,
        team: str = "T1",
        trigger_id: str | None = None,
        response_url: str = RESPONSE_URL,
    ) -> Response:
        """A message shortcut (the message's "More actions" menu), as a message_action payload."""
        payload = self.message_action_payload(
            callback_id, message, user, channel, team=team, trigger_id=trigger_id, response_url=response_url
        )
        return self.interactive(payload)


def _channel_name(channel: str) -> str:
    """The name Slack shows for a channel id in payloads (the tests' support channel is called so)."""
    return "support" if channel == "CSUPPORT" else channel.lower()


def _channel_type(channel: str) -> str:
    """The channel_type Slack puts on message events, from the conversation id."""
    return {"D": "im", "G": "group"}.get(channel[:1], "channel")


def _file(user: str) -> Json:
    """A file someone attached to a message, as message events carry it."""
    file_id = f"F{next(_ids):08d}"
    return {
        "id": file_id,
        "created": int(time.time()),
        "timestamp": int(time.time()),
        "name": "photo.jpg",
        "title": "photo.jpg",
        "mimetype": "image/jpeg",
        "filetype": "jpg",
        "pretty_type": "JPEG",
        "user": user,
        "mode": "hosted",
        "editable": False,
        "is_external": False,
        "external_type": "",
        "size": 48213,
        "url_private": f"https://files.slack.com/files-pri/T1-{file_id}/photo.jpg",
        "permalink": f"https://acme.slack.com/files/{user}/{file_id}/photo.jpg",
        "is_public": False,
        "display_as_bot": False,
        "username": "",
    }
