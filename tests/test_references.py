"""A complaint named in a message (`#12` and its summary, linked to the card) reads right in both languages,
whatever the summary ends with: the reference ends its line (or a list row before " · "), so a summary ending
in a full stop or an ellipsis never gets a second one, and no sentence goes on after it (in German the verb
would otherwise follow the whole summary)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from bot.catalog import CATALOGS
from bot.config import parse_config
from bot.rendering.attachments import AttachmentsRenderer
from bot.rendering.capture import CaptureRenderer
from bot.rendering.reporter import ReporterRenderer
from bot.rendering.talk import TalkRenderer
from bot.services.bundle import Services, build_services
from bot.services.lifecycle import Draft
from bot.store.tinydb_store import TinyDBStore

START = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
STEM = "Flanges delivered with the wrong bore"
LONG_FILLER = " " + "x" * (78 - len(STEM) - 1)  # a title cut at 80 characters would end right after its stop
# What people type, and the tails that may follow the stem wherever the summary is shown (whole, or cut).
SUMMARIES = {
    "full stop": (f"{STEM}.", ["."]),
    "ellipsis": (f"{STEM}…", ["…"]),
    "cut after a full stop": (
        f"{STEM}{LONG_FILLER}. And then some more words.",
        [f"{LONG_FILLER}…", f"{LONG_FILLER}. And then some more words."],
    ),
}
# Messages whose `{ref}` is only the number (`#12`), never the summary.
NUMBER_ONLY = {"capture.reply", "capture.private"}
DOUBLED = re.compile(r"[.…][.…]")
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def referencing_keys() -> set[str]:
    """Every catalog message that shows a complaint's summary: by reference (`{link}` or `{ref}`) or as is."""
    found = set()
    for key, text in CATALOGS["en"].items():
        names = set(PLACEHOLDER.findall(text.replace("<{link}|", "")))
        if {"link", "ref", "summary"} & names and key not in NUMBER_ONLY:
            found.add(key)
    return found


def shape(template: str) -> re.Pattern[str]:
    """A pattern that finds a message made from this template, whatever filled its placeholders."""
    parts = PLACEHOLDER.split(template)[::2]
    return re.compile(".+?".join(re.escape(part) for part in parts), re.S)


