"""The sandbox's people side, without a browser: which requests reach the app, and how Slack shows answers."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any
from urllib.parse import parse_qs

import pytest
from slack_sdk import WebClient

from sandbox.app_manifest import AppManifest
from sandbox.client import SandboxClient
from sandbox.fake_slack import FakeSlack
from sandbox.sender import Response, SlackSender
from sandbox.workspace import BOT_USER, SALES, SHARED, Channel, demo_workspace
from tests.slack_samples import check_request

MANIFEST = AppManifest.load()


class RecordingSender(SlackSender):
    """Slack's requests as they would leave for the app, kept instead of sent; every answer is the given one."""

    def __init__(self, answer: Response | None = None) -> None:
        super().__init__(port=9, on_send=check_request)  # what the page sends is shaped as Slack sends it
        self.sent: list[dict[str, Any]] = []
        self.answer = answer or Response(200, "", {})

    def post(self, body: bytes, content_type: str, **kwargs: Any) -> Response:
        if content_type == "application/json":
            self.sent.append(json.loads(body))
        else:
            fields = {key: values[0] for key, values in parse_qs(body.decode()).items()}
            self.sent.append(json.loads(fields["payload"]) if "payload" in fields else fields)
        return self.answer


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    workspace = demo_workspace()
    workspace.add_channel(Channel("CRANDOM", "random", ["UANA", "UBEN"]))  # the app was never invited
    with FakeSlack(workspace=workspace, bot_user_id=BOT_USER) as server:
        yield server


def stored(fake: FakeSlack, channel: str, ts: str) -> dict[str, Any]:
    """A message the fake keeps."""
    message = fake.message(channel, ts)
    assert message is not None
    return message


def events(sender: RecordingSender) -> list[str]:
    return [body["event"]["type"] for body in sender.sent if body.get("type") == "event_callback"]


def test_events_come_only_from_conversations_the_app_is_in(fake: FakeSlack) -> None:
    sender = RecordingSender()
    client = SandboxClient(fake, sender, MANIFEST)
    client.send("UANA", "CRANDOM", "lunch?")
    ts = fake.messages("CRANDOM")[0]["ts"]
    client.react("UBEN", "CRANDOM", ts, "eyes")
    assert events(sender) == []
    assert stored(fake, "CRANDOM", ts)["reactions"] == [{"name": "eyes", "users": ["UBEN"], "count": 1}]

    client.send("UANA", SALES, "a customer called")
    client.react("UBEN", SALES, fake.messages(SALES)[0]["ts"], "eyes")
    client.react("UBEN", SALES, fake.messages(SALES)[0]["ts"], "eyes")  # a second click takes it back
    assert events(sender) == ["message", "reaction_added", "reaction_removed"]
    message = sender.sent[0]["event"]
    assert message["channel_type"] == "channel" and message["team"] == "T1"


def test_only_subscribed_events_reach_the_app(fake: FakeSlack) -> None:
    sender = RecordingSender()
    client = SandboxClient(fake, sender, MANIFEST)
    client.send("UANA", fake.dm_channel("UANA"), "hello bot")  # message.im is not in the manifest
    client.open_home("UANA")
    assert events(sender) == ["app_home_opened"]


def test_the_customer_in_the_shared_channel_is_a_stranger_from_another_team(fake: FakeSlack) -> None:
    web = WebClient(token="xoxb-test", base_url=fake.url)
    erik = web.users_info(user="UERIK")["user"]
    assert erik["team_id"] == "T2CUSTOMER" and erik["is_stranger"] is True
    shared = web.conversations_info(channel=SHARED)["channel"]
    assert shared["is_ext_shared"] is True and "T2CUSTOMER" in shared["shared_team_ids"]
    assert web.conversations_info(channel=SALES)["channel"]["is_member"] is True
    assert web.conversations_info(channel="CRANDOM")["channel"]["is_member"] is False

    sender = RecordingSender()
    SandboxClient(fake, sender, MANIFEST).send("UERIK", SHARED, "where are our flanges?")
    assert sender.sent[0]["event"]["team"] == "T2CUSTOMER"
    with pytest.raises(Exception, match="not in"):
        SandboxClient(fake, sender, MANIFEST).send("UERIK", SALES, "let me in")


