"""The 8D worked through the fake Slack: the form, the card's progress, the blocked resolve, the containment
timer, the interim and full reports in the thread and to the reporter, and the digest's figures."""

from __future__ import annotations

import csv
import io
import json
import re
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pypdf
import pytest

from bot import rendering
from bot.model import EventKind, Status
from bot.rendering import eightd
from bot.scheduler import FOLLOWUPS_JOB
from sandbox.fake_slack import FakeSlack, UploadedFile
from tests.clock import Clock
from tests.harness import Bot, make_config, start_bot
from tests.test_german_e2e import english_in

EIGHT_D = {"company_name": "Muster Metallbau GmbH", "required_for": ["high"], "containment_within": "24h"}
SLOW = {"remind_unclaimed": "1h", "escalate_unclaimed": "2h", "ask_update": "1d", "escalate_quiet": "2d"}
SPECIAL = "„Werk Süd“ – 3 € Nachlass, Maß, Łódź, Dvořák"
FILLED = {
    "containment": f"Stock blocked and sorted {SPECIAL}",
    "occurrence": "Worn drill after 40,000 cycles",
    "escape": "Gauge check only every 500 parts",
    "corrective": "Tool life limited to 30,000 cycles",
    "verification": "3 batches measured, Cpk 1.67",
    "preventive": "FMEA and control plan updated",
}


def high_bot(make_bot: Callable[..., Bot], **config: Any) -> Bot:
    return make_bot(eight_d={**EIGHT_D, **config.pop("eight_d", {})}, managers=["UBOSS"], **config)


def owned(bot: Bot, summary: str = "Wrong bore diameter on 120 parts") -> int:
    """A high complaint from UANA that UBEN took on."""
    answer = bot.slack.command(summary, user="UANA")
    number = int(re.findall(r"#(\d+)", answer.text)[0])
    bot.complaint(number)
    with bot.store.transaction() as tx:  # filed as high (the quick command files with the default severity)
        complaint = tx.get(number)
        complaint.severity = "high"
        tx.save(complaint)
    bot.wait(lambda: bot.complaint(number).card_ts is not None, "card")
    bot.react(number, "UBEN")
    bot.settle()
    return number


def open_form(bot: Bot, number: int, user: str = "UBEN") -> dict[str, Any]:
    """Press the card's 8D button and return the modal Slack opened."""
    before = len(bot.fake.calls_to("views.open"))
    answer = bot.slack.button(rendering.ACTION_EIGHT_D, str(number), user, bot.complaint(number).channel)
    assert answer.status == 200
    bot.settle()
    opened = bot.fake.calls_to("views.open")[before:]
    assert opened and opened[-1].ok, "no modal opened"
    return dict(opened[-1].args["view"])


def submit(bot: Bot, view: dict[str, Any], user: str = "UBEN", **changes: Any) -> Any:
    """Fill the 8D form as a person would: what it showed, with `changes` typed over it."""
    values: dict[str, dict[str, Any]] = {}
    for block in view["blocks"]:
        if block["type"] != "input":
            continue
        element, block_id = block["element"], block["block_id"]
        if element["type"] == "multi_users_select":
            values[block_id] = {
                "type": element["type"],
                "selected_users": changes.get(block_id, element.get("initial_users", [])),
            }
        elif element["type"] == "datetimepicker":
            values[block_id] = {
                "type": element["type"],
                "selected_date_time": changes.get(block_id, element.get("initial_date_time")),
            }
        elif element["type"] == "datepicker":
            values[block_id] = {
                "type": element["type"],
                "selected_date": changes.get(block_id, element.get("initial_date")),
            }
        else:
            values[block_id] = {"type": element["type"], "value": changes.get(block_id, element.get("initial_value"))}
    answer = bot.slack.submit(eightd.VIEW_EIGHT_D, values, user, view["private_metadata"])
    bot.settle()
    return answer


def card_text(bot: Bot, number: int) -> str:
    return json.dumps(bot.card(number)["blocks"], ensure_ascii=False)


def ephemerals_to(bot: Bot, user: str) -> list[str]:
    return [e["text"] for e in bot.fake.ephemerals if e["user"] == user]


def pdfs(bot: Bot) -> list[UploadedFile]:
    return [f for f in bot.fake.files.values() if f.filename.endswith(".pdf")]


