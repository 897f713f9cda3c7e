"""The first thing every request passes: people from another organisation act on nothing.

A person in a channel shared with another company (Slack Connect) can react to the bot's messages and press
their buttons. Before any listener runs, the person is checked against the organisation that installed the bot
(bot/services/organisation.py); someone from outside gets a polite private answer and nothing else happens.
When only Slack can tell who the person is, the request is answered at once and checked after the answer.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from slack_bolt import App, BoltRequest, BoltResponse

from adapters.after_ack import AfterAck
from adapters.payloads import dig, text
from bot.lookups import NeedsSlack
from bot.services.bundle import Services
from bot.services.organisation import Actor

# Payloads in which a person acts; the others (App Home opened, the bot's own membership) need no check.
INTERACTIVE = {"block_actions", "message_action", "shortcut", "view_submission", "block_suggestion"}
ACTING_EVENTS = {"reaction_added", "reaction_removed"}
# Events Slack sends only from conversations the bot is in.
CONVERSATION_EVENTS = {*ACTING_EVENTS, "message"}


def actor_of(body: dict) -> Actor | None:
    """Who acts in this request, with what the request says about their organisation; None when nobody acts."""
    if body.get("command"):
        # A slash command reaches the app only through an installation: its team (or organisation) is the person's.
        return Actor(text(body, "user_id"), team=text(body, "team_id"), enterprise=text(body, "enterprise_id"))
    kind = text(body, "type")
    if kind in INTERACTIVE:
        return Actor(text(body, "user", "id"), team=text(body, "user", "team_id"))
    event = dig(body, "event")
    if kind == "event_callback" and text(event, "type") in ACTING_EVENTS:
        # As bolt reads it: only `true` marks a channel shared with another organisation.
        return Actor(text(event, "user"), in_shared_channel=body.get("is_ext_shared_channel") is True)
    return None


def after_ack(app: App, services: Services) -> AfterAck:
    """What answers Slack at once for a step that needs a fact from Slack first, and runs it once it is known."""
    return AfterAck(app, services.catalog.t("error.could_not_check"), services.organisation.tell)


def heard_from(body: dict, services: Services) -> None:
    """An event from a conversation says the bot is in it, and whether it is shared with another organisation;
    a channel found shared this way loses its cards as if Slack had said so with channel_shared."""
    event = dig(body, "event")
    if text(body, "type") != "event_callback" or text(event, "type") not in CONVERSATION_EVENTS:
        return
    channel = text(event, "item", "channel") or text(event, "channel")
    if services.channels.heard(channel, shared=body.get("is_ext_shared_channel") is True, member=True):
        services.relocation.shared(channel)  # its channel_shared event never came: the cards leave now


def register(app: App, services: Services) -> None:
    """Bind the check as a global middleware, so that no listener runs for someone from outside."""
    organisation = services.organisation
    later = after_ack(app, services)

    @app.middleware
    def only_our_organisation(
        body: dict, request: BoltRequest, resp: BoltResponse, next: Callable[[], None]
    ) -> BoltResponse:
        heard_from(body, services)
        actor = actor_of(body)
        if actor is None:
            next()
            return resp
        try:
            admitted = organisation.admits(actor)
        except NeedsSlack as needs:
            return later.defer(request, needs)
        if admitted:
            next()
            return resp
        return refuse(body, services, later)


def refuse(body: dict, services: Services, later: AfterAck) -> BoltResponse:
    """Nothing happens; the person hears why, privately, in the way this kind of request allows."""
    words = services.organisation.refusal()
    event = dig(body, "event")
    where = text(body, "channel", "id") or text(body, "channel_id") or text(event, "item", "channel")
    services.organisation.refused(text(body, "user_id") or text(body, "user", "id") or text(event, "user"), where)
    if body.get("command"):
        return BoltResponse(status=200, body=words)
    fields = list(dig(body, "view", "state", "values") or {}) if text(body, "type") == "view_submission" else []
    if fields:
        answer = {"response_action": "errors", "errors": {fields[0]: words}}
        return BoltResponse(status=200, body=json.dumps(answer), headers={"content-type": "application/json"})
    later.tell_later(body, words)
    return BoltResponse(status=200, body="")
