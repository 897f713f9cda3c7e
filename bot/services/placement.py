"""Where a complaint's card goes, and where the bot may speak about it: decided here and nowhere else.

Without `routing` in the config a card stays where it was filed. With it, the complaint's category picks the
channel first, then the channel it was filed in, then the default. A conversation that is no place for a
card (a direct message, a channel shared with another organisation, a routing target the bot cannot post in)
sends it to `channels.fallback`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from bot.config import Config
from bot.model import Complaint, Effect

ANNOUNCE = "announce"  # the outbox's kind for the line in the filing channel


def never_shared(channel: str) -> bool:
    """Until Slack Connect is known, no conversation counts as shared with another organisation."""
    return False


class Placement:
    """Decides, for a complaint filed in a conversation, which channel gets its card and who hears of it where.

    `shared` tells whether a conversation is shared with another organisation (Slack Connect): complaints are
    internal, so such a conversation never gets a card, a link or a reply about one.
    """

    def __init__(self, config: Config, shared: Callable[[str], bool] = never_shared) -> None:
        self.config = config
        self.shared = shared
        self._lock = threading.Lock()
        self._unreachable: dict[str, str] = {}  # routing targets found unusable, with why

    def card_channel(self, filed_in: str, category: str = "") -> str | None:
        """The channel for the card; None when there is no place for it at all."""
        wanted = self.routed(filed_in, category) or filed_in
        if self._fit_for_cards(wanted):
            return wanted
        if self.config.fallback_channel:
            return self.config.fallback_channel
        return filed_in if self._fit_for_cards(filed_in) else None  # no fallback: better where it was filed

    def routed(self, filed_in: str, category: str = "") -> str | None:
        """The channel the routing sends a complaint to (category first, then channel, then default), if any."""
        routing = self.config.routing
        if routing is None:
            return None
        return routing.by_category.get(category) or routing.by_channel.get(filed_in) or routing.default

    def _fit_for_cards(self, channel: str) -> bool:
        """Whether a card may go to this conversation: no direct message, nothing shared, nothing unreachable."""
        if channel.startswith("D") or self.shared(channel):
            return False
        with self._lock:
            return channel not in self._unreachable

    def announcement(self, complaint: Complaint, filed_in: str) -> list[Effect]:
        """The one-line link in the filing channel, when its card went elsewhere and the config asks for it."""
        if not self.announces_in(filed_in, complaint.channel):
            return []
        return [Effect(kind=ANNOUNCE, lane=filed_in, complaint=complaint.number, channel=filed_in)]

    def may_speak_in(self, channel: str) -> bool:
        """Whether the bot may say something about a complaint in this conversation for everyone there to see."""
        return not self.shared(channel)

    def announces_in(self, filed_in: str, card_channel: str) -> bool:
        """Whether the filing channel gets a one-line link to a card that went elsewhere."""
        routing = self.config.routing
        return bool(
            routing is not None
            and routing.announce_in_filing_channel
            and filed_in != card_channel
            and not filed_in.startswith("D")
            and self.may_speak_in(filed_in)
        )

    def targets(self) -> list[str]:
        """Every channel the routing may send cards to, for the check after start."""
        routing = self.config.routing
        if routing is None:
            return []
        found = [*routing.by_category.values(), *routing.by_channel.values(), routing.default or ""]
        return sorted({channel for channel in found if channel})

    def unreachable(self, channel: str, why: str) -> None:
        """A routing target the bot cannot post in: its cards go to the fallback until it is reachable again."""
        with self._lock:
            self._unreachable[channel] = why

    def reachable(self, channel: str) -> None:
        """A routing target the bot can post in (again)."""
        with self._lock:
            self._unreachable.pop(channel, None)

    def unreachable_targets(self) -> dict[str, str]:
        """The routing targets found unusable, with why; for /healthz."""
        with self._lock:
            return dict(self._unreachable)
