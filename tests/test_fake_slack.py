"""Checks the fake Slack with a real slack_sdk WebClient, so end-to-end tests can trust what it answers."""

from __future__ import annotations

import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.client import BaseSocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse
from slack_sdk.webhook import WebhookClient

from sandbox.fake_slack import FakeSlack, block_kit_problems, view_problems
from tests.slack_samples import answer_problems

Json = dict[str, Any]


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """A fresh fake per test, so no state leaks between tests; each of its answers had Slack's shape."""
    with FakeSlack() as server:
        yield server
        problems = answer_problems(server.calls)
        assert not problems, f"the fake answered unlike Slack: {problems[:10]}"


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    """The real SDK client the app would use, pointed at the fake."""
    return WebClient(token="xoxb-test", base_url=fake.url)


def slack_error(call: Any, **kwargs: Any) -> SlackApiError:
    """Runs a client call that must fail and returns the SDK's error."""
    with pytest.raises(SlackApiError) as raised:
        call(**kwargs)
    return raised.value


def stored(fake: FakeSlack, channel: str, ts: str) -> Json:
    """A message the fake must hold."""
    message = fake.message(channel, ts)
    assert message is not None, f"no message {ts} in {channel}"
    return message


def section(text: str) -> Json:
    """A minimal section block."""
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(text: str = "Claim", action_id: str = "claim") -> Json:
    """A minimal button element."""
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id}


def modal(blocks: list[Json], title: str = "New complaint") -> Json:
    """A minimal modal view."""
    return {"type": "modal", "title": {"type": "plain_text", "text": title}, "blocks": blocks}


# -- basics


def test_url_has_an_ephemeral_port_and_trailing_slash(fake: FakeSlack) -> None:
    assert fake.url.startswith("http://127.0.0.1:") and fake.url.endswith("/api/")
    assert fake.port > 0


def test_auth_test_describes_the_bot(client: WebClient) -> None:
    reply = client.auth_test()
    assert reply["user_id"] == "UBOT" and reply["bot_id"] == "BBOT" and reply["team_id"] == "T1"
    assert reply["url"] and reply["team"] and reply["user"]


def test_calls_are_recorded_with_args_headers_and_time(fake: FakeSlack, client: WebClient) -> None:
    before = time.time()
    client.chat_postMessage(channel="C1", text="hello")
    (call,) = fake.wait_for("chat.postMessage")
    assert call.args == {"channel": "C1", "text": "hello"}
    assert call.headers["Authorization"] == "Bearer xoxb-test" and call.token == "xoxb-test"
    assert call.at >= before and call.ok and call.fault is None and call.unknown_args == []


@pytest.mark.parametrize(
    ("token", "error"),
    [(None, "not_authed"), ("xoxb-invalid", "invalid_auth"), ("xoxb-revoked", "token_revoked")],
)
def test_bad_tokens_fail_like_slack(fake: FakeSlack, token: str | None, error: str) -> None:
    client = WebClient(token=token, base_url=fake.url)
    assert slack_error(client.chat_postMessage, channel="C1", text="x").response["error"] == error


def test_bolt_app_builds_against_the_fake(fake: FakeSlack, client: WebClient) -> None:
    app = App(client=client, signing_secret="secret")
    assert app.client.base_url == fake.url
    assert fake.last("auth.test").token == "xoxb-test"


def test_response_urls_are_recorded(fake: FakeSlack) -> None:
    url = fake.response_url("cmd1")
    answer = WebhookClient(url).send(text="only you", response_type="ephemeral")
    assert (answer.status_code, answer.body) == (200, "ok")
    (call,) = fake.wait_for("response_url", where=lambda call: call.path.endswith("/cmd1"))
    assert call.args == {"text": "only you", "response_type": "ephemeral"}


def test_unknown_method(client: WebClient) -> None:
    assert slack_error(client.api_call, api_method="complaints.file").response["error"] == "unknown_method"


