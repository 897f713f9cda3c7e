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
    register_membership(app, services)

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


def register_membership(app: App, services: Services) -> None:
    """Bind the events about where the bot is: removed from or invited into a channel, a channel shared or not."""
    relocation = services.relocation

    def key(body: dict) -> str:
        """The event's id, so that a redelivery moves nothing twice."""
        return f"event:{text(body, 'event_id')}" if text(body, "event_id") else ""

    @app.event("member_left_channel")
    def member_left(ack: Ack, body: dict, event: dict) -> None:
        relocation.left(text(event, "channel"), text(event, "user"), key(body))
        ack()

    @app.event("channel_left")
    def channel_left(ack: Ack, body: dict, event: dict) -> None:
        relocation.left(text(event, "channel"), "", key(body))  # sent to the bot itself: it left
        ack()

    @app.event("group_left")
    def group_left(ack: Ack, body: dict, event: dict) -> None:
        relocation.left(text(event, "channel"), "", key(body))  # the same, for a private channel
        ack()

    @app.event("member_joined_channel")
    def member_joined(ack: Ack, body: dict, event: dict) -> None:
        relocation.joined(text(event, "channel"), text(event, "user"), key(body))
        ack()

    @app.event("channel_shared")
    def channel_shared(ack: Ack, body: dict, event: dict) -> None:
        relocation.shared(text(event, "channel"), key(body))
        ack()

    @app.event("channel_unshared")
    def channel_unshared(ack: Ack, event: dict) -> None:
        relocation.unshared(text(event, "channel"), dig(event, "is_ext_shared") is True)
        ack()