def pdf_text(upload: UploadedFile) -> str:
    reader = pypdf.PdfReader(io.BytesIO(upload.content))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def test_the_form_saves_shows_progress_on_the_card_and_notes_the_change(make_bot: Callable[..., Bot]) -> None:
    bot = high_bot(make_bot)
    number = owned(bot)
    assert "8D: D3 – D4 – D5 – D6 – D7 –" in card_text(bot, number)
    assert "8D required: D3, D4, D5 missing" in card_text(bot, number)
    view = open_form(bot, number)
    team = next(b for b in view["blocks"] if b.get("block_id") == "team")
    assert team["element"]["initial_users"] == ["UBEN", "UANA"], "owner and reporter are suggested for D1"
    assert submit(bot, view, containment=FILLED["containment"], claim_number="RK-0815").status == 200
    stored = bot.complaint(number).eight_d
    assert stored.containment == FILLED["containment"] and stored.claim_number == "RK-0815"
    assert stored.team == ["UBEN", "UANA"] and stored.contained_at is not None
    assert "8D: D3 ✓ D4 – D5 – D6 – D7 –" in card_text(bot, number)
    assert "8D required: D4, D5 missing" in card_text(bot, number)
    note = bot.thread(number)[-1]["text"]
    assert note.startswith("<@UBEN> updated the 8D.") and "D3 Containment actions" in note and "RK-0815" in note
    entry = bot.complaint(number).timeline[-1]
    assert entry.kind == EventKind.EIGHT_D_UPDATED and entry.note == "D1, D2, D3" and entry.actor == "UBEN"


def test_only_owner_team_and_managers_may_open_the_form(make_bot: Callable[..., Bot]) -> None:
    bot = high_bot(make_bot)
    number = owned(bot)
    before = len(bot.fake.calls_to("views.open"))
    bot.slack.button(rendering.ACTION_EIGHT_D, str(number), "UCAY", bot.complaint(number).channel)
    bot.settle()
    assert len(bot.fake.calls_to("views.open")) == before
    assert any("worked by its owner (<@UBEN>)" in text for text in ephemerals_to(bot, "UCAY"))
    submit(bot, open_form(bot, number, "UBOSS"), "UBOSS", team=["UBEN", "UCAY"])  # a manager adds Cay to D1
    view = open_form(bot, number, "UCAY")
    assert submit(bot, view, "UCAY", occurrence="Worn drill").status == 200
    assert bot.complaint(number).eight_d.occurrence == "Worn drill"


def test_a_stale_form_changes_only_what_its_sender_changed(make_bot: Callable[..., Bot]) -> None:
    bot = high_bot(make_bot)
    number = owned(bot)
    first, second = open_form(bot, number), open_form(bot, number, "UBOSS")
    submit(bot, first, containment="Stock blocked")
    submit(bot, second, "UBOSS", occurrence="Worn drill")  # opened before the containment was saved
    stored = bot.complaint(number).eight_d
    assert stored.containment == "Stock blocked" and stored.occurrence == "Worn drill"


def test_form_errors_come_back_into_the_form(make_bot: Callable[..., Bot]) -> None:
    bot = high_bot(make_bot)
    number = owned(bot)
    view = open_form(bot, number)
    future = int(time.time()) + 86_400
    answer = submit(bot, view, contained_at=future)
    assert answer.json()["response_action"] == "errors"
    assert set(answer.json()["errors"]) == {"contained_at", "containment"}
    assert not bot.complaint(number).eight_d.started


def test_a_required_8d_blocks_the_resolve_until_d3_to_d5_are_filled(make_bot: Callable[..., Bot]) -> None:
    bot = high_bot(make_bot)
    number = owned(bot)
    bot.react(number, "UBEN", "white_check_mark")
    bot.settle()
    assert bot.complaint(number).status is Status.OWNED
    told = ephemerals_to(bot, "UBEN")
    assert any("needs its 8D before it can be resolved: D3, D4, D5 still missing" in text for text in told)
    before = len(bot.fake.calls_to("views.open"))
    bot.slack.button(rendering.ACTION_RESOLVE, str(number), "UBEN", bot.complaint(number).channel)
    bot.settle()
    assert len(bot.fake.calls_to("views.open")) == before, "the resolve form does not open"
    submit(bot, open_form(bot, number), **{k: FILLED[k] for k in ("containment", "occurrence", "escape")})
    assert "8D required: D5 missing" in card_text(bot, number)
    submit(bot, open_form(bot, number), corrective=FILLED["corrective"])
    assert "8D required" not in card_text(bot, number)
    bot.react(number, "UBEN", "white_check_mark")
    bot.settle()
    assert bot.complaint(number).status is Status.RESOLVED


