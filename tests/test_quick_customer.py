"""The customer's name typed in quick filing: `/complaint Acme GmbH: …`, `Customer Acme: …`, `Kunde Müller: …`."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from bot.customers import KnownCustomers
from bot.model import Complaint
from bot.services.commands import parse, split_customer
from tests.harness import Bot


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("Acme GmbH: delivery damaged", ("Acme GmbH", "delivery damaged")),
        ("Customer Acme: parts missing", ("Acme", "parts missing")),
        ("customer Acme Ltd:parts missing", ("Acme Ltd", "parts missing")),
        ("Kunde Müller: Lieferung beschädigt", ("Müller", "Lieferung beschädigt")),
        ("Müller GmbH & Co. KG: Rechnung doppelt: prüfen", ("Müller GmbH & Co. KG", "Rechnung doppelt: prüfen")),
        ("Acme GmbH:", ("Acme GmbH", "")),
        ("A" * 60 + ": too long a name?", ("A" * 60, "too long a name?")),
        ("A" * 61 + ": too long a name", ("", "A" * 61 + ": too long a name")),
        ("12:30 the driver left the pallets outside", ("", "12:30 the driver left the pallets outside")),
        ("9.15 Uhr: Anruf vom Kunden", ("", "9.15 Uhr: Anruf vom Kunden")),
        ("Re: your delivery", ("", "Re: your delivery")),
        ("AW: Lieferung", ("", "AW: Lieferung")),
        ("WG: Lieferung", ("", "WG: Lieferung")),
        ("Fwd: broken", ("", "Fwd: broken")),
        ("FW: broken", ("", "FW: broken")),
        ("help: nobody answers", ("", "help: nobody answers")),
        ("8D: report missing", ("", "8D: report missing")),
        ("8d: report missing", ("", "8d: report missing")),
        ("8D report: missing for order 4711", ("", "8D report: missing for order 4711")),
        ("8D Bericht: fehlt", ("", "8D Bericht: fehlt")),
        ("HILFE: niemand antwortet", ("", "HILFE: niemand antwortet")),
        ("Liste der Teile: falsch", ("", "Liste der Teile: falsch")),
        ("8d 12:", ("", "8d 12:")),
        ("Customer Report Systems: late invoice", ("Report Systems", "late invoice")),
        ("Kunde: Müller ist sauer", ("", "Kunde: Müller ist sauer")),
        ("<@U123> says: it broke", ("", "<@U123> says: it broke")),
        ("see <https://acme.example/order|order>: wrong", ("", "see <https://acme.example/order|order>: wrong")),
        ("https://acme.example/o/1 is wrong", ("", "https://acme.example/o/1 is wrong")),
        ("@ana: the parts", ("", "@ana: the parts")),
        ("no colon here", ("", "no colon here")),
        ("4711: wrong parts", ("", "4711: wrong parts")),
        ("first line\nsecond: line", ("", "first line\nsecond: line")),
    ],
)
def test_what_stands_before_the_colon(typed: str, expected: tuple[str, str]) -> None:
    assert split_customer(typed) == expected


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("kunde Müller", ("customer", "Müller")),
        ("customer Acme GmbH", ("customer", "Acme GmbH")),
        ("Kunde Müller: Lieferung beschädigt", ("file", "Kunde Müller: Lieferung beschädigt")),
        ("Customer Acme: parts missing", ("file", "Customer Acme: parts missing")),
        ("kunde 12:30", ("customer", "12:30")),
        ("8D: report missing", ("file", "8D: report missing")),
        ("8d 12", ("eight_d", "12")),
        ("8D #12", ("eight_d", "#12")),
        ("8D report missing", ("file", "8D report missing")),
        ("8d", ("help", "")),
        ("Kunde", ("help", "")),
    ],
)
def test_a_lookup_has_no_colon(typed: str, expected: tuple[str, str]) -> None:
    assert parse(typed) == expected


def _complaint(number: int, customer: str, days_ago: int) -> Complaint:
    filed = datetime(2026, 5, 4, tzinfo=UTC) - timedelta(days=days_ago)
    return Complaint(number, "CSUPPORT", "UANA", "x", filed, "normal", customer=customer)


def test_known_customers_give_their_latest_spelling() -> None:
    history = [
        _complaint(1, "Müller GmbH", 30),
        _complaint(2, "MUELLER gmbh", 10),
        _complaint(3, "Acme Industries Ltd", 5),
        _complaint(4, "Schmidt Logistik", 4),
        _complaint(5, "Schmidt Bau", 3),
    ]
    reads: list[int] = []

    def complaints() -> list[Complaint]:
        reads.append(1)
        return history

    known = KnownCustomers(complaints)
    assert known.spelling("Müller") == "MUELLER gmbh"  # the same key; the latest spelling wins
    assert known.spelling("acme") == "Acme Industries Ltd"  # the one known name that begins with the word
    assert known.spelling("Acme Ind.") == "Acme Ind."  # words match whole, or not at all
    assert known.spelling("Schmidt") == "Schmidt"  # two known Schmidts: a new name stays as typed
    assert known.spelling("Acm") == "Acm"  # not a whole word
    assert known.spelling("Globex") == "Globex"
    known.learn(_complaint(6, "Müller GmbH", 0))
    known.learn(_complaint(7, "Globex Corp", 0))
    assert known.spelling("mueller") == "Müller GmbH" and known.spelling("GLOBEX") == "Globex Corp"
    assert reads == [1]  # the store is read once


def test_names_filed_elsewhere_are_read_again_once_the_known_ones_are_old() -> None:
    """Another replica files under its own store connection: its customers are read in the next reading."""
    history = [_complaint(1, "Müller GmbH", 3)]
    now = [0.0]
    known = KnownCustomers(lambda: list(history), max_age=600, clock=lambda: now[0])
    assert known.spelling("Globex") == "Globex"
    history.append(_complaint(2, "Globex Corporation Ltd", 1))  # filed on another replica
    now[0] = 599.0
    assert known.spelling("globex") == "globex"  # not read again yet
    now[0] = 601.0
    known.learn(_complaint(3, "Initech", 0))  # learnt here meanwhile, kept through the reading
    deadline = time.monotonic() + 5
    while known.spelling("globex") != "Globex Corporation Ltd":
        assert time.monotonic() < deadline, "the names were not read again"
        time.sleep(0.01)
    assert known.spelling("INITECH") == "Initech" and known.spelling("mueller") == "Müller GmbH"


def card_text(bot: Bot, number: int) -> str:
    return json.dumps(bot.card(number)["blocks"], ensure_ascii=False)


def test_quick_filing_names_the_customer(bot: Bot) -> None:
    answer = bot.slack.command("Acme GmbH: delivery damaged")
    assert answer.text.startswith("Filed as #1.")
    bot.wait(lambda: bot.complaint(1).card_ts is not None, "card")
    complaint = bot.complaint(1)
    assert (complaint.customer, complaint.summary) == ("Acme GmbH", "delivery damaged")
    assert "*Customer*\\nAcme GmbH" in card_text(bot, 1)

    bot.slack.command("Customer acme gmbh: second pallet damaged too")
    bot.wait(lambda: bot.store.get(2) is not None and bot.complaint(2).card_ts is not None, "card of #2")
    second = bot.complaint(2)
    assert (second.customer, second.summary) == ("Acme GmbH", "second pallet damaged too")
    assert "This customer has one earlier complaint, still open" in card_text(bot, 2)

    bot.slack.command("12:30 the driver left the pallets outside")
    bot.slack.command("Re: Acme delivery")
    bot.wait(lambda: bot.store.get(4) is not None, "#4")
    assert (bot.complaint(3).customer, bot.complaint(3).summary) == ("", "12:30 the driver left the pallets outside")
    assert (bot.complaint(4).customer, bot.complaint(4).summary) == ("", "Re: Acme delivery")


def test_a_name_and_nothing_else_opens_the_form_with_the_customer_filled_in(bot: Bot) -> None:
    assert bot.slack.command("Acme GmbH:").text == ""
    view = bot.fake.wait_for("views.open")[0].args["view"]
    customer = next(b for b in view["blocks"] if b.get("block_id") == "customer")
    assert customer["element"]["initial_value"] == "Acme GmbH"
    assert bot.store.get(1) is None


def test_the_lookup_and_the_filing_are_told_apart_in_german(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(language="de")
    answer = bot.slack.command("Kunde Müller GmbH: Lieferung beschädigt")
    assert answer.text.startswith("Als #1 erfasst.")
    bot.wait(lambda: bot.complaint(1).card_ts is not None, "card")
    assert (bot.complaint(1).customer, bot.complaint(1).summary) == ("Müller GmbH", "Lieferung beschädigt")

    lookup = bot.slack.command("kunde Mueller")
    assert lookup.status == 200 and "Reklamationen von Müller GmbH: 1, davon 1 offen" in lookup.json()["text"]
    assert bot.store.get(2) is None  # a lookup files nothing

    bot.slack.command("Kunde mueller: Rechnung doppelt")
    bot.wait(lambda: bot.store.get(2) is not None and bot.complaint(2).card_ts is not None, "card of #2")
    assert bot.complaint(2).customer == "Müller GmbH"
    assert "Von diesem Kunden gibt es schon eine Reklamation, sie ist noch offen" in card_text(bot, 2)
    help_text = bot.slack.command("hilfe").text
    assert "`/complaint <Kunde>: <Text>`" in help_text and "ohne Doppelpunkt" in help_text


@pytest.mark.parametrize(
    ("language", "filed", "lone"),
    [("en", "Filed as #", "How to use /complaint"), ("de", "Als #", "So funktioniert /complaint")],
)
def test_a_subcommand_word_is_never_taken_for_a_customer(
    make_bot: Callable[..., Bot], language: str, filed: str, lone: str
) -> None:
    """Whatever its case, a subcommand word before the colon is about the command: the whole text is the summary."""
    bot = make_bot(language=language)
    typed = ["8D: report missing", "8D Bericht: fehlt", "hilfe: niemand antwortet", "8D report missing"]
    for number, text in enumerate(typed, start=1):
        assert bot.slack.command(text).text.startswith(f"{filed}{number}")
        assert (bot.complaint(number).customer, bot.complaint(number).summary) == ("", text)
    assert "(Rev. 1)" in bot.slack.command("8d 1").text  # a bare number after 8d makes the report
    for text in ("8d", "8D", "Kunde", "customer"):  # the word alone: how to use it, and nothing filed
        assert lone in bot.slack.command(text).text
    bot.settle()
    assert bot.store.get(len(typed) + 1) is None
