"""What Slack tells the app about the app itself: its tokens revoked, its uninstallation, its events held back.

None of these changes a complaint, but each means the bot can no longer hear or reach people as it should, so
each is logged as a warning that says what happened and what to do.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

log = logging.getLogger("complaints.slack")


class SlackNotices:
    """Turns Slack's notices about the app into warnings an operator reads (and a count for rate limits)."""

    def __init__(self, on_rate_limited: Callable[[], None] = lambda: None) -> None:
        self.on_rate_limited = on_rate_limited

    def rate_limited(self, team: str, minute: int | None) -> None:
        """app_rate_limited: Slack holds back this app's events from a workspace for the rest of a minute."""
        since = datetime.fromtimestamp(minute, UTC).strftime("%H:%M UTC") if minute else "now"
        log.warning(
            "Slack is holding back this app's events from workspace %s since %s (app_rate_limited: more than "
            "30,000 events in an hour); reactions and replies in that time do not reach the bot",
            team or "?",
            since,
        )
        self.on_rate_limited()

    def tokens_revoked(self, bot_users: Sequence[str], users: Sequence[str]) -> None:
        """tokens_revoked: tokens of this app stopped working (the bot's own, or people's)."""
        log.warning(
            "Slack revoked tokens of this app (tokens_revoked: bot tokens of %s, user tokens of %s); with its bot "
            "token gone the bot can no longer post: reinstall the app and set the new SLACK_BOT_TOKEN",
            ", ".join(bot_users) or "none",
            ", ".join(users) or "none",
        )

    def uninstalled(self, team: str) -> None:
        """app_uninstalled: the app was removed from a workspace."""
        log.warning(
            "The app was uninstalled from workspace %s (app_uninstalled): Slack sends no more events and refuses "
            "its token; reinstall it to go on",
            team or "?",
        )
