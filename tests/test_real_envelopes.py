"""Requests shaped exactly as Slack sends them reach the bot: a field it does not read never gets one refused."""

from __future__ import annotations

import json
import time
from typing import Any

from bot.model import Status
from tests.harness import Bot


def envelope(event: dict[str, Any], event_id: str) -> dict[str, Any]:
    """An Events API body with every envelope field Slack sends, as in a captured HTTP delivery."""
    return {
        "token": "vtok",
        "team_id": "T1",
        "api_app_id": "A1",
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(time.time()),
        "authorizations": [
            {"enterprise_id": None, "team_id": "T1", "user_id": "UBOT", "is_bot": True, "is_enterprise_install": False}
        ],
        "is_ext_shared_channel": False,
        "event_context": "4-eyJldCI6InJlYWN0aW9uX2FkZGVkIiwidGlkIjoiVDEiLCJhaWQiOiJBMSIsImNpZCI6IkNTVVBQT1JUIn0",
        "context_team_id": "T1",
        "context_enterprise_id": None,
    }


def test_a_claim_in_slacks_own_envelope_is_taken(bot: Bot) -> None:
    number = bot.file()
    card_ts = bot.complaint(number).card_ts or ""
    event = {
        "type": "reaction_added",
        "user": "UBEN",
        "item": {"type": "message", "channel": "CSUPPORT", "ts": card_ts},
        "reaction": "raising_hand",
        "item_user": "UBOT",
        "event_ts": f"{time.time():.6f}",
    }
    answer = bot.slack.post(json.dumps(envelope(event, "Ev0REAL1")).encode(), "application/json")
    assert answer.status == 200, answer.text
    assert bot.complaint(number).owner == "UBEN" and bot.complaint(number).status is Status.OWNED


def test_a_reply_and_a_home_visit_in_slacks_own_envelope_are_taken(bot: Bot) -> None:
    number = bot.file()
    card_ts = bot.complaint(number).card_ts or ""
    ts = f"{time.time():.6f}"
    reply = {
        "client_msg_id": "0b4f3a52-3c0e-4c1e-9d0b-2f1f6a1c7e11",
        "type": "message",
        "text": "called the customer",
        "user": "UBEN",
        "ts": ts,
        "team": "T1",
        "thread_ts": card_ts,
        "parent_user_id": "UBOT",
        "channel": "CSUPPORT",
        "event_ts": ts,
        "channel_type": "channel",
    }
    assert bot.slack.post(json.dumps(envelope(reply, "Ev0REAL2")).encode(), "application/json").status == 200
    assert bot.complaint(number).replies == 1
    home = {"type": "app_home_opened", "user": "UBEN", "channel": "DUBEN", "tab": "home", "event_ts": ts}
    assert bot.slack.post(json.dumps(envelope(home, "Ev0REAL3")).encode(), "application/json").status == 200
    bot.fake.wait_for("views.publish", where=lambda call: call.args.get("user_id") == "UBEN")
