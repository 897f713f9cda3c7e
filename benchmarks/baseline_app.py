"""The baseline: a plain bolt app as it is usually written and served, to set the bot's figures against.

It acks `/complaint` (and a reaction) and then posts one chat.postMessage, and it runs on bolt's own
development server (`app.start`), the way an untuned bolt app is often run in production.
"""

from __future__ import annotations

import os
from http.server import HTTPServer

from slack_bolt import Ack, App
from slack_bolt.app import app as bolt_app_module
from slack_sdk import WebClient


class LoopbackHTTPServer(HTTPServer):
    """bolt's development server binds 0.0.0.0; the benchmark keeps it on the loopback, nothing else changes."""

    def __init__(self, address: tuple[str, int], handler: type) -> None:
        """Bind the same port, on 127.0.0.1."""
        super().__init__(("127.0.0.1", address[1]), handler)


bolt_app_module.HTTPServer = LoopbackHTTPServer  # type: ignore[misc, assignment]

# The token goes on the client: bolt ignores App(token=...) when a client is given.
app = App(
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    client=WebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"]),
)


@app.command("/complaint")
def complaint(ack: Ack, command: dict, client: WebClient) -> None:
    """Ack, then post the complaint to the channel."""
    ack()
    client.chat_postMessage(channel=command["channel_id"], text=f"New complaint: {command['text']}")


@app.event("reaction_added")
def reaction(ack: Ack, event: dict, client: WebClient) -> None:
    """Ack, then say in the thread who took it."""
    ack()
    item = event["item"]
    client.chat_postMessage(channel=item["channel"], thread_ts=item["ts"], text=f"<@{event['user']}> took it")


if __name__ == "__main__":
    app.start(port=int(os.environ["PORT"]))
