"""Slack Connect: a channel shared with a customer's company, and a person from that company.

The workspace is the sandbox's: Acme Components (T1) with Ana (sales), Ben (production) and Dora (manager),
and #ext-nordwind shared with the customer Nordwind Logistik (T2CUSTOMER), whose buyer Erik is in it. Erik can
see what the bot posts in #ext-nordwind, react to it and press buttons, as Slack lets him; none of it may change
a complaint, and he is told so politely and privately.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot import rendering
from bot.rendering.capture import SHORTCUT_FILE
from sandbox.app_manifest import AppManifest
from sandbox.client import SandboxClient
from sandbox.fake_slack import FakeSlack
from sandbox.sender import Response
from sandbox.workspace import SALES, SHARED, demo_workspace
from tests.harness import Bot, make_config, start_bot

OUTSIDER, CUSTOMER_TEAM = "UERIK", "T2CUSTOMER"
_ids = itertools.count(1)


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """The sandbox's workspace, shared channel and stranger included."""
    with FakeSlack(workspace=demo_workspace()) as server:
        yield server


@pytest.fixture
def desk(fake: FakeSlack, tmp_path: Path) -> Iterator[Bot]:
    """The bot, with a fallback channel for cards that cannot go where they were filed."""
    config = make_config(
        str(tmp_path / "data" / "complaints.json"), channels={"management": "CMANAGEMENT", "fallback": "CPRODUCTION"}
    )
    bot = start_bot(fake, config)
    yield bot
    bot.stop()


@pytest.fixture
def stuck(fake: FakeSlack, tmp_path: Path) -> Iterator[Bot]:
    """A bot with no fallback channel: a card in a channel that became shared has nowhere to go, and stays."""
    config = make_config(str(tmp_path / "stuck" / "complaints.json"), channels={"management": "CMANAGEMENT"})
    bot = start_bot(fake, config)
    yield bot
    bot.stop()


def reaction(bot: Bot, number: int, user: str, emoji: str = "raising_hand") -> Response:
    """A reaction on the complaint's card; its envelope says whether the channel is shared, as Slack's does."""
    complaint = bot.complaint(number)
    return bot.slack.reaction(complaint.channel, complaint.card_ts or "", user, emoji)


def shared_unheard(bot: Bot, channel: str) -> None:
    """The channel becomes shared with the customer, and the bot was not told (the event was lost)."""
    bot.fake.workspace.share(channel, CUSTOMER_TEAM)


def notes_for(bot: Bot, user: str) -> list[str]:
    """What only this person was shown: private messages in channels, and direct messages."""
    private = [e["text"] for e in bot.fake.ephemerals if e["user"] == user]
    return private + [m.get("text", "") for m in bot.fake.messages(user)]


def snapshot(bot: Bot, number: int) -> dict[str, Any]:
    """Everything about the complaint that a step could change."""
    raw = bot.complaint(number).to_dict()
    raw.pop("version", None)
    return raw


def test_a_stranger_pressing_a_cards_buttons_changes_nothing_and_hears_why(desk: Bot) -> None:
    number = desk.file("Pallets arrived broken", user="UANA", channel=SALES)
    desk.react(number, "UBEN")
    desk.settle()
    before = snapshot(desk, number)
    for action_id in (rendering.ACTION_RESOLVE, rendering.ACTION_HANDOVER, rendering.ACTION_HISTORY):
        pressed = {"type": "button", "action_id": action_id, "block_id": "b", "value": str(number)}
        answer = desk.slack.block_action(pressed, OUTSIDER, channel=SALES, team=CUSTOMER_TEAM)
        assert answer.status == 200
    option = {"text": {"type": "plain_text", "text": "high"}, "value": f"{number}:high"}
    chosen = {
        "type": "static_select",
        "action_id": rendering.ACTION_SEVERITY,
        "block_id": "b",
        "selected_option": option,
    }
    desk.slack.block_action(chosen, OUTSIDER, channel=SALES, team=CUSTOMER_TEAM)
    desk.settle()
    assert snapshot(desk, number) == before
    assert desk.fake.calls_to("views.open") == []  # no form opened for him
    notes = notes_for(desk, OUTSIDER)
    assert len(notes) == 4 and all("only for the people of the company" in note for note in notes)
    assert desk.fake.calls_to("users.info") == []  # his team was in the payload: nothing to look up


