"""Every Web API call has its scope: the methods the code calls, the scopes Slack requires for each (with their
source, in tests/fixtures/slack-method-scopes.json), the manifest that grants them, the fake Slack that refuses a
call without its scope, and the line the bot logs at start when the installation lacks one."""

from __future__ import annotations

import ast
import inspect
import json
import logging
import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from adapters.scopes import BOT_SCOPES
from bot.rendering import talk
from sandbox.fake_slack import FakeSlack, load_methods
from tests.harness import Bot, make_config, start_bot

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = json.loads((ROOT / "tests" / "fixtures" / "slack-method-scopes.json").read_text(encoding="utf-8"))
CODE = [ROOT / "app.py", *sorted((ROOT / "adapters").rglob("*.py")), *sorted((ROOT / "bot").rglob("*.py"))]
CODE += sorted((ROOT / "handlers").rglob("*.py"))
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))


@cache
def api_methods(python_name: str) -> frozenset[str]:
    """The Web API methods one WebClient method calls (files_upload_v2 calls three, through others)."""
    source = inspect.getsource(getattr(WebClient, python_name))
    found = set(re.findall(r'api_call\(\s*"([\w.]+)"', source))
    for inner in set(re.findall(r"self\.(\w+)\(", source)) - {python_name, "api_call"}:
        if callable(getattr(WebClient, inner, None)) and "api_call" in inspect.getsource(getattr(WebClient, inner)):
            found |= api_methods(inner)
    return frozenset(found)


def called_methods() -> dict[str, list[str]]:
    """Every Web API method the code calls, with where: calls of WebClient methods, found in the source."""
    found: dict[str, list[str]] = {}
    for path in CODE:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            name = node.func.attr
            if name.startswith("_") or not callable(getattr(WebClient, name, None)):
                continue
            for method in api_methods(name):
                found.setdefault(method, []).append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def needed(method: str) -> set[str]:
    """The scopes the bot needs for one method, on the kinds of conversation it calls it on."""
    entry = REFERENCE["methods"][method]
    kinds = entry.get("used_on") or list(entry["bot"])
    return {entry["bot"][kind] for kind in kinds if kind in entry["bot"]} | set(entry.get("also", []))


def test_the_source_is_read_for_the_methods_it_calls() -> None:
    called = called_methods()
    assert {"chat.postMessage", "conversations.history", "conversations.open", "views.open"} <= set(called)
    assert api_methods("files_upload_v2") >= {"files.getUploadURLExternal", "files.completeUploadExternal"}


def test_every_method_the_code_calls_has_its_scopes_on_record() -> None:
    unknown = {method: where for method, where in called_methods().items() if method not in REFERENCE["methods"]}
    assert not unknown, f"add these methods' scopes to tests/fixtures/slack-method-scopes.json: {unknown}"
    for method, entry in REFERENCE["methods"].items():
        assert entry["source"].startswith(f"https://docs.slack.dev/reference/methods/{method}"), method


def test_the_manifest_grants_every_scope_the_calls_need() -> None:
    granted = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    for method in called_methods():
        assert needed(method) <= granted, f"{method} needs {needed(method) - granted}"


def test_the_bot_asks_for_no_scope_it_does_not_use() -> None:
    used = set().union(*(needed(method) for method in called_methods()))
    used |= {scope for scope, _ in REFERENCE["events"].values() if scope} | {"commands"}
    assert set(BOT_SCOPES) == used
    assert set(MANIFEST["oauth_config"]["scopes"]["bot"]) == set(BOT_SCOPES)
    for event in MANIFEST["settings"]["event_subscriptions"]["bot_events"]:
        assert event in REFERENCE["events"], f"the scope of {event} is not on record"


def test_the_fake_refuses_by_the_same_scopes() -> None:
    methods = load_methods()
    for method, entry in REFERENCE["methods"].items():
        assert methods[method].get("scopes") == entry["bot"], method


# -- the fake Slack


def fake_with(scopes: set[str]) -> FakeSlack:
    """A fake Slack whose bot token has these scopes."""
    return FakeSlack(bot_scopes=scopes)


def test_a_call_without_its_scope_is_missing_scope_with_needed_and_provided() -> None:
    with fake_with({"chat:write", "im:history"}) as fake:
        client = WebClient(token="xoxb-test", base_url=fake.url)
        opened = fake.dm_channel("UANA")
        client.chat_postMessage(channel="CSUPPORT", text="fine")
        assert client.conversations_history(channel=opened)["ok"]
        with pytest.raises(SlackApiError) as refused:
            client.conversations_history(channel="CSUPPORT")
        body = refused.value.response.data
        assert body["error"] == "missing_scope" and body["needed"] == "channels:history"
        assert body["provided"] == "chat:write,im:history"
        with pytest.raises(SlackApiError, match="mpim:write"):
            client.conversations_open(users="UANA,UBEN")


def test_every_answer_to_the_bot_names_its_scopes() -> None:
    with fake_with({"chat:write", "reactions:write"}) as fake:
        answer = WebClient(token="xoxb-test", base_url=fake.url).auth_test()
        headers = {name.lower(): value for name, value in answer.headers.items()}
        assert headers["x-oauth-scopes"] == "chat:write,reactions:write"
        posted = WebClient(token="xoxb-test", base_url=fake.url).chat_postMessage(channel="C1", text="x")
        headers = {name.lower(): value for name, value in posted.headers.items()}
        assert headers["x-accepted-oauth-scopes"] == "chat:write"


# -- the bot


def missing_lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    """The start's warning about scopes the installation lacks."""
    return [r.getMessage() for r in caplog.records if "lacks scopes" in r.getMessage()]


def test_the_start_names_in_one_line_each_scope_the_installation_lacks(
    fake: FakeSlack, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    fake.bot_scopes = set(BOT_SCOPES) - {"mpim:history", "channels:read"}
    bot = start_bot(fake, make_config(str(tmp_path / "complaints.json")))
    try:
        [line] = missing_lines(caplog)
        assert "channels:read, mpim:history" in line and "reinstall" in line
    finally:
        bot.stop()


def test_an_installation_with_every_scope_starts_without_a_word_about_scopes(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    assert bot.fake.bot_scopes == set(BOT_SCOPES)
    assert missing_lines(caplog) == []


def talk_started_through_a_flaky_slack(bot: Bot) -> list[dict[str, Any]]:
    """Let's talk while both of its posts reach Slack but their answers are lost; the group's messages after."""
    number = bot.file()
    bot.react(number, "UBEN")
    complaint = bot.complaint(number)
    for user in ("UCAY", "UDAN"):
        bot.slack.reply(complaint.channel, complaint.card_ts or "", user)
    bot.settle()
    bot.fake.fail("chat.postMessage", status=500, after_effect=True, times=2)
    assert bot.slack.button(talk.ACTION_TALK, str(number), "UCAY").status == 200
    bot.wait(lambda: bot.complaint(number).talk_channel is not None, "the talk")
    bot.settle(15)
    return bot.fake.messages(bot.complaint(number).talk_channel or "")


def test_a_talk_post_retried_after_a_lost_answer_appears_once(bot: Bot) -> None:
    assert len(talk_started_through_a_flaky_slack(bot)) == 1


def test_without_mpim_history_the_retried_talk_post_would_appear_twice(
    fake: FakeSlack, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fake.bot_scopes = set(BOT_SCOPES) - {"mpim:history"}
    bot = start_bot(fake, make_config(str(tmp_path / "complaints.json")))
    try:
        assert len(talk_started_through_a_flaky_slack(bot)) == 2  # why the manifest asks for mpim:history
    finally:
        bot.stop()
