"""A step that cannot be stored is never acknowledged silently: Slack is asked to send an event again, and the
person hears privately when it gives up; a command, a button or a form is acknowledged and says so at once (Slack
would not send it again: never over HTTP, over Socket Mode only without an ack; tests/test_socket_mode.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest

from bot import rendering
from bot.store import files
from tests.harness import Bot
from tests.test_store_contract import new_complaint


def disk_full(fd: int, parts: object) -> None:
    raise OSError(28, "No space left on device")


@pytest.fixture
def full_disk(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[bool], None]]:
    """Fill (True) or free (False) the disk under the bot's store: every write of a file or its journal fails."""
    real = files.write_all

    def set_full(full: bool) -> None:
        monkeypatch.setattr(files, "write_all", disk_full if full else real)

    yield set_full
    monkeypatch.setattr(files, "write_all", real)


def not_saved_notes(bot: Bot, user: str) -> list[str]:
    """What `user` was told privately about a step that was not saved."""
    notes = [e["text"] for e in bot.fake.ephemerals if e["user"] == user]
    return [note for note in notes if "could not be saved" in note]


def test_a_reaction_that_cannot_be_stored_is_sent_again_and_the_person_hears_after_the_last_try(
    bot: Bot, full_disk: Callable[[bool], None], caplog: pytest.LogCaptureFixture
) -> None:
    number = bot.file()
    bot.settle()
    full_disk(True)
    for retry in (None, 1, 2):
        answer = bot.react(number, "UBEN", event_id="Ev-claim", retry_num=retry)
        assert answer.status >= 500, (retry, answer.status)  # Slack sends it again
    assert bot.complaint(number).owner is None
    assert not_saved_notes(bot, "UBEN") == []  # not yet: Slack has more tries
    last = bot.react(number, "UBEN", event_id="Ev-claim", retry_num=3)
    assert last.status >= 500
    bot.wait(lambda: len(not_saved_notes(bot, "UBEN")) == 1, "the private note after the last redelivery")
    assert any(f"#{number}" in r.getMessage() and r.levelname == "ERROR" for r in caplog.records)
    full_disk(False)
    bot.settle()
    assert bot.complaint(number).owner is None


def test_a_reaction_stored_on_a_redelivery_is_acted_on_once(bot: Bot, full_disk: Callable[[bool], None]) -> None:
    number = bot.file()
    bot.settle()
    full_disk(True)
    assert bot.react(number, "UBEN", event_id="Ev-claim").status >= 500
    full_disk(False)
    bot.wait(lambda: bot.react(number, "UBEN", event_id="Ev-claim", retry_num=1).status == 200, "the store back")
    assert bot.complaint(number).owner == "UBEN"
    assert not_saved_notes(bot, "UBEN") == []


def test_a_button_that_cannot_be_stored_says_so_at_once(bot: Bot, full_disk: Callable[[bool], None]) -> None:
    number = bot.file()
    bot.settle()
    full_disk(True)
    bot.slack.select(rendering.ACTION_SEVERITY, f"{number}:high", "UANA")
    bot.wait(lambda: len(not_saved_notes(bot, "UANA")) == 1, "the private note about the button")
    full_disk(False)
    assert bot.complaint(number).severity == "normal"


def test_a_form_that_cannot_be_stored_stays_open_and_says_so(bot: Bot, full_disk: Callable[[bool], None]) -> None:
    number = bot.file()
    assert bot.react(number, "UBEN").status == 200
    bot.settle()
    full_disk(True)
    answer = bot.slack.submit(
        rendering.VIEW_RESOLVE, {"resolution": {"value": "replacement parts sent"}}, "UBEN", str(number)
    )
    assert answer.status == 200
    errors = answer.json()["errors"]
    assert "could not be saved" in errors["resolution"]
    full_disk(False)
    assert bot.complaint(number).status.value != "resolved"


def test_a_command_that_cannot_be_stored_says_so(bot: Bot, full_disk: Callable[[bool], None]) -> None:
    full_disk(True)
    answer = bot.slack.command("Müller GmbH got the wrong parts")
    assert answer.status == 200 and "could not be saved" in answer.text


def test_reactions_arriving_together_while_the_disk_is_full_are_all_sent_again(
    bot: Bot, full_disk: Callable[[bool], None]
) -> None:
    """While the store reloads its files after a failed write, a card is still known as a card: no reaction is
    taken for one on some other message and acknowledged."""
    number = bot.file()
    with bot.store.transaction() as tx:  # a history, so that reading the files again takes a moment
        for _ in range(3000):
            tx.save(new_complaint(tx.next_number()))
    bot.settle()
    card = bot.complaint(number)
    full_disk(True)

    def react(k: int) -> int:
        return bot.slack.reaction(
            card.channel, card.card_ts or "", f"U{k:03d}", "raising_hand", event_id=f"Ev-{k}"
        ).status

    with ThreadPoolExecutor(max_workers=8) as pool:
        answers = list(pool.map(react, range(24)))
    assert all(status >= 500 for status in answers), answers
    full_disk(False)