def test_a_stranger_reacting_in_a_shared_channel_is_looked_up_once_after_the_ack(stuck: Bot) -> None:
    """Only where a card could not leave a channel that became shared (no fallback channel) can this happen."""
    number = stuck.file("Pallets arrived broken", user="UANA", channel=SALES)
    shared_unheard(stuck, SALES)
    before = snapshot(stuck, number)
    for emoji in ("raising_hand", "white_check_mark"):
        answer = reaction(stuck, number, OUTSIDER, emoji=emoji)
        assert answer.status == 200 and answer.text == ""
        stuck.settle()
    assert snapshot(stuck, number) == before
    lookups = stuck.fake.calls_to("users.info")
    assert [call.args["user"] for call in lookups] == [OUTSIDER]  # once, then remembered
    assert len(notes_for(stuck, OUTSIDER)) == 2


def test_one_of_us_in_a_shared_channel_claims_after_the_lookup(stuck: Bot) -> None:
    number = stuck.file("Pallets arrived broken", user="UANA", channel=SALES)
    shared_unheard(stuck, SALES)
    reaction(stuck, number, "UBEN")
    stuck.settle()
    assert stuck.complaint(number).owner == "UBEN"
    assert [call.args["user"] for call in stuck.fake.calls_to("users.info")] == ["UBEN"]


def test_in_a_channel_shared_with_nobody_nobody_is_looked_up(desk: Bot) -> None:
    number = desk.file("Pallets arrived broken", user="UANA", channel=SALES)
    reaction(desk, number, "UBEN")
    desk.settle()
    assert desk.complaint(number).owner == "UBEN"
    assert desk.fake.calls_to("users.info") == []


def test_when_slack_cannot_say_who_someone_is_nothing_changes(stuck: Bot) -> None:
    number = stuck.file("Pallets arrived broken", user="UANA", channel=SALES)
    shared_unheard(stuck, SALES)
    before = snapshot(stuck, number)
    stuck.fake.fail("users.info", status=500, times=-1)
    reaction(stuck, number, "UBEN")
    stuck.settle()
    assert snapshot(stuck, number) == before
    assert any("could not tell me" in note for note in notes_for(stuck, "UBEN"))
    stuck.fake.heal()
    reaction(stuck, number, "UBEN")
    stuck.settle()
    assert stuck.complaint(number).owner == "UBEN"


def test_a_lost_channel_shared_event_is_made_up_for_by_the_next_event_from_the_channel(desk: Bot) -> None:
    number = desk.file("Pallets arrived broken", user="UANA", channel=SALES)
    old_ts = desk.complaint(number).card_ts or ""
    shared_unheard(desk, SALES)
    reaction(desk, number, OUTSIDER)  # its envelope says the channel is shared now
    desk.settle()
    assert desk.complaint(number).channel == "CPRODUCTION" and desk.complaint(number).owner is None
    old = desk.fake.message(SALES, old_ts)
    assert (
        old is not None and old["text"] == f"Complaint #{number} moved to <#CPRODUCTION>; its thread continues there."
    )


def test_a_command_through_another_organisations_installation_is_refused_in_its_answer(desk: Bot) -> None:
    answer = desk.slack.command("Pallets arrived broken", user=OUTSIDER, channel=SHARED, team_id=CUSTOMER_TEAM)
    assert answer.status == 200 and "only for the people of the company" in answer.text
    desk.settle()
    assert list(desk.store.all_complaints()) == []


def test_a_form_submitted_by_a_stranger_keeps_its_errors_and_files_nothing(desk: Bot) -> None:
    values = {"summary": {"value": {"type": "plain_text_input", "value": "Pallets arrived broken"}}}
    view = {
        "id": "V0STRANGE",
        "type": "modal",
        "callback_id": rendering.VIEW_NEW,
        "private_metadata": SALES,
        "hash": "h",
    }
    answer = desk.slack.view_submission(view, values, OUTSIDER, team=CUSTOMER_TEAM)
    assert answer.status == 200
    assert answer.json()["response_action"] == "errors"
    desk.settle()
    assert list(desk.store.all_complaints()) == []


def people(bot: Bot) -> SandboxClient:
    """The workspace's people in front of the bot, in Slack's client."""
    return SandboxClient(bot.fake, bot.slack, AppManifest.load())


