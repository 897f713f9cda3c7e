"""Requests whose step needs a fact from Slack first: answered at once, looked up after the answer, then handled.

A step raises NeedsSlack (bot/lookups.py) before it changes anything when it needs, say, the members of a
managers' user group or the organisation of a person the bot has not met. Slack gets its answer at once (an
empty one: nothing is shown yet); then, on bolt's listener executor, the fact is looked up and the same request
is dispatched again. What the step answers then reaches the person through the request's response_url (a
slash command's answer) or the private messages the step queues itself. When Slack still has not told us on the
second try, the person hears privately that it could not be checked and that nothing changed.
"""

from __future__ import annotations

import copy
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from slack_sdk.webhook import WebhookClient

from adapters.payloads import dig, text
from adapters.unsaved import LAST_REDELIVERY
from bot.lookups import NeedsSlack

log = logging.getLogger("complaints.after_ack")

# On a request handled again after a lookup: what it waited for so far, one fact a line.
ASKED = "x-complaint-desk-asked"
# A step needing facts one after the other (a person's organisation, then a group) is tried at most this often.
MAX_ASKS = 3
RESPONSE_TIMEOUT = 10.0
REDELIVERY = "x-slack-retry-num"
# Tells one person something privately (user, channel, text), durably: through the outbox.
Tell = Callable[[str, str, str], None]


def asked(headers: Mapping[str, Sequence[str] | str]) -> list[str]:
    """The facts this request already waited for (none for a request straight from Slack)."""
    value = headers.get(ASKED) or ""
    first = value[0] if isinstance(value, list | tuple) else value
    return [line for line in str(first).split("\n") if line] if first else []


class AfterAck:
    """Runs a request again once what it needs from Slack is known, and tells people privately after the ack."""

    def __init__(self, app: App, could_not_check: str, tell: Tell) -> None:
        self.app = app
        self.could_not_check = could_not_check
        self.tell = tell

    def defer(self, request: BoltRequest, needs: NeedsSlack) -> BoltResponse:
        """Answer Slack now; look up what is missing and handle the request again after this answer.

        A fact that is still missing after it was looked up means Slack could not tell: the person hears that
        nothing changed, privately.
        """
        before = asked(request.headers)
        if needs.what in before or len(before) >= MAX_ASKS:
            log.warning("%s: Slack did not tell us %s; the person is told nothing changed", _kind(request), needs.what)
            self.tell_later(request.body, self.could_not_check)
            return BoltResponse(status=200, body="")
        log.info("%s: asking Slack for %s after the ack", _kind(request), needs.what)
        self._executor().submit(self._again, request, needs, [*before, needs.what])
        return BoltResponse(status=200, body="")

    def tell_later(self, body: dict[str, Any], words: str) -> None:
        """A private note to whoever sent this request: a command or shortcut's through its response_url after
        the answer to Slack (the bot may not be in that channel), anything else through the outbox."""
        if body.get("command") or body.get("type") == "message_action":
            self._executor().submit(self._respond, text(body, "response_url"), {"text": words})
            return
        event = body.get("event") if isinstance(body.get("event"), dict) else {}
        user = text(body, "user", "id") or text(event, "user")
        channel = (
            text(body, "channel", "id")
            or text(body, "container", "channel_id")
            or text(event, "item", "channel")
            or text(event, "channel")
        )
        if user:
            self.tell(user, channel, words)

    def _executor(self) -> Any:
        """bolt's listener executor: where modals open too, off the request's thread."""
        return self.app.listener_runner.listener_executor

    def _again(self, request: BoltRequest, needs: NeedsSlack, facts: list[str]) -> None:
        """Learn, then dispatch the same request once more; a command's answer goes to its response_url."""
        try:
            needs.learn()
        except Exception:  # the next try then finds the fact still missing and says so
            log.exception("looking up %s failed", needs.what)
        body = copy.deepcopy(request.body)
        headers: dict[str, str | Sequence[str]] = {**request.headers, ASKED: ["\n".join(facts)]}
        if body.get("type") == "event_callback":  # answered already: Slack will not send it again if it fails now
            headers[REDELIVERY] = [str(LAST_REDELIVERY)]
        try:
            response = self.app.dispatch(BoltRequest(body=body, headers=headers, mode="socket_mode"))
        except Exception:
            log.exception("%s failed after the lookup", _kind(request))
            return
        if body.get("command") and response.status == 200 and response.body:
            self._respond(text(body, "response_url"), _message(response))
        elif body.get("type") == "view_submission" and response.body:
            log.info("a form's answer could not be shown in it any more (it closed while we asked Slack)")

    def _respond(self, url: str, message: dict[str, Any]) -> None:
        """POST to a response_url (valid 30 minutes, five times), privately unless the answer says otherwise."""
        if not url:
            return
        try:
            answer = WebhookClient(url, timeout=int(RESPONSE_TIMEOUT)).send_dict(
                {"response_type": "ephemeral", **message}
            )
        except Exception as exc:
            log.warning("could not answer through the response_url: %s", exc)
            return
        if answer.status_code != 200:
            log.warning("the response_url refused the answer: %s %s", answer.status_code, answer.body)


def _message(response: BoltResponse) -> dict[str, Any]:
    """A command's ack as a response_url message: bolt's JSON ack as it is, a plain text ack as its text."""
    body = str(response.body)
    if body.startswith("{"):
        try:
            parsed = json.loads(body)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            return parsed
    return {"text": body}


def _kind(request: BoltRequest) -> str:
    """What the request is, for the log: the command, or the payload's (or event's) type."""
    body = request.body
    return text(body, "command") or text(dig(body, "event"), "type") or text(body, "type") or "a request"