def test_other_known_methods_just_succeed(client: WebClient) -> None:
    assert client.pins_add(channel="C1", timestamp="1700000000.000100")["ok"] is True


@pytest.mark.parametrize(
    ("method", "body", "error"),
    [
        ("chat.postMessage", {"text": "no channel"}, "channel_not_found"),
        ("chat.postMessage", {"channel": "C1"}, "no_text"),
        ("chat.update", {"channel": "C1", "text": "x"}, "invalid_arguments"),
        ("reactions.add", {"channel": "C1", "timestamp": "1.0"}, "invalid_name"),
        ("views.open", {"view": modal([section("x")])}, "invalid_arguments"),
        ("users.info", {}, "invalid_arguments"),
    ],
)
def test_missing_required_arguments(client: WebClient, method: str, body: Json, error: str) -> None:
    failure = slack_error(client.api_call, api_method=method, json=body)
    assert failure.response["error"] == error


def test_form_get_and_json_string_arguments_are_understood(fake: FakeSlack) -> None:
    blocks = json.dumps([section("from a form")])
    form = f"channel=C1&blocks={urllib.parse.quote(blocks)}&token=xoxb-test".encode()
    urllib.request.urlopen(urllib.request.Request(f"{fake.url}chat.postMessage", data=form), timeout=5).read()
    query = f"{fake.url}conversations.history?channel=C1&token=xoxb-test"
    with urllib.request.urlopen(query, timeout=5) as answer:
        history = json.loads(answer.read())
    assert history["messages"][0]["blocks"] == [section("from a form")]
    assert fake.last("chat.postMessage").args["blocks"] == [section("from a form")]


# -- messages


def test_post_and_read_back(fake: FakeSlack, client: WebClient) -> None:
    first = client.chat_postMessage(channel="C1", text="first", blocks=[section("card")])
    second = client.chat_postMessage(channel="C1", text="second")
    assert first["ts"] == "1700000000.000100" and second["ts"] > first["ts"]
    assert first["channel"] == "C1"
    assert (first["message"]["user"], first["message"]["bot_id"]) == ("UBOT", "BBOT")
    assert [m["text"] for m in fake.messages("C1")] == ["first", "second"]
    assert stored(fake, "C1", first["ts"])["blocks"] == [section("card")]
    assert [m["text"] for m in client.conversations_history(channel="C1")["messages"]] == ["second", "first"]


