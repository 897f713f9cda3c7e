"""Filing a complaint from any message: the form filled in from the message, and what the message is owed.

The shortcut's payload carries the message (its text, author, channel and thread) and a response_url. The form
is filled in from it; nothing of it needs Slack before the form opens. Once the complaint is stored, the outbox
fetches the message's permalink for the card (`source_link`, queued ahead of the card) and replies in the
message's thread (`source_reply`), or tells the filer privately where it cannot.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from bot.customers import KnownCustomers
from bot.model import Complaint, Effect, IncomingFile
from bot.mrkdwn import as_plain, clean
from bot.rendering import INPUT_LIMIT, SUMMARY_INPUT_LIMIT, Renderer
from bot.rendering.attachments import AttachmentsRenderer
from bot.rendering.capture import CaptureRenderer
from bot.services import Deps, Outcome
from bot.services.commands import split_customer
from bot.services.lifecycle import Draft, Lifecycle, Owed
from bot.services.placement import Placement

log = logging.getLogger("complaints.capture")

METADATA_LIMIT = 3000  # a view's private_metadata
NAMES_LOOKED_UP = 10  # mentions named in one form: each may ask Slack, and the form must open within 3 s
NAME_KEPT = 60  # of a file's name in the metadata (ten files must fit beside the message's text)
SOURCE_LINK, SOURCE_REPLY = "source_link", "source_reply"  # the outbox's kinds for what a message is owed


def source_key(channel: str, ts: str) -> str:
    """Where the number of the latest complaint filed from a message is kept."""
    return f"source:{channel}:{ts}"


@dataclass(frozen=True)
class MessageSource:
    """A message someone files a complaint from, as the shortcut showed it."""

    channel: str
    ts: str
    author: str = ""
    thread_ts: str = ""
    text: str = ""
    response_url: str = ""
    files: tuple[IncomingFile, ...] = ()  # they come along into the complaint's thread

    def stored(self) -> dict[str, str]:
        """What the complaint keeps of the message."""
        kept = {"channel": self.channel, "ts": self.ts, "thread_ts": self.thread_ts, "author": self.author}
        return {key: value for key, value in kept.items() if value}

    def metadata(self, *, with_text: bool = False) -> str:
        """The message for a view's private_metadata; its text (when asked for) cut to what fits."""
        fields: dict[str, Any] = {**self.stored(), "response_url": self.response_url}
        if self.files:  # ids and names only: files.info gives the rest when they are fetched
            fields["files"] = [[f.id, f.name[:NAME_KEPT], f.size] for f in self.files]
        if not with_text:
            return json.dumps(fields, ensure_ascii=False)
        text = self.text
        while True:
            raw = json.dumps({**fields, "text": text}, ensure_ascii=False)
            if len(raw) <= METADATA_LIMIT or not text:
                return raw
            text = text[: max(0, len(text) - (len(raw) - METADATA_LIMIT))]

    @classmethod
    def from_metadata(cls, raw: str) -> MessageSource | None:
        """The message a form was filled from; None for a form that came from `/complaint` (a channel id)."""
        if not raw.startswith("{"):
            return None
        try:
            data: Any = json.loads(raw)
        except ValueError:
            return None
        if (
            not isinstance(data, dict)
            or not isinstance(data.get("channel"), str)
            or not isinstance(data.get("ts"), str)
        ):
            return None
        values = {name: data.get(name) for name in ("author", "thread_ts", "text", "response_url")}
        strings = {name: value for name, value in values.items() if isinstance(value, str)}
        return cls(data["channel"], data["ts"], **strings, files=_files(data.get("files")))


def _files(value: Any) -> tuple[IncomingFile, ...]:
    """The message's files as a form's metadata keeps them: [id, name, size] each."""
    kept = [item for item in value if isinstance(item, list) and len(item) == 3] if isinstance(value, list) else []
    return tuple(
        IncomingFile(id, name, size)
        for id, name, size in kept
        if isinstance(id, str) and id and isinstance(name, str) and isinstance(size, int)
    )


def first_line(text: str, names: Callable[[str], str] | None = None) -> str:
    """The first line with words in it, as a person reads it, short enough for a summary."""
    line = next((one.strip() for one in as_plain(text, names=names).splitlines() if one.strip()), "")
    if len(line) <= SUMMARY_INPUT_LIMIT:
        return line
    head = line[: SUMMARY_INPUT_LIMIT - 1]
    return (head.rsplit(" ", 1)[0] if " " in head else head) + "…"


