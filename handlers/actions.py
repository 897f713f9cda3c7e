"""Buttons on cards: each asks the core whether this person may, then opens the matching modal."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from adapters.modals import open_modal
from adapters.payloads import dig, number, text
from bot import rendering
from bot.rendering import reporter, talk
from bot.services import Outcome, request_key
from bot.services.bundle import Services
from bot.services.lifecycle import Draft


def _open(client: WebClient, body: dict, view: dict[str, Any], context: BoltContext) -> None:
    """Open a modal at once (its trigger expires after three seconds), without holding up the request."""
    open_modal(context, client, text(body, "trigger_id"), view)


def register(app: App, services: Services) -> None:
    """Bind the card's buttons."""
    lifecycle, render = services.lifecycle, services.render

    def modal_after(
        check: Callable[[int, str, str], Outcome], build: Callable[[Any], dict[str, Any]]
    ) -> Callable[[Ack, dict, WebClient, BoltContext], None]:
        """A button that opens a form, but only for someone the core allows (others hear why privately)."""

        def listener(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
            ack()
            wanted = number(dig(body, "actions", 0, "value"))
            if wanted is None:
                return
            outcome = check(wanted, text(body, "user", "id"), text(body, "channel", "id"))
            if outcome.ok and outcome.complaint is not None:
                _open(client, body, build(outcome.complaint), context)

        return listener

    app.action(rendering.ACTION_RESOLVE)(modal_after(lifecycle.may_resolve, render.resolve_modal))
    app.action(rendering.ACTION_HANDOVER)(modal_after(lifecycle.may_hand_over, render.handover_modal))
    app.action(rendering.ACTION_REOPEN)(modal_after(lifecycle.may_reopen, render.reopen_modal))
    app.action(rendering.ACTION_EIGHT_D)(modal_after(services.eightd.may_edit, services.eightd.form))

    @app.action(rendering.ACTION_HISTORY)
    def history(ack: Ack, body: dict) -> None:
        ack()
        wanted = number(dig(body, "actions", 0, "value"))
        if wanted is not None:
            once = request_key(text(body, "trigger_id"))  # the same press delivered again shows it no second time
            services.lifecycle.show_history(wanted, text(body, "user", "id"), text(body, "channel", "id"), once=once)

    @app.action(rendering.ACTION_OPEN_THREAD)
    def link_clicked(ack: Ack) -> None:
        ack()

    @app.action(rendering.ACTION_FILE_TEXT)
    def file_text(ack: Ack, body: dict) -> None:
        ack()
        draft = Draft(
            channel=text(body, "channel", "id") or text(body, "container", "channel_id"),
            reporter=text(body, "user", "id"),
            summary=text(body, "actions", 0, "value"),
            key=text(body, "container", "message_ts") or text(body, "trigger_id"),
        )
        services.lifecycle.file_form(draft)

    register_followups(app, services)
    register_talk(app, services)


def register_followups(app: App, services: Services) -> None:
    """Bind the snooze buttons on an owner's update question and the card's severity menu."""

    @app.action(rendering.ACTION_SNOOZE)
    def snooze(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
        ack()
        wanted, _, choice = text(body, "actions", 0, "value").partition(":")
        outcome = services.followups.may_snooze(
            number(wanted) or 0, text(body, "user", "id"), text(body, "channel", "id")
        )
        if outcome.ok and outcome.complaint is not None:
            today = services.deps.now().astimezone(services.deps.config.tz).date().isoformat()
            _open(client, body, services.render.snooze_modal(outcome.complaint, choice, today), context)

    @app.action(rendering.ACTION_SEVERITY)
    def severity(ack: Ack, body: dict) -> None:
        ack()
        wanted, _, name = text(body, "actions", 0, "selected_option", "value").partition(":")
        services.lifecycle.change_severity(
            number(wanted) or 0, text(body, "user", "id"), name, text(body, "channel", "id")
        )


def register_talk(app: App, services: Services) -> None:
    """Bind Let's talk and We talked, and the reporter's answer whether the customer is satisfied."""

    @app.action(talk.ACTION_TALK)
    def start_talk(ack: Ack, body: dict) -> None:
        ack()
        wanted = number(dig(body, "actions", 0, "value")) or 0
        once = request_key(text(body, "trigger_id"))  # the same press delivered again starts nothing more
        services.talk.start(wanted, text(body, "user", "id"), text(body, "channel", "id"), once=once)

    @app.action(talk.ACTION_TALKED)
    def talked(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
        ack()
        wanted = number(dig(body, "actions", 0, "value")) or 0
        outcome = services.talk.may_note(wanted, text(body, "user", "id"), text(body, "channel", "id"))
        if outcome.ok and outcome.complaint is not None:
            _open(client, body, services.talk.render.talked_modal(outcome.complaint), context)

    @app.action(talk.ACTION_TALK_MEETING)
    def meeting_clicked(ack: Ack) -> None:
        ack()

    @app.action(reporter.ACTION_SATISFIED)
    def satisfied(ack: Ack, body: dict) -> None:
        ack()
        services.reporter.satisfied(
            text(body, "actions", 0, "value"),
            text(body, "user", "id"),
            text(body, "channel", "id"),
            text(body, "container", "message_ts"),
            once=request_key(text(body, "trigger_id")),
        )

    @app.action(reporter.ACTION_NOT_YET)
    def not_yet(ack: Ack, body: dict, client: WebClient, context: BoltContext) -> None:
        ack()
        value, channel = text(body, "actions", 0, "value"), text(body, "channel", "id")
        once = request_key(text(body, "trigger_id"))  # the same press delivered again opens no second form
        outcome = services.reporter.may_say_not_yet(value, text(body, "user", "id"), channel, once=once)
        if outcome.ok and outcome.complaint is not None:
            ts = text(body, "container", "message_ts")
            _open(client, body, services.reporter.not_yet_modal(outcome.complaint, value, channel, ts), context)
