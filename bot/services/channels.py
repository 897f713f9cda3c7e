"""What the bot knows of the channels complaints live in: whether it is in them, and whether they are shared.

Slack sends a channel's events (a claim by emoji, a reply in a card's thread) only when the bot is a member;
with `chat:write.public` it could post a card in a public channel without being one, and that card could never
be claimed. And a channel shared with another organisation (Slack Connect) is no place for an internal card.
So before a card is first posted somewhere, the channel is looked at (conversations.info, after the ack,
remembered), a public channel is joined, and the answer decides whether the card may go there.

What is remembered is kept current by events: every event says whether its channel is shared, and the bot
hears when it joins or leaves a channel and when a channel is shared or unshared.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import replace
from enum import StrEnum

from bot.lookups import Conversation, LookupFailed

log = logging.getLogger("complaints.channels")

CHANNEL_CACHE_SECONDS = 600.0  # events keep it current; the lookup only catches what no event told us


class Door(StrEnum):
    """Whether a card may go into a channel."""

    OPEN = "open"  # the bot is in it (or just joined it): post
    SHARED = "shared"  # shared with another organisation: never a card there
    CLOSED = "closed"  # private (or a DM) without the bot, or archived: it must be invited, or the card goes elsewhere
    UNREACHABLE = "unreachable"  # Slack did not answer: wait, as for any message while Slack is down
    UNKNOWN = "unknown"  # Slack will not say (a scope missing): post anyway; an error answer still sends it elsewhere


class Channels:
    """Remembers channels' facts, looks them up when needed, and joins public channels before the first card."""

    def __init__(
        self,
        lookup: Callable[[str], Conversation],
        join: Callable[[str], None],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.lookup = lookup
        self.join = join
        self.clock = clock
        self._facts: dict[str, tuple[float, Conversation]] = {}
        self._lock = threading.Lock()

    def shared(self, channel: str) -> bool:
        """Known to be shared with another organisation (without asking Slack: an unknown channel is not yet)."""
        facts = self._known(channel)
        return facts is not None and facts.shared

    def is_shared(self, channel: str) -> bool:
        """Whether the channel is shared with another organisation, asking Slack when it is not known yet
        (LookupFailed when Slack does not answer); a channel the bot cannot see counts as not shared."""
        return self.look(channel).shared

    def look(self, channel: str) -> Conversation:
        """The channel's facts, remembered or from conversations.info (LookupFailed when Slack does not answer)."""
        facts = self._known(channel)
        if facts is None:
            facts = self.lookup(channel)
            self._remember(channel, facts)
        return facts

    def door(self, channel: str) -> Door:
        """Whether a card may go into this channel now; a public channel the bot is not in is joined first."""
        try:
            facts = self.look(channel)
        except LookupFailed as exc:
            if exc.transient:
                return Door.UNREACHABLE
            log.warning("cannot look at <#%s> before posting a card (%s); posting anyway", channel, exc.code)
            return Door.UNKNOWN
        if facts.shared:
            return Door.SHARED
        if not facts.exists or facts.archived:
            return Door.CLOSED
        if facts.member:
            return Door.OPEN
        if facts.private:
            return Door.CLOSED
        return self._enter(channel)

    def heard(self, channel: str, *, shared: bool | None = None, member: bool | None = None) -> bool:
        """What an event said about a channel (an event from a channel also says the bot is in it).

        True when this is how the bot learns that a channel it knew as not shared now is: Slack's channel_shared
        event may have been lost (or sent while the bot was not running).
        """
        if not channel:
            return False
        with self._lock:
            known = self._facts.get(channel)
            if known is None:
                if not (member or shared):
                    return False  # nothing that a lookup would not tell better
                at, facts = self.clock(), Conversation(member=bool(member), shared=bool(shared))
            else:
                at, facts = known
            newly_shared = bool(shared) and known is not None and not known[1].shared
            if shared is not None:
                facts = replace(facts, shared=shared)
            if member is not None:
                facts = replace(facts, member=member, exists=facts.exists or member)
            self._facts[channel] = (at, facts)
        return newly_shared

    def forget(self, channel: str) -> None:
        """Look at this channel afresh next time."""
        with self._lock:
            self._facts.pop(channel, None)

    def _enter(self, channel: str) -> Door:
        """Join a public channel, so that its events (claims, replies) reach the bot."""
        try:
            self.join(channel)
        except LookupFailed as exc:
            if exc.transient:
                return Door.UNREACHABLE
            log.warning("cannot join <#%s> (%s); its cards go elsewhere", channel, exc.code)
            return Door.CLOSED
        log.info("joined <#%s>, so that claims and replies on its cards reach the bot", channel)
        self.heard(channel, member=True)
        return Door.OPEN

    def _known(self, channel: str) -> Conversation | None:
        """The remembered facts, while fresh."""
        with self._lock:
            known = self._facts.get(channel)
        if known is None or self.clock() - known[0] >= CHANNEL_CACHE_SECONDS:
            return None
        return known[1]

    def _remember(self, channel: str, facts: Conversation) -> None:
        """Keep what Slack said."""
        with self._lock:
            self._facts[channel] = (self.clock(), facts)