def test_concurrent_posts_get_unique_timestamps(fake: FakeSlack, client: WebClient) -> None:
    def post(number: int) -> None:
        client.chat_postMessage(channel="C1", text=str(number))

    threads = [threading.Thread(target=post, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({m["ts"] for m in fake.messages("C1")}) == 12
    assert len(fake.wait_for("chat.postMessage", count=12)) == 12


def test_threads_list_parent_first_and_link_replies(fake: FakeSlack, client: WebClient) -> None:
    parent = client.chat_postMessage(channel="C1", text="card")["ts"]
    reply = client.chat_postMessage(channel="C1", text="claimed", thread_ts=parent)["ts"]
    person = fake.add_message("C1", "called back", user="U2", thread_ts=parent)
    replies = client.conversations_replies(channel="C1", ts=parent)["messages"]
    assert [m["ts"] for m in replies] == [parent, reply, person["ts"]]
    assert replies[1]["parent_user_id"] == "UBOT" and replies[0]["reply_count"] == 2
    assert [m["text"] for m in fake.messages("C1", thread_ts=parent)] == ["claimed", "called back"]
    assert [m["text"] for m in fake.messages("C1")] == ["card"]
    assert client.chat_getPermalink(channel="C1", message_ts=parent)["permalink"] == (
        f"https://fake.slack.test/archives/C1/p{parent.replace('.', '')}"
    )
    link = client.chat_getPermalink(channel="C1", message_ts=reply)["permalink"]
    assert link == f"https://fake.slack.test/archives/C1/p{reply.replace('.', '')}?thread_ts={parent}&cid=C1"


def test_update_delete_and_ephemeral(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="unclaimed", blocks=[section("unclaimed")])["ts"]
    client.chat_update(channel="C1", ts=ts, text="claimed", blocks=[section("claimed by ana")])
    assert stored(fake, "C1", ts)["blocks"] == [section("claimed by ana")]
    assert stored(fake, "C1", ts)["text"] == "claimed"
    missing = slack_error(client.chat_update, channel="C1", ts="1.000001", text="x")
    assert missing.response["error"] == "message_not_found"
    human = fake.add_message("C1", "mine", user="U2")
    assert slack_error(client.chat_update, channel="C1", ts=human["ts"], text="x").response["error"] == (
        "cant_update_message"
    )
    client.chat_delete(channel="C1", ts=ts)
    assert fake.message("C1", ts) is None
    reply = client.chat_postEphemeral(channel="C1", user="U2", text="only you")
    assert fake.ephemerals == [
        {
            "channel": "C1",
            "user": "U2",
            "text": "only you",
            "blocks": None,
            "attachments": None,
            "thread_ts": None,
            "message_ts": reply["message_ts"],
            "author": "UBOT",
        }
    ]


def test_reactions(fake: FakeSlack, client: WebClient) -> None:
    ts = client.chat_postMessage(channel="C1", text="card")["ts"]
    client.reactions_add(channel="C1", timestamp=ts, name="eyes")
    again = slack_error(client.reactions_add, channel="C1", timestamp=ts, name="eyes")
    assert again.response["error"] == "already_reacted"
    fake.add_reaction("C1", ts, "eyes", user="U2")
    assert stored(fake, "C1", ts)["reactions"] == [{"name": "eyes", "users": ["UBOT", "U2"], "count": 2}]
    client.reactions_remove(channel="C1", timestamp=ts, name="eyes")
    gone = slack_error(client.reactions_remove, channel="C1", timestamp=ts, name="eyes")
    assert gone.response["error"] == "no_reaction"
    assert slack_error(client.reactions_add, channel="C1", timestamp="1.5", name="x").response["error"] == (
        "message_not_found"
    )


def test_user_ids_post_into_stable_dm_channels(fake: FakeSlack, client: WebClient) -> None:
    posted = client.chat_postMessage(channel="U2", text="your export")
    assert posted["channel"] == "DU2"
    assert client.conversations_open(users="U2")["channel"]["id"] == "DU2"
    assert [m["text"] for m in fake.messages("DU2")] == ["your export"]
    assert fake.messages("U2") == fake.messages("DU2")
    group = client.conversations_open(users="U1,U2")["channel"]["id"]
    assert group.startswith("G") and client.conversations_open(users="U2,U1")["channel"]["id"] == group
    assert client.conversations_open(users="U3,U1")["channel"]["id"] != group
    assert client.conversations_info(channel="DU2")["channel"]["is_im"] is True
    assert set(client.conversations_members(channel=group)["members"]) == {"U1", "U2", "UBOT"}


def test_channel_faults_configured_by_tests(fake: FakeSlack, client: WebClient) -> None:
    fake.not_in_channel.add("C9")
    fake.missing_channels.add("C404")
    assert slack_error(client.chat_postMessage, channel="C9", text="x").response["error"] == "not_in_channel"
    missing = slack_error(client.chat_postMessage, channel="C404", text="x")
    assert missing.response["error"] == "channel_not_found"
    assert client.conversations_info(channel="C9")["channel"]["is_member"] is False
    fake.channels["C1"] = {"name": "support"}
    assert client.conversations_info(channel="C1")["channel"]["name"] == "support"


def test_history_finds_a_message_by_metadata(client: WebClient) -> None:
    for number in (41, 42, 43):
        metadata = {"event_type": "complaint_card", "event_payload": {"complaint_id": number}}
        client.chat_postMessage(channel="C1", text=f"#{number}", metadata=metadata)
    plain = client.conversations_history(channel="C1")["messages"]
    assert all("metadata" not in message for message in plain)
    found = [
        message
        for message in client.conversations_history(channel="C1", include_all_metadata=True)["messages"]
        if message["metadata"]["event_payload"]["complaint_id"] == 42
    ]
    assert [message["text"] for message in found] == ["#42"]


def test_history_limit_oldest_and_cursor(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="C1", text=str(n))["ts"] for n in range(5)]
    page = client.conversations_history(channel="C1", limit=2)
    assert [m["text"] for m in page["messages"]] == ["4", "3"] and page["has_more"] is True
    cursor = page["response_metadata"]["next_cursor"]
    following = client.conversations_history(channel="C1", limit=2, cursor=cursor)["messages"]
    assert [m["text"] for m in following] == ["2", "1"]
    newer = client.conversations_history(channel="C1", oldest=stamps[2])["messages"]
    assert [m["text"] for m in newer] == ["4", "3"]


# -- Block Kit limits


@pytest.mark.parametrize(
    ("ok", "too_big"),
    [
        ([section("x")] * 50, [section("x")] * 51),
        ([section("x" * 3000)], [section("x" * 3001)]),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 10}],
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
        ),
        (
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2000}]}],
            [{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
        ),
        (
            [{"type": "header", "text": {"type": "plain_text", "text": "h" * 150}}],
            [{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
        ),
        (
            [{"type": "actions", "elements": [button("b" * 75)]}],
            [{"type": "actions", "elements": [button("b" * 76)]}],
        ),
        (
            [{"type": "actions", "elements": [button(action_id="a" * 255)]}],
            [{"type": "actions", "elements": [button(action_id="a" * 256)]}],
        ),
        ([{**section("x"), "block_id": "b" * 255}], [{**section("x"), "block_id": "b" * 256}]),
        (
            [{"type": "actions", "elements": [button(action_id=f"a{n}") for n in range(25)]}],
            [{"type": "actions", "elements": [button(action_id=f"a{n}") for n in range(26)]}],
        ),
    ],
)
def test_block_kit_limits(ok: list[Json], too_big: list[Json]) -> None:
    assert block_kit_problems(ok, "message") == []
    assert block_kit_problems(too_big, "message")


def test_block_kit_problems_name_the_place() -> None:
    problems = block_kit_problems([section("ok"), section("")], "message")
    assert problems == ["[ERROR] must be more than 0 characters [json-pointer:/blocks/1/text/text]"]
    assert block_kit_problems([section("x")] * 100, "modal") == []
    assert block_kit_problems([{"type": "sparkles"}], "home")


def test_messages_with_bad_blocks_are_rejected(fake: FakeSlack, client: WebClient) -> None:
    failure = slack_error(client.chat_postMessage, channel="C1", text="x", blocks=[section("x" * 3001)])
    assert failure.response["error"] == "invalid_blocks"
    assert failure.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"
    ]
    too_long = slack_error(client.chat_postMessage, channel="C1", text="x" * 40_001)
    assert too_long.response["error"] == "msg_too_long"
    ts = client.chat_postMessage(channel="C1", text="ok")["ts"]
    update = slack_error(client.chat_update, channel="C1", ts=ts, text="x", blocks=[section("x")] * 51)
    assert update.response["error"] == "invalid_blocks"
    empty = [section("")]
    ephemeral = slack_error(client.chat_postEphemeral, channel="C1", user="U2", text="x", blocks=empty)
    assert ephemeral.response["error"] == "invalid_blocks"
    assert fake.messages("C1")[0]["text"] == "ok"