def test_a_command_answer_is_shown_only_to_its_person(fake: FakeSlack) -> None:
    answer = Response(200, json.dumps({"text": "Filed as #1."}), {"Content-Type": "application/json"})
    sender = RecordingSender(answer)
    SandboxClient(fake, sender, MANIFEST).send("UANA", SALES, "/complaint wrong parts")
    command = sender.sent[0]
    assert command["command"] == "/complaint" and command["text"] == "wrong parts"
    assert command["channel_name"] == "sales" and command["response_url"].startswith(fake.url.removesuffix("api/"))
    assert [(e["user"], e["text"]) for e in fake.ephemerals] == [("UANA", "Filed as #1.")]

    SandboxClient(fake, sender, MANIFEST).send("UANA", SALES, "/unknown")
    assert "not a valid command" in fake.ephemerals[-1]["text"] and fake.ephemerals[-1]["author"] == "USLACKBOT"
    assert len(sender.sent) == 1


def test_posts_to_a_response_url_act_as_in_slack(fake: FakeSlack) -> None:
    def respond(url: str, body: dict[str, Any]) -> None:
        request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=5) as answer:
            assert answer.read() == b"ok"

    respond(fake.response_url_for(SALES, "UANA"), {"text": "only Ana"})
    respond(fake.response_url_for(SALES, "UANA"), {"text": "everyone", "response_type": "in_channel"})
    assert [(e["user"], e["text"]) for e in fake.ephemerals] == [("UANA", "only Ana")]
    posted = fake.messages(SALES)[0]
    assert posted["text"] == "everyone" and posted["user"] == BOT_USER

    respond(fake.response_url_for(SALES, "UANA", message_ts=posted["ts"]), {"replace_original": True, "text": "new"})
    assert stored(fake, SALES, posted["ts"])["text"] == "new"
    private = fake.ephemerals[0]["message_ts"]
    respond(fake.response_url_for(SALES, "UANA", message_ts=private, ephemeral=True), {"delete_original": True})
    assert fake.ephemerals == []


def test_message_shortcuts_and_closed_modals_reach_the_app_as_slack_sends_them(fake: FakeSlack) -> None:
    manifest = AppManifest.parse(
        {
            "display_information": {"name": "Complaint Desk"},
            "features": {"shortcuts": [{"name": "File it", "type": "message", "callback_id": "file_it"}]},
        }
    )
    sender = RecordingSender()
    client = SandboxClient(fake, sender, manifest)
    written = fake.add_message(SALES, "the customer is angry", user="UANA")
    client.shortcut("UBEN", SALES, written["ts"], "file_it")
    shortcut = sender.sent[-1]
    assert shortcut["type"] == "message_action" and shortcut["callback_id"] == "file_it"
    assert shortcut["message"]["text"] == "the customer is angry" and shortcut["user"]["id"] == "UBEN"
    with pytest.raises(Exception, match="no shortcut"):
        client.shortcut("UBEN", SALES, written["ts"], "unknown")

    web = WebClient(token="xoxb-test", base_url=fake.url)
    trigger = client.trigger_for("UBEN")
    view = {"type": "modal", "title": {"type": "plain_text", "text": "Form"}, "blocks": [], "notify_on_close": True}
    opened = web.views_open(trigger_id=trigger, view=view)["view"]
    assert client.state("UBEN", None, None)["modal"]["view"]["id"] == opened["id"]
    assert client.state("UANA", None, None)["modal"] is None  # a modal shows only for whoever clicked
    client.close("UBEN", opened["id"])
    closed = sender.sent[-1]
    assert closed["type"] == "view_closed" and closed["view"]["id"] == opened["id"]
    assert client.state("UBEN", None, None)["modal"] is None