def test_a_complaint_filed_in_a_shared_channel_is_filed_but_nothing_of_it_is_posted_there(desk: Bot) -> None:
    acme = people(desk)
    acme.send("UANA", SHARED, "/complaint Nordwind says the pallets arrived broken")
    desk.wait(lambda: desk.store.get(1) is not None and desk.complaint(1).card_ts is not None, "the card")
    desk.settle()
    assert desk.complaint(1).channel == "CPRODUCTION"
    assert [m for m in desk.fake.messages(SHARED) if m["user"] == desk.fake.bot_user_id] == []
    notes = notes_for(desk, "UANA")
    assert any("shared with another organisation" in note and "<#CPRODUCTION>" in note for note in notes), notes
    assert not any(e["user"] == OUTSIDER for e in desk.fake.ephemerals)

    # Now that the bot knows the channel is shared, the next filing goes straight to the internal channel.
    acme.send("UBEN", SHARED, "/complaint And the second delivery too")
    answer = [e["text"] for e in desk.fake.ephemerals if e["user"] == "UBEN"][-1]
    assert "Filed as #2" in answer and "<#CPRODUCTION>" in answer


def test_a_channel_that_becomes_shared_loses_its_cards_and_gets_no_more_posts(desk: Bot) -> None:
    acme = people(desk)
    acme.send("UANA", SALES, "/complaint Flanges delivered with the wrong bore")
    desk.wait(lambda: desk.store.get(1) is not None and desk.complaint(1).card_ts is not None, "the card")
    old_ts = desk.complaint(1).card_ts or ""
    desk.settle()
    acme.share(SALES, CUSTOMER_TEAM)
    desk.settle()
    moved = desk.complaint(1)
    assert moved.channel == "CPRODUCTION" and moved.card_ts
    old = desk.fake.message(SALES, old_ts)
    assert old is not None and old["text"] == "Complaint #1 moved to <#CPRODUCTION>; its thread continues there."
    assert old["blocks"][0]["text"]["text"] == old["text"]  # nothing of the card is left to read
    before = len(desk.fake.messages(SALES))
    desk.react(1, "UBEN")  # claimed on its new card
    acme.send("UANA", SALES, "/complaint A third one")
    desk.settle()
    assert len(desk.fake.messages(SALES)) == before and desk.fake.messages(SALES, old_ts) == []
    assert desk.complaint(2).channel == "CPRODUCTION"


def test_a_stranger_has_neither_the_command_nor_the_shortcut(desk: Bot) -> None:
    """Slack offers an app's command and shortcuts only to the organisations that installed it."""
    nordwind = people(desk)
    nordwind.send(OUTSIDER, SHARED, "/complaint The pallets arrived broken")
    desk.settle()
    assert list(desk.store.all_complaints()) == []
    [note] = [e for e in desk.fake.ephemerals if e["user"] == OUTSIDER]
    assert note["author"] == "USLACKBOT" and "not a valid command" in note["text"]
    assert nordwind.state(OUTSIDER, SHARED, None)["app"]["shortcuts"] == []


def test_a_message_filed_in_a_shared_channel_gets_no_reply_there_only_the_filer_hears(desk: Bot) -> None:
    message = desk.fake.add_message(SHARED, "Pallets arrived broken again, please check", user=OUTSIDER)
    url = desk.fake.response_url_for(SHARED, "UANA")
    desk.slack.message_shortcut(SHORTCUT_FILE, message, "UANA", SHARED, response_url=url)
    desk.fake.wait_for("views.open")
    view = desk.fake.calls_to("views.open")[-1].args["view"]
    desk.slack.submit(rendering.VIEW_NEW, {"summary": {"value": "Pallets broken"}}, "UANA", view["private_metadata"])
    desk.settle()
    assert desk.complaint(1).channel == "CPRODUCTION"
    assert [m for m in desk.fake.messages(SHARED) if m["user"] == desk.fake.bot_user_id] == []
    assert desk.fake.messages(SHARED, message["ts"]) == []
    assert any("#1" in note for note in notes_for(desk, "UANA"))


def test_routing_announces_nothing_in_a_shared_channel(fake: FakeSlack, tmp_path: Path) -> None:
    config = make_config(
        str(tmp_path / "routed" / "complaints.json"),
        channels={"management": "CMANAGEMENT", "fallback": "CPRODUCTION"},
        routing={"default": "CPRODUCTION", "announce_in_filing_channel": True},
    )
    bot = start_bot(fake, config)
    try:
        acme = people(bot)
        acme.send("UANA", SALES, "/complaint Flanges delivered with the wrong bore")
        acme.send("UANA", SHARED, "/complaint Nordwind's pallets arrived broken")
        bot.settle()
        assert bot.complaint(1).channel == bot.complaint(2).channel == "CPRODUCTION"
        assert any("#1" in m.get("text", "") for m in fake.messages(SALES))  # the line where it was filed
        assert [m for m in fake.messages(SHARED) if m["user"] == fake.bot_user_id] == []
    finally:
        bot.stop()
