"""`/complaint`: one command, answered privately or with a modal."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from adapters.payloads import slack_text, text
from bot.services.bundle import Services

log = logging.getLogger("complaints.handlers")
COMMAND = "/complaint"


def register(app: App, services: Services) -> None:
    """Bind `/complaint`."""

    @app.command(COMMAND)
    def complaint(ack: Ack, command: dict, client: WebClient) -> None:
        reply = services.commands.run(
            text(command, "channel_id"),
            text(command, "user_id"),
            slack_text(text(command, "text")),
            key=text(command, "trigger_id"),
        )
        if reply.view is None:
            ack(text=reply.text, blocks=reply.blocks)
            return
        ack()
        try:
            client.views_open(trigger_id=text(command, "trigger_id"), view=reply.view)
        except SlackApiError as exc:
            log.warning("could not open the filing form: %s", exc.response.get("error"))