def test_views_are_checked_and_stored(fake: FakeSlack, client: WebClient) -> None:
    opened = client.views_open(trigger_id="111.222.abc", view=modal([section("x")]))["view"]
    assert opened["id"].startswith("V") and fake.views[opened["id"]]["title"]["text"] == "New complaint"
    too_many = slack_error(client.views_open, trigger_id="t", view=modal([section("x")] * 101))
    assert too_many.response["error"] == "invalid_arguments"
    long_title = slack_error(client.views_open, trigger_id="t", view=modal([section("x")], title="t" * 25))
    assert "json-pointer:/view/title/text" in long_title.response["response_metadata"]["messages"][0]
    assert view_problems(modal([section("x")], title="t" * 24)) == []
    view_id, first_hash = opened["id"], opened["hash"]
    updated = client.views_update(view_id=view_id, view=modal([section("y")]), hash=first_hash)["view"]
    assert updated["id"] == view_id and updated["blocks"] == [section("y")]
    stale = slack_error(client.views_update, view_id=view_id, view=modal([section("z")]), hash=first_hash)
    assert stale.response["error"] == "hash_conflict"
    pushed = client.views_push(trigger_id="t2", view=modal([section("step 2")]))["view"]
    assert pushed["id"] != opened["id"]


def test_home_views_are_published_per_user(fake: FakeSlack, client: WebClient) -> None:
    first = client.views_publish(user_id="U2", view={"type": "home", "blocks": [section("v1")]})["view"]
    second = client.views_publish(user_id="U2", view={"type": "home", "blocks": [section("v2")]})["view"]
    assert first["id"] == second["id"] and fake.home_views["U2"]["blocks"] == [section("v2")]
    crowded = {"type": "home", "blocks": [section("x")] * 101}
    too_many = slack_error(client.views_publish, user_id="U2", view=crowded)
    assert too_many.response["error"] == "invalid_arguments"


