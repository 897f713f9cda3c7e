"""Modal submissions: the form's values go to one core call; field errors go back into the modal."""

from __future__ import annotations

from slack_bolt import Ack, App

from adapters.payloads import dig, number, text, view_files, view_moment, view_users, view_value
from bot import rendering
from bot.eightd.record import TEXTS
from bot.rendering import eightd, reporter, talk
from bot.services import Outcome, request_key
from bot.services.bundle import Services
from bot.services.lifecycle import Draft


def _once(body: dict) -> str:
    """This submission's idempotency key: Socket Mode may deliver the same one again after a reconnect."""
    return request_key(text(body, "trigger_id"))


def _answer(ack: Ack, outcome: Outcome) -> None:
    """Close the modal, or show the core's field errors in it."""
    if outcome.errors:
        ack(response_action="errors", errors=outcome.errors)
    else:
        ack()


def register(app: App, services: Services) -> None:
    """Bind the modals' submissions."""
    lifecycle = services.lifecycle

    @app.view(rendering.VIEW_NEW)
    def filed(ack: Ack, body: dict) -> None:
        draft = Draft(
            channel="",  # where it was filed comes with the form's metadata
            reporter=text(body, "user", "id"),
            summary=view_value(body, "summary"),
            customer=view_value(body, "customer"),
            details=view_value(body, "details"),
            severity=view_value(body, "severity"),
            category=view_value(body, "category"),
            files=tuple(view_files(body, rendering.BLOCK_FILES)),
            key=f"view:{text(body, 'view', 'id')}" if text(body, "view", "id") else "",  # a form sent again files once
        )
        _answer(ack, services.capture.submit(text(body, "view", "private_metadata"), draft))

    @app.view(rendering.VIEW_RESOLVE)
    def resolved(ack: Ack, body: dict) -> None:
        wanted = number(dig(body, "view", "private_metadata"))
        user = text(body, "user", "id")
        _answer(ack, lifecycle.resolve(wanted or 0, user, view_value(body, "resolution"), once=_once(body)))

    @app.view(rendering.VIEW_HANDOVER)
    def handed_over(ack: Ack, body: dict) -> None:
        wanted = number(dig(body, "view", "private_metadata"))
        user = text(body, "user", "id")
        outcome = lifecycle.propose_handover(
            wanted or 0, user, view_value(body, "handover_to"), view_value(body, "note"), once=_once(body)
        )
        _answer(ack, outcome)

    @app.view(rendering.VIEW_REOPEN)
    def reopened(ack: Ack, body: dict) -> None:
        wanted = number(dig(body, "view", "private_metadata"))
        reason = view_value(body, "reason")
        _answer(ack, lifecycle.reopen(wanted or 0, text(body, "user", "id"), reason, once=_once(body)))

    @app.view(rendering.VIEW_SNOOZE)
    def snoozed(ack: Ack, body: dict) -> None:
        wanted, _, choice = text(body, "view", "private_metadata").partition(":")
        until = services.followups.snooze_until(choice, view_value(body, "until"))
        outcome = services.followups.snooze(
            number(wanted) or 0, text(body, "user", "id"), until, view_value(body, "reason"), once=_once(body)
        )
        _answer(ack, outcome)

    @app.view(eightd.VIEW_EIGHT_D)
    def eight_d_saved(ack: Ack, body: dict) -> None:
        form = eightd.Submitted(
            team=tuple(view_users(body, "team")),
            texts={name: view_value(body, name) for name in TEXTS},
            contained_at=view_moment(body, "contained_at"),
            corrective_date=view_value(body, "corrective_date"),
        )
        metadata = text(body, "view", "private_metadata")
        _answer(ack, services.eightd.save(metadata, text(body, "user", "id"), form))

    register_talk(app, services)


def register_talk(app: App, services: Services) -> None:
    """Bind the talk's outcome form and the reporter's "not yet" form."""

    @app.view(talk.VIEW_TALKED)
    def talked(ack: Ack, body: dict) -> None:
        wanted = number(dig(body, "view", "private_metadata")) or 0
        outcome = view_value(body, "outcome")
        _answer(ack, services.talk.note(wanted, text(body, "user", "id"), outcome, once=_once(body)))

    @app.view(reporter.VIEW_NOT_YET)
    def not_yet(ack: Ack, body: dict) -> None:
        metadata = text(body, "view", "private_metadata")
        reason = view_value(body, "reason")
        _answer(ack, services.reporter.not_yet(metadata, text(body, "user", "id"), reason, once=_once(body)))
