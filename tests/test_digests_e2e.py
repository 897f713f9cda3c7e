"""Digests, report, chart, export and the customer view, end to end through the fake Slack."""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from adapters.runtime import Tuning
from bot import rendering
from bot.catalog import CATALOGS
from bot.model import Complaint, EventKind, Status
from bot.services.reports import EXPORT_COLUMNS
from sandbox.fake_slack import FakeSlack, block_kit_problems
from sandbox.sender import Response
from tests.harness import Bot, make_config, start_bot

MONDAY_8 = datetime(2026, 5, 4, 6, 0, 5, tzinfo=UTC)  # 08:00:05 in Berlin, just after the management cron
CONFIG: dict[str, Any] = {
    "channels": {"management": "CMGMT", "fallback": "CFALLBACK"},
    "managers": ["UBOSS"],
    "timezone": "Europe/Berlin",
    "digests": {"management": "0 8 * * 1-5", "channels": "0 9 * * 1-5"},
}
QUICK = Tuning(slack_timeout=2.0, retry_base=0.05, retry_max=0.4, auth_retry_first=0.2, auth_retry_max=0.5)
SLOW_RETRIES = Tuning(slack_timeout=2.0, retry_base=60.0, retry_max=60.0, auth_retry_first=0.2, auth_retry_max=0.5)
PNG = b"\x89PNG\r\n\x1a\n"


class Clock:
    """Runs in real time from a chosen moment, so outbox retries still come due while digests see a fixed day."""

    def __init__(self, start: datetime) -> None:
        self.set(start)

    def set(self, start: datetime) -> None:
        """Jump to a moment."""
        self.start, self.began = start, time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.began)


@pytest.fixture
def clock() -> Clock:
    return Clock(MONDAY_8)


@pytest.fixture
def start(fake: FakeSlack, tmp_path: Path, clock: Clock) -> Iterator[Callable[..., Bot]]:
    """Start bots on one store with the test's clock; keyword arguments override config keys."""
    bots: list[Bot] = []

    def make(tuning: Tuning = QUICK, **overrides: Any) -> Bot:
        config = make_config(str(tmp_path / "data" / "complaints.json"), **{**CONFIG, **overrides})
        bot = start_bot(fake, config, now=clock, tuning=tuning)
        bots.append(bot)
        return bot

    yield make
    for bot in bots:
        if not bot.runtime.stopped.is_set():
            bot.stop()


def complaint(
    filed: datetime,
    channel: str = "CSUPPORT",
    *,
    owner: str | None = None,
    claimed: datetime | None = None,
    resolved: datetime | None = None,
    **fields: Any,
) -> Complaint:
    """A complaint as the lifecycle would have left it (number and card given when seeded)."""
    made = Complaint(
        number=0,
        channel=channel,
        reporter="UANA",
        summary=str(fields.pop("summary", "Wrong parts")),
        filed_at=filed,
        severity="normal",
        unclaimed_since=filed,
        last_activity_at=filed,
        **fields,
    )
    made.record(EventKind.FILED, filed, "UANA")
    if owner:
        made.status, made.owner = Status.OWNED, owner
        made.first_claimed_at = made.owned_since = made.last_activity_at = claimed or filed + timedelta(hours=1)
        made.record(EventKind.CLAIMED, made.first_claimed_at, owner)
    if resolved:
        made.status, made.resolved_at, made.resolution = Status.RESOLVED, resolved, "done"
        made.record(EventKind.RESOLVED, resolved, owner)
    return made


def seed(bot: Bot, *complaints: Complaint) -> list[int]:
    """Store complaints directly, each with a card in its channel, as if they had been filed over the weeks."""
    numbers = []
    with bot.store.transaction() as tx:
        for made in complaints:
            made.number = tx.next_number()
            made.card_ts = f"1777000000.{made.number:06d}"
            tx.save(made)
            numbers.append(made.number)
    return numbers


def ago(**delta: float) -> datetime:
    """A moment before the start of the test's Monday."""
    return MONDAY_8 - timedelta(**delta)


