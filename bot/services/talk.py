"""Talking it through: a long back-and-forth in a thread gets a nudge, a group conversation, and an outcome."""

from __future__ import annotations

from typing import Any

from bot.model import Complaint, Effect, EventKind
from bot.mrkdwn import one_line
from bot.rendering.talk import TalkRenderer
from bot.services import Deps, Outcome, refuse, thread
from bot.services.access import Access

# A group DM holds at most eight people besides the bot.
GROUP_LIMIT = 8


def talk_effect(
    complaint: Complaint, starter: str, members: list[str], text: str, blocks: list[dict[str, Any]]
) -> Effect:
    """Open the group conversation (or reuse the complaint's) and post the intro there."""
    return Effect(
        kind="talk",
        lane=f"talk:{complaint.number}",
        complaint=complaint.number,
        user=starter,
        text=text,
        blocks=blocks,
        data={"users": members},
    )


class Talk:
    """Suggests a talk when a thread goes back and forth, opens it, and keeps its outcome."""

    def __init__(self, deps: Deps, render: TalkRenderer, access: Access) -> None:
        self.deps = deps
        self.render = render
        self.access = access
        self.t = deps.catalog.t

    def after_reply(self, tx: Any, complaint: Complaint) -> None:
        """Inside the reply's transaction: the nudge, once, when the thread is long and has two voices."""
        if not self._wants_nudge(complaint):
            return
        text, blocks = self.render.nudge(complaint)
        complaint.record(EventKind.TALK_SUGGESTED, self.deps.now(), None, replies=complaint.replies)
        tx.enqueue(thread(complaint, text, blocks))

    def _wants_nudge(self, complaint: Complaint) -> bool:
        """Open, long enough, more than a monologue, and neither suggested nor started before."""
        return (
            complaint.is_open
            and complaint.replies >= self.deps.config.talk_suggest_after_replies
            and len(complaint.repliers) >= 2
            and complaint.talk_started_at is None
            and not any(entry.kind == EventKind.TALK_SUGGESTED for entry in complaint.timeline)
        )

    def members(self, complaint: Complaint, starter: str) -> list[str]:
        """Owner, reporter, whoever pressed, then the people who replied; never the bot; at most a group DM."""
        people: list[str] = []
        for user in (complaint.owner, complaint.reporter, starter, *complaint.repliers):
            if user and user != self.deps.bot_user_id and user not in people:
                people.append(user)
        return people[:GROUP_LIMIT]

    @staticmethod
    def _participant(complaint: Complaint, user: str) -> bool:
        """People in the thread: owner, reporter, repliers, a proposed owner, and the talk's members."""
        started = [e for e in complaint.timeline if e.kind == EventKind.TALK_STARTED]
        talkers = {m for e in started for m in e.data.get("members", [])}
        return user in {complaint.owner, complaint.reporter, complaint.proposed_to, *complaint.repliers, *talkers}

    def _manager(self, number: int, user: str) -> bool:
        """Managers may join in too; asked before the transaction, since it may have to ask Slack."""
        known = self.deps.store.get(number)
        return known is not None and not self._participant(known, user) and self.access.is_manager(user)

    def _start_refusal(self, complaint: Complaint, user: str, manager: bool) -> str | None:
        """Why this person cannot start a talk now, or None when they can."""
        if complaint.talk_started_at is not None:
            if complaint.talk_channel:
                return self.t("talk.already", number=complaint.number, channel=complaint.talk_channel)
            return self.t("talk.already_pending", number=complaint.number)
        if not complaint.is_open:
            return self.t("talk.resolved", number=complaint.number)
        if not (manager or self._participant(complaint, user)):
            return self.t("talk.not_involved", number=complaint.number)
        if len(self.members(complaint, user)) < 2:
            return self.t("talk.alone", number=complaint.number)
        return None

    def start(self, number: int, user: str, channel: str, once: str = "") -> Outcome:
        """Let's talk: the first press opens the group and records who started it; later presses point to it.

        `once`: the press's idempotency key (`request_key`); the same press delivered again changes nothing.
        """
        now, manager = self.deps.now(), self._manager(number, user)
        with self.deps.store.transaction() as tx:
            complaint = tx.get(number, once=once)
            if complaint is None:  # unknown, or this press was handled before (nobody is told either way)
                return Outcome.refused(self.t("error.unknown_complaint"))
            refusal = self._start_refusal(complaint, user, manager)
            if refusal is not None:
                return refuse(tx, complaint, user, refusal, channel, "start a talk")
            members = self.members(complaint, user)
            complaint.talk_started_at, complaint.replies_before_talk = now, complaint.replies
            complaint.record(EventKind.TALK_STARTED, now, user, members=members)
            tx.save(complaint)
            text, blocks = self.render.intro(complaint, user, members)
            tx.enqueue(talk_effect(complaint, user, members, text, blocks))
            text, blocks = self.render.started(complaint, user, members)
            tx.enqueue(thread(complaint, text, blocks))
        self.deps.changed(complaint)
        return Outcome(True, complaint)

    def _note_refusal(self, complaint: Complaint, user: str, manager: bool) -> str | None:
        """Why this person cannot note the talk's outcome, or None when they can."""
        if complaint.talk_started_at is None:
            return self.t("talk.not_started", number=complaint.number)
        if not (manager or self._participant(complaint, user)):
            return self.t("talk.not_involved", number=complaint.number)
        return None

    def may_note(self, number: int, user: str, channel: str) -> Outcome:
        """We talked: anyone involved may note the outcome; others are told why not."""
        complaint = self.deps.store.get(number)
        if complaint is None:
            return Outcome.refused(self.t("error.unknown_complaint"))
        refusal = self._note_refusal(complaint, user, self._manager(number, user))
        if refusal is None:
            return Outcome(True, complaint)
        with self.deps.store.transaction() as tx:
            return refuse(tx, complaint, user, refusal, channel, "note the talk")

    def note(self, number: int, user: str, outcome: str, once: str = "") -> Outcome:
        """The talk's outcome in one line: into the thread and the timeline; it counts as activity.

        `once`: the form's idempotency key (`request_key`); the same form delivered again changes nothing.
        """
        outcome = one_line(outcome)
        if not outcome:
            return Outcome.invalid({"outcome": self.t("talk.modal.error.required")})
        now, manager = self.deps.now(), self._manager(number, user)
        with self.deps.store.transaction() as tx:
            complaint = tx.get(number, once=once)
            if complaint is None:
                return Outcome(False)
            refusal = self._note_refusal(complaint, user, manager)
            if refusal is not None:
                return refuse(tx, complaint, user, refusal, step="note the talk")
            complaint.record(EventKind.TALKED, now, user, outcome)
            if complaint.is_open:
                complaint.last_activity_at = now
                complaint.followups.asked_update = complaint.followups.escalated_quiet = False
            tx.save(complaint)
            tx.enqueue(thread(complaint, self.render.talked(user, outcome)))
        self.deps.changed(complaint)
        return Outcome(True, complaint)