# -- people


def test_users_and_usergroups(fake: FakeSlack, client: WebClient) -> None:
    person = client.users_info(user="U2")["user"]
    assert person["id"] == "U2" and person["tz"] == "Europe/Berlin" and person["is_bot"] is False
    assert person["name"] and person["real_name"]
    fake.users["U3"] = {"real_name": "Ana Lima", "tz": "America/Sao_Paulo"}
    assert client.users_info(user="U3")["user"]["profile"]["real_name"] == "Ana Lima"
    assert client.users_info(user="U3")["user"]["tz"] == "America/Sao_Paulo"
    fake.usergroups["S1"] = ["U0BOSS1", "U0BOSS2"]
    assert client.usergroups_users_list(usergroup="S1")["users"] == ["U0BOSS1", "U0BOSS2"]
    assert slack_error(client.usergroups_users_list, usergroup="S9").response["error"] == "no_such_subteam"


# -- files


@pytest.mark.parametrize("argument", ["content", "file"])
def test_files_upload_v2_end_to_end(fake: FakeSlack, client: WebClient, argument: str) -> None:
    data: dict[str, Any] = {argument: b"\x89PNG...", "initial_comment": "weekly digest"}
    upload = client.files_upload_v2(channel="C1", filename="x.png", title="Chart", **data)
    file_id = upload["file"]["id"]
    stored = fake.files[file_id]
    assert (stored.filename, stored.title, stored.channel) == ("x.png", "Chart", "C1")
    assert stored.content == b"\x89PNG..."
    assert stored.initial_comment == "weekly digest"
    assert fake.last("files.getUploadURLExternal").args["length"] == str(len(b"\x89PNG..."))
    (shared,) = fake.messages("C1")
    assert shared["files"][0]["id"] == file_id and shared["text"] == "weekly digest"


