"""The App Home end to end: published when opened, kept current for those who use it, within Slack's limits."""

from __future__ import annotations

import json
import re
import time
from typing import Any

from bot import rendering
from bot.model import Status
from bot.rendering.home import (
    FIXED_BLOCKS,
    HOME_BLOCK_LIMIT,
    MINE_ROWS,
    REPORTED_ROWS,
    RESOLVED_ROWS,
    WAITING_ROWS,
)
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


def section_of(bot: Bot, user: str, title: str) -> list[tuple[str, str]]:
    """The rows under one titled part of the person's Home: each row's linked number (`#1>`) and its line up to
    the age, which moves on with the clock."""
    found = sections(bot, user)
    start = next(i for i, text in enumerate(found) if text.startswith(f"*{title} ("))
    rows = []
    for text in found[start + 1 :]:
        if text.startswith("*"):
            break
        ref, line = text.split("\n", 1)
        number = re.search(r"#\d+>", ref)
        assert number is not None, ref
        rows.append((number.group(0), line[: line.index(" · open for ") + len(" · open for ")]))
    return rows


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
    assert owner[2] == "*Reported by you (0)*" and "Nothing you reported is open" in home_text(bot, "UBEN")
    assert owner[3] == "*Waiting for an owner (1)*" and "#2>" in owner[4] and "<@UCAY>" in owner[4]
    assert "Recently resolved by you (0)" in owner[5]
    other = sections(bot, "UANA")
    assert other[0] == "*Mine (0)*" and "Nothing on your desk" in home_text(bot, "UANA")
    assert other[1] == "*Reported by you (1)*" and "#1>" in other[2] and "<@UBEN> is on it" in other[2]
    assert other[3] == "*Waiting for an owner (1)*" and "#2>" in other[4]
    assert waiting == 2


def test_the_reporter_keeps_sight_of_a_complaint_once_someone_else_owns_it(bot: Bot) -> None:
    bore = bot.file("Müller GmbH: flanges delivered with the wrong bore")
    invoice = bot.file("Invoice sent twice")
    open_home(bot, "UANA")
    bot.settle()
    assert section_of(bot, "UANA", "Reported by you") == [
        ("#1>", "Müller GmbH · _waiting for an owner_ · open for "),
        ("#2>", "_waiting for an owner_ · open for "),
    ]
    before = publishes_for(bot, "UANA")
    bot.react(bore, "UBEN")  # Ben takes it on: Ana still answers to Müller GmbH for it
    bot.settle()
    assert publishes_for(bot, "UANA") > before
    assert section_of(bot, "UANA", "Reported by you")[0] == ("#1>", "Müller GmbH · <@UBEN> is on it · open for ")
    bot.react(invoice, "UANA")  # she takes her own on: it is on her desk, and listed only there
    bot.settle()
    assert section_of(bot, "UANA", "Mine") == [("#2>", "normal · open for ")]
    assert [ref for ref, _ in section_of(bot, "UANA", "Reported by you")] == ["#1>"]
    bot.react(bore, "UBEN", added=False)  # released
    bot.settle()
    assert section_of(bot, "UANA", "Reported by you") == [("#1>", "Müller GmbH · _waiting for an owner_ · open for ")]
    bot.react(bore, "UBEN")
    bot.react(bore, "UBEN", emoji="white_check_mark")  # resolved: nothing left to chase
    bot.settle()
    assert bot.complaint(bore).resolved_at is not None
    assert section_of(bot, "UANA", "Reported by you") == []
    assert sections(bot, "UANA")[2] == "*Reported by you (0)*"
    assert "Nothing you reported is open with someone else or waiting for an owner." in home_text(bot, "UANA")


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


def test_every_part_full_stays_within_the_block_limit(bot: Bot) -> None:
    """More in every part than it shows: each says how many more, and the Home keeps within Slack's 100 blocks."""
    assert FIXED_BLOCKS + MINE_ROWS + REPORTED_ROWS + WAITING_ROWS + RESOLVED_ROWS <= HOME_BLOCK_LIMIT
    assert bot.runtime.services is not None
    lifecycle = bot.runtime.services.lifecycle

    def filed(reporter: str, count: int) -> list[int]:
        numbers = []
        for n in range(count):
            outcome = lifecycle.file(Draft(channel="CSUPPORT", reporter=reporter, summary=f"Complaint number {n}"))
            assert outcome.ok and outcome.complaint is not None
            numbers.append(outcome.complaint.number)
        return numbers

    waiting = filed("UANA", MINE_ROWS + 10 + WAITING_ROWS + 20)
    mine, waiting = waiting[: MINE_ROWS + 10], waiting[MINE_ROWS + 10 :]
    reported = filed("UBEN", REPORTED_ROWS + 10)
    resolved = filed("UANA", RESOLVED_ROWS + 5)
    now = bot.runtime.services.deps.now()
    with bot.store.transaction() as tx:  # taken on and resolved as the lifecycle would leave them
        for number in mine + reported[:10] + resolved:
            complaint = tx.get(number)
            assert complaint is not None
            complaint.status, complaint.owner = Status.OWNED, "UCAY" if number in reported else "UBEN"
            if number in resolved:
                complaint.status, complaint.resolved_at = Status.RESOLVED, now
            tx.save(complaint)
    open_home(bot, "UBEN")
    call = bot.fake.wait_for("views.publish", where=lambda c: c.args.get("user_id") == "UBEN", timeout=10)[0]
    assert call.ok, call.response
    view = call.args["view"]
    assert len(view["blocks"]) <= HOME_BLOCK_LIMIT and view_problems(view) == []
    text = json.dumps(view["blocks"])
    assert f"Mine ({MINE_ROWS + 10})" in text and "and 10 more" in text
    assert f"Reported by you ({REPORTED_ROWS + 10})" in text and text.count("and 10 more") == 2
    unclaimed = len(waiting) + REPORTED_ROWS  # UBEN's own that nobody took on wait too
    assert f"Waiting for an owner ({unclaimed})" in text and f"and {unclaimed - WAITING_ROWS} more" in text
    assert f"Recently resolved by you ({RESOLVED_ROWS + 5})" in text and "and 5 more" in text
    assert f"Complaint number {MINE_ROWS + 10}" in text  # the oldest waiting one first
