"""The message shortcut "File as complaint": the filled-in form, or the note that the message was filed before."""

from __future__ import annotations

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from adapters.modals import open_modal_from, replace_modal
from adapters.payloads import dig, files_in, slack_text, text
from bot.rendering.capture import ACTION_FILE_ANYWAY, SHORTCUT_FILE
from bot.services.bundle import Services
from bot.services.capture import MessageSource


def message_source(body: dict) -> MessageSource:
    """The message the shortcut was used on, as the payload carries it."""
    return MessageSource(
        channel=text(body, "channel", "id") or text(body, "message", "channel"),
        ts=text(body, "message_ts") or text(body, "message", "ts"),
        author=text(body, "message", "user"),
        thread_ts=text(body, "message", "thread_ts"),
        text=slack_text(text(body, "message", "text")),
        response_url=text(body, "response_url"),
        files=tuple(files_in(dig(body, "message", "files"))),
    )


def register(app: App, services: Services) -> None:
    """Bind the shortcut and the "file a new one anyway" button."""

    @app.message_shortcut(SHORTCUT_FILE)
    def file_message(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
        ack()
        source = message_source(body)
        open_modal_from(context, client, text(body, "trigger_id"), lambda: services.capture.form(source))

    @app.action(ACTION_FILE_ANYWAY)
    def file_anyway(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
        ack()
        view = services.capture.form_again(text(body, "view", "private_metadata"))
        if view is not None:
            replace_modal(context, client, text(body, "view", "id"), view)
