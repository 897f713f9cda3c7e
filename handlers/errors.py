"""The last line: whatever no other listener took is acknowledged, and an unexpected error is logged with its
trace while the person gets a plain apology."""

from __future__ import annotations

import logging
import re

from slack_bolt import Ack, App, BoltRequest, BoltResponse
from slack_sdk import WebClient

from adapters.unsaved import UnsavedSteps
from bot.lookups import NeedsSlack
from bot.services.bundle import Services
from bot.store import StoreError
from handlers.gate import after_ack

log = logging.getLogger("complaints.handlers")


def register(app: App, services: Services) -> None:
    """Bind the catch-alls and the global error handler: never a traceback in Slack, never an unanswered request.

    A step that needs a fact from Slack first (NeedsSlack) is not an error: it is answered at once and handled
    again once the fact is known.
    """
    later = after_ack(app, services)
    register_catch_alls(app)
    unsaved = UnsavedSteps(services.deps.store.card_number, services.catalog.t("error.not_saved"))

    @app.error
    def on_error(error: Exception, body: dict, request: BoltRequest, client: WebClient) -> BoltResponse:
        if isinstance(error, NeedsSlack):
            return later.defer(request, error)
        if isinstance(error, StoreError):  # nothing was stored: never answered as if it had been
            return unsaved.answer(body, request.headers, client)
        log.error("listener failed on %s", body.get("type") or body.get("command"), exc_info=error)
        if body.get("command"):
            return BoltResponse(status=200, body=services.catalog.t("error.generic"))
        return BoltResponse(status=200, body="")


def register_catch_alls(app: App) -> None:
    """Acknowledge, silently, what this app does not use (an old card's button, a shortcut, a closed modal).

    Without them bolt answers 404, which Slack shows people as an error and retries for events.
    """
    anything = re.compile(".*")

    def ignore(ack: Ack) -> None:
        ack()

    app.command(anything)(ignore)
    app.action(anything)(ignore)
    app.view(anything)(ignore)
    app.view_closed(anything)(ignore)
    app.shortcut(anything)(ignore)
    app.options(anything)(ignore)
