"""`/complaint`: one command, answered privately or with a modal."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from adapters.modals import open_modal
from adapters.payloads import slack_text, text
from bot.services.bundle import Services

COMMAND = "/complaint"


def register(app: App, services: Services) -> None:
    """Bind `/complaint`."""

    @app.command(COMMAND)
    def complaint(ack: Ack, command: dict, client: WebClient, context: BoltContext) -> None:
        reply = services.commands.run(
            text(command, "channel_id"),
            text(command, "user_id"),
            slack_text(text(command, "text")),
            key=text(command, "trigger_id"),
            response_url=text(command, "response_url"),
        )
        if reply.view is None:
            ack(text=reply.text, blocks=reply.blocks)
            return
        ack()
        open_modal(context, client, text(command, "trigger_id"), reply.view)
