"""Replies in a complaint's thread: the activity that keeps an owner's quiet clock from running out."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.services import Deps, Outcome

if TYPE_CHECKING:
    from bot.services.talk import Talk


class Activity:
    """Counts human replies in card threads and remembers who wrote them."""

    def __init__(self, deps: Deps, talk: Talk | None = None) -> None:
        self.deps = deps
        self.talk = talk

    def message(
        self, channel: str, thread_ts: str, ts: str, user: str, subtype: str, from_bot: bool, event_id: str
    ) -> Outcome:
        """A message event: only a person's new reply in a card's thread counts; edits, joins and bots do not."""
        if subtype or from_bot or not user or user == self.deps.bot_user_id or not thread_ts or thread_ts == ts:
            return Outcome(False)
        if self.deps.store.card_number(channel, thread_ts) is None:
            return Outcome(False)
        now = self.deps.now()
        with self.deps.store.transaction() as tx:
            complaint = tx.by_card(channel, thread_ts, once=f"event:{event_id}")
            if complaint is None:
                return Outcome(False)
            complaint.replies += 1
            complaint.last_activity_at = now
            complaint.followups.asked_update = complaint.followups.escalated_quiet = False  # the quiet clock restarts
            if user not in complaint.repliers:
                complaint.repliers.append(user)
            if self.talk is not None:
                self.talk.after_reply(tx, complaint)  # a long back-and-forth gets the talk nudge
            tx.save(complaint)
        self.deps.changed(complaint)
        return Outcome(True, complaint)
