"""Who may do what, cell by cell: the allowed person gets it done; anyone else is told privately, nothing changes.

People: UANA files (the reporter), UBEN claims (the owner), UCAY is a colleague, UDAN is proposed in a handover,
UBOSS is a listed manager and UGRACE a manager through the user group S0LEADS.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from bot import rendering
from bot.model import Status
from bot.rendering import reporter, talk
from bot.rendering.reporter import answer_value
from sandbox.fake_slack import FakeSlack
from sandbox.sender import Response
from tests.harness import Bot
from tests.robustness import quick_bot

REPORTER, OWNER, COLLEAGUE, PROPOSED, MANAGER, GROUP_MANAGER = "UANA", "UBEN", "UCAY", "UDAN", "UBOSS", "UGRACE"
BOT = "UBOT"


@pytest.fixture
def desk(fake: FakeSlack, tmp_path: Path) -> Iterator[Bot]:
    """A bot with one listed manager and one manager group."""
    fake.usergroups["S0LEADS"] = [GROUP_MANAGER, "UOTHER"]
    bot = quick_bot(fake, tmp_path / "data", managers=[MANAGER, "S0LEADS"])
    yield bot
    bot.stop()


# Where a complaint stands before the step is tried.


def unclaimed(bot: Bot) -> int:
    """Filed by the reporter, card posted."""
    number = bot.file("Müller GmbH got the wrong parts", user=REPORTER)
    bot.settle()
    return number


def owned(bot: Bot) -> int:
    """The owner claimed it."""
    number = unclaimed(bot)
    bot.react(number, OWNER)
    bot.settle()
    assert bot.complaint(number).owner == OWNER
    return number


def handover_proposed(bot: Bot) -> int:
    """The owner proposed that UDAN takes it over."""
    number = owned(bot)
    bot.slack.submit(rendering.VIEW_HANDOVER, {"handover_to": {"selected_user": PROPOSED}}, OWNER, str(number))
    bot.settle()
    assert bot.complaint(number).proposed_to == PROPOSED
    return number


def resolved(bot: Bot) -> int:
    """The owner resolved it."""
    number = owned(bot)
    bot.react(number, OWNER, emoji="white_check_mark")
    bot.settle()
    assert bot.complaint(number).status is Status.RESOLVED
    return number


STATES: dict[str, Callable[[Bot], int]] = {
    "unclaimed": unclaimed,
    "owned": owned,
    "handover proposed": handover_proposed,
    "resolved": resolved,
}


# The steps, as people take them in Slack, and how to see that one happened.


@dataclass(frozen=True)
class Step:
    """One way of doing something, and the sign that it was done."""

    do: Callable[[Bot, int, str], Response]
    done: Callable[[Bot, int, str], bool]
    command: bool = False  # a command answers in its HTTP response, or through its response_url (privately)


def command(bot: Bot, text: str, user: str) -> Response:
    """`/complaint <text>` in #support, with a response_url on the fake Slack: an answer sent there after the
    ack (a manager group looked up first) shows as a private message, as in Slack."""
    return bot.slack.command(text, user=user, response_url=bot.fake.response_url_for("CSUPPORT", user))


def modal_opened(callback_id: str) -> Callable[[Bot, int, str], bool]:
    """The step opened the given modal."""
    return lambda bot, number, user: any(
        c.args["view"]["callback_id"] == callback_id for c in bot.fake.calls_to("views.open")
    )


STEPS: dict[str, Step] = {
    "file": Step(
        lambda bot, n, user: bot.slack.command("Schmidt AG was billed twice", user=user),
        lambda bot, n, user: bot.store.get(n + 1) is not None and bot.complaint(n + 1).reporter == user,
    ),
    "claim": Step(lambda bot, n, user: bot.react(n, user), lambda bot, n, user: bot.complaint(n).owner == user),
    "release": Step(
        lambda bot, n, user: bot.react(n, user, added=False), lambda bot, n, user: bot.complaint(n).owner is None
    ),
    "hand over (button)": Step(
        lambda bot, n, user: bot.slack.button(rendering.ACTION_HANDOVER, str(n), user),
        modal_opened(rendering.VIEW_HANDOVER),
    ),
    "hand over (form)": Step(
        lambda bot, n, user: bot.slack.submit(
            rendering.VIEW_HANDOVER, {"handover_to": {"selected_user": PROPOSED}}, user, str(n)
        ),
        lambda bot, n, user: bot.complaint(n).proposed_to == PROPOSED,
    ),
    "resolve (emoji)": Step(
        lambda bot, n, user: bot.react(n, user, emoji="white_check_mark"),
        lambda bot, n, user: bot.complaint(n).status is Status.RESOLVED,
    ),
    "resolve (button)": Step(
        lambda bot, n, user: bot.slack.button(rendering.ACTION_RESOLVE, str(n), user),
        modal_opened(rendering.VIEW_RESOLVE),
    ),
    "resolve (form)": Step(
        lambda bot, n, user: bot.slack.submit(
            rendering.VIEW_RESOLVE, {"resolution": {"value": "replacement sent"}}, user, str(n)
        ),
        lambda bot, n, user: bot.complaint(n).status is Status.RESOLVED,
    ),
    "reopen (button)": Step(
        lambda bot, n, user: bot.slack.button(rendering.ACTION_REOPEN, str(n), user),
        modal_opened(rendering.VIEW_REOPEN),
    ),
    "reopen (form)": Step(
        lambda bot, n, user: bot.slack.submit(
            rendering.VIEW_REOPEN, {"reason": {"value": "customer called again"}}, user, str(n)
        ),
        lambda bot, n, user: bot.complaint(n).status is Status.UNCLAIMED,
    ),
    "snooze (button)": Step(
        lambda bot, n, user: bot.slack.button(rendering.ACTION_SNOOZE, f"{n}:1d", user),
        modal_opened(rendering.VIEW_SNOOZE),
    ),
    "snooze (form)": Step(
        lambda bot, n, user: bot.slack.submit(
            rendering.VIEW_SNOOZE, {"reason": {"value": "waiting for the supplier"}}, user, f"{n}:1d"
        ),
        lambda bot, n, user: bot.complaint(n).followups.snoozed_until is not None,
    ),
    "severity": Step(
        lambda bot, n, user: bot.slack.select(rendering.ACTION_SEVERITY, f"{n}:high", user),
        lambda bot, n, user: bot.complaint(n).severity == "high",
    ),
    "start a talk": Step(
        lambda bot, n, user: bot.slack.button(talk.ACTION_TALK, str(n), user),
        lambda bot, n, user: bot.complaint(n).talk_started_at is not None,
    ),
    "confirm satisfied": Step(
        lambda bot, n, user: bot.slack.button(
            reporter.ACTION_SATISFIED, answer_value(bot.complaint(n)), user, channel=f"D{user}"
        ),
        lambda bot, n, user: bot.complaint(n).confirmed is True,
    ),
    "report": Step(
        lambda bot, n, user: command(bot, "report", user),
        lambda bot, n, user: bool(bot.fake.messages("CMGMT")),
        command=True,
    ),
    "export": Step(
        lambda bot, n, user: command(bot, "export", user),
        lambda bot, n, user: any(f.channel in (user, f"D{user}") for f in bot.fake.files.values()),
        command=True,
    ),
}

# (step, state before, who, allowed). Not allowed: a private answer. "silent": ignored without a word.
TABLE: list[tuple[str, str, str, bool | str]] = [
    ("file", "unclaimed", COLLEAGUE, True),
    ("claim", "unclaimed", COLLEAGUE, True),
    ("claim", "unclaimed", REPORTER, True),
    ("claim", "owned", COLLEAGUE, False),
    ("claim", "owned", MANAGER, False),
    ("claim", "handover proposed", PROPOSED, True),
    ("claim", "handover proposed", COLLEAGUE, False),
    ("claim", "resolved", COLLEAGUE, False),
    ("claim", "unclaimed", BOT, "silent"),
    ("release", "owned", OWNER, True),
    ("release", "owned", COLLEAGUE, "silent"),
    ("hand over (button)", "owned", OWNER, True),
    ("hand over (button)", "owned", REPORTER, False),
    ("hand over (button)", "owned", MANAGER, False),
    ("hand over (button)", "unclaimed", COLLEAGUE, False),
    ("hand over (form)", "owned", OWNER, True),
    ("hand over (form)", "owned", COLLEAGUE, False),
    ("resolve (emoji)", "owned", OWNER, True),
    ("resolve (emoji)", "owned", REPORTER, False),
    ("resolve (emoji)", "owned", MANAGER, False),
    ("resolve (emoji)", "unclaimed", COLLEAGUE, False),
    ("resolve (emoji)", "owned", BOT, "silent"),
    ("resolve (button)", "owned", OWNER, True),
    ("resolve (button)", "owned", COLLEAGUE, False),
    ("resolve (form)", "owned", OWNER, True),
    ("resolve (form)", "owned", COLLEAGUE, False),
    ("reopen (button)", "resolved", REPORTER, True),
    ("reopen (button)", "resolved", OWNER, True),
    ("reopen (button)", "resolved", COLLEAGUE, False),
    ("reopen (button)", "resolved", MANAGER, False),
    ("reopen (form)", "resolved", REPORTER, True),
    ("reopen (form)", "resolved", COLLEAGUE, False),
    ("snooze (button)", "owned", OWNER, True),
    ("snooze (button)", "owned", REPORTER, False),
    ("snooze (button)", "owned", MANAGER, False),
    ("snooze (form)", "owned", OWNER, True),
    ("snooze (form)", "owned", COLLEAGUE, False),
    ("severity", "owned", OWNER, True),
    ("severity", "owned", REPORTER, True),
    ("severity", "owned", MANAGER, True),
    ("severity", "owned", GROUP_MANAGER, True),
    ("severity", "owned", COLLEAGUE, False),
    ("severity", "resolved", OWNER, "silent"),
    ("start a talk", "owned", OWNER, True),
    ("start a talk", "owned", REPORTER, True),
    ("start a talk", "owned", MANAGER, True),
    ("start a talk", "owned", COLLEAGUE, False),
    ("confirm satisfied", "resolved", REPORTER, True),
    ("confirm satisfied", "resolved", OWNER, False),
    ("confirm satisfied", "resolved", MANAGER, False),
    ("report", "unclaimed", MANAGER, True),
    ("report", "unclaimed", GROUP_MANAGER, True),
    ("report", "unclaimed", COLLEAGUE, False),
    ("report", "unclaimed", REPORTER, False),
    ("export", "unclaimed", MANAGER, True),
    ("export", "unclaimed", GROUP_MANAGER, True),
    ("export", "unclaimed", COLLEAGUE, False),
]


def snapshot(bot: Bot, number: int, who: str = "") -> dict[str, Any]:
    """What a refused step must leave as it was: the complaint and everything shown in Slack (but `who`'s DM)."""
    fake = bot.fake
    return {
        "complaint": bot.complaint(number).to_dict(),
        "posted": len([c for c in fake.calls_to("chat.postMessage") if c.args.get("channel") not in (who, f"D{who}")]),
        "updated": len(fake.calls_to("chat.update")),
        "modals": len(fake.calls_to("views.open")),
        "files": len(fake.files),
        "complaints": len(list(bot.store.all_complaints())),
    }


def private_notes(bot: Bot, user: str) -> list[str]:
    """What only this person saw: ephemeral messages, and (for a button in a DM) direct messages."""
    ephemeral = [e.get("text", "") for e in bot.fake.ephemerals if e.get("user") == user]
    return ephemeral + [m.get("text", "") for m in bot.fake.messages(user)]


@pytest.mark.parametrize(("step", "state", "who", "allowed"), TABLE, ids=[f"{s}|{st}|{w}|{a}" for s, st, w, a in TABLE])
def test_who_may_do_what(desk: Bot, step: str, state: str, who: str, allowed: bool | str) -> None:
    number = STATES[state](desk)
    before = snapshot(desk, number, who)
    notes_before = private_notes(desk, who)
    answer = STEPS[step].do(desk, number, who)
    assert answer.status == 200, answer.text
    desk.settle()
    if allowed is True:
        assert STEPS[step].done(desk, number, who), f"{who} could not {step}"
        return
    assert not STEPS[step].done(desk, number, who), f"{who} could {step}"
    assert snapshot(desk, number, who) == before, "a refused step changed something"
    new_notes = [note for note in private_notes(desk, who) if note not in notes_before]
    if allowed == "silent":
        assert new_notes == [] and answer.text in ("", "{}")
    elif STEPS[step].command:  # the command's private answer, at once or after the group was looked up
        shown = answer.text or " ".join(new_notes)
        assert "manager" in shown, shown
    else:
        assert len(new_notes) == 1 and new_notes[0], new_notes


def test_a_manager_group_is_looked_up_once_for_many_requests(desk: Bot) -> None:
    number = owned(desk)
    for severity in ("high", "low", "normal"):
        desk.slack.select(rendering.ACTION_SEVERITY, f"{number}:{severity}", GROUP_MANAGER)
        desk.settle()  # the first one waits for the lookup after its ack; the others are answered from the cache
    desk.slack.select(rendering.ACTION_SEVERITY, f"{number}:high", COLLEAGUE)
    desk.slack.command("report", user=GROUP_MANAGER)
    desk.slack.command("report", user=COLLEAGUE)
    desk.settle()
    assert desk.complaint(number).severity == "normal"
    calls = desk.fake.calls_to("usergroups.users.list")
    assert len(calls) == 1 and calls[0].args["usergroup"] == "S0LEADS"


def test_without_an_answer_from_slack_a_group_lets_nobody_in(desk: Bot) -> None:
    number = owned(desk)
    desk.fake.fail("usergroups.users.list", status=500, times=-1)
    desk.slack.select(rendering.ACTION_SEVERITY, f"{number}:high", GROUP_MANAGER)
    desk.settle()
    assert desk.complaint(number).severity == "normal"
    assert len(private_notes(desk, GROUP_MANAGER)) == 1
    desk.fake.heal()
    desk.slack.select(rendering.ACTION_SEVERITY, f"{number}:high", GROUP_MANAGER)
    desk.settle()
    assert desk.complaint(number).severity == "high"


def test_the_bots_own_reactions_and_messages_are_ignored(desk: Bot) -> None:
    number = unclaimed(desk)
    card_ts = desk.complaint(number).card_ts or ""
    before = snapshot(desk, number)
    desk.slack.reaction("CSUPPORT", card_ts, BOT, "raising_hand")
    desk.slack.reaction("CSUPPORT", card_ts, BOT, "white_check_mark")
    desk.slack.reply("CSUPPORT", card_ts, BOT, "a note from the bot itself")
    desk.settle()
    assert snapshot(desk, number) == before
    assert desk.fake.ephemerals == []