def reply_text(answer: Response) -> str:
    """The private answer to a slash command (bolt answers JSON when there are blocks, else text)."""
    assert answer.status == 200, answer.text
    try:
        body = answer.json()
    except ValueError:
        return answer.text
    return json.dumps(body, ensure_ascii=False) if isinstance(body, dict) else answer.text


def posts(fake: FakeSlack, channel: str, marker: str = "") -> list[Any]:
    """Successful chat.postMessage calls to a channel whose blocks contain `marker`."""
    return [
        c
        for c in fake.calls_to("chat.postMessage")
        if c.ok and c.args.get("channel") == channel and marker in json.dumps(c.args.get("blocks"), ensure_ascii=False)
    ]


def run_job(bot: Bot, job_id: str) -> Any:
    """Run a cron job the way the scheduler does at its moment."""
    assert bot.runtime.timers is not None
    job = bot.runtime.timers.scheduler.get_job(job_id)
    assert job is not None, f"no job {job_id}"
    return job.func()


def the_week(bot: Bot) -> None:
    """A small week of complaints: resolved and confirmed, owned and quiet, unclaimed, resolved with a talk."""
    seed(
        bot,
        complaint(ago(days=2), owner="UBEN", resolved=ago(days=1), customer="Müller GmbH", confirmed=True),
        complaint(ago(days=2, hours=5), owner="UBEN", customer="mueller gmbh"),
        complaint(ago(hours=3), "CSALES"),
        complaint(
            ago(days=1),
            "CSALES",
            owner="UCAY",
            resolved=ago(hours=2),
            talk_started_at=ago(hours=20),
            replies_before_talk=7,
        ),
    )


# Who may.


def test_report_and_export_are_for_managers_only(start: Callable[..., Bot], fake: FakeSlack) -> None:
    bot = start()
    the_week(bot)
    for word in ("report", "bericht", "export"):
        assert "Only managers" in reply_text(bot.slack.command(word, user="UANA"))
    bot.settle()
    assert posts(fake, "CMGMT") == []
    assert fake.calls_to("files.getUploadURLExternal") == [] and fake.files == {}


# The management digest and its chart.


def test_report_posts_the_numbers_and_then_the_chart(start: Callable[..., Bot], fake: FakeSlack, clock: Clock) -> None:
    clock.set(MONDAY_8 - timedelta(hours=1))  # the report covers Friday's digest moment until now
    bot = start()
    the_week(bot)
    assert reply_text(bot.slack.command("report", user="UBOSS")) == "The report is in <#CMGMT>."
    fake.wait_for("files.completeUploadExternal")
    bot.settle()
    [digest] = posts(fake, "CMGMT", "Complaints report")
    blocks = digest.args["blocks"]
    assert block_kit_problems(blocks) == []
    shown = json.dumps(blocks, ensure_ascii=False)
    for words in (
        "*Filed*\\n4",
        "*Resolved*\\n2",
        "*Resolved and confirmed by the reporter*\\n1",
        "*Open*\\n2",
        "*Without an owner*\\n1",
        "*Talks started*\\n1",
        "Müller GmbH · 2 complaints, 1 open",
        "<#CSALES> · 2 filed · 1 resolved · 1 open",
    ):
        assert words in shown, words
    assert "Complaints report" in digest.args["text"]
    [chart] = fake.files.values()
    assert chart.channel == "CMGMT" and chart.content.startswith(PNG)
    assert chart.filename == "complaints-2026-05-04.png" and "last four weeks" in chart.title
    shown_order = [m for m in fake.messages("CMGMT") if m.get("upload") or "Complaints report" in m.get("text", "")]
    assert [bool(m.get("upload")) for m in shown_order] == [False, True]  # the numbers first, then the picture