def test_severities_without_the_requirement_resolve_as_before(make_bot: Callable[..., Bot]) -> None:
    bot = high_bot(make_bot)
    number = bot.file()
    bot.react(number, "UBEN")
    bot.react(number, "UBEN", "white_check_mark")
    bot.settle()
    assert bot.complaint(number).status is Status.RESOLVED
    assert "8D:" not in card_text(bot, number)


@pytest.fixture
def clocked(fake: FakeSlack, tmp_path: Path) -> Iterator[tuple[Callable[..., Bot], Clock]]:
    """A high-by-default bot on a clock the test moves (Monday 7 January 2030, 10:00 in Berlin); follow-ups run
    when `tick` says, as APScheduler would run them."""
    clock = Clock(datetime(2030, 1, 7, 9, 0, tzinfo=UTC))
    bots: list[Bot] = []

    def start(**config: Any) -> Bot:
        config = {
            "channels": {"management": "CMGMT"},
            "managers": ["UBOSS"],
            "default_severity": "high",
            "severities": {"high": {**SLOW, "resolve_within": "1w"}},
            **config,
        }
        bot = start_bot(fake, make_config(str(tmp_path / "data" / "complaints.json"), **config), now=clock)
        bots.append(bot)
        return bot

    yield start, clock
    for bot in bots:
        bot.stop()


def tick(bot: Bot) -> None:
    """Run the follow-up job now, as APScheduler does at its moment, and let the outbox deliver what it sent."""
    timers = bot.runtime.timers
    assert timers is not None
    job = timers.scheduler.get_job(FOLLOWUPS_JOB)
    if job is not None:
        job.func()
    bot.settle()


def management_posts(bot: Bot, marker: str) -> list[Any]:
    return [
        c
        for c in bot.fake.calls_to("chat.postMessage")
        if c.args.get("channel") == "CMGMT" and marker in str(c.args.get("blocks"))
    ]


def reporter_replies(bot: Bot, number: int) -> list[str]:
    """The texts in the reporter's direct-message thread about a complaint."""
    thread = bot.complaint(number).reporter_thread
    return [m["text"] for m in bot.fake.messages(thread["channel"], thread["ts"])] if thread.get("ts") else []


def test_the_containment_timer_counts_open_hours_reminds_the_owner_then_tells_management_once(
    clocked: tuple[Callable[..., Bot], Clock],
) -> None:
    start, clock = clocked
    # Monday 10:00 in Berlin, open 08:00-18:00: 10 open hours run out on Tuesday at 10:00, 75 % on Monday 17:30.
    bot = start(
        timezone="Europe/Berlin",
        business_hours={"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00"},
        eight_d={**EIGHT_D, "containment_within": "10h"},
    )
    number = bot.file()
    bot.react(number, "UBEN")
    bot.settle()
    clock.advance(hours=7, minutes=29)
    tick(bot)
    assert not any("Containment for" in m["text"] for m in bot.fake.messages("UBEN"))
    clock.advance(minutes=1)
    tick(bot)
    [reminder] = [m["text"] for m in bot.fake.messages("UBEN") if "Containment for" in m["text"]]
    assert "due by 8 Jan 2030, 10:00" in reminder
    clock.advance(hours=16, minutes=29)  # Tuesday 09:59
    tick(bot)
    assert not management_posts(bot, "No containment")
    clock.advance(minutes=1)
    tick(bot)
    assert len(management_posts(bot, "No containment for complaint #1")) == 1
    assert any("Containment was due 8 Jan 2030, 10:00" in m["text"] for m in bot.thread(number))
    assert any("Containment for your complaint" in text for text in reporter_replies(bot, number))
    clock.advance(hours=3)
    tick(bot)
    assert len(management_posts(bot, "No containment")) == 1, "management is told once"
    kinds = [entry.kind for entry in bot.complaint(number).timeline]
    assert kinds.count(EventKind.CONTAINMENT_DUE_SOON) == 1 and kinds.count(EventKind.CONTAINMENT_OVERDUE) == 1


def test_while_nobody_owns_it_the_containment_reminder_goes_to_the_thread(
    clocked: tuple[Callable[..., Bot], Clock],
) -> None:
    start, clock = clocked
    bot = start(eight_d=EIGHT_D)
    number = bot.file("Cracked housings")
    clock.advance(hours=18)
    tick(bot)
    assert any("nobody owns it yet" in m["text"] for m in bot.thread(number))


