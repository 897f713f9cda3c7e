"""Opening a modal without keeping a request thread waiting for Slack."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import BoltContext
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

log = logging.getLogger("complaints.handlers")


def open_modal(context: BoltContext, client: WebClient, trigger_id: str, view: dict[str, Any]) -> None:
    """Hand `views.open` to bolt's listener executor and return: the request's thread acks the next one.

    Acknowledgements never wait for Slack, so the HTTP server needs only a few threads; a modal is the one
    answer that must come from a Web API call within three seconds of the click, so it goes on its own.
    """
    context.listener_runner.listener_executor.submit(_open, client, trigger_id, view)


def _open(client: WebClient, trigger_id: str, view: dict[str, Any]) -> None:
    """views.open; a failure (an expired trigger, Slack down) is logged, as the person can simply click again."""
    try:
        client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as exc:
        log.warning("could not open a modal: %s", exc.response.get("error"))
    except Exception:  # never let a broken modal take the executor's thread with it silently
        log.exception("could not open a modal")
