"""Services: each step in a complaint's life, deciding who may do it and what Slack should show."""

from __future__ import annotations

import base64
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from bot.catalog import Catalog
from bot.config import Config
from bot.identity import Identity
from bot.model import Complaint, Effect, IncomingFile
from bot.store import Store, Transaction

log = logging.getLogger("complaints.services")


class Changes:
    """Who hears that a complaint changed (the timers re-plan it, App Homes follow it): listeners subscribe."""

    def __init__(self) -> None:
        self._listeners: list[Callable[[Complaint], None]] = []

    def subscribe(self, listener: Callable[[Complaint], None]) -> None:
        """Be told of every change from now on."""
        self._listeners.append(listener)

    def publish(self, complaint: Complaint) -> None:
        """Tell every listener."""
        for listener in self._listeners:
            listener(complaint)


@dataclass
class Deps:
    """What every service needs, passed in so tests can hand over their own clock and store."""

    store: Store
    config: Config
    catalog: Catalog
    now: Callable[[], datetime]
    identity: Identity = field(default_factory=Identity)
    changes: Changes = field(default_factory=Changes)

    @property
    def bot_user_id(self) -> str:
        """The bot's own member id, so that its own reactions and messages are not taken for people's."""
        return self.identity.user_id

    def changed(self, complaint: Complaint | None) -> None:
        """Tell the timers (and anyone else listening) that a complaint changed."""
        if complaint is not None:
            self.changes.publish(complaint)


@dataclass
class Outcome:
    """What a step did: the complaint as it is now, and a private answer for the person who acted."""

    ok: bool
    complaint: Complaint | None = None
    reply: str | None = None
    errors: dict[str, str] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def refused(cls, reply: str, complaint: Complaint | None = None) -> Outcome:
        """A step that was not allowed or not possible, with the reason for the person."""
        return cls(False, complaint, reply)

    @classmethod
    def invalid(cls, errors: dict[str, str]) -> Outcome:
        """Form input to correct, shown next to the fields."""
        return cls(False, errors=errors)


def request_key(trigger_id: str) -> str:
    """The idempotency key of one request from a person (a command, a button, a form), from Slack's trigger_id.

    Recorded in the commit that holds what the request changed, so the same request arriving a second time (a
    body posted again, an envelope whose ack was lost as the connection dropped) changes nothing. Slack documents
    redelivery for events only, so this is a guard, not a routine. A person who does the same again sends a new
    request with its own trigger_id. "" (no check) when Slack gave none.
    """
    return f"request:{trigger_id}" if trigger_id else ""


def card(complaint: Complaint) -> Effect:
    """Post or refresh the complaint's card (rendered when it is delivered, so it is always current)."""
    return Effect(kind="card", lane=complaint.channel, complaint=complaint.number, channel=complaint.channel)


def thread(complaint: Complaint, text: str, blocks: list[dict[str, Any]] | None = None) -> Effect:
    """A message in the complaint's thread."""
    return Effect(
        kind="thread",
        lane=complaint.channel,
        complaint=complaint.number,
        channel=complaint.channel,
        text=text,
        blocks=blocks,
    )


def ephemeral(channel: str, user: str, text: str, complaint: int | None = None) -> Effect:
    """A message only one person sees."""
    return Effect(kind="ephemeral", lane=f"eph:{user}", complaint=complaint, channel=channel, user=user, text=text)


def refuse(
    tx: Transaction, complaint: Complaint, user: str, refusal: str, channel: str = "", step: str = "do that"
) -> Outcome:
    """A refused step: the reason goes privately to the person who tried (with `tx`), and into the log."""
    tx.enqueue(ephemeral(channel or complaint.channel, user, refusal, complaint.number))
    log.info("#%s: %s may not %s and was told why", complaint.number, user, step)
    return Outcome.refused(refusal, complaint)


def respond(user: str, text: str, response_url: str = "", complaint: int | None = None) -> Effect:
    """A private answer to someone's request: through its response_url while that works, else by direct message."""
    return Effect(
        kind="respond",
        lane=f"eph:{user}",
        complaint=complaint,
        user=user,
        text=text,
        data={"response_url": response_url},
    )


def post(channel: str, text: str, blocks: list[dict[str, Any]] | None = None, complaint: int | None = None) -> Effect:
    """A top-level message in a channel, or a direct message when `channel` is a user id."""
    return Effect(kind="post", lane=channel, complaint=complaint, channel=channel, text=text, blocks=blocks)


ATTACH = "attach"  # the outbox's kind for files brought at filing


def attach(complaint: Complaint, files: list[tuple[IncomingFile, str]], by: str, where: str) -> Effect:
    """Fetch the files someone brought at filing and share them into the card's thread as one message.

    `files` pairs each file with where it came from ("form", "message"); `by` brought them and hears privately,
    in `where`, about any that could not be attached. It waits in the card's lane, behind the card.
    """
    listed = [{**file.to_dict(), "origin": origin} for file, origin in files]
    return Effect(
        kind=ATTACH,
        lane=complaint.channel,
        complaint=complaint.number,
        channel=where,
        user=by,
        data={"files": listed},
    )


REPORTER_NOTE, REPORTER_ROOT = "reporter", "reporter_root"  # the outbox's kinds for the reporter's thread


def reporter_note(complaint: Complaint, text: str, question: str = "", buttons: dict[str, Any] | None = None) -> Effect:
    """News for the reporter, in their direct-message thread about this complaint.

    The first news about a complaint starts the thread (its root, which later shows the current state); later
    news is a reply there that mentions them. A `question` with its `buttons` (an actions block) is asked in the
    thread and also shown in the conversation, so that it is not missed.
    """
    return Effect(
        kind=REPORTER_NOTE,
        lane=complaint.reporter,
        complaint=complaint.number,
        channel=complaint.reporter,
        text=text,
        blocks=[buttons] if buttons else None,
        data={"question": question} if question else {},
    )


def reporter_root(complaint: Complaint) -> Effect:
    """Show the complaint's current state on the root of the reporter's thread (nothing while there is none)."""
    return Effect(kind=REPORTER_ROOT, lane=complaint.reporter, complaint=complaint.number, channel=complaint.reporter)


def prepared(what: str, channel: str, **data: str) -> Effect:
    """A request whose messages are made when the outbox reaches it (a report, an export), not while acking.

    It waits in the lane of the messages it will make, which take its place when it is delivered.
    """
    return Effect(kind="prepare", lane=channel, channel=channel, data={"what": what, **data})


def upload(channel: str, filename: str, content: bytes, title: str, comment: str = "") -> Effect:
    """A file shared in a channel, or in someone's direct messages when `channel` is a user id.

    The bytes travel base64-encoded in the effect, so the file survives a restart until it is delivered.
    """
    data = {"filename": filename, "title": title, "comment": comment, "content": base64.b64encode(content).decode()}
    return Effect(kind="upload", lane=channel, channel=channel, data=data)


def thread_upload(complaint: Complaint, filename: str, content: bytes, title: str, comment: str = "") -> Effect:
    """A file shared in the complaint's thread (the card's ts is looked up when it is delivered)."""
    effect = upload(complaint.channel, filename, content, title, comment)
    effect.complaint = complaint.number
    effect.data["thread"] = "card"
    return effect
