"""Library log lines that say nothing the bot does not already say better, kept out of the log."""

from __future__ import annotations

import logging

# bolt reads SLACK_BOT_TOKEN by itself and warns that it goes unused, because the app is given a client that
# carries that same token: true and harmless, at every start.
_BOLT_TOKEN_NOTICE = "`token` will be unused"
# slack_sdk logs every failed connection as an ERROR, also when the bot retries it and logs its own account
# (start-up: "Slack is unreachable"; outbox: "… failed (…); retrying"). With LOG_LEVEL=DEBUG they stay.
_SDK_SEND_FAILED = "Failed to send a request to Slack API server"


class _Without(logging.Filter):
    """Drops records whose message contains a given text."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def filter(self, record: logging.LogRecord) -> bool:
        """Keep every other record."""
        return self.text not in record.getMessage()


def quiet_library_noise() -> None:
    """Filter the two library lines above (call once, after logging is configured)."""
    logging.getLogger("slack_bolt.App").addFilter(_Without(_BOLT_TOKEN_NOTICE))
    if logging.getLogger().getEffectiveLevel() > logging.DEBUG:
        logging.getLogger("slack_sdk.web.base_client").addFilter(_Without(_SDK_SEND_FAILED))
