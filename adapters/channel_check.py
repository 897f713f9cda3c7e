"""After this process becomes the one that delivers (the leader): the channels holding open cards are looked at.

In the background, so that start-up never waits for Slack: each channel is checked once (the bot joins the public
ones it is not in, and moves complaints out of those it lost or that became shared while it was not running);
those Slack did not answer for are tried again with backoff until it does.
"""

from __future__ import annotations

import logging
import threading

from bot.services.relocation import Relocation

log = logging.getLogger("complaints.channels")


class ChannelCheck:
    """One round over the channels with open cards, repeated only for those Slack did not answer for."""

    def __init__(self, relocation: Relocation, stopped: threading.Event, first: float = 1.0, most: float = 60.0):
        self.relocation = relocation
        self.stopped = stopped
        self.first = first
        self.most = most
        self.done = threading.Event()  # every channel was checked

    def start(self) -> None:
        """Check in a daemon thread."""
        self.done.clear()
        threading.Thread(target=self._run, name="channel-check", daemon=True).start()

    def _run(self) -> None:
        """Check every channel; keep trying the ones Slack did not answer for."""
        try:
            waiting = self.relocation.channels_with_cards()
        except Exception:  # the store is down: the next leadership start checks again
            log.exception("could not list the channels holding open cards")
            return
        delay = self.first
        while waiting and not self.stopped.is_set():
            waiting = [channel for channel in waiting if not self._checked(channel)]
            if waiting and self.stopped.wait(delay):
                return
            delay = min(delay * 2, self.most)
        self.done.set()

    def _checked(self, channel: str) -> bool:
        """Check one channel; a failure that is not Slack's answer is logged and not tried again."""
        try:
            return self.relocation.check(channel)
        except Exception:
            log.exception("checking <#%s> failed", channel)
            return True
