"""Events: reactions on cards, replies in their threads; everything else is acknowledged and ignored."""

from __future__ import annotations

import re

from slack_bolt import Ack, App

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

    @app.event(re.compile(".*"))
    def anything_else(ack: Ack) -> None:
        ack()