def test_scheduled_digest_posts_once_per_period(start: Callable[..., Bot], fake: FakeSlack, clock: Clock) -> None:
    bot = start()
    the_week(bot)
    assert bot.runtime.timers is not None
    job = bot.runtime.timers.scheduler.get_job("digest-management")
    assert str(job.trigger.timezone) == "Europe/Berlin"
    assert run_job(bot, "digest-management").ok
    assert not run_job(bot, "digest-management").ok  # a retried run of the same cron moment
    bot.settle()
    assert len(posts(fake, "CMGMT", "Complaints report")) == 1 and len(fake.files) == 1
    assert bot.store.get_meta("digest.management.last") == "2026-05-04T06:00:00+00:00"
    first = json.dumps(posts(fake, "CMGMT", "Complaints report")[0].args["blocks"])
    assert "From 1 May 2026, 08:00 to 4 May 2026, 08:00" in first  # Friday's digest moment to Monday's
    clock.set(MONDAY_8 + timedelta(days=1))
    assert run_job(bot, "digest-management").ok
    bot.settle()
    reports = posts(fake, "CMGMT", "Complaints report")
    assert len(reports) == 2 and len(fake.files) == 2
    assert "From 4 May 2026, 08:00 to 5 May 2026, 08:00" in json.dumps(reports[1].args["blocks"])


def test_a_restart_mid_run_posts_no_second_digest(start: Callable[..., Bot], fake: FakeSlack, clock: Clock) -> None:
    first = start(tuning=SLOW_RETRIES)
    the_week(first)
    fake.fail("chat.postMessage", status=500, after_effect=True, times=-1)  # posted, but the answer is lost
    assert run_job(first, "digest-management").ok
    fake.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == "CMGMT")
    first.stop()
    fake.heal()
    clock.set(clock() + timedelta(minutes=2))  # past the retry the first process had planned
    second = start()
    assert not run_job(second, "digest-management").ok
    second.settle()
    stored = [m for m in fake.messages("CMGMT") if "Complaints report" in m.get("text", "")]
    assert len(stored) == 1 and len(fake.files) == 1


def test_the_chart_is_not_uploaded_twice_when_slack_answers_late(start: Callable[..., Bot], fake: FakeSlack) -> None:
    bot = start()
    the_week(bot)
    fake.fail("files.completeUploadExternal", status=500, after_effect=True)  # shared, but the answer is lost
    bot.slack.command("report", user="UBOSS")
    bot.settle()
    assert len(fake.files) == 1
    assert len(fake.calls_to("files.getUploadURLExternal")) == 1
    assert len(fake.calls_to("files.completeUploadExternal")) == 1  # the retry found it shared and stopped
    assert len([m for m in fake.messages("CMGMT") if m.get("upload")]) == 1


def test_without_a_management_channel_the_report_goes_to_the_manager(
    start: Callable[..., Bot], fake: FakeSlack
) -> None:
    bot = start(channels={"fallback": "CFALLBACK"})
    the_week(bot)
    assert "direct message" in reply_text(bot.slack.command("report", user="UBOSS"))
    fake.wait_for("files.completeUploadExternal")
    bot.settle()
    assert [m["text"][:17] for m in fake.messages("UBOSS") if not m.get("upload")] == ["Complaints report"]
    [chart] = fake.files.values()
    assert chart.channel == fake.dm_channel("UBOSS") and chart.content.startswith(PNG)
    assert not run_job(bot, "digest-management").ok  # no channel for the scheduled one


# Channel digests.


