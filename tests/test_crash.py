"""kill -9 in the middle of a storm of filings: nothing acknowledged is lost, no number is used twice."""

from __future__ import annotations

import http.client
import threading
from datetime import UTC, datetime
from pathlib import Path

from bot.store.tinydb_store import TinyDBStore
from sandbox.fake_slack import FakeSlack
from sandbox.sender import SlackSender
from tests.robustness import BotProcess, card_numbers, number_of, wait_until, write_config

CLIENTS = 6


def storm(port: int, acked: list[int], stop: threading.Event, client: int) -> None:
    """One person filing complaints as fast as the bot answers, until the bot is gone."""
    sender = SlackSender(port)
    count = 0
    while not stop.is_set():
        count += 1
        try:
            answer = sender.command(f"client {client} complaint {count}", user=f"U{client:03d}X")
        except (OSError, http.client.HTTPException):
            return  # the bot was killed: this one was never acknowledged
        if answer.status == 200 and answer.text.startswith("Filed as #"):
            acked.append(number_of(answer.text))


def stored_numbers(data: Path) -> list[int]:
    """The complaint numbers in the data files (the file and its journal), as the next start will read them."""
    store = TinyDBStore(data, lambda: datetime.now(UTC))
    try:
        return sorted(complaint.number for complaint in store.all_complaints())
    finally:
        store.close()


def test_kill_9_during_a_storm_loses_nothing_acknowledged(fake: FakeSlack, tmp_path: Path) -> None:
    config = write_config(tmp_path)
    first = BotProcess(fake, config).start()
    first.wait_ready()
    acked: list[int] = []
    stop = threading.Event()
    clients = [threading.Thread(target=storm, args=(first.port, acked, stop, i), daemon=True) for i in range(CLIENTS)]
    for client in clients:
        client.start()
    wait_until(lambda: len(acked) >= 40, "40 acknowledged filings", timeout=30)
    first.kill()
    stop.set()
    for client in clients:
        client.join(timeout=10)
    acknowledged = sorted(acked)
    assert len(acknowledged) == len(set(acknowledged)), "a number was acknowledged twice"

    data = tmp_path / "data" / "complaints.json"
    stored = stored_numbers(data)
    assert set(acknowledged) <= set(stored), "an acknowledged complaint is missing"
    assert stored == list(range(1, len(stored) + 1)), "numbers have a gap or a repeat"

    second = BotProcess(fake, config).start()
    try:
        second.wait_ready()
        wait_until(lambda: set(card_numbers(fake)) == set(stored), "every stored complaint's card", timeout=30)
        wait_until(lambda: second.outbox_depth() == 0, "the outbox to drain")
        assert sorted(card_numbers(fake)) == stored, "a card was posted twice"
        answer = second.slack.command("the first complaint after the crash")
        assert answer.status == 200 and number_of(answer.text) == len(stored) + 1
        wait_until(lambda: len(card_numbers(fake)) == len(stored) + 1, "its card")
        numbers = card_numbers(fake)
        assert len(numbers) == len(set(numbers)), "a card was posted twice"
    finally:
        assert second.stop() == 0
    assert "Traceback" not in second.output(), second.output()
