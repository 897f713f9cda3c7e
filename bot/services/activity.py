"""Replies in a complaint's thread: the activity that keeps an owner's quiet clock from running out."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from bot.model import Complaint, IncomingFile, to_iso
from bot.services import Deps, Outcome, card

if TYPE_CHECKING:
    from bot.services.talk import Talk


# Message subtypes that are still what a person wrote in the thread: a reply also sent to the channel, one with
# files, a /me line. Edits, deletions, joins and other apps' posts are not.
REPLY_SUBTYPES = {"thread_broadcast", "file_share", "me_message"}


class Activity:
    """Counts human replies in card threads and remembers who wrote them."""

    def __init__(self, deps: Deps, talk: Talk | None = None) -> None:
        self.deps = deps
        self.talk = talk

    def message(
        self,
        channel: str,
        thread_ts: str,
        ts: str,
        user: str,
        subtype: str,
        from_bot: bool,
        event_id: str,
        files: tuple[IncomingFile, ...] = (),
    ) -> Outcome:
        """A message event: what a person writes in a card's thread counts, whatever its subtype; edits, deletions,
        joins and bots do not.

        Files in such a reply belong to the complaint: the card counts them with those brought at filing.
        """
        if subtype not in ("", *REPLY_SUBTYPES) or from_bot or not user or user == self.deps.bot_user_id:
            return Outcome(False)
        if not thread_ts or thread_ts == ts:
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
            if self._attach(complaint, files, user, now):
                tx.enqueue(card(complaint))  # "3 attachments"
            tx.save(complaint)
        self.deps.changed(complaint)
        return Outcome(True, complaint)

    @staticmethod
    def _attach(complaint: Complaint, files: tuple[IncomingFile, ...], user: str, now: datetime) -> bool:
        """Record files posted in the thread (they are there already; nothing is fetched); True when any is new."""
        known = {str(item.get("id")) for item in complaint.attachments}
        added: list[dict[str, Any]] = [
            {
                "id": file.id,
                "source": file.id,
                "name": file.name,
                "size": file.size,
                "mimetype": file.mimetype,
                "by": user,
                "origin": "thread",
                "at": to_iso(now),
            }
            for file in files
            if file.id not in known
        ]
        complaint.attachments.extend(added)
        return bool(added)
