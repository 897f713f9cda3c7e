"""Delivering the reporter's news: one direct-message thread per complaint, its root showing the current state.

The first news about a complaint is posted as a new direct message (the root); its channel and ts are stored
with the complaint in the transaction that finishes the effect, and a retry after a lost answer or a restart
finds the root by its marker instead of posting a second one. Later news is a reply in the root's thread,
mentioning the reporter, and the root is updated to show where the complaint stands now.
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from bot.model import Complaint, Effect
from bot.rendering.reporter import ReporterRenderer
from bot.slack_gateway import THREAD_GONE, DeliveryError
from bot.store import Store

log = logging.getLogger("complaints.reporter")


class ThreadGateway(Protocol):
    """The Slack operations the reporter's thread needs besides posting (the outbox's gateway has them)."""

    def update(self, channel: str, ts: str, text: str, blocks: list[dict[str, Any]] | None) -> None:
        """Replace a message's content."""

    def open_conversation(self, users: list[str]) -> str:
        """The id of the bot's direct conversation with these people."""


class Poster(Protocol):
    """Posting that first looks for an earlier attempt's message (the outbox does)."""

    def post_once(
        self,
        effect: Effect,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]] | None,
        thread_ts: str | None,
        *,
        marker: str = "",
        broadcast: bool = False,
    ) -> tuple[str, str]:
        """Post unless a message with this effect's marker is there already; returns (channel, ts)."""


class ReporterThreads:
    """The outbox's `reporter` (news) and `reporter_root` (show the current state) effects."""

    def __init__(self, store: Store, gateway: ThreadGateway, poster: Poster, words: ReporterRenderer) -> None:
        self.store = store
        self.gateway = gateway
        self.poster = poster
        self.words = words

    def note(self, effect: Effect) -> None:
        """Start the thread with this news, or reply in it and bring the root up to date."""
        complaint = self.store.get(effect.complaint or 0)
        if complaint is None or not complaint.reporter:
            return
        if not complaint.reporter_thread.get("ts"):
            complaint = self._start(effect, complaint)
        thread = complaint.reporter_thread
        started_here = thread.get("by") == effect.id
        question = str(effect.data.get("question") or "")
        if started_here and not question:
            return  # the news is the root itself
        text, blocks = self.words.reply(
            complaint, "" if started_here else effect.text, question, list(effect.blocks or [])
        )
        try:
            self.poster.post_once(
                effect,
                thread["channel"],
                text,
                blocks,
                thread["ts"],
                marker=f"{effect.id}-reply",
                broadcast=bool(question),
            )
        except DeliveryError as exc:
            if exc.code not in THREAD_GONE:
                raise
            self._forget(complaint.number, thread["ts"])
            raise DeliveryError(exc.code, transient=True, retry_after=0) from exc
        if not started_here:
            self._show_state(complaint)

    def refresh(self, effect: Effect) -> None:
        """Show the complaint's current state on the root (there is nothing to do while there is no root)."""
        complaint = self.store.get(effect.complaint or 0)
        if complaint is not None and complaint.reporter_thread.get("ts"):
            self._show_state(complaint)

    def _start(self, effect: Effect, complaint: Complaint) -> Complaint:
        """Post the root with this news; its place is stored with the complaint before anything else happens."""
        text, blocks = self.words.root(complaint, effect.text)
        channel, ts = self.poster.post_once(effect, complaint.reporter, text, blocks, None)
        if channel.startswith(("U", "W")):  # found by its marker: the answer named no conversation
            channel = self.gateway.open_conversation([complaint.reporter])
        with self.store.transaction() as tx:
            current = tx.get(complaint.number)
            if current is None:
                return complaint
            if not current.reporter_thread.get("ts"):
                current.reporter_thread = {"channel": channel, "ts": ts, "first": effect.text, "by": effect.id}
                tx.save(current)
        log.info("#%s: the reporter's thread starts at %s", complaint.number, ts)
        return current

    def _show_state(self, complaint: Complaint) -> None:
        """chat.update on the root; a root that is gone is started again by the next news."""
        thread = complaint.reporter_thread
        text, blocks = self.words.root(complaint, thread.get("first", ""))
        try:
            self.gateway.update(thread["channel"], thread["ts"], text, blocks)
        except DeliveryError as exc:
            if exc.code != "message_not_found":
                raise
            self._forget(complaint.number, thread["ts"])

    def _forget(self, number: int, ts: str) -> None:
        """The root is gone from Slack: the next news starts a new thread."""
        log.warning("the reporter's thread about #%s is gone; the next news starts a new one", number)
        with self.store.transaction() as tx:
            complaint = tx.get(number)
            if complaint is not None and complaint.reporter_thread.get("ts") == ts:
                complaint.reporter_thread = {}
                tx.save(complaint)
