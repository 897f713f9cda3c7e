"""Delivering the notes a filing leaves where it came from.

For a complaint filed from a message: the message's permalink for the card (queued ahead of it), and a reply
under the message saying where the card is. For a complaint whose card went to another channel: a one-line
link in the channel it was filed in. Each waits for the card, so that it can link to it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any, Protocol

from bot.lookups import LookupFailed
from bot.model import Effect
from bot.rendering.capture import CaptureRenderer
from bot.slack_gateway import CANNOT_POST, DeliveryError
from bot.store import Store

log = logging.getLogger("complaints.capture")

PERMALINK_ATTEMPTS = 3  # the card waits behind its permalink; it goes out with a built link after these
# A note waits for the card it links to: every half second at first (the card is usually a moment away, in
# another channel's lane), then with the outbox's backoff; after this many attempts it goes without the link.
QUICK_WAITS, CARD_WAITS = 20, 30


class NotesGateway(Protocol):
    """The Slack operations the notes need (the outbox's gateway has them)."""

    def post(
        self,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]] | None,
        thread_ts: str | None,
        marker: str,
        *,
        broadcast: bool = False,
    ) -> tuple[str, str]:
        """Post a message carrying `marker`; returns (channel, ts)."""

    def find_marker(self, channel: str, thread_ts: str | None, marker: str) -> str | None:
        """The ts of a message already posted with `marker`."""

    def permalink(self, channel: str, ts: str) -> str:
        """Slack's link to a message."""

    def respond(self, url: str, text: str) -> None:
        """A private answer through a response_url."""


class FilingNotes:
    """The outbox's `source_link`, `source_reply` and `announce` effects."""

    def __init__(
        self,
        store: Store,
        gateway: NotesGateway,
        words: CaptureRenderer,
        shared: Callable[[str], bool] = lambda channel: False,
    ) -> None:
        self.store = store
        self.gateway = gateway
        self.words = words
        # Whether a channel is shared with another organisation (looked up in Slack when not known yet): nothing
        # about a complaint is posted there, neither the "Filed as" reply nor the line pointing to the card.
        self.shared = shared

    def link(self, effect: Effect) -> bool:
        """Keep Slack's permalink of the message with the complaint, for the card that is queued behind it."""
        try:
            url = self.gateway.permalink(effect.channel or "", str(effect.data.get("ts") or ""))
        except DeliveryError as exc:
            if exc.transient and effect.attempts + 1 < PERMALINK_ATTEMPTS:
                raise
            log.info(
                "#%s: no permalink for its message (%s); the card links it all the same", effect.complaint, exc.code
            )
            url = ""
        with self.store.transaction() as tx:
            complaint = tx.get(effect.complaint or 0)
            if complaint is not None and url:
                complaint.source["permalink"] = url
                tx.save(complaint)
            tx.finish_effect(effect.id)
        return True

    def reply(self, effect: Effect) -> None:
        """ "Filed as #12" under the message; privately to the filer where the bot cannot or must not post there."""
        complaint = self.store.get(effect.complaint or 0)
        if complaint is None:
            return
        self._wait_for_card(complaint.card_ts, effect)
        if effect.data.get("private") or self._shared(effect.channel or ""):
            self._tell_filer(effect, self.words.private(complaint))
            return
        channel, thread_ts = effect.channel or "", str(effect.data.get("thread_ts") or "") or None
        try:
            if not (effect.attempts and self.gateway.find_marker(channel, thread_ts, effect.id)):
                self.gateway.post(channel, self.words.reply(complaint, effect.user or ""), None, thread_ts, effect.id)
        except DeliveryError as exc:
            if exc.code not in CANNOT_POST:
                raise
            log.info(
                "#%s: cannot reply under its message (%s); telling the filer privately", complaint.number, exc.code
            )
            self._tell_filer(effect, self.words.private(complaint))

    def announce(self, effect: Effect) -> None:
        """The line in the filing channel that points to a card in another channel; where it cannot go, none."""
        complaint = self.store.get(effect.complaint or 0)
        if complaint is None:
            return
        self._wait_for_card(complaint.card_ts, effect)
        channel = effect.channel or ""
        if self._shared(channel):
            log.info("#%s: no line in <#%s>, which is shared with another organisation", complaint.number, channel)
            return
        try:
            if not (effect.attempts and self.gateway.find_marker(channel, None, effect.id)):
                self.gateway.post(channel, self.words.announcement(complaint), None, None, effect.id)
        except DeliveryError as exc:
            if exc.code not in CANNOT_POST:
                raise
            log.info("#%s: no line in <#%s> (%s); its filer was told privately", complaint.number, channel, exc.code)

    def _shared(self, channel: str) -> bool:
        """Whether the channel is shared with another organisation; retried while Slack does not say."""
        try:
            return self.shared(channel)
        except LookupFailed as exc:
            if exc.transient:
                raise DeliveryError("channel_not_looked_at", transient=True) from exc
            return False

    @staticmethod
    def _wait_for_card(card_ts: str | None, effect: Effect) -> None:
        """Try again shortly while the card is not posted yet (see QUICK_WAITS)."""
        if not card_ts and effect.attempts < CARD_WAITS:
            soon = 0.5 if effect.attempts < QUICK_WAITS else None
            raise DeliveryError("card_not_posted_yet", transient=True, retry_after=soon)

    def _tell_filer(self, effect: Effect, text: str) -> None:
        """Through the shortcut's response_url, or, once that has expired, as a direct message."""
        try:
            self.gateway.respond(str(effect.data.get("response_url") or ""), text)
        except DeliveryError as exc:
            if exc.transient:
                raise
            log.info("#%s: response_url refused (%s); telling the filer directly", effect.complaint, exc.code)
            self.gateway.post(effect.user or "", text, None, None, f"{effect.id}-dm")
