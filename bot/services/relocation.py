"""When a channel stops being a place for cards, its open complaints move to `channels.fallback`.

That happens when the bot is removed from a channel (it would no longer hear claims or replies there, nor be
able to update the cards), and when a channel becomes shared with another organisation (Slack Connect: the
customer would see the internal cards). Each open complaint whose card is there gets a new card in the fallback
channel, where its thread continues; the old card is replaced by one line saying where it went. When the bot is
invited into a channel, the cards of complaints that waited for it there are posted.

At start, the channels holding open cards are looked at once: the bot joins the public ones it is not in (an
upgrade from a version that posted without joining), and moves out of those it lost or that became shared while
it was not running.
"""

from __future__ import annotations

import logging

from bot.lookups import LookupFailed
from bot.model import Complaint, Effect, EventKind
from bot.rendering import Renderer
from bot.rendering.moves import moved_card
from bot.services import Deps, card, thread
from bot.services.channels import Channels
from bot.store import AlreadySeen

log = logging.getLogger("complaints.relocation")

REMOVED, SHARED, CLOSED = "removed", "shared", "closed"  # why cards leave a channel


class Relocation:
    """Moves open complaints out of channels the bot may no longer use, and posts cards that waited for it."""

    def __init__(self, deps: Deps, render: Renderer, channels: Channels) -> None:
        self.deps = deps
        self.render = render
        self.channels = channels
        self.t = deps.catalog.t

    def left(self, channel: str, user: str, key: str = "") -> None:
        """Someone left a channel (or was removed): when it is the bot, its open complaints move out."""
        if user and user != self.deps.bot_user_id:
            return
        self.channels.heard(channel, member=False)
        self.move_out(channel, REMOVED, key)

    def joined(self, channel: str, user: str, key: str = "") -> None:
        """Someone joined a channel: when it is the bot, the cards that waited for it are posted."""
        if user != self.deps.bot_user_id:
            return
        self.channels.heard(channel, member=True)
        waiting = self._waiting(channel)
        if not waiting:
            return
        try:
            with self.deps.store.transaction() as tx:
                if key:
                    tx.once(key)
                for complaint in waiting:
                    tx.enqueue(card(complaint))
        except AlreadySeen:
            return
        log.info("invited into <#%s>: posting the cards of %s", channel, ", ".join(f"#{c.number}" for c in waiting))

    def shared(self, channel: str, key: str = "") -> None:
        """The channel is now shared with another organisation: no internal card stays there."""
        self.channels.heard(channel, shared=True)
        self.move_out(channel, SHARED, key)

    def unshared(self, channel: str, still_shared: bool) -> None:
        """Another organisation left the channel; cards may go there again once it is shared with nobody."""
        self.channels.heard(channel, shared=still_shared)

    def move_out(self, channel: str, why: str, key: str = "") -> list[int]:
        """Re-post the channel's open complaints in the fallback channel; returns their numbers."""
        staying = [c for c in self.deps.store.open_complaints() if c.channel == channel]
        if not staying:
            return []
        fallback = self.deps.config.fallback_channel
        if not fallback or fallback == channel:
            log.warning(
                "the bot can no longer use <#%s> (%s) and has no other channel (channels.fallback): %s stay there",
                channel,
                why,
                ", ".join(f"#{c.number}" for c in staying),
            )
            return []
        now = self.deps.now()
        moved: list[Complaint] = []
        try:
            with self.deps.store.transaction() as tx:
                if key:
                    tx.once(key)
                for known in staying:
                    complaint = tx.get(known.number)
                    if complaint is None or complaint.channel != channel or not complaint.is_open:
                        continue
                    old_ts = complaint.card_ts
                    complaint.channel, complaint.card_ts = fallback, None
                    reason = self.t(f"moved.{why}")
                    complaint.record(EventKind.MOVED, now, None, reason, from_channel=channel, to_channel=fallback)
                    tx.save(complaint)
                    tx.enqueue(card(complaint))  # the new card; its thread continues here
                    tx.enqueue(thread(complaint, self.t("thread.moved", channel=channel, reason=reason)))
                    if old_ts:
                        tx.enqueue(self._old_card(channel, old_ts, complaint.number, fallback))
                    moved.append(complaint)
        except AlreadySeen:
            return []
        for complaint in moved:
            self.deps.changed(complaint)
        if moved:
            numbers = ", ".join(f"#{c.number}" for c in moved)
            log.info("moved %s from <#%s> to <#%s> (%s)", numbers, channel, fallback, why)
        return [c.number for c in moved]

    def check(self, channel: str) -> bool:
        """At start: join the channel when it is public and the bot not in it; move out when the bot lost it or it
        became shared. False when Slack did not answer (the caller tries again later)."""
        self.channels.forget(channel)
        try:
            facts = self.channels.look(channel)
        except LookupFailed as exc:
            log.warning("could not look at <#%s>, which holds open cards (%s)", channel, exc.code)
            return not exc.transient
        if facts.shared:
            self.move_out(channel, SHARED)
        elif not facts.exists or facts.archived or (facts.private and not facts.member):
            self.move_out(channel, CLOSED)
        elif not facts.member:
            self.channels.door(channel)  # joins it
        return True

    def channels_with_cards(self) -> list[str]:
        """Every channel that holds the card of an open complaint."""
        return sorted({c.channel for c in self.deps.store.open_complaints() if c.card_ts})

    def _waiting(self, channel: str) -> list[Complaint]:
        """Open complaints filed for this channel whose card could not be posted yet (the bot was not in it)."""
        pending = {e.complaint for e in self.deps.store.pending_effects() if e.kind == "card"}
        return [
            c
            for c in self.deps.store.open_complaints()
            if c.channel == channel and not c.card_ts and c.number not in pending
        ]

    def _old_card(self, channel: str, ts: str, number: int, fallback: str) -> Effect:
        """The old card becomes one line saying where the complaint went."""
        text, blocks = moved_card(self.render, number, fallback)
        return Effect(
            kind="update", lane=channel, complaint=number, channel=channel, text=text, blocks=blocks, data={"ts": ts}
        )
