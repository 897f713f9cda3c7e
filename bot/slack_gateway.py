"""What the outbox needs from Slack: the few Web API operations, how they fail, and whether Slack answers at all.

`adapters.slack_web` implements the gateway with slack_sdk; the core only sees this contract.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

slack_log = logging.getLogger("complaints.slack.status")  # about Slack as a whole, not about one complaint

# Slack answers with these when the channel is not one the bot can post in: the card goes to the fallback.
CANNOT_POST = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action", "cannot_dm_bot"}
# Slack's answers to a reply whose thread (the card) was deleted: the card is posted again, then the reply.
THREAD_GONE = {"thread_not_found", "message_not_found"}
# Slack's answers when an uploaded file's bytes are gone (expired, or already completed): start over.
FILE_GONE = {"file_not_found", "file_deleted", "invalid_file", "file_upload_expired"}


class DeliveryError(Exception):
    """Slack did not take an effect. `transient` ones are retried; the others never will succeed."""

    def __init__(
        self,
        code: str,
        *,
        transient: bool,
        retry_after: float | None = None,
        maybe_done: bool = False,
        outage: bool = False,
    ):
        super().__init__(code)
        self.code = code
        self.transient = transient
        self.retry_after = retry_after
        self.maybe_done = maybe_done
        self.outage = outage  # Slack did not answer (a 5xx, a timeout, no connection): not this effect's fault


class SlackStatus:
    """Whether Slack answers, as the latest Web API call found; while it does not, one probe at a time.

    During an outage every waiting message would otherwise back off on its own (1, 2, 4 … 300 s), and the
    cards would appear minutes after Slack was back. Instead one attempt probes for the whole outbox, at
    most `probe_max` seconds apart; the first that Slack answers lets every waiting message go at once.
    """

    def __init__(self, now: Callable[[], datetime], probe_first: float = 1.0, probe_max: float = 3.0) -> None:
        self.now = now
        self.probe_first = probe_first
        self.probe_max = probe_max
        self._lock = threading.Lock()
        self._down_since: datetime | None = None
        self._interval = probe_first
        self._next_probe: datetime | None = None

    @property
    def down_since(self) -> datetime | None:
        """When Slack stopped answering, or None while it answers."""
        return self._down_since

    def answered(self) -> None:
        """Slack gave an answer (even an error of its own): it is up."""
        with self._lock:
            if self._down_since is not None:
                slack_log.warning("Slack answers again (it did not since %s)", self._down_since.isoformat())
            self._down_since, self._next_probe, self._interval = None, None, self.probe_first

    def unreachable(self) -> None:
        """A call got no answer from Slack: wait before the next probe, a little longer each time."""
        with self._lock:
            now = self.now()
            if self._down_since is None:
                slack_log.warning("Slack does not answer; one message at a time probes until it does")
                self._down_since, self._interval = now, self.probe_first
            else:
                self._interval = min(self._interval * 2, self.probe_max)
            self._next_probe = now + timedelta(seconds=self._interval)

    def probe_in(self) -> float:
        """Seconds until the next probe may start (0 when it may start now)."""
        with self._lock:
            if self._next_probe is None:
                return 0.0
            return max(0.0, (self._next_probe - self.now()).total_seconds())


class SlackGateway(Protocol):
    """The few Slack Web API operations the outbox needs, raising DeliveryError on failure."""

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
        """Post a message carrying `marker` in its metadata (a reply also shown in the channel with `broadcast`);
        returns (channel, ts)."""

    def find_marker(self, channel: str, thread_ts: str | None, marker: str) -> str | None:
        """The ts of a message already posted with `marker`, so a retry does not post it twice."""

    def update(self, channel: str, ts: str, text: str, blocks: list[dict[str, Any]] | None) -> None:
        """Replace a message's content."""

    def ephemeral(self, channel: str, user: str, text: str) -> None:
        """A message only `user` sees."""

    def publish_home(self, user: str, view: dict[str, Any]) -> None:
        """Replace a person's App Home."""

    def add_reaction(self, channel: str, ts: str, name: str) -> None:
        """Put an emoji under a message."""

    def open_conversation(self, users: list[str]) -> str:
        """Open (or find) the direct or group conversation of the bot with these people; returns its id."""

    def upload_bytes(self, filename: str, content: bytes) -> str:
        """Hand Slack a file's bytes (not yet shared anywhere); returns the file id."""

    def share_file(self, file_id: str, title: str, channel: str, comment: str, thread_ts: str | None = None) -> None:
        """Share an uploaded file in a channel or DM (in a thread when `thread_ts` is given), with a comment."""

    def file_shared(self, channel: str, file_id: str, thread_ts: str | None = None) -> bool | None:
        """Whether the file is already shared in the channel (or thread); None when it cannot be read back."""

    def respond(self, url: str, text: str) -> None:
        """A private answer through a request's response_url."""
