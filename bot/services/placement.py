"""Where a complaint's card goes, and where the bot may speak about it: decided here and nowhere else."""

from __future__ import annotations

from collections.abc import Callable

from bot.config import Config


def never_shared(channel: str) -> bool:
    """Until Slack Connect is known, no conversation counts as shared with another organisation."""
    return False


class Placement:
    """Decides, for a complaint filed in a conversation, which channel gets its card and who hears of it there.

    `shared` tells whether a conversation is shared with another organisation (Slack Connect): complaints are
    internal, so such a conversation never gets a card, a link or a reply about one.
    """

    def __init__(self, config: Config, shared: Callable[[str], bool] = never_shared) -> None:
        self.config = config
        self.shared = shared

    def card_channel(self, filed_in: str) -> str | None:
        """The channel for the card: where it was filed, unless that is a direct conversation or shared."""
        if filed_in.startswith("D") or self.shared(filed_in):
            return self.config.fallback_channel
        return filed_in

    def may_speak_in(self, channel: str) -> bool:
        """Whether the bot may say something about a complaint in this conversation for everyone there to see."""
        return not self.shared(channel)
