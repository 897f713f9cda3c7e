"""Bad input of every kind: a clear private answer or a silent ignore, never a crash or a traceback."""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest

from bot.model import Status
from sandbox.fake_slack import FakeSlack, block_kit_problems
from sandbox.sender import SlackSender, sign
from tests.harness import Bot
from tests.robustness import BotProcess, number_of, texts

BROADCASTS = re.compile(r"<!(channel|here|everyone|subteam)|(?<![\w\u200b])@(channel|here|everyone)\b", re.I)


@pytest.fixture
def watched(bot: Bot, caplog: pytest.LogCaptureFixture) -> Iterator[Bot]:
    """The default bot, with a check afterwards that nothing was logged as an error or with a traceback."""
    caplog.set_level(logging.INFO)
    yield bot
    bot.settle()
    bad = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not bad, [f"{r.levelname} {r.name}: {r.getMessage()}" for r in bad]


def slack_escaped(text: str) -> str:
    """What Slack sends for typed text: `&`, `<` and `>` as entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def shown(bot: Bot, number: int) -> str:
    """Everything the card shows: its blocks and its fallback text, as Slack has them."""
    card = bot.card(number)
    return json.dumps(card["blocks"], ensure_ascii=False) + "\n" + card["text"]


def file(bot: Bot, text: str) -> int:
    """File by command and wait for the card; checks the answer is a confirmation, not an apology."""
    answer = bot.slack.command(text)
    assert answer.status == 200 and answer.text.startswith("Filed as #"), answer.text
    number = number_of(answer.text)
    bot.wait(lambda: bot.complaint(number).card_ts is not None, f"card of #{number}")
    return number


def nothing_filed(bot: Bot) -> bool:
    """No complaint exists."""
    return not list(bot.store.all_complaints())


@pytest.mark.parametrize("text", ["", "   ", "\t \n "])
def test_empty_text_opens_the_form_and_files_nothing(watched: Bot, text: str) -> None:
    answer = watched.slack.command(text)
    assert answer.status == 200 and answer.text == ""
    view = watched.fake.wait_for("views.open")[0].args["view"]
    assert view["callback_id"] == "complaint_new"
    assert nothing_filed(watched)


def test_only_control_characters_get_a_private_explanation(watched: Bot) -> None:
    answer = watched.slack.command("\x00\x07\x1b")
    assert answer.status == 200 and "describe the complaint" in answer.text
    assert nothing_filed(watched)


def test_forty_thousand_characters_are_kept_whole_and_cut_on_the_card(watched: Bot) -> None:
    text = ("Lieferung falsch. " * 2300)[:40_000]
    number = file(watched, text)
    assert watched.complaint(number).summary == text.strip()
    card = watched.card(number)
    assert block_kit_problems(card["blocks"], "message") == []
    assert len(card["text"]) < 40_000


def test_nul_and_control_characters_are_dropped(watched: Bot) -> None:
    number = file(watched, "wrong\x00 parts\x07 delivered\x1b[31m red\r\nsecond line")
    summary = watched.complaint(number).summary
    assert summary == "wrong parts delivered[31m red\nsecond line"
    assert "\x00" not in shown(watched, number)


@pytest.mark.parametrize(
    "text",
    [
        "Sehr verärgert 😡🔥 — Lieferung 📦 fehlt 👨‍👩‍👧",
        "العميل غاضب جدا بسبب التأخير",
        "הלקוח כועס \u202ebackwards\u202c",
    ],
)
def test_emoji_and_right_to_left_text_are_shown_as_typed(watched: Bot, text: str) -> None:
    number = file(watched, text)
    assert watched.complaint(number).summary == text
    assert text in shown(watched, number)


def test_mrkdwn_and_html_are_shown_as_text(watched: Bot) -> None:
    typed = "<b>bold</b> & <script>alert(1)</script> <https://evil.example|click> *stars*"
    number = file(watched, slack_escaped(typed))  # Slack sends typed <, > and & as entities
    assert watched.complaint(number).summary == typed
    card = shown(watched, number)
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;" in card
    assert "&amp;lt;" not in card and "<b>" not in card and "<https://evil" not in card


MENTIONS = "<!channel> <!here|here> <!everyone> <!subteam^S1|@support-team> @channel @here @Everyone"


@pytest.mark.parametrize("escaped", [False, True], ids=["as-mention", "as-typed-text"])
def test_broadcasts_are_shown_but_ping_nobody_and_a_colleague_stays_mentioned(watched: Bot, escaped: bool) -> None:
    text = f"{MENTIONS} please ask <@U123> about it"
    number = file(watched, slack_escaped(text) if escaped else text)
    card = shown(watched, number)
    assert not BROADCASTS.search(card), BROADCASTS.search(card)
    if not escaped:
        assert "<@U123>" in card


def test_broadcasts_in_the_form_and_the_resolution_reach_no_message_unescaped(watched: Bot) -> None:
    values = {
        "summary": {"value": f"Summary {MENTIONS}"},
        "customer": {"value": f"ACME {MENTIONS}"},
        "details": {"value": f"Details {MENTIONS} <@U123>"},
    }
    answer = watched.slack.submit("complaint_new", values, "UANA", "CSUPPORT")
    assert answer.status == 200 and answer.text == ""
    watched.wait(lambda: watched.store.get(1) is not None and watched.complaint(1).card_ts is not None, "card")
    watched.react(1, "UBEN")
    watched.settle()
    answer = watched.slack.submit("complaint_resolve_view", {"resolution": {"value": f"done {MENTIONS}"}}, "UBEN", "1")
    assert answer.status == 200 and answer.text == ""
    assert watched.complaint(1).status is Status.RESOLVED
    watched.settle()
    for call in watched.fake.calls_to("chat.postMessage") + watched.fake.calls_to("chat.update"):
        posted = json.dumps(call.args.get("blocks") or [], ensure_ascii=False) + str(call.args.get("text"))
        assert not BROADCASTS.search(posted), (call.method, BROADCASTS.search(posted))
    assert watched.fake.messages("CMGMT"), "the summary was posted"
    assert "<@U123>" in shown(watched, 1)


def test_the_word_payload_files_normally(watched: Bot) -> None:
    number = file(watched, "the payload was damaged in transit")
    assert watched.complaint(number).summary == "the payload was damaged in transit"


def test_reactions_elsewhere_change_nothing(watched: Bot) -> None:
    number = file(watched, "wrong parts")
    card_ts = watched.complaint(number).card_ts or ""
    reply = watched.fake.add_message("CSUPPORT", "on it", user="UBEN", thread_ts=card_ts)
    slack = watched.slack
    on_file = {
        "type": "reaction_added",
        "user": "UBEN",
        "reaction": "raising_hand",
        "item_user": "UANA",
        "item": {"type": "file", "file": "F123"},
        "event_ts": "1.1",
    }
    assert slack.event(on_file).status == 200
    assert slack.reaction("CSUPPORT", "1699999999.000100", "UBEN", "raising_hand").status == 200
    assert slack.reaction("CSUPPORT", reply["ts"], "UBEN", "raising_hand").status == 200
    assert slack.reaction("COTHER", card_ts, "UBEN", "raising_hand").status == 200
    watched.settle()
    assert watched.complaint(number).owner is None and watched.complaint(number).status is Status.UNCLAIMED
    assert watched.fake.ephemerals == []


def test_the_bots_own_messages_are_no_activity(watched: Bot) -> None:
    number = file(watched, "wrong parts")
    assert watched.slack.reply("CSUPPORT", watched.complaint(number).card_ts or "", "UBOT").status == 200
    assert watched.complaint(number).replies == 0
    assert watched.slack.reply("CSUPPORT", watched.complaint(number).card_ts or "", "UBEN").status == 200
    assert watched.complaint(number).replies == 1


OTHER_EVENTS: dict[str, dict[str, Any]] = {
    "pin_added": {
        "type": "pin_added",
        "user": "UANA",
        "channel_id": "CSUPPORT",
        "item": {"type": "message", "channel": "CSUPPORT", "created": 1700000000, "created_by": "UANA"},
        "event_ts": "1700000001.000200",
    },
    "member_joined_channel": {
        "type": "member_joined_channel",
        "user": "UANA",
        "channel": "CSUPPORT",
        "channel_type": "C",
        "team": "T1",
        "event_ts": "1700000001.000300",
    },
    "brand_new_event": {"type": "brand_new_event", "user": "UANA", "channel": "CSUPPORT", "event_ts": "1.3"},
}


@pytest.mark.parametrize("event_type", list(OTHER_EVENTS))
def test_unknown_events_are_acknowledged_and_ignored(watched: Bot, event_type: str) -> None:
    answer = watched.slack.event(OTHER_EVENTS[event_type])
    assert answer.status == 200
    assert watched.fake.calls_to("chat.postMessage") == []


def test_app_rate_limited_is_acknowledged(watched: Bot) -> None:
    body = {
        "token": "vtok",
        "type": "app_rate_limited",
        "team_id": "T1",
        "minute_rate_limited": 1518467820,
        "api_app_id": "A1",
    }
    assert watched.slack.post(json.dumps(body).encode(), "application/json").status == 200


def interactive(payload: Any) -> tuple[bytes, str]:
    """A form body with one payload field."""
    return urlencode({"payload": json.dumps(payload)}).encode(), "application/x-www-form-urlencoded"


def form(fields: dict[str, Any]) -> tuple[bytes, str]:
    """A form body."""
    return urlencode(fields).encode(), "application/x-www-form-urlencoded"


MALFORMED: dict[str, tuple[bytes, str]] = {
    "not-json-payload": (b"payload=%7Bnot+json", "application/x-www-form-urlencoded"),
    "json-list": (b"[1, 2]", "application/json"),
    "broken-json": (b'{"type": "event_callback", ', "application/json"),
    "not-utf8-json": (b'{"type": "\xff\xfe"}', "application/json"),
    "empty-form": (b"", "application/x-www-form-urlencoded"),
    "payload-is-list": interactive([1, 2]),
    "payload-without-type": interactive({"user": {"id": "UANA"}}),
    "actions-missing": interactive({"type": "block_actions", "user": {"id": "UANA"}}),
    "actions-a-string": interactive({"type": "block_actions", "user": {"id": "UANA"}, "actions": "resolve"}),
    "action-without-id": interactive({"type": "block_actions", "user": {"id": "UANA"}, "actions": [{"value": "1"}]}),
    "user-a-string": interactive({"type": "block_actions", "user": "UANA", "actions": [{"action_id": "x"}]}),
    "view-missing": interactive({"type": "view_submission", "user": {"id": "UANA"}}),
    "view-callback-a-number": interactive({"type": "view_submission", "view": {"type": "modal", "callback_id": 5}}),
    "view-state-a-list": interactive(
        {
            "type": "view_submission",
            "user": {"id": "UANA"},
            "view": {"type": "modal", "callback_id": "complaint_new", "state": []},
        }
    ),
    "event-missing": (json.dumps({"type": "event_callback", "event_id": "Ev1"}).encode(), "application/json"),
    "event-a-string": (json.dumps({"type": "event_callback", "event": "reaction_added"}).encode(), "application/json"),
    "event-user-a-number": (
        json.dumps(
            {
                "type": "event_callback",
                "event": {
                    "type": "reaction_added",
                    "user": 5,
                    "reaction": "raising_hand",
                    "item": {"channel": "C1", "ts": "1.0"},
                },
            }
        ).encode(),
        "application/json",
    ),
    "event-item-a-list": (
        json.dumps(
            {
                "type": "event_callback",
                "event": {"type": "reaction_added", "user": "UBEN", "reaction": "raising_hand", "item": ["C1"]},
            }
        ).encode(),
        "application/json",
    ),
    "command-without-user": form({"command": "/complaint", "text": "wrong parts", "channel_id": "CSUPPORT"}),
    "command-without-channel": form({"command": "/complaint", "text": "wrong parts", "user_id": "UANA"}),
    "type-a-number": (json.dumps({"type": 5}).encode(), "application/json"),
}


@pytest.mark.parametrize("name", list(MALFORMED))
def test_malformed_requests_are_refused_without_a_trace(watched: Bot, name: str) -> None:
    body, content_type = MALFORMED[name]
    answer = watched.slack.post(body, content_type)
    assert answer.status == 400, answer.text
    assert "Traceback" not in answer.text and "error" in answer.json()
    assert nothing_filed(watched)


PARTIAL: dict[str, dict[str, Any]] = {
    "button-without-value": {
        "type": "block_actions",
        "user": {"id": "UBEN"},
        "channel": {"id": "CSUPPORT"},
        "actions": [{"action_id": "complaint_resolve", "block_id": "b"}],
    },
    "button-with-a-word": {
        "type": "block_actions",
        "user": {"id": "UBEN"},
        "trigger_id": "t",
        "actions": [{"action_id": "complaint_resolve", "value": "one"}],
    },
    "button-for-no-complaint": {
        "type": "block_actions",
        "user": {"id": "UBEN"},
        "trigger_id": "t",
        "actions": [{"action_id": "complaint_history", "value": "999"}],
    },
    "severity-without-option": {
        "type": "block_actions",
        "user": {"id": "UANA"},
        "actions": [{"action_id": "complaint_severity"}],
    },
    "unknown-button": {"type": "block_actions", "user": {"id": "UBEN"}, "actions": [{"action_id": "old_button"}]},
    "unknown-modal": {
        "type": "view_submission",
        "user": {"id": "UBEN"},
        "view": {"type": "modal", "callback_id": "old_modal", "state": {"values": {}}},
    },
    "modal-closed": {
        "type": "view_closed",
        "user": {"id": "UBEN"},
        "view": {"type": "modal", "callback_id": "complaint_new"},
    },
    "shortcut": {"type": "shortcut", "callback_id": "file_complaint", "trigger_id": "t", "user": {"id": "UBEN"}},
    "options": {
        "type": "block_suggestion",
        "action_id": "customer",
        "block_id": "b",
        "value": "Mü",
        "user": {"id": "UBEN"},
    },
}


@pytest.mark.parametrize("name", list(PARTIAL))
def test_partial_or_unknown_interactions_are_acknowledged_silently(watched: Bot, name: str) -> None:
    number = file(watched, "wrong parts")
    answer = watched.slack.interactive(PARTIAL[name])
    assert answer.status == 200, answer.text
    assert answer.text in ("", "{}") or "options" in answer.text
    watched.settle()
    assert watched.complaint(number).status is Status.UNCLAIMED and watched.complaint(number).version == 2
    assert watched.fake.calls_to("views.open") == []


SUBMISSIONS = {
    "new-without-summary": ("complaint_new", {"customer": {"value": "ACME"}}, "CSUPPORT", "summary"),
    "new-with-blank-summary": ("complaint_new", {"summary": {"value": "  \x00 "}}, "CSUPPORT", "summary"),
    "resolve-without-note": ("complaint_resolve_view", {}, "1", "resolution"),
    "reopen-without-reason": ("complaint_reopen_view", {"reason": {"value": " "}}, "1", "reason"),
    "handover-without-person": ("complaint_handover_view", {"note": {"value": "please"}}, "1", "handover_to"),
    "snooze-without-reason": ("complaint_snooze_view", {}, "1:1d", "reason"),
}


@pytest.mark.parametrize("name", list(SUBMISSIONS))
def test_modal_submissions_with_missing_fields_show_the_field_error(watched: Bot, name: str) -> None:
    number = file(watched, "wrong parts")
    watched.react(number, "UBEN")
    watched.settle()  # the reporter's thread about it is stored with it once posted
    version = watched.complaint(number).version
    callback_id, values, metadata, field = SUBMISSIONS[name]
    answer = watched.slack.submit(callback_id, values, "UBEN", metadata)
    assert answer.status == 200
    body = answer.json()
    assert body["response_action"] == "errors" and field in body["errors"], body
    assert watched.complaint(number).version == version
    assert len(list(watched.store.all_complaints())) == 1


def signed_command(bot: Bot, *, ts: int, secret: str | None = None, signature: str | None = None) -> int:
    """Send `/complaint` with the given timestamp and signature; returns the HTTP status."""
    body = urlencode(
        {
            "command": "/complaint",
            "text": "forged",
            "user_id": "UANA",
            "channel_id": "CSUPPORT",
            "trigger_id": "t.forged",
        }
    ).encode()
    sender = SlackSender(bot.runtime.http.port, secret or "test-signing-secret")
    return sender.post(
        body,
        "application/x-www-form-urlencoded",
        ts=ts,
        signature=signature or sign(body, ts, secret or "test-signing-secret"),
    ).status


def test_forged_and_stale_signatures_get_401_and_change_nothing(watched: Bot) -> None:
    now = int(time.time())  # the bad signatures below fail whatever the stamp
    assert signed_command(watched, ts=now, secret="not-the-secret") == 401
    assert signed_command(watched, ts=now, signature="v0=" + "0" * 64) == 401
    assert signed_command(watched, ts=now, signature="garbage") == 401
    # Slack's window is five minutes either way; each stamp is taken just before its request, with a margin
    # for a busy machine, so the test does not depend on how long the requests before it took.
    assert signed_command(watched, ts=int(time.time()) - 301) == 401
    assert signed_command(watched, ts=int(time.time()) + 330) == 401
    no_headers = watched.slack.post(
        b"command=%2Fcomplaint&text=x",
        "application/x-www-form-urlencoded",
        headers={"X-Slack-Signature": "", "X-Slack-Request-Timestamp": ""},
    )
    assert no_headers.status == 401
    assert nothing_filed(watched) and watched.fake.calls_to("chat.postMessage") == []
    assert signed_command(watched, ts=int(time.time()) - 290) == 200
    watched.settle()  # a command naming no team: its sender's organisation is looked up after the ack
    assert len(list(watched.store.all_complaints())) == 1


def test_a_tampered_body_fails_the_signature(watched: Bot) -> None:
    ts = int(time.time())
    body = b"command=%2Fcomplaint&text=hello&user_id=UANA&channel_id=CSUPPORT"
    signature = sign(body, ts)
    assert (
        watched.slack.post(body + b"+world", "application/x-www-form-urlencoded", ts=ts, signature=signature).status
        == 401
    )
    assert nothing_filed(watched)


def test_a_subcommand_not_offered_here_answers_with_help(watched: Bot) -> None:
    assert watched.runtime.services is not None
    watched.runtime.services.commands.extra.pop("customer", None)
    answer = watched.slack.command("customer ACME")
    assert answer.status == 200 and "/complaint" in answer.text


CONFIGS = {
    "wrong type": ("language: 5\n", "language"),
    "unknown key": ("colour: red\n", "colour"),
    "bad duration": ("severities:\n  high: {remind_unclaimed: soon}\n", "severities.high.remind_unclaimed"),
    "bad cron": ("digests:\n  management: every morning\n", "digests.management"),
}


@pytest.mark.parametrize("name", list(CONFIGS))
def test_a_bad_config_file_exits_2_naming_the_key(tmp_path: Path, name: str, fake: FakeSlack) -> None:
    text, key = CONFIGS[name]
    path = tmp_path / "config.yml"
    path.write_text(text, encoding="utf-8")
    code, output = BotProcess(fake, path).run()
    assert code == 2, output
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and key in lines[0], output
    assert "Traceback" not in output
    assert fake.calls == []  # it stopped before talking to Slack


def test_a_thread_message_from_a_filed_complaint_has_no_unescaped_user_text(watched: Bot) -> None:
    number = file(watched, "wrong parts")
    watched.react(number, "UBEN")
    watched.settle()
    values = {"handover_to": {"selected_user": "UCAY"}, "note": {"value": f"over to you {MENTIONS}"}}
    assert watched.slack.submit("complaint_handover_view", values, "UBEN", str(number)).status == 200
    watched.settle()
    replies = texts(watched.thread(number))
    assert replies and not any(BROADCASTS.search(reply) for reply in replies), replies
