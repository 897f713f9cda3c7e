"""The 8D on its own: its data stored with the complaint, its rules, its form and its report read back."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pypdf
import pytest

from bot.business_hours import make_opening_hours
from bot.catalog import Catalog
from bot.config import ConfigError, parse_config
from bot.eightd.pdf import render_pdf
from bot.eightd.record import EightD
from bot.eightd.rules import CONTAIN_OVERDUE, CONTAIN_SOON, EightDRules
from bot.model import Complaint, Status
from bot.rendering import Renderer
from bot.rendering.eightd import FORM_FIELDS, EightDRenderer, form_metadata, parse_metadata
from bot.store.postgres import PostgresStore
from bot.store.tinydb_store import TinyDBStore
from sandbox.fake_slack import view_problems
from tests.pg import fresh_schema

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # a Thursday
SPECIAL = "„Werk Süd“ – 3 € Nachlass, Maß, Łódź, Dvořák"
NAMES = {"UBEN": "Ben Weber", "UANA": "Ana Łukasiewicz", "UCARL": "Carl Dvořák"}


def name(user: str) -> str:
    return NAMES.get(user, user)


def complaint(**values: Any) -> Complaint:
    base: dict[str, Any] = {
        "number": 12,
        "channel": "CSUPPORT",
        "reporter": "UANA",
        "summary": f"Wrong bore diameter {SPECIAL}",
        "filed_at": NOW - timedelta(days=3),
        "severity": "high",
        "customer": "Müller GmbH",
    }
    return Complaint(**{**base, **values})


def worked(c: Complaint) -> Complaint:
    """Every discipline filled, resolved and confirmed."""
    e = c.eight_d
    e.team = ["UBEN", "UCARL"]
    e.claim_number, e.part_number, e.batch, e.quantity = "RK-2026-0815", "4711-A", "L-2211", "120 pcs of 2,000"
    e.containment = f"Stock blocked and sorted {SPECIAL}"
    e.contained_at = c.filed_at + timedelta(hours=5)
    e.occurrence = "Worn drill after 40,000 cycles"
    e.escape = "Gauge check only every 500 parts"
    e.corrective, e.corrective_date = "Tool life limited to 30,000 cycles", date(2026, 12, 10)
    e.verification = "3 batches measured, Cpk 1.67"
    e.preventive = "FMEA and control plan updated for all bores"
    c.owner, c.status, c.first_claimed_at = "UBEN", Status.RESOLVED, c.filed_at + timedelta(minutes=20)
    c.resolved_at, c.resolution, c.confirmed = NOW - timedelta(hours=2), "Replacement parts delivered", True
    c.record("resolved", NOW - timedelta(hours=2), "UBEN", c.resolution)
    c.record("confirmed", NOW - timedelta(hours=1), "UANA")
    return c


# The data, stored with the complaint.


@pytest.fixture(params=["tinydb", "postgresql"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Any]:
    if request.param == "tinydb":
        yield TinyDBStore(tmp_path / "complaints.json", lambda: NOW)
        return
    with fresh_schema() as url:
        opened = PostgresStore(url, lambda: NOW)
        yield opened
        opened.close()


def test_the_8d_is_stored_with_its_complaint_in_both_backends(store: Any) -> None:
    with store.transaction() as tx:
        c = complaint(number=tx.next_number())
        worked(c)
        c.attachments = [{"id": "F1", "name": "photo.jpg"}]
        c.eight_d.revisions, c.eight_d.containment_reminded = 2, True
        tx.save(c)
    stored = store.get(c.number)
    assert stored.eight_d == c.eight_d
    assert stored.attachments == [{"id": "F1", "name": "photo.jpg"}]
    assert stored.eight_d.corrective_date == date(2026, 12, 10)


def test_complaints_stored_before_the_8d_read_as_not_started() -> None:
    raw = complaint().to_dict()
    del raw["eight_d"], raw["attachments"]
    raw["eight_d_future_key"] = 1
    read = Complaint.from_dict(raw)
    assert read.eight_d == EightD() and not read.eight_d.started and read.attachments == []
    assert EightD.from_dict({"containment": "x", "newer": True}).containment == "x"


def test_a_discipline_is_filled_when_all_of_its_texts_are() -> None:
    e = EightD(containment="blocked", occurrence="worn tool")
    assert e.missing() == ["D4", "D5", "D6", "D7"]
    assert e.interim, "without the escape root cause D4 is not done"
    e.escape = "no gauge"
    assert not e.interim and e.missing(("D3", "D4", "D5")) == ["D5"]
    e.corrective, e.verification, e.preventive = "new tool", "measured", "FMEA"
    assert e.complete
    e.preventive = "   "
    assert not e.complete


# The rules.


def rules(**values: Any) -> EightDRules:
    hours = make_opening_hours(
        "Europe/Berlin", {"days": frozenset(range(5)), "start": time(8), "end": time(18), "holidays": frozenset()}
    )
    return EightDRules(values.get("required_for", ("high",)), values.get("within", timedelta(hours=24)), hours)


def test_only_required_severities_need_d3_to_d5_before_resolving() -> None:
    r = rules()
    high = complaint()
    assert r.missing_for_resolve(high) == ["D3", "D4", "D5"]
    high.eight_d.containment, high.eight_d.occurrence = "blocked", "worn tool"
    assert r.missing_for_resolve(high) == ["D4", "D5"]
    assert r.missing_for_resolve(complaint(severity="normal")) == []


def test_containment_is_due_after_open_hours_and_reminded_at_three_quarters() -> None:
    # Filed Friday 17:00 in Berlin: 1 open hour on Friday, 10 on Monday, 10 on Tuesday, 3 on Wednesday.
    filed = datetime(2026, 12, 4, 16, 0, tzinfo=UTC)
    c = complaint(filed_at=filed)
    r = rules()
    assert r.containment_deadline(c) == datetime(2026, 12, 9, 10, 0, tzinfo=UTC)  # Wednesday 11:00 Berlin
    plan = dict(r.containment_plan(c))
    assert plan[CONTAIN_SOON] == datetime(2026, 12, 8, 14, 0, tzinfo=UTC)  # 18 open hours: Tuesday 15:00
    assert plan[CONTAIN_OVERDUE] == r.containment_deadline(c)
    c.eight_d.containment_reminded = True
    assert [a for a, _ in r.containment_plan(c)] == [CONTAIN_OVERDUE]
    c.eight_d.containment_escalated = True
    assert r.containment_plan(c) == []


def test_no_containment_timer_once_contained_resolved_or_not_required() -> None:
    r = rules()
    contained = complaint()
    contained.eight_d.contained_at = NOW
    resolved = complaint(status=Status.RESOLVED)
    assert r.containment_plan(contained) == r.containment_plan(resolved) == []
    assert r.containment_plan(complaint(severity="low")) == []


def test_containment_in_time_and_past_its_deadline() -> None:
    r = rules(within=timedelta(hours=4))
    c = complaint(filed_at=datetime(2026, 12, 7, 8, 0, tzinfo=UTC))  # Monday 09:00 Berlin: due 13:00
    assert r.contained_in_time(c) is None
    assert not r.past_containment(c, datetime(2026, 12, 7, 11, 59, tzinfo=UTC))
    assert r.past_containment(c, datetime(2026, 12, 7, 12, 0, tzinfo=UTC))
    c.eight_d.contained_at = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
    assert r.contained_in_time(c) is True and not r.past_containment(c, NOW)
    c.eight_d.contained_at = datetime(2026, 12, 7, 12, 1, tzinfo=UTC)
    assert r.contained_in_time(c) is False
    assert r.time_to_containment(c) == timedelta(hours=4, minutes=1)
    c.eight_d.contained_at = c.filed_at - timedelta(hours=2)  # contained before it was filed here
    assert r.time_to_containment(c) == timedelta(0)


# The form and the card's lines.


def renderer(language: str = "en") -> EightDRenderer:
    config = parse_config({"language": language, "timezone": "Europe/Berlin"}, {})
    return EightDRenderer(Renderer(Catalog(language, config.tz), config))


@pytest.mark.parametrize("language", ["en", "de"])
def test_the_form_is_a_modal_slack_accepts_even_when_full(language: str) -> None:
    c = worked(complaint())
    c.eight_d.containment = "x" * 3000
    view = renderer(language).form(c, ["UBEN", "UANA"])
    assert view_problems(view) == []
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert all(label.startswith(("D1", "D2", "D3", "D4", "D5", "D6", "D7")) for label in labels)
    assert ("D3 Eindämmung / Sofortmaßnahmen" if language == "de" else "D3 Containment actions") in labels
    number, shown = parse_metadata(view["private_metadata"])
    assert number == 12 and set(shown) == set(FORM_FIELDS)


def test_the_form_shows_what_is_stored_and_suggests_the_team() -> None:
    c = worked(complaint())
    blocks = {b.get("block_id"): b for b in renderer().form(c, ["UBEN", "UANA"])["blocks"]}
    assert blocks["team"]["element"]["initial_users"] == ["UBEN", "UANA"]
    assert blocks["occurrence"]["element"]["initial_value"] == "Worn drill after 40,000 cycles"
    contained_at = c.eight_d.contained_at
    assert contained_at is not None
    assert blocks["contained_at"]["element"]["initial_date_time"] == int(contained_at.timestamp())
    assert blocks["corrective_date"]["element"]["initial_date"] == "2026-12-10"
    empty = {b.get("block_id"): b for b in renderer().form(complaint(), [])["blocks"]}
    assert "initial_value" not in empty["occurrence"]["element"] and "initial_users" not in empty["team"]["element"]


def test_metadata_that_is_not_ours_gives_no_fingerprints() -> None:
    assert parse_metadata("12") == (12, {})
    assert parse_metadata("x:1.2") == (0, {})
    assert parse_metadata(form_metadata(7, EightD()))[0] == 7


@pytest.mark.parametrize(
    ("language", "progress", "missing"),
    [
        ("en", "8D: D3 ✓ D4 – D5 – D6 – D7 –", "8D required: D4, D5 missing"),
        ("de", "8D: D3 ✓ D4 – D5 – D6 – D7 –", "8D erforderlich: D4, D5 fehlen"),
    ],
)
def test_the_card_shows_progress_and_what_a_resolve_needs(language: str, progress: str, missing: str) -> None:
    config = parse_config({"language": language, "timezone": "Europe/Berlin"}, {})
    render = Renderer(Catalog(language, config.tz), config, eight_d=rules())
    c = complaint()
    c.eight_d.containment = "blocked"
    _, blocks = render.card(c)
    assert {"type": "context", "elements": [{"type": "mrkdwn", "text": f"{progress}  ·  {missing}"}]} in blocks
    _, low = render.card(complaint(severity="low"))
    assert not any("8D:" in str(block) for block in low), "no 8D line before anyone started one"
    buttons = [e.get("action_id") for b in blocks if b["type"] == "actions" for e in b["elements"]]
    assert "complaint_eight_d" in buttons


# The report, read back.


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(content)).pages)


def report(c: Complaint, language: str = "en", revision: int = 2) -> str:
    r = renderer(language)
    deadline = c.filed_at + timedelta(hours=24)
    content = r.report(c, revision, NOW, "Muster Metallbau GmbH", name, deadline)
    data = render_pdf(content)
    assert data.startswith(b"%PDF-")
    return " ".join(pdf_text(data).split())


def test_the_full_report_holds_every_discipline_and_prints_special_characters() -> None:
    c = worked(complaint())
    c.attachments = [{"id": "F1", "name": "photo.jpg"}, {"id": "F2", "name": "delivery note.pdf"}]
    text = report(c)
    for expected in (
        "Muster Metallbau GmbH",
        "8D report",
        "Complaint #12 · Rev. 2 · issued 3 December 2026",
        "Müller GmbH",
        "RK-2026-0815",
        "Ben Weber, Carl Dvořák",
        "Wrong bore diameter „Werk Süd“ – 3 € Nachlass, Maß, Łódź, Dvořák",
        "4711-A",
        "L-2211",
        "120 pcs of 2,000",
        "Attachments 2",
        "Stock blocked and sorted „Werk Süd“ – 3 € Nachlass, Maß, Łódź, Dvořák",
        "Worn drill after 40,000 cycles",
        "Gauge check only every 500 parts",
        "Tool life limited to 30,000 cycles",
        "10 December 2026",
        "Cpk 1.67",
        "FMEA and control plan updated",
        "Replacement parts delivered",
        "Closed by Ben Weber",
        "yes, confirmed by Ana Łukasiewicz",
        "(target: 1 Dec 2026, 11:00, met)",
        "page 1 of 2",
    ):
        assert expected in text, expected
    for heading in ("D1 Team", "D2 Problem description", "D3 Containment actions", "D4 Root cause"):
        assert heading in text
    for heading in ("D5 Corrective actions", "D6 Verification of effectiveness", "D7 Preventive actions"):
        assert heading in text
    assert "D8 Closure" in text


def test_before_the_root_cause_the_report_is_an_interim_one() -> None:
    c = complaint(owner="UBEN", status=Status.OWNED)
    c.eight_d.containment = "Stock blocked"
    text = report(c, revision=1)
    assert "8D report – interim (D1–D3)" in text and "Rev. 1" in text
    assert "Stock blocked" in text and "The full 8D report with root cause" in text
    assert "D4" not in text and "D8" not in text
    assert "Contained not yet (target:" in text


@pytest.mark.parametrize(
    ("language", "status", "internal"),
    [("en", "Status open", "unclaimed"), ("de", "Status offen", "nicht übernommen")],
)
def test_the_report_gives_the_status_in_the_customers_words(language: str, status: str, internal: str) -> None:
    """The report goes to the customer: an interim one made before anyone took the complaint on says it is open,
    not that nobody has claimed it."""
    c = complaint()
    c.eight_d.containment = "Stock blocked"
    text = report(c, language, revision=1)
    assert status in text and internal not in text


def test_the_german_report() -> None:
    c = worked(complaint())
    c.confirmed = None
    text = report(c, "de")
    for expected in (
        "8D-Bericht",
        "Reklamation #12 · Rev. 2 · erstellt am 3. Dezember 2026",
        "D3 Eindämmung / Sofortmaßnahmen",
        "Warum wurde es nicht entdeckt (Nichterkennung)?",
        "D5 Abstellmaßnahmen",
        "D6 Wirksamkeitsprüfung",
        "D7 Vorbeugende Maßnahmen",
        "D8 Abschluss",
        "Kunde zufrieden noch nicht bestätigt",
        "Seite 1 von 2",
        "„Werk Süd“ – 3 € Nachlass, Maß, Łódź, Dvořák",
    ):
        assert expected in text, expected


def test_typed_mentions_become_names_and_control_characters_do_not_break_the_file() -> None:
    c = complaint()
    c.eight_d.containment = "Sorted by <@UCARL> \x07 on line 2\r\nand\tthen checked " + "x" * 5000
    text = report(c)
    assert "Sorted by @Carl Dvořák on line 2" in text and "<@" not in text


# The configuration.


def test_the_8d_config_defaults_and_values() -> None:
    default = parse_config(None, {}).eight_d
    assert (default.company_name, default.required_for, default.containment_within) == ("", (), timedelta(hours=24))
    config = parse_config(
        {"eight_d": {"company_name": " Muster Metallbau GmbH ", "required_for": ["high", "high", "normal"]}}, {}
    ).eight_d
    assert config.company_name == "Muster Metallbau GmbH" and config.required_for == ("high", "normal")
    within = parse_config({"eight_d": {"containment_within": "1d12h"}}, {}).eight_d.containment_within
    assert within == timedelta(hours=36)


@pytest.mark.parametrize(
    ("section", "key", "reason"),
    [
        ({"required_for": ["urgent"]}, "eight_d.required_for", "unknown severity 'urgent'"),
        ({"required_for": "high"}, "eight_d.required_for", "expected a list like [high]"),
        ({"containment_within": "24 hours"}, "eight_d.containment_within", "is not a duration"),
        ({"company": "x"}, "eight_d.company", "did you mean 'company_name'?"),
        ({"company_name": "x" * 201}, "eight_d.company_name", "at most 200 characters"),
    ],
)
def test_a_bad_8d_config_names_its_key(section: dict[str, Any], key: str, reason: str) -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config({"eight_d": section}, {})
    assert caught.value.key == key and reason in caught.value.reason
