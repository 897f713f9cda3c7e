"""Slack's client side for the people of a sandbox workspace: what each person sees, and what their clicks send.

What people see is read from the fake Slack's state; what they do becomes a signed request to the app, exactly
as Slack would send it (through `SlackSender`), and only where Slack would send one: events only from
conversations the app is a member of and only for the events its manifest subscribes to.
"""

from __future__ import annotations

import itertools
import mimetypes
import threading
import time
import uuid
from typing import Any

from sandbox.app_manifest import AppManifest
from sandbox.fake_slack import FakeSlack
from sandbox.sender import Response, SlackSender
from sandbox.workspace import Workspace

Json = dict[str, Any]
SLACKBOT = "USLACKBOT"
BUILT_IN = ("/invite", "/remove", "/kick")  # Slack's own commands that change a channel's members


class ActionRefused(Exception):
    """Something a person tried that Slack's own client would not let them do; the message says why."""


def slack_escape(text: str) -> str:
    """Typed text as Slack stores and sends it: &, < and > escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


class SandboxClient:
    """The people's side of the sandbox: reads the fake's state per person and turns clicks into requests."""

    def __init__(self, fake: FakeSlack, sender: SlackSender, manifest: AppManifest) -> None:
        self.fake = fake
        self.sender = sender
        self.manifest = manifest
        self.workspace: Workspace = fake.workspace
        self.bot = fake.bot_user_id
        self._lock = threading.Lock()
        self._changed = threading.Condition(self._lock)
        self._version = 0
        self._modals: dict[str, list[str]] = {}  # person -> stack of open modal view ids
        self._errors: dict[str, dict[str, str]] = {}  # view id -> block_id -> error shown under the input
        self._triggers: dict[str, str] = {}  # trigger_id handed to the app -> the person who clicked
        self._ids = itertools.count(1)
        fake.listeners.append(self.touch)

    # -- change notification

    def touch(self) -> None:
        """Something changed: every open page fetches its state again."""
        with self._changed:
            self._version += 1
            self._changed.notify_all()

    def wait_change(self, seen: int, timeout: float) -> int:
        """Blocks until the version passes ``seen`` (or the timeout); returns the current version."""
        with self._changed:
            self._changed.wait_for(lambda: self._version != seen, timeout)
            return self._version

    @property
    def version(self) -> int:
        """How many changes happened so far."""
        with self._lock:
            return self._version

    # -- conversations

    def members(self, channel: str) -> list[str]:
        """Who is in a conversation: a workspace channel, the app's DM with a person, or a group DM."""
        known = self.workspace.channel(channel)
        if known is not None:
            return list(known.members)
        if channel.startswith("D"):
            return [channel[1:], self.bot]
        return list(self.fake.group_dms.get(channel, []))

    def channel_type(self, channel: str) -> str:
        """`channel`, `group`, `im` or `mpim`, as message events name them."""
        known = self.workspace.channel(channel)
        if known is not None:
            return known.channel_type
        return "im" if channel.startswith("D") else "mpim"

    def delivers(self, channel: str, event: str) -> bool:
        """Whether Slack sends this event to the app: subscribed in the manifest, from a conversation it is in."""
        return event in self.manifest.bot_events and self.bot in self.members(channel)

    def _member(self, channel: str, user: str) -> None:
        """People act only in conversations they are in."""
        if user not in self.members(channel):
            raise ActionRefused(f"{user} is not in {channel}")

    def _team(self, user: str) -> str:
        """The person's own team (another organisation's for a Slack Connect guest)."""
        person = self.workspace.person(user)
        return person.team_id if person is not None else self.workspace.team.id

    def trigger_for(self, user: str) -> str:
        """A fresh trigger_id, remembered so the modal the app opens with it shows up for this person."""
        trigger = f"{int(time.time())}.{next(self._ids)}.{uuid.uuid4().hex[:12]}"
        with self._lock:
            self._triggers[trigger] = user
        return trigger

    # -- what people do

    def send(
        self,
        user: str,
        channel: str,
        text: str,
        thread_ts: str | None = None,
        files: list[tuple[str, bytes]] | None = None,
    ) -> None:
        """The message box: a slash command, or a message (a thread reply with ``thread_ts``), with ``files``
        (name, bytes) a message that shares them."""
        self._member(channel, user)
        text = text.strip()
        if files:
            self._share(user, channel, text, thread_ts, files)
            return
        if not text:
            return
        if text.startswith("/"):
            self._command(user, channel, text, thread_ts)
            return
        stored = self.fake.add_message(channel, slack_escape(text), user=user, thread_ts=thread_ts)
        event = f"message.{self.channel_type(channel)}s"
        if self.delivers(channel, event):
            parent = self.fake.message(channel, thread_ts) if thread_ts else None
            self.sender.message(
                channel,
                user,
                stored["text"],
                stored["ts"],
                thread_ts=stored.get("thread_ts"),
                channel_type=self.channel_type(channel),
                team=self._team(user),
                parent_user_id=parent["user"] if parent else None,
            )

    def _share(self, user: str, channel: str, text: str, thread_ts: str | None, files: list[tuple[str, bytes]]) -> None:
        """Files posted in a conversation: a file_share message, sent to the app like any other message."""
        named = [(name.replace("/", "_").replace("\\", "_").strip() or "file", content) for name, content in files]
        stored = self.fake.add_file_message(channel, named, user=user, text=slack_escape(text), thread_ts=thread_ts)
        event = f"message.{self.channel_type(channel)}s"
        if self.delivers(channel, event):
            parent = self.fake.message(channel, thread_ts) if thread_ts else None
            self.sender.message(
                channel,
                user,
                stored["text"],
                stored["ts"],
                thread_ts=stored.get("thread_ts"),
                channel_type=self.channel_type(channel),
                team=self._team(user),
                parent_user_id=parent["user"] if parent else None,
                files=stored["files"],
            )

    def _command(self, user: str, channel: str, text: str, thread_ts: str | None) -> None:
        """A slash command: Slack's own /invite and /remove for the app, the app's commands for the people of its
        organisation (the app is not installed in a Slack Connect guest's); Slackbot explains anything else."""
        command, _, rest = text.partition(" ")
        if command in BUILT_IN and self._names_app(rest):
            self._built_in(user, channel, command)
            return
        if command not in self.manifest.commands or self.workspace.is_external(user):
            note = f"`{command}` is not a valid command. In Slack, all messages that start with “/” are commands."
            self.fake.add_ephemeral(channel, user, note, author=SLACKBOT)
            return
        if thread_ts:
            self.fake.add_ephemeral(channel, user, f"`{command}` is not supported in threads. Sorry!", author=SLACKBOT)
            return
        known = self.workspace.channel(channel)
        person = self.workspace.person(user)
        answer = self.sender.command(
            rest.strip(),
            user=user,
            channel=channel,
            command=command,
            channel_name=known.name if known else ("directmessage" if channel.startswith("D") else "mpdm"),
            user_name=person.name if person else user.lower(),
            team_id=self.workspace.team.id,
            response_url=self.fake.response_url_for(channel, user),
            trigger_id=self.trigger_for(user),
        )
        self._command_answer(user, channel, command, answer)

    def _command_answer(self, user: str, channel: str, command: str, answer: Response) -> None:
        """The command's HTTP answer, shown as Slack shows it: privately to the person, unless in_channel."""
        if answer.status != 200:
            note = f"`{command}` failed with the error “http_error_{answer.status}”"
            self.fake.add_ephemeral(channel, user, note, author=SLACKBOT)
            return
        if not answer.text.strip():
            return
        body: Json = {"text": answer.text}
        if "json" in answer.headers.get("Content-Type", answer.headers.get("content-type", "")):
            body = answer.json()
        self.fake.add_ephemeral(channel, user, str(body.get("text") or ""), blocks=body.get("blocks"))

    def _names_app(self, text: str) -> bool:
        """Whether the text mentions the app (`@Complaint Desk`, or its bot user as `<@UBOT>`)."""
        text = text.strip()
        return text in (f"@{self.manifest.name}", f"<@{self.bot}>") or text.lstrip("@") == self.manifest.name

    def _built_in(self, user: str, channel: str, command: str) -> None:
        """/invite or /remove the app, as Slack does it: the membership changes, and Slack tells the app."""
        if command == "/invite":
            self.invite(user, channel)
        else:
            self.remove(user, channel)

    def invite(self, user: str, channel: str) -> None:
        """Someone invites the app into a channel; Slack sends member_joined_channel from there."""
        self._member(channel, user)
        known = self.workspace.channel(channel)
        if known is None or not self.workspace.join(channel, self.bot):
            return
        self.touch()
        if self.delivers(channel, "member_joined_channel"):
            self.sender.member_joined(channel, self.bot, user, private=known.is_private)

    def remove(self, user: str, channel: str) -> None:
        """Someone removes the app from a channel; Slack tells the app (channel_left or group_left)."""
        self._member(channel, user)
        known = self.workspace.channel(channel)
        if known is None or not self.workspace.leave(channel, self.bot):
            return
        self.touch()
        kind = "group_left" if known.is_private else "channel_left"
        if kind in self.manifest.bot_events:  # sent to the app itself, which is no longer a member
            self.sender.left(channel, user, private=known.is_private)

    def share(self, channel: str, team: str) -> None:
        """The channel is shared with another organisation (Slack Connect); Slack tells the app when it is in it."""
        self.workspace.share(channel, team)
        self.touch()
        if self.delivers(channel, "channel_shared"):
            self.sender.channel_shared(channel, team)

    def react(self, user: str, channel: str, ts: str, name: str) -> None:
        """Adds this person's reaction, or takes it back when they had it already, as clicking does in Slack."""
        self._member(channel, user)
        message = self.fake.message(channel, ts)
        if message is None:
            raise ActionRefused("no such message")
        reaction = next((r for r in message.get("reactions", []) if r["name"] == name), None)
        added = reaction is None or user not in reaction["users"]
        if added:
            self.fake.add_reaction(channel, ts, name, user=user)
        else:
            self.fake.remove_reaction(channel, ts, name, user=user)
        if self.delivers(channel, "reaction_added" if added else "reaction_removed"):
            self.sender.reaction(channel, ts, user, name, added, item_user=message.get("user"))

    def act(self, user: str, action: Json, where: Json) -> Response:
        """A button, menu or picker: in a message (``channel``, ``ts``, ``ephemeral``) or in a view (``view_id``)."""
        trigger = self.trigger_for(user)
        view_id = where.get("view_id")
        if view_id:
            view = self._view_for(user, str(view_id), where.get("values") or {})
            return self.sender.block_action(action, user, view=view, team=self._team(user), trigger_id=trigger)
        channel, ts = str(where["channel"]), str(where["ts"])
        self._member(channel, user)
        ephemeral = bool(where.get("ephemeral"))
        message = None if ephemeral else self.fake.message(channel, ts)
        return self.sender.block_action(
            action,
            user,
            channel=channel,
            message_ts=ts,
            ephemeral=ephemeral,
            message=message,
            team=self._team(user),
            trigger_id=trigger,
            response_url=self.fake.response_url_for(channel, user, message_ts=ts, ephemeral=ephemeral),
        )

    def shortcut(self, user: str, channel: str, ts: str, callback_id: str) -> None:
        """A message shortcut from "More actions" (only for the people of the organisation that installed the app)."""
        self._member(channel, user)
        if self.workspace.is_external(user):
            raise ActionRefused("the app is not installed in this person's organisation")
        if callback_id not in {s.callback_id for s in self.manifest.message_shortcuts}:
            raise ActionRefused(f"the app has no shortcut {callback_id}")
        message = self.fake.message(channel, ts)
        if message is None:
            raise ActionRefused("no such message")
        self.sender.message_shortcut(
            callback_id,
            message,
            user,
            channel,
            team=self._team(user),
            trigger_id=self.trigger_for(user),
            response_url=self.fake.response_url_for(channel, user),
        )

    def submit(self, user: str, view_id: str, values: Json) -> Json:
        """A modal's submit button: the app's answer closes it, shows errors in it, updates or pushes a view."""
        view = self._view_for(user, view_id, values)
        answer = self.sender.view_submission(
            view, values, user, team=self._team(user), trigger_id=self.trigger_for(user)
        )
        if answer.status != 200:
            return {"ok": False, "error": "We had some trouble connecting. Try again?"}
        body = answer.json() if answer.text.strip() else {}
        action = body.get("response_action") if isinstance(body, dict) else None
        with self._lock:
            stack = self._modals.setdefault(user, [])
            self._errors.pop(view_id, None)
            if action == "errors":
                self._errors[view_id] = {str(k): str(v) for k, v in (body.get("errors") or {}).items()}
            elif action == "clear":
                stack.clear()
            elif action in ("update", "push"):
                shown = self.fake.keep_view(body["view"], None if action == "push" else view_id)
                if action == "push":
                    stack.append(shown["id"])
            elif view_id in stack:
                stack.remove(view_id)
        self.touch()
        return {"ok": True, "errors": self._errors.get(view_id, {})}

    def close(self, user: str, view_id: str) -> None:
        """A modal's close button: the app hears of it only if the view asked (notify_on_close)."""
        view = self.fake.views.get(view_id)
        with self._lock:
            stack = self._modals.setdefault(user, [])
            if view_id in stack:
                stack.remove(view_id)
            self._errors.pop(view_id, None)
        if view is not None and view.get("notify_on_close"):
            self.sender.view_closed(view, user, team=self._team(user))
        self.touch()

    def upload(self, user: str, filename: str, content: bytes) -> Json:
        """A file a person picked in a form's file field: stored in Slack, handed to the app as a file object."""
        name = filename.replace("/", "_").replace("\\", "_").strip() or "file"
        return self.fake.add_file(name, content, user=user)

    def open_home(self, user: str) -> None:
        """The app's Home tab: Slack tells the app each time a person opens it."""
        channel = self.fake.dm_channel(user)
        if self.delivers(channel, "app_home_opened"):
            self.sender.app_home_opened(user, channel, self.fake.home_views.get(user))

    def _view_for(self, user: str, view_id: str, values: Json) -> Json:
        """The view as Slack keeps it (its id, hash, blocks) with what the person entered so far."""
        view = self.fake.views.get(view_id)
        if view is None:
            raise ActionRefused("no such view")
        if view.get("type") == "modal" and view_id not in self._modal_stack(user):
            raise ActionRefused("this form is not open for you")
        return {**view, "state": {"values": values}}

    # -- what people see

    def _modal_stack(self, user: str) -> list[str]:
        """The person's open modals, taking in the ones the app opened with their triggers since last asked."""
        with self._lock:
            mine = [t for t, who in self._triggers.items() if who == user]
        for trigger in mine:
            view = self.fake.view_for_trigger(trigger)
            if view is not None:
                with self._lock:
                    self._triggers.pop(trigger, None)
                    self._modals.setdefault(user, []).append(view["id"])
        with self._lock:
            return list(self._modals.get(user, []))

    def state(self, user: str, conversation: str | None, thread_ts: str | None) -> Json:
        """Everything one person's page shows right now."""
        version = self.version
        state: Json = {
            "version": version,
            "me": user,
            "app": {"name": self.manifest.name, "bot": self.bot, "shortcuts": self._shortcuts(user)},
            "team": {"id": self.workspace.team.id, "name": self.workspace.team.name},
            "people": self._people(),
            "conversations": self._conversations(user),
            "conversation": None,
            "thread": None,
            "home": None,
            "modal": None,
            "files": {},
        }
        if conversation == "home":
            state["home"] = self.fake.home_views.get(user)
        elif conversation and user in self.members(conversation):
            state["conversation"] = self._messages(user, conversation, None)
            if thread_ts:
                state["thread"] = self._messages(user, conversation, thread_ts)
        stack = self._modal_stack(user)
        if stack:
            view = self.fake.views.get(stack[-1])
            if view is not None:
                state["modal"] = {"view": view, "errors": self._errors.get(stack[-1], {})}
        state["files"] = self._files()
        return state

    def _shortcuts(self, user: str) -> list[Json]:
        """The app's message shortcuts, for the people of the organisation that installed it."""
        if self.workspace.is_external(user):
            return []
        return [{"name": s.name, "callback_id": s.callback_id} for s in self.manifest.message_shortcuts]

    def _people(self) -> dict[str, Json]:
        """Everyone by id, for names, avatars and mentions."""
        people: dict[str, Json] = {}
        for person in self.workspace.people.values():
            team = self.workspace.teams.get(person.team_id, self.workspace.team)
            people[person.id] = {
                "name": person.name,
                "display_name": person.display_name,
                "title": person.title,
                "is_bot": person.is_bot,
                "external": self.workspace.is_external(person.id),
                "team": team.name,
                "tz": person.tz,
            }
        people[SLACKBOT] = {"name": "slackbot", "display_name": "Slackbot", "is_bot": True, "title": ""}
        return people

    def _conversations(self, user: str) -> list[Json]:
        """The person's sidebar: their channels, their DM with the app, the group DMs they are in."""
        listed: list[Json] = [
            {
                "id": c.id,
                "kind": "channel",
                "name": c.name,
                "is_private": c.is_private,
                "is_ext_shared": c.is_ext_shared,
                "topic": c.topic,
                "members": list(c.members),
            }
            for c in self.workspace.channels_of(user)
        ]
        dm = self.fake.dm_channel(user)
        listed.append({"id": dm, "kind": "im", "name": self.manifest.name, "members": [user, self.bot]})
        for channel, members in sorted(self.fake.group_dms.items()):
            if user in members:
                listed.append({"id": channel, "kind": "mpim", "name": "", "members": members})
        return listed

    def _messages(self, user: str, channel: str, thread_ts: str | None) -> Json:
        """A conversation's messages (or one thread's: its parent, then the replies) and the person's private ones."""
        if thread_ts is None:
            messages = self.fake.messages(channel)
        else:
            root = self.fake.message(channel, thread_ts)
            messages = ([root] if root else []) + self.fake.messages(channel, thread_ts)
        mine = [
            e
            for e in self.fake.ephemerals
            if e["channel"] == channel and e["user"] == user and (e.get("thread_ts") or None) == thread_ts
        ]
        return {"id": channel, "thread_ts": thread_ts, "messages": messages, "ephemerals": mine}

    def _files(self) -> dict[str, Json]:
        """Uploaded files by id: name, title, type and where the page downloads them."""
        return {
            file.id: {
                "name": file.filename,
                "title": file.title,
                "mimetype": mimetypes.guess_type(file.filename)[0] or "application/octet-stream",
                "size": len(file.content),
                "url": f"/files/{file.id}/{file.filename}",
            }
            for file in self.fake.files.values()
        }