class Capture:
    """The message shortcut: its form, the note that a message was filed before, and the filing itself."""

    def __init__(
        self,
        deps: Deps,
        lifecycle: Lifecycle,
        render: Renderer,
        customers: KnownCustomers,
        placement: Placement,
        name_of: Callable[[str], str] = str,
    ) -> None:
        self.deps = deps
        self.name_of = name_of  # people mentioned in the message, by name (users.info: the form opens after the ack)
        self.lifecycle = lifecycle
        self.render = render
        self.words = CaptureRenderer(render)
        self.customers = customers
        self.placement = placement
        self.t = deps.catalog.t

    def form(self, source: MessageSource) -> dict[str, Any]:
        """What the shortcut opens: the filled-in form, or the complaint this message was already filed as."""
        existing = self.filed_from(source)
        if existing is not None:
            return self.words.filed_before(existing, source.metadata(with_text=True))
        return self.filled_form(source)

    def filed_from(self, source: MessageSource) -> Complaint | None:
        """The latest complaint filed from this message, open or resolved."""
        number = self.deps.store.get_meta(source_key(source.channel, source.ts))
        return self.deps.store.get(int(number)) if isinstance(number, int) else None

    def filled_form(self, source: MessageSource) -> dict[str, Any]:
        """The filing form with summary and details from the message (and its customer, when a known one leads)."""
        names = self._names()
        summary = first_line(source.text, names)
        named, rest = split_customer(summary)
        customer = self.customers.known(named) if named else ""
        if customer and rest:  # "Acme GmbH: delivery damaged", and Acme GmbH is a customer we know
            summary = rest
        details = as_plain(source.text, urls=True, names=names).strip()[:INPUT_LIMIT]
        if details == summary:  # a message of one line: the summary says it all, the card need not say it twice
            details = ""
        intro = self.words.intro(source.channel, source.ts, source.thread_ts, source.author)
        if source.files:
            intro += " " + self.t("capture.files", files=AttachmentsRenderer(self.render).files(len(source.files)))
        return self.render.new_complaint_modal(
            source.metadata(),
            customer=customer,
            summary=summary,
            details=details,
            intro=intro,
        )

    def _names(self) -> Callable[[str], str]:
        """People's names for one form, each asked for once; past NAMES_LOOKED_UP of them the id stands in."""
        known: dict[str, str] = {}

        def name(user: str) -> str:
            if user not in known:
                known[user] = self.name_of(user) if len(known) < NAMES_LOOKED_UP else user
            return known[user]

        return name

    def form_again(self, metadata: str) -> dict[str, Any] | None:
        """ "File a new one anyway": the filled-in form for the message the note was about."""
        source = MessageSource.from_metadata(metadata)
        return None if source is None else self.filled_form(source)

    def submit(self, metadata: str, draft: Draft) -> Outcome:
        """A submitted filing form: from `/complaint` (metadata is the channel) or from a message."""
        source = MessageSource.from_metadata(metadata)
        if source is None:
            return self.lifecycle.file_form(replace(draft, channel=metadata))
        if not clean(draft.summary):
            return Outcome.invalid({"summary": self.t("modal.error.summary_required")})
        draft = replace(
            draft,
            channel=source.channel,
            source=source.stored(),
            source_files=source.files,
            response_url=source.response_url,
        )
        outcome = self.lifecycle.file(draft, owed=lambda complaint: self._owed(complaint, source, draft.reporter))
        if not outcome.ok:  # not saved, or nowhere to post: the form stays open and says why
            return Outcome.invalid({"summary": outcome.reply or self.t("error.generic")})
        if outcome.complaint is not None:
            with self.deps.store.transaction() as tx:  # after the commit: only then is the number final
                tx.set_meta(source_key(source.channel, source.ts), outcome.complaint.number)
        return outcome

    def _owed(self, complaint: Complaint, source: MessageSource, filer: str) -> Owed:
        """The permalink for the card (ahead of it, in its lane) and the reply under the message (after it)."""
        link = Effect(
            kind=SOURCE_LINK,
            lane=complaint.channel,
            complaint=complaint.number,
            channel=source.channel,
            data={"ts": source.ts},
        )
        reply = Effect(
            kind=SOURCE_REPLY,
            lane=source.channel,
            complaint=complaint.number,
            channel=source.channel,
            user=filer,
            data={
                "thread_ts": source.thread_ts or source.ts,
                "response_url": source.response_url,
                "private": "" if self.placement.may_speak_in(source.channel) else "yes",
            },
        )
        return [link], [reply]
