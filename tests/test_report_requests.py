"""`/complaint report` and `/complaint export` store only the request; the outbox makes the messages later.

The figures, the chart and the CSV cost hundreds of milliseconds over a long history, far more than an ack
may take, so the command queues a "prepare" effect and the messages are made when the outbox reaches it.
"""

from __future__ import annotations

import base64
import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from bot.config import parse_config
from bot.model import Effect
from bot.services.bundle import Services, build_services
from bot.services.lifecycle import Draft
from bot.store.postgres import PostgresStore
from bot.store.tinydb_store import TinyDBStore
from tests.pg import fresh_schema

NOW = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)


@pytest.fixture(params=["tinydb", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    """Both backends: the request, and what it makes, are ordinary outbox entries on each."""
    if request.param == "tinydb":
        yield TinyDBStore(tmp_path / "complaints.json", lambda: NOW)
        return
    with fresh_schema() as url:
        store = PostgresStore(url, lambda: NOW)
        yield store
        store.close()


def services_on(store: Any, management: str = "CMGMT") -> Services:
    channels = {"management": management} if management else {}
    config = parse_config({"channels": channels, "managers": ["UBOSS"]}, {})
    services = build_services(config, store, lambda: NOW)
    for summary in ("Wrong parts delivered", "Invoice twice"):
        assert services.lifecycle.file(Draft(channel="CSUPPORT", reporter="UANA", summary=summary)).ok
    return services


def queued_after(store: Any, known: set[str]) -> list[Effect]:
    """Effects queued since `known` was taken, in queue order."""
    return [effect for effect in store.pending_effects() if effect.id not in known]


def ids(store: Any) -> set[str]:
    return {effect.id for effect in store.pending_effects()}


def test_report_queues_the_request_and_the_outbox_makes_message_and_chart(store: Any) -> None:
    services = services_on(store)
    before = ids(store)
    reply = services.commands.run("CMGMT", "UBOSS", "report")
    assert reply.text == "The report is in <#CMGMT>."
    [request] = queued_after(store, before)
    assert (request.kind, request.lane, request.data["what"]) == ("prepare", "CMGMT", "report")
    assert "content" not in request.data, "the chart was drawn before the acknowledgement"

    before = ids(store) - {request.id}
    assert services.reports.prepare(request) is True  # it removed itself
    made = queued_after(store, before)
    assert [(e.kind, e.lane) for e in made] == [("post", "CMGMT"), ("upload", "CMGMT")]
    assert made[0].text.startswith("Complaints report")
    assert base64.b64decode(made[1].data["content"]).startswith(b"\x89PNG")
    assert request.id not in ids(store)

    services.reports.prepare(request)  # looked at again (a retry, another leader): nothing more
    assert queued_after(store, before) == made


def test_report_without_a_management_channel_is_made_for_the_manager(store: Any) -> None:
    services = services_on(store, management="")
    before = ids(store)
    assert "direct message" in services.commands.run("CSUPPORT", "UBOSS", "report").text
    [request] = queued_after(store, before)
    services.reports.prepare(request)
    assert [(e.kind, e.lane) for e in queued_after(store, before)] == [("post", "UBOSS"), ("upload", "UBOSS")]


def test_export_queues_the_request_and_the_outbox_makes_the_csv(store: Any) -> None:
    services = services_on(store)
    before = ids(store)
    assert services.commands.run("CSUPPORT", "UBOSS", "export").text == (
        "I am sending you every complaint as a CSV file in a direct message."
    )
    [request] = queued_after(store, before)
    assert (request.kind, request.lane, request.data["what"]) == ("prepare", "UBOSS", "export")

    before = ids(store) - {request.id}
    services.reports.prepare(request)
    [file] = queued_after(store, before)
    assert (file.kind, file.lane, file.data["filename"]) == ("upload", "UBOSS", "complaints-2026-11-25.csv")
    assert file.data["comment"].startswith("All 2 complaints")
    rows = list(csv.reader(io.StringIO(base64.b64decode(file.data["content"]).decode("utf-8-sig"))))
    assert [row[0] for row in rows[1:]] == ["1", "2"]


def test_only_managers_can_ask_and_then_nothing_is_queued(store: Any) -> None:
    services = services_on(store)
    before = ids(store)
    for word in ("report", "export"):
        assert "managers" in services.commands.run("CSUPPORT", "UANA", word).text
    assert queued_after(store, before) == []


@pytest.mark.parametrize("words", ["report", "export", "digest", "8d 1"])
def test_the_same_command_twice_queues_once_and_another_command_again(store: Any, words: str) -> None:
    services = services_on(store)
    before = ids(store)
    first = services.commands.run("CSUPPORT", "UBOSS", words, key="111.222.first")
    [request] = queued_after(store, before)
    again = services.commands.run("CSUPPORT", "UBOSS", words, key="111.222.first")  # delivered again
    assert queued_after(store, before) == [request]
    assert again == first
    services.commands.run("CSUPPORT", "UBOSS", words, key="111.222.second")  # run again by the person
    assert len(queued_after(store, before)) == 2
