"""Our fake Slack against Slack's own samples: what the sender sends the bot, what the fake answers it, and what the
bot's request checks accept."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from adapters import payloads
from sandbox.fake_slack import FakeSlack
from sandbox.sender import Installation, SlackSender
from tests.slack_samples import (
    COMMAND,
    INTERACTIONS,
    RESPONSES,
    Filler,
    answer_problems,
    event_files,
    request_problems,
    response_problems,
    sample,
    shape_problems,
)

Json = dict[str, Any]
MODAL = {"type": "modal", "title": {"type": "plain_text", "text": "Complaint"}, "blocks": []}


@pytest.fixture(params=["workspace", "enterprise grid"])
def built(request: pytest.FixtureRequest) -> list[tuple[str, Json]]:
    """Every kind of request the sender builds, as it builds them, in a workspace and in an Enterprise Grid org."""
    made: list[tuple[str, Json]] = []
    grid = Installation(enterprise_id="E0ACME", enterprise_name="Acme Group")
    where = grid if request.param == "enterprise grid" else Installation()
    slack = SlackSender(0, installation=where, on_send=lambda kind, body: made.append((kind, body)))
    card = {"type": "message", "user": "UBOT", "ts": "1700000000.000100", "text": "#1", "bot_id": "BBOT"}
    events = [
        slack.reaction_event("CSUPPORT", "1700000000.000100", "UBEN", "raising_hand"),
        slack.reaction_event("CSUPPORT", "1700000000.000100", "UBEN", "raising_hand", added=False, item_user=None),
        slack.message_event("CSUPPORT", "UBEN", "called them", thread_ts="1700000000.000100"),
        slack.message_event("CSUPPORT", "UBEN", "a new topic"),
        *(
            slack.message_event("CSUPPORT", "UBEN", "see this", thread_ts="1700000000.000100", subtype=subtype)
            for subtype in ("thread_broadcast", "file_share", "me_message")
        ),
        slack.edit_event("CSUPPORT", "1700000000.000100", "1700000001.000100", "UBEN", "called them twice"),
        slack.delete_event("CSUPPORT", "1700000000.000100", "1700000001.000100", "UBEN"),
        slack.join_event("CSUPPORT", "UBEN"),
        slack.bot_message_event("CSUPPORT", "B0OTHER", "a reminder", "1700000000.000100"),
        slack.home_opened_event("UBEN"),
        slack.home_opened_event("UBEN", "DUBEN", {**MODAL, "type": "home", "id": "V1", "hash": "1.a"}),
        slack.tokens_revoked_event(["UBOT"], ["UANA"]),
        slack.app_uninstalled_event(),
    ]
    for event in events:
        slack.event_body(event)
    slack.command_fields("wrong parts")
    slack.app_rate_limited_body()
    button = {"type": "button", "action_id": "complaint_resolve", "block_id": "b", "value": "1"}
    slack.block_actions_payload(button, "UBEN", channel="CSUPPORT", message_ts=card["ts"], message=card)
    slack.block_actions_payload(button, "UBEN", channel="CSUPPORT", ephemeral=True)
    slack.block_actions_payload(button, "UBEN", view={**slack.modal("complaint_new", "CSUPPORT")})
    values = {"summary": {"value": {"type": "plain_text_input", "value": "wrong parts"}}}
    slack.view_submission_payload(slack.modal("complaint_new", "CSUPPORT"), values, "UANA")
    slack.view_closed_payload(slack.modal("complaint_new", "CSUPPORT"), "UANA")
    slack.message_action_payload("file_as_complaint", card, "UANA", "CSUPPORT")
    return made


def test_every_request_the_sender_builds_has_the_fields_and_types_of_slacks_sample(
    built: list[tuple[str, Json]],
) -> None:
    kinds = {kind for kind, _ in built}
    assert kinds == {"event", "command", "app_rate_limited", *INTERACTIONS}
    for kind, body in built:
        assert request_problems(kind, body) == [], (kind, body)


def test_each_event_sample_is_found_by_type_and_subtype() -> None:
    assert len(event_files()) == 96
    assert event_files()[("message", "thread_broadcast")] == "events/MessageThreadBroadcastPayload.json"


# The check itself: each of these is a request Slack would never send, and each must be caught.
WRONG: dict[str, tuple[str, Callable[[Json], None], str]] = {
    "event_context an object": ("event", lambda b: b.update(event_context={"id": "x"}), "$.event_context"),
    "no event_context": ("event", lambda b: b.pop("event_context"), "$.event_context: missing"),
    "event_time as text": ("event", lambda b: b.update(event_time="1700000000"), "$.event_time: string"),
    "an invented envelope field": ("event", lambda b: b.update(retry=1), "$.retry: Slack never sends"),
    "authorizations without is_bot": (
        "event",
        lambda b: b["authorizations"][0].pop("is_bot"),
        "$.authorizations[].is_bot: missing",
    ),
    "a reaction without its item": ("event", lambda b: b["event"].pop("item"), "$.event.item: missing"),
    "a reaction's ts as a number": (
        "event",
        lambda b: b["event"]["item"].update(ts=1700000000.0001),
        "$.event.item.ts: number",
    ),
    "null where Slack sends text": ("event", lambda b: b["event"].update(reaction=None), "$.event.reaction: null"),
    "a command's flag as a word": ("command", lambda b: b.update(is_enterprise_install="no"), "is_enterprise_install"),
    "a command without trigger_id": ("command", lambda b: b.pop("trigger_id"), "$.trigger_id: missing"),
    "a button's user as an id": ("block_actions", lambda b: b.update(user="UBEN"), "$.user: string"),
    "a modal's state as a list": ("view_submission", lambda b: b["view"].update(state=[]), "$.view.state: array"),
}


@pytest.mark.parametrize("name", list(WRONG))
def test_the_comparison_catches_what_slack_never_sends(name: str) -> None:
    kind, spoil, expected = WRONG[name]
    made: list[Json] = []
    slack = SlackSender(0, on_send=lambda _, body: made.append(body))
    build = {
        "event": lambda: slack.event_body(slack.reaction_event("CSUPPORT", "1700000000.000100", "UBEN", "eyes")),
        "command": lambda: slack.command_fields("wrong parts"),
        "block_actions": lambda: slack.block_actions_payload(
            {"type": "button", "action_id": "a", "value": "1"}, "UBEN", message={"type": "message", "ts": "1.0"}
        ),
        "view_submission": lambda: slack.view_submission_payload(slack.modal("complaint_new", "C1"), {}, "UANA"),
    }[kind]
    body = json.loads(json.dumps(build()))
    assert request_problems(kind, body) == []
    spoil(body)
    problems = request_problems(kind, body)
    assert any(expected in problem for problem in problems), problems


def test_lists_are_compared_item_by_item_with_the_item_of_the_same_type() -> None:
    expected = [{"type": "button", "value": ""}, {"type": "static_select", "selected_option": {"value": ""}}]
    assert shape_problems([{"type": "static_select", "selected_option": {"value": "x"}}], expected) == []
    assert shape_problems([{"type": "button", "selected_option": {}}], expected) == [
        "$[0].selected_option: Slack never sends this field here"
    ]


# -- the fake's answers


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """A fake Slack with Socket Mode, whose answers the test checks itself."""
    with FakeSlack(socket_mode=True) as server:
        yield server


def call_every_method(fake: FakeSlack) -> None:
    """Each method the fake models, called as a client would, with the answers it gives in normal use."""
    client = WebClient(token="xoxb-test", base_url=fake.url)
    client.auth_test()
    card = client.chat_postMessage(
        channel="CSUPPORT",
        text="#1",
        blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": "*#1*"}}],
        metadata={"event_type": "complaint_desk_effect", "event_payload": {"effect": "e1"}},
    )
    reply = client.chat_postMessage(channel="CSUPPORT", text="claimed", thread_ts=card["ts"])
    client.chat_postMessage(channel="CSUPPORT", text="also here", thread_ts=card["ts"], reply_broadcast=True)
    client.chat_postMessage(channel="UANA", text="a direct message")
    client.chat_update(channel="CSUPPORT", ts=card["ts"], text="#1, owned")
    client.chat_postEphemeral(channel="CSUPPORT", user="UBEN", text="only you")
    client.chat_getPermalink(channel="CSUPPORT", message_ts=reply["ts"])
    client.reactions_add(channel="CSUPPORT", timestamp=card["ts"], name="raising_hand")
    client.reactions_get(channel="CSUPPORT", timestamp=card["ts"])
    client.reactions_remove(channel="CSUPPORT", timestamp=card["ts"], name="raising_hand")
    client.conversations_history(channel="CSUPPORT", include_all_metadata=True, limit=1)
    client.conversations_replies(channel="CSUPPORT", ts=card["ts"], include_all_metadata=True)
    client.conversations_open(users="UANA", return_im=True)
    client.conversations_open(users="UANA,UBEN,UCAY")
    client.conversations_info(channel="CSUPPORT")
    client.conversations_info(channel=fake.dm_channel("UANA"))
    client.conversations_members(channel="CSUPPORT")
    client.conversations_join(channel="CSUPPORT")
    opened = client.views_open(trigger_id="1.2.3", view=MODAL)
    client.views_push(trigger_id="1.2.4", view=MODAL)
    client.views_update(view_id=opened["view"]["id"], view=MODAL)
    client.views_publish(user_id="UANA", view={"type": "home", "blocks": []})
    client.users_info(user="UANA")
    fake.usergroups["S0MANAGERS"] = ["UBOSS"]
    client.usergroups_users_list(usergroup="S0MANAGERS")
    WebClient(token="xapp-1-A1-test", base_url=fake.url).apps_connections_open(app_token="xapp-1-A1-test")
    uploaded = client.files_upload_v2(channel="CSUPPORT", content=b"a,b\n", filename="export.csv", title="Export")
    client.files_info(file=uploaded["files"][0]["id"])
    client.chat_delete(channel="CSUPPORT", ts=reply["ts"])


def test_every_method_the_fake_models_has_slacks_shape_for_its_answers(fake: FakeSlack) -> None:
    assert sorted(RESPONSES) == fake.implemented  # a method the fake starts to model needs its shape here
    call_every_method(fake)
    answered = {call.method for call in fake.calls if call.ok}
    assert answered >= set(fake.implemented)
    assert answer_problems(fake.calls) == []


def test_error_answers_have_slacks_shape_too(fake: FakeSlack) -> None:
    client = WebClient(token="xoxb-test", base_url=fake.url)
    fake.missing_channels.add("CGONE")
    for call in (
        lambda: client.chat_postMessage(channel="CGONE", text="x"),
        lambda: client.reactions_add(channel="CSUPPORT", timestamp="1.0", name="eyes"),
        lambda: client.views_open(trigger_id="1.2.3", view={"type": "modal"}),
    ):
        with pytest.raises(SlackApiError):
            call()
    assert all(not call.ok for call in fake.calls)
    assert answer_problems(fake.calls) == []


def test_the_answer_check_is_not_vacuous() -> None:
    assert response_problems("chat.postMessage", {"ok": True, "channel": "C1", "ts": 1.5, "pinned": True}) == [
        "$.ts: number where Slack sends string",
        "$.pinned: Slack never sends this field here",
        "$.message: missing, Slack always sends it",
    ]


# -- the bot's own request check, against the samples


def slack_requests() -> list[tuple[str, Json]]:
    """Every request sample, filled with real ids: 96 events, the interactions, the slash command as a form."""
    filler = Filler(user="UANA", channel="CSUPPORT")
    found = [(name, filler.body(name)) for name in sorted(event_files().values())]
    found += [(name, filler.value(json.loads(json.dumps(sample(name))), "")) for name, _ in INTERACTIONS.values()]
    command = filler.value(json.loads(json.dumps(sample(COMMAND))), "")
    command.update(command="/complaint", text="wrong parts", is_enterprise_install="false", enterprise_id="E1")
    found.append((COMMAND, {key: str(value) for key, value in command.items()}))
    return found


def test_nothing_slack_sends_is_refused_by_the_bot() -> None:
    for name, body in slack_requests():
        assert payloads.malformed(body) is None, name


def test_the_fields_the_bot_checks_have_the_types_slack_sends_them_in() -> None:
    views: list[Any] = []
    for name, body in slack_requests():
        for key in payloads._STRINGS:
            assert not isinstance(body.get(key), (dict, list, int, float)), (name, key)
        for key in payloads._OBJECTS:
            assert body.get(key) is None or isinstance(body[key], dict), (name, key)
        event = body.get("event") or {}
        for key in payloads._EVENT_STRINGS:
            assert event.get(key) is None or isinstance(event[key], str), (name, key)
        for key in payloads._EVENT_IDS:
            assert event.get(key) is None or isinstance(event[key], (str, dict)), (name, key)
        for key in payloads._EVENT_OBJECTS:
            assert event.get(key) is None or isinstance(event[key], dict), (name, key)
        views += [body.get("view"), event.get("view")]
    for view in filter(None, views):
        for key in payloads._VIEW_STRINGS:
            assert view.get(key) is None or isinstance(view[key], str), key