def test_channel_digests_go_to_channels_with_something_to_say(
    start: Callable[..., Bot], fake: FakeSlack, clock: Clock
) -> None:
    clock.set(MONDAY_8 + timedelta(hours=1))  # 09:00:05 in Berlin
    bot = start()
    owned, unclaimed, done, _, _ = seed(
        bot,
        complaint(ago(days=3), owner="UBEN", summary="Owned for days"),
        complaint(ago(hours=2), summary="Nobody yet"),
        complaint(ago(days=2), owner="UBEN", resolved=ago(days=1), summary="Sorted out on Sunday"),
        complaint(ago(days=20), "CSALES", owner="UCAY", resolved=ago(days=10)),  # before the period: quiet channel
        complaint(ago(days=1), "CTEAM", owner="UDAN"),
    )
    assert run_job(bot, "digest-channels").ok
    assert not run_job(bot, "digest-channels").ok
    bot.settle()
    [support] = posts(fake, "CSUPPORT", "Complaint digest")
    assert len(posts(fake, "CTEAM", "Complaint digest")) == 1 and posts(fake, "CSALES") == []
    assert block_kit_problems(support.args["blocks"]) == []
    lists = json.dumps(support.args["blocks"])
    assert lists.index(f"#{unclaimed}") < lists.index(f"#{owned}")  # unclaimed first
    assert f"#{done}" in lists and "Resolved since the last digest" in lists
    assert "since 1 May 2026, 09:00" in lists


def test_digest_command_posts_here_or_says_nothing_is_open(start: Callable[..., Bot], fake: FakeSlack) -> None:
    bot = start()
    seed(bot, complaint(ago(hours=5)), complaint(ago(days=30), "CQUIET", owner="UBEN", resolved=ago(days=20)))
    assert reply_text(bot.slack.command("digest", channel="CSUPPORT")) == ""
    answer = reply_text(bot.slack.command("übersicht", channel="CQUIET"))
    assert answer.startswith("Nothing open in <#CQUIET>")
    bot.settle()
    assert len(posts(fake, "CSUPPORT", "Complaint digest")) == 1 and posts(fake, "CQUIET") == []
    assert bot.store.get_meta("digest.channels.last") is None  # on request: the schedule's period stays


# The customer in view.


def test_a_new_card_shows_the_customers_history(start: Callable[..., Bot], fake: FakeSlack) -> None:
    bot = start()
    seed(
        bot,
        complaint(ago(days=40), owner="UBEN", resolved=ago(days=39), customer="Müller GmbH"),
        complaint(ago(days=3), owner="UBEN", customer="Mueller GmbH"),
        complaint(ago(days=1), customer="Schmidt AG"),
    )
    values = {"summary": {"value": "Invoice twice"}, "customer": {"value": "MÜLLER GmbH & Co. KG"}}
    assert bot.slack.submit(rendering.VIEW_NEW, values, "UANA", "CSUPPORT").status == 200
    bot.wait(lambda: bot.store.get(4) is not None and bot.complaint(4).card_ts is not None, "the new card")
    card = json.dumps(bot.card(4)["blocks"], ensure_ascii=False)
    assert "This customer has 2 earlier complaints, 1 of them open. Latest: <https://" in card
    assert "|#2> Wrong parts" in card


def test_customer_command_lists_open_first_for_the_caller(start: Callable[..., Bot], fake: FakeSlack) -> None:
    bot = start()
    old, current, _ = seed(
        bot,
        complaint(ago(days=40), owner="UBEN", resolved=ago(days=39), customer="Müller GmbH"),
        complaint(ago(days=3), owner="UBEN", customer="Mueller GmbH"),
        complaint(ago(days=1), customer="Schmidt AG"),
    )
    for words in ("customer müller", "kunde MUELLER gmbh & co. kg", "customer  Müller e.K."):
        answer = reply_text(bot.slack.command(words, user="UCAY"))
        assert "Complaints from" in answer and "2, 1 of them open" in answer, answer
        assert answer.index(f"#{current}") < answer.index(f"#{old}")
        assert "<@UBEN>" in answer and "Schmidt" not in answer
    assert "found no complaints" in reply_text(bot.slack.command("customer Nobody Ltd"))
    bot.settle()
    assert fake.calls_to("chat.postMessage") == []  # only the caller saw it


# The export.