def texts_in(value: Any) -> Iterator[str]:
    """Every text in an answer, an effect's text or Block Kit, at any depth."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, inner in value.items():
            if key == "text" or not isinstance(inner, str):
                yield from texts_in(inner)
    elif isinstance(value, list | tuple):
        for inner in value:
            yield from texts_in(inner)


def everything_shown(tmp_path: Path, language: str, summary: str) -> list[str]:
    """Every message that names a complaint, made by the services and renderers the bot uses."""
    clock = [START]
    timers = {
        "remind_unclaimed": "1d",
        "escalate_unclaimed": "4d",
        "ask_update": "2d",
        "escalate_quiet": "3d",
        "resolve_within": "6d",
    }
    config = parse_config(
        {
            "language": language,
            "channels": {"management": "CMGMT"},
            "managers": ["UBOSS"],
            "severities": {"normal": timers, "high": timers},
            "eight_d": {"required_for": ["high"], "containment_within": "2d"},
        },
        {},
    )
    store = TinyDBStore(tmp_path / language / "complaints.json", lambda: clock[0])
    svc = build_services(config, store, lambda: clock[0])
    shown: list[str] = []

    def file(severity: str = "normal") -> int:
        draft = Draft(channel="CSUPPORT", reporter="UANA", summary=summary, customer="Acme Ltd", severity=severity)
        outcome = svc.lifecycle.file(draft)
        assert outcome.ok and outcome.complaint is not None
        number = outcome.complaint.number
        with store.transaction() as tx:  # its card was posted
            complaint = tx.get(number)
            assert complaint is not None
            complaint.card_ts = f"1700000000.{number:06d}"
            tx.save(complaint)
        return number

    def card(number: int) -> None:
        shown.extend(texts_in(svc.render.card(svc.deps.store.get(number) or pytest.fail(f"#{number}"))))

    first, second = file(), file()
    card(second)  # one earlier complaint, still open
    svc.lifecycle.claim("CSUPPORT", f"1700000000.{first:06d}", "UBEN", "Ev1")
    svc.lifecycle.propose_handover(first, "UBEN", "UCAY")
    svc.lifecycle.resolve(first, "UBEN", "Sent new flanges")
    card(second)  # one earlier complaint, resolved
    watched, waiting = file("high"), file()
    card(waiting)  # several earlier complaints
    clock[0] += timedelta(hours=1)
    digests(svc)  # while the resolved one is news and all were filed in the period
    svc.lifecycle.claim("CSUPPORT", f"1700000000.{watched:06d}", "UBEN", "Ev2")
    for _ in range(4 * 8):  # eight days: reminders, the owner's deadlines, containment, escalations
        clock[0] += timedelta(hours=6)
        for number in (watched, waiting):
            svc.followups.run_due(number)
    shown.extend(text for effect in store.pending_effects() for text in texts_in([effect.text, effect.blocks]))

    # What is rendered when it is delivered or asked for.
    now = clock[0]
    reporter = ReporterRenderer(svc.render)
    for number in (first, watched, waiting):
        complaint = store.get(number)
        assert complaint is not None
        shown.append(reporter.now(complaint))
        shown.append(reporter.escalated(complaint, "something else", "2d"))
        shown.append(reporter.report_ready(complaint, "8D", 1))
        shown.extend(texts_in(CaptureRenderer(svc.render).filed_before(complaint, "")))
        shown.append(CaptureRenderer(svc.render).announcement(complaint))
        shown.append(AttachmentsRenderer(svc.render).problems(complaint, [("plan.pdf", 0, "refused")]))
        shown.extend(texts_in(TalkRenderer(svc.render).intro(complaint, "UBEN", ["UANA", "UBEN"])))
        shown.extend(texts_in(svc.render.escalation(complaint, "overdue", now)))
    handing = store.get(watched)
    assert handing is not None
    handing.proposed_to = "UCAY"
    shown.append(reporter.now(handing))
    satisfied = store.get(first)
    assert satisfied is not None
    satisfied.confirmed = True
    shown.append(reporter.now(satisfied))
    shown.append(svc.render.open_list("CSUPPORT", store.open_complaints(), now))
    shown.extend(texts_in(svc.reports.customer("CSUPPORT", "UANA", "Acme")))
    for user in ("UANA", "UBEN", "UCAY"):
        shown.extend(texts_in(svc.home.view(user)))
    digests(svc)
    shown.extend(text for effect in store.pending_effects() for text in texts_in([effect.text, effect.blocks]))
    store.close()
    return shown


def digests(svc: Services) -> None:
    """Queue the channel's digest and the management report as a manager asks for them."""
    svc.reports.channel_digest("CSUPPORT", "UANA")
    svc.reports.report("CMGMT", "UBOSS")
    for effect in svc.deps.store.pending_effects():
        if effect.kind == "prepare":
            svc.reports.prepare(effect)


@pytest.mark.parametrize("language", ["en", "de"])
@pytest.mark.parametrize("case", list(SUMMARIES))
def test_a_summary_ends_its_line_and_is_never_punctuated_twice(tmp_path: Path, language: str, case: str) -> None:
    summary, tails = SUMMARIES[case]
    shown = everything_shown(tmp_path, language, summary)
    missing = [
        key for key in sorted(referencing_keys()) if not any(shape(CATALOGS[language][key]).search(t) for t in shown)
    ]
    assert not missing, f"these messages were not made, so they were not checked: {missing}"
    naming = [text for text in shown if STEM in text]
    assert len(naming) > 30
    for text in naming:
        for found in re.finditer(re.escape(STEM), text):
            rest = text[found.end() :].split("\n", 1)[0]
            assert any(rest == tail or rest.startswith(f"{tail} · ") for tail in tails), (rest, text)
        assert not DOUBLED.search(text), text
