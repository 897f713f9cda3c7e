"""Fast unit tests of pure core pieces: command words, safe text, catalog formatting."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.catalog import Catalog
from bot.mrkdwn import clean, cut, escape, one_line
from bot.services.commands import parse


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", ("form", "")),
        ("   ", ("form", "")),
        ("list", ("list", "")),
        ("LIST", ("list", "")),
        ("liste", ("list", "")),
        ("help", ("help", "")),
        ("hilfe", ("help", "")),
        ("übersicht", ("digest", "")),
        ("bericht", ("report", "")),
        ("customer Müller GmbH", ("customer", "Müller GmbH")),
        ("kunde Müller", ("customer", "Müller")),
        ("customer", ("help", "")),  # the word alone files nothing: it needs a name
        ("list of wrong parts", ("file", "list of wrong parts")),
        ("help me, the order is late", ("file", "help me, the order is late")),
        ("Müller got the wrong parts", ("file", "Müller got the wrong parts")),
    ],
)
def test_command_words(text: str, expected: tuple[str, str]) -> None:
    assert parse(text) == expected


def test_escape_keeps_mentions_and_defuses_broadcasts() -> None:
    escaped = escape("hi <!channel> <!here|here> <@U123ABC> & <!subteam^S1|@a> @everyone <b>bold</b>")
    assert "<!" not in escaped and "<b>" not in escaped
    assert "<@U123ABC>" in escaped
    assert "&amp;" in escaped and "&lt;!channel&gt;" in escaped
    assert "@everyone" not in escaped  # a zero-width space sits after the @


def test_clean_drops_control_characters_but_keeps_lines() -> None:
    assert clean("\x00 a\x07b\r\n\tc \x1b") == "ab\n\tc"
    assert one_line("  two\n lines ") == "two lines"


def test_cut_never_splits_an_entity_or_mention() -> None:
    text = escape("a" * 10 + "<") + "b" * 5
    assert cut(text, 13) == "a" * 10 + "…"
    assert cut("abc", 3) == "abc"
    assert len(cut("x" * 5000, 3000)) == 3000


def test_a_cut_never_ends_in_a_broadcast_word() -> None:
    typed = escape("call ×@HERE0000 now")  # no broadcast: the word goes on
    assert "@HERE0000" in typed
    assert cut(typed, len("call ×@HERE") + 1) == "call ×…"
    assert cut(typed, len("call ×@HERE"), marker="") == "call ×"


def test_catalog_formats_for_each_language() -> None:
    now = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
    en, de = Catalog("en", ZoneInfo("Europe/Berlin")), Catalog("de", ZoneInfo("Europe/Berlin"))
    assert en.ago(now - timedelta(hours=3), now) == "3 hours ago"
    assert de.ago(now - timedelta(hours=3), now) == "vor 3 Stunden"
    assert de.duration(timedelta(days=2)) == "2 Tage"
    assert de.when(now) == "25.11.2026, 13:00"
    assert de.number(1234.5) == "1.234,5"
    assert de.word("severity", "high") == "hoch" and de.word("severity", "custom") == "custom"
