"""After start, in the background: the bot joins the public channels its routing sends cards to, and finds out
which private ones it is not in (their cards go to channels.fallback, with a warning in the log and /healthz).
"""

from __future__ import annotations

import logging
import threading
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.services.placement import Placement

log = logging.getLogger("complaints.routing")

RECHECK = 600.0  # seconds: an unreachable target is looked at again, so an invitation is noticed
# Answers that mean the bot cannot post in the channel, with the words for the log and /healthz.
CANNOT_USE = {
    "channel_not_found": "a private channel the bot is not in (or no channel at all): invite the bot there",
    "is_archived": "archived",
    "method_not_supported_for_channel_type": "not a channel",
    "not_in_channel": "a private channel the bot is not in: invite the bot there",
}


class RouteCheck:
    """Checks each routing target after start, and those not usable yet again every few minutes."""

    def __init__(
        self, client: WebClient, placement: Placement, fallback: str | None, interval: float = RECHECK
    ) -> None:
        self.client = client
        self.placement = placement
        self.fallback = fallback
        self.interval = interval
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self.checked = threading.Event()  # the first round is done

    def start(self) -> None:
        """Check in the background: start-up never waits for Slack."""
        if not self.placement.targets():
            self.checked.set()
            return
        self._thread = threading.Thread(target=self._run, name="routing-check", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop looking."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def health_fields(self) -> dict[str, Any]:
        """For /healthz: the routing targets the bot cannot post in, with why (only when there are any)."""
        unreachable = self.placement.unreachable_targets()
        return {"routing_unreachable": unreachable} if unreachable else {}

    def _run(self) -> None:
        """A round over every target, then over those not found usable yet, now and then."""
        usable: set[str] = set()
        while not self._stopped.is_set():
            for channel in self.placement.targets():
                if self._stopped.is_set():
                    return
                if channel not in usable and self._check(channel):
                    usable.add(channel)
            self.checked.set()
            if self._stopped.wait(self.interval):
                return

    def _check(self, channel: str) -> bool:
        """conversations.info, and conversations.join for a public channel the bot is not in yet; True: usable."""
        try:
            info = self.client.conversations_info(channel=channel).get("channel") or {}
            if info.get("is_archived"):
                return self._unusable(channel, "is_archived")
            if not info.get("is_member"):
                if info.get("is_private"):
                    return self._unusable(channel, "not_in_channel")
                self.client.conversations_join(channel=channel)
                log.info("routing: joined <#%s>, where cards are routed", channel)
        except SlackApiError as exc:
            code = str(exc.response.get("error") or "")
            if code in CANNOT_USE:
                return self._unusable(channel, code)
            log.warning("routing: could not check <#%s> (%s); trying again later", channel, code)
            return False  # Slack is down or slow: the target stays in use; the outbox falls back if a post fails
        except Exception as exc:
            log.warning("routing: could not check <#%s> (%s); trying again later", channel, type(exc).__name__)
            return False
        self.placement.reachable(channel)
        return True

    def _unusable(self, channel: str, code: str) -> bool:
        """Cards for this target go to the fallback; the operator hears why, once per change."""
        why = CANNOT_USE[code]
        if self.placement.unreachable_targets().get(channel) != why:
            where = f"channels.fallback ({self.fallback})" if self.fallback else "the channel where they were filed"
            log.warning("routing: cannot post in <#%s>, %s; its complaints go to %s", channel, why, where)
        self.placement.unreachable(channel, why)
        return False
