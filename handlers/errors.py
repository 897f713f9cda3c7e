"""The last line: an unexpected error is logged with its trace and the person gets a plain apology."""

from __future__ import annotations

import logging

from slack_bolt import App, BoltResponse

from bot.services.bundle import Services

log = logging.getLogger("complaints.handlers")


def register(app: App, services: Services) -> None:
    """Bind the global error handler: never a traceback in Slack."""

    @app.error
    def on_error(error: Exception, body: dict) -> BoltResponse:
        log.error("listener failed on %s", body.get("type") or body.get("command"), exc_info=error)
        if body.get("command"):
            return BoltResponse(status=200, body=services.catalog.t("error.generic"))
        return BoltResponse(status=200, body="")