def test_containment_in_time_stops_the_timer(clocked: tuple[Callable[..., Bot], Clock]) -> None:
    start, clock = clocked
    bot = start(eight_d=EIGHT_D)
    number = bot.file()
    bot.react(number, "UBEN")
    bot.settle()
    clock.advance(hours=2)
    submit(bot, open_form(bot, number), containment="Stock blocked")
    assert bot.complaint(number).eight_d.contained_at == clock()
    clock.advance(days=2)
    tick(bot)
    assert not any("Containment for" in m["text"] for m in bot.fake.messages("UBEN"))
    assert not management_posts(bot, "No containment")


def test_the_report_goes_into_the_thread_and_to_the_reporter(make_bot: Callable[..., Bot]) -> None:
    bot = high_bot(make_bot)
    number = owned(bot, f"Wrong bore diameter {SPECIAL}")
    submit(bot, open_form(bot, number), containment=FILLED["containment"], claim_number="RK-0815")
    answer = bot.slack.command(f"8d {number}", user="UBEN")
    assert "Making the interim 8D report of #1 (Rev. 1)" in answer.text
    bot.settle()
    [in_thread, to_reporter] = sorted(pdfs(bot), key=lambda f: f.channel != "CSUPPORT")
    assert in_thread.thread_ts == bot.complaint(number).card_ts and in_thread.channel == "CSUPPORT"
    assert "requested by <@UBEN>" in (in_thread.initial_comment or "")
    reporter_thread = bot.complaint(number).reporter_thread
    assert (to_reporter.channel, to_reporter.thread_ts) == (reporter_thread["channel"], reporter_thread["ts"])
    assert any("ready to pass on to the customer" in text for text in reporter_replies(bot, number))
    text = pdf_text(in_thread)
    assert "Muster Metallbau GmbH" in text and "8D report – interim (D1–D3)" in text and "Rev. 1" in text
    assert f"Stock blocked and sorted {SPECIAL}" in text and f"Wrong bore diameter {SPECIAL}" in text
    assert "RK-0815" in text and "User UBEN" in text, "people are named, not given as ids"
    assert "D4" not in text
    assert bot.complaint(number).timeline[-1].kind == EventKind.EIGHT_D_REPORT


def test_the_full_report_comes_by_itself_once_d3_to_d7_are_filled(make_bot: Callable[..., Bot]) -> None:
    bot = high_bot(make_bot)
    number = owned(bot)
    submit(bot, open_form(bot, number), **{k: v for k, v in FILLED.items() if k != "preventive"})
    assert pdfs(bot) == []
    submit(bot, open_form(bot, number), preventive=FILLED["preventive"])
    bot.settle()
    made = pdfs(bot)
    assert len(made) == 2 and all("Rev1" in f.filename or "rev1" in f.filename for f in made)
    text = pdf_text(next(f for f in made if f.channel == "CSUPPORT"))
    for value in FILLED.values():
        assert value in text, value
    assert "8D report Complaint #1 · Rev. 1" in text and "D8 Closure Not closed yet." in text
    assert bot.complaint(number).eight_d.completed_at is not None
    submit(bot, open_form(bot, number), verification="4 batches measured")  # complete again: no second report
    assert len(pdfs(bot)) == 2
    bot.react(number, "UBEN", "white_check_mark")
    bot.settle()
    answer = bot.slack.command(f"8d {number}", user="UANA")  # the reporter asks for the closed report
    assert "you get it in your direct messages" in answer.text and "<@UANA>" not in answer.text
    bot.settle()
    latest = pdf_text(max(pdfs(bot), key=lambda f: f.id))
    assert "Rev. 2" in latest and "Closed by User UBEN" in latest and "4 batches measured" in latest


def test_8d_followed_by_anything_but_a_number_files_a_complaint(make_bot: Callable[..., Bot]) -> None:
    bot = high_bot(make_bot)
    answer = bot.slack.command("8D report missing for the last delivery", user="UANA")
    assert answer.text.startswith("Filed as #1")
    assert bot.complaint(1).summary == "8D report missing for the last delivery"
    assert "There is no complaint #7" in bot.slack.command("8d 7", user="UANA").text
    assert "made by its owner, its D1 team, its reporter or a manager" in bot.slack.command("8d #1", user="UCAY").text


