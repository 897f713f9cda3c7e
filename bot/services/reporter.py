"""Keeping the reporter informed, and asking them whether the customer is satisfied once it is resolved."""

from __future__ import annotations

from typing import Any

from bot.model import Complaint, Effect, EventKind, Status
from bot.mrkdwn import clean
from bot.rendering import Renderer
from bot.rendering.reporter import ReporterRenderer, answer_value
from bot.services import Deps, Outcome, ephemeral, refuse, thread
from bot.services.lifecycle import Lifecycle
from bot.services.reporter_notes import ReporterNotes
from bot.store import Transaction


def update(channel: str, ts: str, text: str, blocks: list[dict[str, Any]], complaint: int) -> Effect:
    """Replace a message the bot posted (the reporter's question once it is answered)."""
    return Effect(
        kind="update", lane=channel, complaint=complaint, channel=channel, text=text, blocks=blocks, data={"ts": ts}
    )


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

    def _note(self, tx: Transaction, complaint: Complaint | None, refusal: str, user: str, channel: str) -> Outcome:
        """Tell only this person why not (with `tx`)."""
        if complaint is None:
            tx.enqueue(ephemeral(channel or user, user, refusal))
            return Outcome.refused(refusal)
        return refuse(tx, complaint, user, refusal, channel, "answer it")

    def satisfied(self, value: str, user: str, channel: str, ts: str, once: str = "") -> Outcome:
        """Customer satisfied: noted on the complaint, said in the thread, and the question is closed.

        `once`: the press's idempotency key (`request_key`); the same press delivered again changes nothing and
        tells nobody anything (not even that the question was answered already).
        """
        number, stamp = self._parse(value)
        now = self.deps.now()
        with self.deps.store.transaction() as tx:
            if once and not tx.first_time(once):
                return Outcome(False)
            complaint = tx.get(number)
            refusal = self.t("error.unknown_complaint") if complaint is None else self._refusal(complaint, user, stamp)
            if refusal is not None:  # said with the key, so a second delivery says nothing
                return self._note(tx, complaint, refusal, user, channel)
            if complaint is not None:
                complaint.confirmed = True
                complaint.record(EventKind.CONFIRMED, now, user)
                tx.save(complaint)
                tx.enqueue(thread(complaint, self.t("thread.confirmed", user=user)))
                if channel and ts:
                    text, blocks = self.render.answered(complaint, complaint.owner or "", True)
                    tx.enqueue(update(channel, ts, text, blocks, number))
                ReporterNotes.state_changed(tx, complaint)
        self.deps.changed(complaint)
        return Outcome(True, complaint)

    def may_say_not_yet(self, value: str, user: str, channel: str, once: str = "") -> Outcome:
        """Not yet: only the reporter gets the form asking why.

        `once`: the press's idempotency key (`request_key`), recorded with the refusal note when there is one;
        the same press delivered again opens no second form and tells nobody anything.
        """
        number, stamp = self._parse(value)
        complaint = self.deps.store.get(number)
        refusal = self.t("error.unknown_complaint") if complaint is None else self._refusal(complaint, user, stamp)
        with self.deps.store.transaction() as tx:
            if once and not tx.first_time(once):
                return Outcome(False, complaint)
            if refusal is not None:
                return self._note(tx, complaint, refusal, user, channel)
        return Outcome(True, complaint)

    def not_yet_modal(self, complaint: Complaint, value: str, channel: str, ts: str) -> dict[str, Any]:
        """The form, remembering which question message to close afterwards."""
        return self.render.not_yet_modal(complaint, f"{value}:{channel}:{ts}")

    def not_yet(self, metadata: str, user: str, reason: str, once: str = "") -> Outcome:
        """The customer is not satisfied yet: the complaint reopens with the reporter's reason in its thread.

        The reporter's check runs on the locked complaint in the reopening's own commit, with `once` (the form's
        idempotency key): the same form delivered again reopens nothing and is not told it came too late.
        """
        number, stamp, channel, ts = [*metadata.split(":"), "", "", ""][:4]
        value = f"{number}:{stamp}"
        before = self.deps.store.get(self._parse(value)[0])
        if before is None:
            return Outcome(False)
        owner = before.owner or ""
        outcome = self.lifecycle.reopen(
            before.number, user, reason, once=once, channel=channel, check=lambda c: self._refusal(c, user, stamp)
        )
        if outcome.ok and outcome.complaint is not None and channel and ts:  # reopening refreshed the root
            text, blocks = self.render.answered(outcome.complaint, owner, False, clean(reason))
            with self.deps.store.transaction() as tx:
                tx.enqueue(update(channel, ts, text, blocks, before.number))
        return outcome
