"""A step that could not be stored is never acknowledged silently.

Slack sends an event again when it gets no 2xx (over HTTP) or no ack (Socket Mode), up to three times; so an
event that could not be stored is answered 503 and tried again with Slack's next redelivery. When the last one
fails too, the person is told privately. A command, a button or a form is acknowledged and says so at once
(in the command's answer, under the form's first field, or privately for a button): Slack documents no
redelivery of those, over HTTP or Socket Mode. A private note cannot go through the outbox, which
lives in the store that just failed: it is a direct Web API call, made after the answer to Slack so that the
ack never waits for it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackClientError

from adapters.payloads import dig, number, text

log = logging.getLogger("complaints.unsaved")

LAST_REDELIVERY = 3  # Slack tries an event four times: at once, then X-Slack-Retry-Num 1, 2 and 3
CardNumber = Callable[[str, str], int | None]


def retry_num(headers: Mapping[str, Sequence[str] | str]) -> int:
    """Which redelivery of an event this is (0 for the first delivery), from X-Slack-Retry-Num."""
    value = headers.get("x-slack-retry-num") or ""
    first = value[0] if isinstance(value, list | tuple) else value
    return int(first) if isinstance(first, str) and first.isdigit() else 0


class UnsavedSteps:
    """Answers Slack for a step the store refused, and tells the person when nothing more will come of it."""

    def __init__(self, card_number: CardNumber, message: str) -> None:
        self.card_number = card_number
        self.message = message
        self._notes = ThreadPoolExecutor(max_workers=1, thread_name_prefix="unsaved")

    def answer(
        self, body: dict[str, Any], headers: Mapping[str, Sequence[str] | str], client: WebClient
    ) -> BoltResponse:
        """What Slack gets back for a request whose step could not be stored (`client` tells the person)."""
        if body.get("type") == "event_callback":
            return self._event(body, retry_num(headers), client)
        if body.get("command"):
            self._log(body, "told in the command's answer")
            return BoltResponse(status=200, body=self.message)
        if body.get("type") == "view_submission":
            return self._form(body, client)
        self._log(body, "told privately")
        self._tell(client, body, text(body, "user", "id"), text(body, "channel", "id"))
        return BoltResponse(status=200, body="")

    def _event(self, body: dict[str, Any], redelivery: int, client: WebClient) -> BoltResponse:
        """503 so that Slack sends it again; after the last redelivery the person hears it was not saved."""
        event = body.get("event") or {}
        if redelivery < LAST_REDELIVERY:
            self._log(body, f"Slack will send it again (delivery {redelivery + 1} of {LAST_REDELIVERY + 1})")
        else:
            self._log(body, "Slack sends it no more; told privately")
            channel = text(event, "item", "channel") or text(event, "channel")
            self._tell(client, body, text(event, "user"), channel)
        return BoltResponse(status=503, body="")

    def _form(self, body: dict[str, Any], client: WebClient) -> BoltResponse:
        """Keep the form open with the note under its first field, so that submitting again is one click."""
        fields = list(dig(body, "view", "state", "values") or {})
        if not fields:
            self._log(body, "told privately")
            self._tell(client, body, text(body, "user", "id"), "")
            return BoltResponse(status=200, body="")
        self._log(body, "told in the form")
        answer = {"response_action": "errors", "errors": {fields[0]: self.message}}
        return BoltResponse(status=200, body=json.dumps(answer), headers={"content-type": "application/json"})

    def _tell(self, client: WebClient, body: dict[str, Any], user: str, channel: str) -> None:
        """A private note, sent directly (not through the store's outbox), after the answer to Slack."""
        if user:
            self._notes.submit(self._send, client, self.complaint(body), user, channel)

    def _send(self, client: WebClient, about: str, user: str, channel: str) -> None:
        """Post the note: ephemeral in the channel, or a direct message where there is no channel."""
        try:
            if channel and not channel.startswith("D"):
                client.chat_postEphemeral(channel=channel, user=user, text=self.message)
            else:
                client.chat_postMessage(channel=user, text=self.message)
        except (SlackClientError, OSError) as exc:
            log.error("%s: could not tell %s that a step was not saved (%s)", about, user, type(exc).__name__)

    def _log(self, body: dict[str, Any], what: str) -> None:
        """One line naming the complaint, what was lost and what happens next."""
        log.error("%s: a %s could not be stored; %s", self.complaint(body), _kind(body), what)

    def complaint(self, body: dict[str, Any]) -> str:
        """The complaint the request is about, as log lines name it ("#12"), or "no complaint" when unknown."""
        found = self._number(body)
        return f"#{found}" if found else "no complaint"

    def _number(self, body: dict[str, Any]) -> int | None:
        """From the card reacted on or replied under, a button's value, or a form's metadata ("12" or "12:…")."""
        event = body.get("event") or {}
        if event:
            channel = text(event, "item", "channel") or text(event, "channel")
            ts = text(event, "item", "ts") or text(event, "thread_ts")
            try:
                return self.card_number(channel, ts) if channel and ts else None
            except Exception:  # the store that just failed may not answer reads either
                return None
        value = (
            text(body, "actions", 0, "value")
            or text(body, "actions", 0, "selected_option", "value")
            or text(body, "view", "private_metadata")
        )
        return number(value.partition(":")[0])


def _kind(body: dict[str, Any]) -> str:
    """What the request was, for the log: the event type, the command, the button or the form."""
    if body.get("type") == "event_callback":
        return f"{text(body, 'event', 'type')} event"
    if body.get("command"):
        return f"{body['command']} command"
    if body.get("type") == "view_submission":
        return f"form ({text(body, 'view', 'callback_id')})"
    return f"button ({text(body, 'actions', 0, 'action_id')})"