def test_export_sends_a_csv_to_the_caller(start: Callable[..., Bot], fake: FakeSlack) -> None:
    bot = start()
    resolved = complaint(
        ago(days=2),
        owner="UBEN",
        claimed=ago(days=2) + timedelta(minutes=45),
        resolved=ago(days=1),
        customer="=HYPERLINK(1)",
        category="billing",
        confirmed=True,
    )
    resolved.record(EventKind.REOPENED, ago(hours=30), "UANA")
    resolved.record(EventKind.ESCALATED, ago(hours=29), None)
    seed(bot, resolved, complaint(ago(hours=3), "CSALES", customer="Weiß"))
    assert reply_text(bot.slack.command("export", user="UBOSS")) == (
        "I am sending you every complaint as a CSV file in a direct message."
    )
    fake.wait_for("files.completeUploadExternal")
    bot.settle()
    assert [c.args.get("users") for c in fake.calls_to("conversations.open")] == ["UBOSS"]
    [export] = fake.files.values()
    assert export.channel == fake.dm_channel("UBOSS") and export.filename == "complaints-2026-05-04.csv"
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert rows[0] == [CATALOGS["en"][f"export.col.{column}"] for column in EXPORT_COLUMNS]
    first = dict(zip(EXPORT_COLUMNS, rows[1], strict=True))
    assert first["number"] == "1" and first["filed"] == "2026-05-02T08:00:05+02:00"
    assert (first["minutes_to_claim"], first["minutes_to_resolve"]) == ("45", "1440")
    assert (first["status"], first["owner"], first["reporter"], first["channel"]) == (
        "resolved",
        "UBEN",
        "UANA",
        "CSUPPORT",
    )
    assert (first["customer"], first["category"], first["severity"]) == ("'=HYPERLINK(1)", "billing", "normal")
    assert (first["reopened"], first["escalations"], first["talk"], first["confirmed"]) == ("1", "1", "no", "yes")
    second = dict(zip(EXPORT_COLUMNS, rows[2], strict=True))
    assert (second["claimed"], second["minutes_to_claim"], second["status"]) == ("", "", "unclaimed")
    assert second["customer"] == "Weiß" and second["confirmed"] == "" and len(rows) == 3


def test_export_is_not_shared_twice_in_the_dm(start: Callable[..., Bot], fake: FakeSlack) -> None:
    bot = start()
    the_week(bot)
    fake.fail("files.completeUploadExternal", status=500, after_effect=True)
    bot.slack.command("export", user="UBOSS")
    bot.settle()
    assert len(fake.files) == 1 and len(fake.calls_to("files.getUploadURLExternal")) == 1


# Size.


def test_hundreds_of_complaints_stay_within_block_kit_limits(
    start: Callable[..., Bot], fake: FakeSlack, clock: Clock
) -> None:
    bot = start(language="de")
    many = []
    for index in range(450):
        filed = ago(hours=index * 1.5)
        owner = f"U{index % 37:05d}" if index % 3 else None
        made = complaint(
            filed,
            f"C{index % 70:05d}",
            owner=owner,
            resolved=filed + timedelta(hours=5) if index % 5 == 0 and owner else None,
            customer=f"Kunde {index % 40} GmbH & Co. KG <!here> " + "ä" * 200,
            summary="Lieferung <falsch> & *viel* zu spät " * 20,
            category=["product", "billing", "delivery", ""][index % 4],
        )
        many.append(made)
    seed(bot, *many)
    assert "<#CMGMT>" in reply_text(bot.slack.command("bericht", user="UBOSS"))
    fake.wait_for("files.completeUploadExternal")
    [report] = posts(fake, "CMGMT", "Reklamationsbericht")
    assert block_kit_problems(report.args["blocks"]) == []
    shown = json.dumps(report.args["blocks"], ensure_ascii=False)
    assert "weitere" in shown and "/complaint export" in shown and "<!here>" not in shown
    clock.set(MONDAY_8 + timedelta(hours=1))
    assert run_job(bot, "digest-channels").ok
    bot.settle(timeout=20)
    digests = [c for c in fake.calls_to("chat.postMessage") if "Reklamationsübersicht" in str(c.args.get("blocks"))]
    assert len({c.args["channel"] for c in digests}) == 70
    assert all(c.ok for c in digests) and all(block_kit_problems(c.args["blocks"]) == [] for c in digests)