def test_a_failing_upload_url_stops_files_upload_v2(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("upload", status=500)
    with pytest.raises(urllib.error.HTTPError):  # slack_sdk lets urllib's error through for upload_url
        client.files_upload_v2(channel="C1", filename="a.csv", content="a,b\n")
    assert fake.files == {} and fake.calls_to("files.completeUploadExternal") == []


def test_completing_an_upload_without_bytes_fails(client: WebClient) -> None:
    file_id = client.files_getUploadURLExternal(filename="a.csv", length=3)["file_id"]
    failure = slack_error(client.files_completeUploadExternal, files=[{"id": file_id, "title": "a"}])
    assert failure.response["error"] == "file_not_found"


# -- faults


def test_rate_limit_is_seen_by_the_sdk_retry_handler(fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", status=429, retry_after=0)
    handler = RateLimitErrorRetryHandler(max_retry_count=1)
    client = WebClient(token="xoxb-test", base_url=fake.url, retry_handlers=[handler])
    assert client.chat_postMessage(channel="C1", text="x")["ok"] is True
    first, second = fake.wait_for("chat.postMessage", count=2)
    assert first.status == 429 and first.fault is not None
    assert first.response == {"ok": False, "error": "ratelimited"}
    assert second.ok and len(fake.messages("C1")) == 1


def test_rate_limit_without_retry_shows_retry_after(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("conversations.history", status=429)
    failure = slack_error(client.conversations_history, channel="C1")
    assert failure.response.status_code == 429 and failure.response.headers["Retry-After"] == "1"
    assert failure.response["error"] == "ratelimited"


def test_server_error_is_seen_by_the_sdk_retry_handler(fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", status=500)
    quickly = FixedValueRetryIntervalCalculator(0.05)
    handler = ServerErrorRetryHandler(max_retry_count=1, interval_calculator=quickly)
    client = WebClient(token="xoxb-test", base_url=fake.url, retry_handlers=[handler])
    assert client.chat_postMessage(channel="C1", text="x")["ok"] is True
    assert [call.status for call in fake.wait_for("chat.postMessage", count=2)] == [500, 200]


def test_after_effect_applies_the_call_but_reports_failure(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("chat.postMessage", status=503, after_effect=True)
    failure = slack_error(client.chat_postMessage, channel="C1", text="card")
    assert failure.response.status_code == 503 and failure.response["error"] == "service_unavailable"
    assert [m["text"] for m in fake.messages("C1")] == ["card"]
    client.chat_postMessage(channel="C1", text="next")
    assert len(fake.messages("C1")) == 2


def test_faults_until_healed_and_for_any_method(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("*", error="fatal_error", times=-1)
    for _ in range(3):
        assert slack_error(client.auth_test).response["error"] == "fatal_error"
    assert slack_error(client.users_info, user="U2").response["error"] == "fatal_error"
    fake.heal()
    assert client.auth_test()["ok"] is True
    fake.fail("auth.test", error="account_inactive", times=2)
    assert [slack_error(client.auth_test).response["error"] for _ in range(2)] == ["account_inactive"] * 2
    assert client.auth_test()["ok"] is True
    faulted = [call.fault is not None for call in fake.calls_to("auth.test")]
    assert faulted == [True, True, True, False, True, True, False]


def test_delay_provokes_a_client_timeout(fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", status=500, delay=0.6, after_effect=True)
    impatient = WebClient(token="xoxb-test", base_url=fake.url, timeout=0.2)  # type: ignore[arg-type]
    with pytest.raises(TimeoutError):
        impatient.chat_postMessage(channel="C1", text="slow")
    fake.wait_for("chat.postMessage")
    assert [m["text"] for m in fake.messages("C1")] == ["slow"]


def test_latency_delays_every_answer() -> None:
    with FakeSlack(latency=0.2) as slow:
        started = time.monotonic()
        WebClient(token="xoxb-test", base_url=slow.url).auth_test()
        assert time.monotonic() - started >= 0.2


def test_wait_for_reports_what_was_called(fake: FakeSlack, client: WebClient) -> None:
    client.chat_postMessage(channel="C1", text="x")
    with pytest.raises(AssertionError, match=r"chat\.postMessage"):
        fake.wait_for("views.open", timeout=0.05)
    assert fake.wait_for("chat.postMessage", where=lambda call: call.args["channel"] == "C1")
    with pytest.raises(AssertionError):
        fake.wait_for("chat.postMessage", where=lambda call: call.args["channel"] == "C2", timeout=0.05)


def test_reset_forgets_state_but_keeps_configuration(fake: FakeSlack, client: WebClient) -> None:
    fake.users["U3"] = {"real_name": "Ana"}
    client.chat_postMessage(channel="C1", text="x")
    fake.fail("auth.test", times=-1)
    fake.reset()
    assert fake.calls == [] and fake.messages("C1") == [] and client.auth_test()["ok"] is True
    assert fake.users == {"U3": {"real_name": "Ana"}}
    fake.reset(config=True)
    assert fake.users == {}


# -- Socket Mode


def test_apps_connections_open_needs_an_app_token(client: WebClient) -> None:
    assert slack_error(client.apps_connections_open, app_token="xoxb-test").response["error"] == (
        "not_allowed_token_type"
    )


def test_socket_mode_client_connects_acks_and_reconnects() -> None:
    with FakeSlack(socket_mode=True) as fake:
        socket = fake.socket
        assert socket is not None
        web_client = WebClient(base_url=fake.url)
        client = SocketModeClient(app_token="xapp-1-test", web_client=web_client, ping_interval=1)

        def acknowledge(sm_client: BaseSocketModeClient, request: SocketModeRequest) -> None:
            response = SocketModeResponse(envelope_id=request.envelope_id, payload={"seen": request.type})
            sm_client.send_socket_mode_response(response)

        client.socket_mode_request_listeners.append(acknowledge)
        try:
            client.connect()
            socket.wait_connections(1)
            envelope = socket.send_envelope("slash_commands", {"command": "/complaint", "text": "help"})
            ack = socket.wait_ack(envelope)
            assert ack == {"envelope_id": envelope, "payload": {"seen": "slash_commands"}}
            socket.disconnect()
            socket.wait_connections(2)
            envelope = socket.send_envelope("events_api", {"type": "event_callback", "event": {"type": "x"}})
            assert socket.wait_ack(envelope)["payload"] == {"seen": "events_api"}
            socket.drop()
            socket.wait_connections(3)
            envelope = socket.send_envelope("interactive", {"type": "block_actions"}, envelope_id="e3")
            assert envelope == "e3" and socket.wait_ack("e3")["payload"] == {"seen": "interactive"}
        finally:
            socket.close_client(client)
        assert not client.is_connected()
        opens = fake.calls_to("apps.connections.open")
        assert len(opens) == 3 and opens[0].token == "xapp-1-test"


def test_conversations_join_as_slack_documents_it(fake: FakeSlack, client: WebClient) -> None:
    """docs.slack.dev/reference/methods/conversations.join: the conversation, a warning when already in, errors."""
    from sandbox.workspace import Channel

    fake.not_in_channel.add("CPROD")
    assert slack_error(client.chat_postMessage, channel="CPROD", text="x").response["error"] == "not_in_channel"
    joined = client.conversations_join(channel="CPROD")
    assert joined["channel"]["id"] == "CPROD" and joined["channel"]["is_member"] is True
    assert joined.get("warning") is None
    assert client.chat_postMessage(channel="CPROD", text="x")["ok"]  # a member now
    again = client.conversations_join(channel="CPROD")
    assert again["warning"] == "already_in_channel"
    assert again["response_metadata"] == {"warnings": ["already_in_channel"]}

    fake.workspace.add_channel(Channel("GSECRET", "secret", members=["UANA"], is_private=True))
    fake.channels["COLD"] = {"is_archived": True}
    fake.not_in_channel.add("COLD")
    for channel, error in (
        ("GSECRET", "channel_not_found"),
        ("COLD", "is_archived"),
        ("DUANA", "method_not_supported_for_channel_type"),
    ):
        assert slack_error(client.conversations_join, channel=channel).response["error"] == error
