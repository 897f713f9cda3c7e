"""The App Home end to end: published when opened, kept current for those who use it, within Slack's limits."""

from __future__ import annotations

import json
import time
from typing import Any

from bot import rendering
from bot.services.lifecycle import Draft
from sandbox.fake_slack import view_problems
from sandbox.sender import Response
from tests.harness import Bot


def open_home(bot: Bot, user: str, tab: str = "home") -> Response:
    """The person opens the app's Home (or Messages) tab."""
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": f"D{user}",
        "tab": tab,
        "event_ts": f"{time.time():.6f}",
    }
    return bot.slack.event(event)


def home_text(bot: Bot, user: str) -> str:
    """Everything the person's published Home shows, as one string."""
    view = bot.fake.home_views.get(user)
    assert view is not None, f"no Home published for {user}"
    return json.dumps(view["blocks"], ensure_ascii=False)


def sections(bot: Bot, user: str) -> list[str]:
    """The mrkdwn of each section on the person's Home, in order."""
    view: dict[str, Any] = bot.fake.home_views[user]
    return [b["text"]["text"] for b in view["blocks"] if b["type"] == "section"]


def publishes_for(bot: Bot, user: str) -> int:
    """How often the person's Home was published."""
    return len([c for c in bot.fake.calls_to("views.publish") if c.ok and c.args.get("user_id") == user])


def test_home_for_owner_and_non_owner(bot: Bot) -> None:
    mine = bot.file("Müller GmbH got the wrong parts")
    waiting = bot.file("Schulz AG was billed twice", user="UCAY")
    bot.react(mine, "UBEN")
    assert open_home(bot, "UBEN").status == 200
    assert open_home(bot, "UANA").status == 200
    bot.settle()
    owner = sections(bot, "UBEN")
    assert owner[0] == "*Mine (1)*"
    assert "#1>" in owner[1] and "wrong parts" in owner[1] and "open for" in owner[1]
    assert "next: you are asked for an update" in owner[1]
    assert owner[2] == "*Waiting for an owner (1)*" and "#2>" in owner[3] and "<@UCAY>" in owner[3]
    assert "Recently resolved by you (0)" in owner[4]
    other = sections(bot, "UANA")
    assert other[0] == "*Mine (0)*" and "Nothing on your desk" in home_text(bot, "UANA")
    assert "#2>" in other[2] and "#1>" not in home_text(bot, "UANA")
    assert waiting == 2


def test_messages_tab_publishes_nothing(bot: Bot) -> None:
    assert open_home(bot, "UBEN", tab="messages").status == 200
    bot.settle()
    assert publishes_for(bot, "UBEN") == 0


def test_home_follows_my_complaints_but_only_for_people_who_use_it(bot: Bot) -> None:
    number = bot.file()
    open_home(bot, "UBEN")
    open_home(bot, "UANA")
    bot.settle()
    before_ben, before_ana = publishes_for(bot, "UBEN"), publishes_for(bot, "UANA")
    bot.react(number, "UBEN")
    bot.settle()
    assert publishes_for(bot, "UBEN") > before_ben and publishes_for(bot, "UANA") > before_ana
    assert sections(bot, "UBEN")[0] == "*Mine (1)*"
    bot.react(number, "UBEN", emoji="white_check_mark")
    bot.settle()
    ben = sections(bot, "UBEN")
    assert ben[0] == "*Mine (0)*" and "*Recently resolved by you (1)*" in ben and "resolved" in ben[-1]
    other = bot.file("Schulz AG was billed twice")
    bot.react(other, "UCAY")  # UCAY never opened the Home
    bot.settle()
    assert publishes_for(bot, "UCAY") == 0


def test_previous_owner_home_is_refreshed_on_release_and_handover(bot: Bot) -> None:
    number = bot.file()
    bot.react(number, "UBEN")
    open_home(bot, "UBEN")
    bot.settle()
    assert sections(bot, "UBEN")[0] == "*Mine (1)*"
    bot.react(number, "UBEN", added=False)
    bot.settle()
    assert sections(bot, "UBEN")[0] == "*Mine (0)*"
    bot.react(number, "UBEN")
    bot.settle()
    assert sections(bot, "UBEN")[0] == "*Mine (1)*"
    bot.slack.submit(rendering.VIEW_HANDOVER, {"handover_to": {"selected_user": "UCAY"}}, "UBEN", str(number))
    bot.react(number, "UCAY")  # UCAY accepts the handover
    bot.settle()
    assert bot.complaint(number).owner == "UCAY"
    assert sections(bot, "UBEN")[0] == "*Mine (0)*"


def test_a_full_queue_stays_within_the_block_limit(bot: Bot) -> None:
    assert bot.runtime.services is not None
    lifecycle = bot.runtime.services.lifecycle
    for n in range(120):
        assert lifecycle.file(Draft(channel="CSUPPORT", reporter="UANA", summary=f"Complaint number {n}")).ok
    open_home(bot, "UBEN")
    call = bot.fake.wait_for("views.publish", where=lambda c: c.args.get("user_id") == "UBEN", timeout=10)[0]
    assert call.ok, call.response
    view = call.args["view"]
    assert len(view["blocks"]) <= 100 and view_problems(view) == []
    text = json.dumps(view["blocks"])
    assert "Waiting for an owner (120)" in text and "and 90 more" in text
    assert "Complaint number 0" in text  # oldest first
