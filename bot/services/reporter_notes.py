"""Keeping the reporter informed: their complaint's news in one direct-message thread, except their own steps."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.model import Complaint
from bot.rendering import Renderer
from bot.rendering.reporter import ReporterRenderer
from bot.services import Deps, reporter_note, reporter_root, upload


class ReporterNotes:
    """What the reporter hears at each turn, except for what they did themselves: one thread per complaint.

    The first news about a complaint starts the reporter's direct-message thread about it; each later turn is a
    reply there (see `reporter_note`), so ten open complaints are ten threads, not forty messages.
    """

    def __init__(self, deps: Deps, render: Renderer) -> None:
        self.deps = deps
        self.render = ReporterRenderer(render)

    @staticmethod
    def _tell(
        tx: Any,
        complaint: Complaint,
        actor: str | None,
        text: str,
        question: str = "",
        buttons: dict[str, Any] | None = None,
    ) -> None:
        """Queue news for the reporter, unless they are the one who acted."""
        if complaint.reporter and actor != complaint.reporter:
            tx.enqueue(reporter_note(complaint, text, question, buttons))

    def claimed(self, tx: Any, complaint: Complaint, owner: str) -> None:
        """Who took it on."""
        self._tell(tx, complaint, owner, self.render.claimed(complaint, owner))

    def handover(self, tx: Any, complaint: Complaint, owner: str, to: str) -> None:
        """That someone else may take it over."""
        self._tell(tx, complaint, owner, self.render.handover(complaint, owner, to))

    def escalated(self, tx: Any, complaint: Complaint, reason: str, now: datetime) -> None:
        """That management was told."""
        age = self.deps.catalog.since(complaint.filed_at, now)
        self._tell(tx, complaint, None, self.render.escalated(complaint, reason, age))

    def resolved(self, tx: Any, complaint: Complaint, owner: str) -> None:
        """The resolution note to pass on, and the question whether the customer is satisfied."""
        text, question, buttons = self.render.resolved(complaint, owner)
        self._tell(tx, complaint, owner, text, question, buttons)

    def report_ready(
        self, tx: Any, complaint: Complaint, filename: str, pdf: bytes, title: str, kind: str, revision: int
    ) -> None:
        """The 8D report, ready to pass on to the customer, in the reporter's thread: a deliverable, so it comes
        whoever asked for it. The file follows the note in the same lane, so the thread is there when it is shared.
        """
        if not complaint.reporter:
            return
        tx.enqueue(reporter_note(complaint, self.render.report_ready(complaint, kind, revision)))
        effect = upload(complaint.reporter, filename, pdf, title)
        effect.complaint = complaint.number
        effect.data["thread"] = "reporter"
        tx.enqueue(effect)

    @staticmethod
    def state_changed(tx: Any, complaint: Complaint) -> None:
        """The root of the reporter's thread shows the complaint as it is now (e.g. once the customer is happy)."""
        if complaint.reporter:
            tx.enqueue(reporter_root(complaint))
