"""The domain: a complaint, its status, its timeline, and the Slack effects a change causes."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from bot.eightd.record import EightD


class Status(StrEnum):
    """Where a complaint stands; every complaint is in exactly one of these."""

    UNCLAIMED = "unclaimed"
    OWNED = "owned"
    RESOLVED = "resolved"


class EventKind(StrEnum):
    """What can happen to a complaint; each kind becomes one timeline entry."""

    FILED = "filed"
    CLAIMED = "claimed"
    RELEASED = "released"
    HANDOVER_PROPOSED = "handover_proposed"
    RESOLVED = "resolved"
    REOPENED = "reopened"
    CONFIRMED = "confirmed"
    REMINDED = "reminded"
    ESCALATED = "escalated"
    ASKED_UPDATE = "asked_update"
    OVERDUE = "overdue"
    DUE_SOON = "due_soon"
    SNOOZED = "snoozed"
    SEVERITY_CHANGED = "severity_changed"
    TALK_SUGGESTED = "talk_suggested"
    TALK_STARTED = "talk_started"
    TALKED = "talked"
    EIGHT_D_UPDATED = "eight_d_updated"
    EIGHT_D_REPORT = "eight_d_report"
    CONTAINMENT_DUE_SOON = "containment_due_soon"
    CONTAINMENT_OVERDUE = "containment_overdue"
    MOVED = "moved"


def utc(value: datetime) -> datetime:
    """Normalise to aware UTC so that stored times compare and serialise the same way."""
    if value.tzinfo is None:
        raise ValueError("naive datetime")
    return value.astimezone(UTC)


def to_iso(value: datetime | None) -> str | None:
    """Serialise a time for the store."""
    return None if value is None else utc(value).isoformat()


def from_iso(value: str | None) -> datetime | None:
    """Read a stored time back."""
    return None if value is None else datetime.fromisoformat(value)


@dataclass
class TimelineEntry:
    """One thing that happened to a complaint, with who and when."""

    kind: str
    at: datetime
    actor: str | None = None
    note: str = ""
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the store."""
        return {
            "kind": self.kind,
            "at": to_iso(self.at),
            "actor": self.actor,
            "note": self.note,
            "data": dict(self.data),
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> TimelineEntry:
        """Rebuild from the store."""
        at = from_iso(raw["at"])
        assert at is not None
        return cls(raw["kind"], at, raw.get("actor"), raw.get("note", ""), dict(raw.get("data") or {}))


@dataclass
class FollowUps:
    """What the timers already did, so each reminder or escalation goes out once."""

    reminders_sent: int = 0
    escalated_unclaimed: bool = False
    asked_update: bool = False
    escalated_quiet: bool = False
    overdue_notified: bool = False
    due_soon_notified: bool = False
    snoozed_until: datetime | None = None
    snooze_reason: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the store."""
        raw = {name: getattr(self, name) for name in _FOLLOWUP_FIELDS}
        raw["snoozed_until"] = to_iso(self.snoozed_until)
        return raw

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> FollowUps:
        """Rebuild from the store."""
        raw = dict(raw or {})
        raw["snoozed_until"] = from_iso(raw.get("snoozed_until"))
        return cls(**raw)


@dataclass(frozen=True)
class IncomingFile:
    """A file someone brought to a complaint (in the form, on the message it was filed from), as Slack named it.

    The bot fetches it after the answer to Slack and shares it into the complaint's thread; `url` is Slack's
    url_private_download, "" when only the id is known (then files.info tells it).
    """

    id: str
    name: str
    size: int = 0
    mimetype: str = ""
    url: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for an effect."""
        return {"id": self.id, "name": self.name, "size": self.size, "mimetype": self.mimetype, "url": self.url}

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> IncomingFile:
        """Rebuild from an effect."""
        size = raw.get("size")
        return cls(
            str(raw.get("id") or ""),
            str(raw.get("name") or ""),
            size if isinstance(size, int) else 0,
            str(raw.get("mimetype") or ""),
            str(raw.get("url") or ""),
        )


@dataclass
class Complaint:
    """A customer complaint: one owner at most, one card, one thread, one timeline."""

    number: int
    channel: str
    reporter: str
    summary: str
    filed_at: datetime
    severity: str
    customer: str = ""
    details: str = ""
    category: str = ""
    origin_channel: str = ""
    status: Status = Status.UNCLAIMED
    owner: str | None = None
    proposed_to: str | None = None
    card_ts: str | None = None
    first_claimed_at: datetime | None = None
    unclaimed_since: datetime | None = None
    owned_since: datetime | None = None
    last_activity_at: datetime | None = None
    resolved_at: datetime | None = None
    resolution: str = ""
    confirmed: bool | None = None
    replies: int = 0
    repliers: list[str] = field(default_factory=list)
    talk_channel: str | None = None
    talk_started_at: datetime | None = None
    replies_before_talk: int | None = None
    followups: FollowUps = field(default_factory=FollowUps)
    # Files that belong to the complaint (D2), each in its thread: id (of the file in the thread), name, size,
    # mimetype, by (who brought it), origin ("form", "message" or "thread"), at (when). Files that could not
    # be fetched are not in it.
    attachments: list[dict[str, Any]] = field(default_factory=list)
    eight_d: EightD = field(default_factory=EightD)
    # The message it was filed from: channel, ts, thread_ts, author, permalink (empty when typed or a form).
    source: dict[str, str] = field(default_factory=dict)
    # The reporter's direct-message thread about it: channel (D…), ts of its root, first (the news the root
    # was posted with, kept when the root is updated), by (the effect that posted it). Empty until posted.
    reporter_thread: dict[str, str] = field(default_factory=dict)
    timeline: list[TimelineEntry] = field(default_factory=list)
    version: int = 0

    @property
    def is_open(self) -> bool:
        """Resolved complaints are closed; everything else still needs someone."""
        return self.status is not Status.RESOLVED

    @property
    def quiet_since(self) -> datetime:
        """Since when nothing happened: the last activity, claim or filing, or the end of a pause after those."""
        base = max(t for t in (self.last_activity_at, self.owned_since, self.filed_at) if t)
        snoozed = self.followups.snoozed_until
        return snoozed if snoozed and snoozed > base else base

    def record(self, kind: str, at: datetime, actor: str | None = None, note: str = "", **data: Any) -> None:
        """Append to the timeline; the timeline is the complaint's history for people and reports."""
        self.timeline.append(TimelineEntry(kind, utc(at), actor, note, data))

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the store (by hand: dataclasses.asdict deep-copies and was most of a commit's cost)."""
        raw = {name: getattr(self, name) for name in _PLAIN_FIELDS}
        for key in _TIME_FIELDS:
            raw[key] = to_iso(getattr(self, key))
        raw["status"] = self.status.value
        raw["repliers"] = list(self.repliers)
        raw["followups"] = self.followups.to_dict()
        raw["attachments"] = [dict(item) for item in self.attachments]
        raw["eight_d"] = self.eight_d.to_dict()
        raw["source"] = dict(self.source)
        raw["reporter_thread"] = dict(self.reporter_thread)
        raw["timeline"] = [entry.to_dict() for entry in self.timeline]
        return raw

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Complaint:
        """Rebuild from the store; unknown keys from newer versions are ignored."""
        known = {k: v for k, v in raw.items() if k in _FIELD_NAMES}
        for key in _TIME_FIELDS:
            known[key] = from_iso(known.get(key))
        known["status"] = Status(known.get("status", "unclaimed"))
        known["followups"] = FollowUps.from_dict(known.get("followups"))
        known["timeline"] = [TimelineEntry.from_dict(e) for e in known.get("timeline") or []]
        known["repliers"] = list(known.get("repliers") or [])
        known["attachments"] = [dict(item) for item in known.get("attachments") or []]
        known["eight_d"] = EightD.from_dict(known.get("eight_d"))
        known["source"] = {str(k): str(v) for k, v in (known.get("source") or {}).items()}
        known["reporter_thread"] = {str(k): str(v) for k, v in (known.get("reporter_thread") or {}).items()}
        return cls(**known)


_TIME_FIELDS = (
    "filed_at",
    "first_claimed_at",
    "unclaimed_since",
    "owned_since",
    "last_activity_at",
    "resolved_at",
    "talk_started_at",
)
_FIELD_NAMES = set(Complaint.__dataclass_fields__)
_FOLLOWUP_FIELDS = tuple(FollowUps.__dataclass_fields__)
_PLAIN_FIELDS = tuple(
    n
    for n in Complaint.__dataclass_fields__
    if n
    not in (
        *_TIME_FIELDS,
        "status",
        "repliers",
        "followups",
        "attachments",
        "eight_d",
        "source",
        "reporter_thread",
        "timeline",
    )
)


@dataclass
class Effect:
    """A Slack side effect, stored in the outbox before it is attempted so that none is lost.

    `kind` says what to do: "card" (post or refresh the complaint's card), "thread" (a reply in the
    card's thread), "post" (a message to a channel or a user's DM), "ephemeral" (only one person sees it),
    "upload" (a file), "home" (refresh someone's App Home), "prepare" (make a requested report or export and
    queue its messages in its place). `lane` keeps effects that must stay in order
    (one channel's messages) on one queue.
    """

    kind: str
    lane: str
    complaint: int | None = None
    channel: str | None = None
    user: str | None = None
    text: str = ""
    blocks: list[dict[str, Any]] | None = None
    data: dict[str, Any] = field(default_factory=dict)
    id: str = field(default_factory=lambda: uuid.uuid4().hex)
    seq: int = 0
    attempts: int = 0
    not_before: datetime | None = None
    last_error: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the store."""
        raw = {name: getattr(self, name) for name in _EFFECT_FIELDS}
        raw["blocks"] = None if self.blocks is None else list(self.blocks)
        raw["data"] = dict(self.data)
        raw["not_before"] = to_iso(self.not_before)
        return raw

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> Effect:
        """Rebuild from the store."""
        raw = dict(raw)
        raw["not_before"] = from_iso(raw.get("not_before"))
        return cls(**raw)


_EFFECT_FIELDS = tuple(Effect.__dataclass_fields__)


@dataclass(frozen=True)
class CustomerCounts:
    """A customer's complaints filed before a given one: how many, how many still open, and the latest's number.

    The store keeps these where complaints change, so that a card costs the same however long the history is.
    """

    earlier: int
    open: int
    latest: int | None
