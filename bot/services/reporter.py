"""Keeping the reporter informed, and asking them whether the customer is satisfied once it is resolved."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.model import Complaint, Effect, EventKind, Status
from bot.mrkdwn import clean
from bot.rendering import Renderer
from bot.rendering.reporter import ReporterRenderer, answer_value
from bot.services import Deps, Outcome, ephemeral, reporter_note, reporter_root, thread

if TYPE_CHECKING:
    from bot.services.lifecycle import Lifecycle


def update(channel: str, ts: str, text: str, blocks: list[dict[str, Any]], complaint: int) -> Effect:
    """Replace a message the bot posted (the reporter's question once it is answered)."""
    return Effect(
        kind="update", lane=channel, complaint=complaint, channel=channel, text=text, blocks=blocks, data={"ts": ts}
    )


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

    @staticmethod
    def state_changed(tx: Any, complaint: Complaint) -> None:
        """The root of the reporter's thread shows the complaint as it is now (e.g. once the customer is happy)."""
        if complaint.reporter:
            tx.enqueue(reporter_root(complaint))


class ReporterAnswers:
    """The reporter's answer to "is the customer satisfied?": only they may give it, and only once."""

    def __init__(self, deps: Deps, render: Renderer, lifecycle: Lifecycle) -> None:
        self.deps = deps
        self.render = ReporterRenderer(render)
        self.lifecycle = lifecycle
        self.t = deps.catalog.t

    @staticmethod
    def _parse(value: str) -> tuple[int, str]:
        """The complaint number and the resolution stamp from a button value."""
        number, _, stamp = value.partition(":")
        return (int(number) if number.isdigit() else 0), stamp

    def _refusal(self, complaint: Complaint, user: str, stamp: str) -> str | None:
        """Why this answer does not count, or None when it does."""
        if user != complaint.reporter:
            return self.t("reporter.only_reporter", number=complaint.number, reporter=complaint.reporter)
        if complaint.status is not Status.RESOLVED or answer_value(complaint).partition(":")[2] != stamp:
            return self.t("reporter.outdated", number=complaint.number)
        if complaint.confirmed:
            return self.t("reporter.already", number=complaint.number)
        return None

    def _refuse(self, complaint: Complaint | None, refusal: str, user: str, channel: str) -> Outcome:
        """Tell only this person why not."""
        with self.deps.store.transaction() as tx:
            tx.enqueue(
                ephemeral(
                    channel or (complaint.channel if complaint else user),
                    user,
                    refusal,
                    complaint.number if complaint else None,
                )
            )
        return Outcome.refused(refusal, complaint)

    def satisfied(self, value: str, user: str, channel: str, ts: str) -> Outcome:
        """Customer satisfied: noted on the complaint, said in the thread, and the question is closed."""
        number, stamp = self._parse(value)
        now = self.deps.now()
        with self.deps.store.transaction() as tx:
            complaint = tx.get(number)
            refusal = self.t("error.unknown_complaint") if complaint is None else self._refusal(complaint, user, stamp)
            if complaint is not None and refusal is None:
                complaint.confirmed = True
                complaint.record(EventKind.CONFIRMED, now, user)
                tx.save(complaint)
                tx.enqueue(thread(complaint, self.t("thread.confirmed", user=user)))
                if channel and ts:
                    text, blocks = self.render.answered(complaint, complaint.owner or "", True)
                    tx.enqueue(update(channel, ts, text, blocks, number))
                ReporterNotes.state_changed(tx, complaint)
        if refusal is not None:
            return self._refuse(complaint, refusal, user, channel)
        self.deps.changed(complaint)
        return Outcome(True, complaint)

    def may_say_not_yet(self, value: str, user: str, channel: str) -> Outcome:
        """Not yet: only the reporter gets the form asking why."""
        number, stamp = self._parse(value)
        complaint = self.deps.store.get(number)
        refusal = self.t("error.unknown_complaint") if complaint is None else self._refusal(complaint, user, stamp)
        if refusal is not None:
            return self._refuse(complaint, refusal, user, channel)
        return Outcome(True, complaint)

    def not_yet_modal(self, complaint: Complaint, value: str, channel: str, ts: str) -> dict[str, Any]:
        """The form, remembering which question message to close afterwards."""
        return self.render.not_yet_modal(complaint, f"{value}:{channel}:{ts}")

    def not_yet(self, metadata: str, user: str, reason: str) -> Outcome:
        """The customer is not satisfied yet: the complaint reopens with the reporter's reason in its thread."""
        number, stamp, channel, ts = [*metadata.split(":"), "", "", ""][:4]
        value = f"{number}:{stamp}"
        before = self.deps.store.get(self._parse(value)[0])
        if before is None:
            return Outcome(False)
        refusal = self._refusal(before, user, stamp)
        if refusal is not None:
            return self._refuse(before, refusal, user, channel)
        owner = before.owner or ""
        outcome = self.lifecycle.reopen(before.number, user, reason)
        if outcome.ok and outcome.complaint is not None and channel and ts:  # reopening refreshed the root
            text, blocks = self.render.answered(outcome.complaint, owner, False, clean(reason))
            with self.deps.store.transaction() as tx:
                tx.enqueue(update(channel, ts, text, blocks, before.number))
        return outcome