def test_the_digest_counts_8d_completion_and_containment(make_bot: Callable[..., Bot]) -> None:
    bot = high_bot(make_bot)
    done = owned(bot)
    submit(bot, open_form(bot, done), **FILLED)
    owned(bot, "Scratches on housings")
    with bot.store.transaction() as tx:  # the second one was filed two days ago and never contained
        late = tx.get(2)
        late.filed_at = datetime.now(UTC).replace(microsecond=0) - (
            datetime.now(UTC) - datetime(2026, 1, 1, tzinfo=UTC)
        )
        tx.save(late)
    bot.slack.command("report", user="UBOSS")
    bot.settle()
    digest = next(c for c in bot.fake.calls_to("chat.postMessage") if "Complaints report" in str(c.args.get("text")))
    blocks = json.dumps(digest.args["blocks"], ensure_ascii=False)
    assert "8D completed (D3 to D7 filled in)*\\n1" in blocks
    assert "Contained within 24 hours*\\n100% (1 of 1)" in blocks
    assert "Open past the containment deadline*\\n1" in blocks
    assert "Time to containment (median)" in blocks


def test_the_export_has_the_8d_fields(make_bot: Callable[..., Bot]) -> None:
    bot = high_bot(make_bot)
    number = owned(bot)
    submit(bot, open_form(bot, number), claim_number="RK-0815", **FILLED)
    bot.slack.command("export", user="UBOSS")
    bot.settle()
    export = next(f for f in bot.fake.files.values() if f.filename.endswith(".csv"))
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0]["Customer's claim number"] == "RK-0815"
    assert rows[0]["D4 Root cause (escape)"] == FILLED["escape"]
    assert rows[0]["Contained in time"] == "yes" and rows[0]["8D team"] == "UBEN UANA"
    assert rows[0]["8D completed at"]


def test_a_form_sent_by_someone_not_allowed_changes_nothing(make_bot: Callable[..., Bot]) -> None:
    bot = high_bot(make_bot)
    number = owned(bot)
    view = open_form(bot, number)
    before = bot.complaint(number).to_dict()
    answer = submit(bot, view, "UCAY", containment="I was never asked")
    assert answer.status == 200
    assert bot.complaint(number).to_dict() == before
    assert any("worked by its owner" in text for text in ephemerals_to(bot, "UCAY"))


def test_the_8d_in_german(make_bot: Callable[..., Bot]) -> None:
    bot = high_bot(make_bot, language="de", timezone="Europe/Berlin")
    number = owned(bot)
    assert "8D erforderlich: D3, D4, D5 fehlen" in card_text(bot, number)
    view = open_form(bot, number)
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert "D3 Eindämmung / Sofortmaßnahmen" in labels and "D6 Wirksamkeitsprüfung" in labels
    submit(
        bot, view, containment=f"Bestand gesperrt {SPECIAL}", occurrence="Bohrer verschlissen", escape="Lehre fehlte"
    )
    assert "8D: D3 ✓ D4 ✓ D5 – D6 – D7 –" in card_text(bot, number)
    assert "8D erforderlich: D5 fehlt" in card_text(bot, number)
    assert "Ich erstelle den 8D-Bericht zu #1 (Rev. 1)" in bot.slack.command(f"8d {number}", user="UBEN").text
    bot.settle()
    [in_thread] = [f for f in pdfs(bot) if f.channel == "CSUPPORT"]
    text = pdf_text(in_thread)
    assert "8D-Bericht Reklamation #1 · Rev. 1" in text and f"Bestand gesperrt {SPECIAL}" in text
    assert "D8 Abschluss Noch nicht abgeschlossen." in text and "Seite 1 von" in text
    assert in_thread.filename == "8D-Bericht-1-Rev1.pdf"
    typed = ("Wrong bore diameter on 120 parts", f"Bestand gesperrt {SPECIAL}", "Bohrer verschlissen", "Lehre fehlte")
    for words in typed:
        text = text.replace(words, " ")
    assert english_in(text) == [], "the German report has English words"
    comments = [(f.initial_comment or "") for f in pdfs(bot)] + [f.title for f in pdfs(bot)]
    comments += [text.replace(typed[0], " ") for text in reporter_replies(bot, number)]
    assert [english_in(comment) for comment in comments] == [[]] * len(comments)


def test_a_report_whose_sharing_answer_was_lost_is_in_the_thread_once(make_bot: Callable[..., Bot]) -> None:
    bot = high_bot(make_bot)
    number = owned(bot)
    bot.fake.fail("files.completeUploadExternal", status=500, after_effect=True)  # shared, but the answer is lost
    bot.slack.command(f"8d {number}", user="UBEN")
    bot.wait(lambda: len(pdfs(bot)) == 2, "the report in the thread and to the reporter", 10)
    bot.settle(10)
    shared = [m for m in bot.thread(number) if m.get("files")]
    assert len(shared) == 1 and shared[0]["files"][0]["name"].endswith(".pdf")
