"""Events: reactions on cards, replies in their threads; everything else is acknowledged and ignored."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltResponse

from adapters.payloads import dig, files_in, text
from bot.services.bundle import Services


def register(app: App, services: Services) -> None:
    """Bind reactions and messages, then a catch-all so unknown events are never retried at us."""

    def reaction(ack: Ack, body: dict, event: dict, added: bool) -> None:
        services.lifecycle.react(
            channel=text(event, "item", "channel"),
            ts=text(event, "item", "ts"),
            user=text(event, "user"),
            emoji=text(event, "reaction"),
            event_id=text(body, "event_id") or text(event, "event_ts"),
            added=added,
        )
        ack()

    @app.event("reaction_added")
    def reaction_added(ack: Ack, body: dict, event: dict) -> None:
        reaction(ack, body, event, True)

    @app.event("reaction_removed")
    def reaction_removed(ack: Ack, body: dict, event: dict) -> None:
        reaction(ack, body, event, False)

    @app.event("message")
    def message(ack: Ack, body: dict, event: dict) -> None:
        services.activity.message(
            channel=text(event, "channel"),
            thread_ts=text(event, "thread_ts"),
            ts=text(event, "ts"),
            user=text(event, "user"),
            subtype=text(event, "subtype"),
            from_bot=bool(dig(event, "bot_id")),
            event_id=text(body, "event_id") or text(event, "ts"),
            files=tuple(files_in(dig(event, "files"))),
        )
        ack()

    register_notices(app, services)

    @app.event(re.compile(".*"))
    def anything_else(ack: Ack) -> None:
        ack()


def register_notices(app: App, services: Services) -> None:
    """Bind what Slack says about the app itself, so an operator hears of it."""
    notices = services.notices

    @app.event("tokens_revoked")
    def tokens_revoked(ack: Ack, event: dict) -> None:
        ack()
        notices.tokens_revoked(ids(dig(event, "tokens", "bot")), ids(dig(event, "tokens", "oauth")))

    @app.event("app_uninstalled")
    def app_uninstalled(ack: Ack, body: dict) -> None:
        ack()
        notices.uninstalled(text(body, "team_id"))

    @app.middleware
    def app_rate_limited(body: dict, next: Callable[[], None]) -> BoltResponse | None:
        """Not an event_callback but a body of its own, which no event listener would match."""
        if body.get("type") != "app_rate_limited":
            next()
            return None
        minute = body.get("minute_rate_limited")
        notices.rate_limited(text(body, "team_id"), minute if isinstance(minute, int) else None)
        return BoltResponse(status=200, body="")


def ids(value: Any) -> list[str]:
    """A list of ids from a payload, or none."""
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
