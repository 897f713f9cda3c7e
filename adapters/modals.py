"""Opening a modal without keeping a request thread waiting for Slack."""

from __future__ import annotations

import logging
from collections.abc import Callable
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


def open_modal_from(
    context: BoltContext, client: WebClient, trigger_id: str, build: Callable[[], dict[str, Any] | None]
) -> None:
    """Like open_modal, for a view that needs a look into the store first: that look happens after the ack too."""
    context.listener_runner.listener_executor.submit(_build_and_open, client, trigger_id, build)


def _build_and_open(client: WebClient, trigger_id: str, build: Callable[[], dict[str, Any] | None]) -> None:
    """Build the view, then views.open (nothing when there is nothing to show)."""
    try:
        view = build()
    except Exception:
        log.exception("could not build a modal")
        return
    if view is not None:
        _open(client, trigger_id, view)


def replace_modal(context: BoltContext, client: WebClient, view_id: str, view: dict[str, Any]) -> None:
    """views.update of an open modal (a button in it showed the next step), after the ack."""
    context.listener_runner.listener_executor.submit(_update, client, view_id, view)


def _update(client: WebClient, view_id: str, view: dict[str, Any]) -> None:
    """views.update; a failure is logged (the modal stays as it was, and the person can try again)."""
    try:
        client.views_update(view_id=view_id, view=view)
    except SlackApiError as exc:
        log.warning("could not update a modal: %s", exc.response.get("error"))
    except Exception:
        log.exception("could not update a modal")
