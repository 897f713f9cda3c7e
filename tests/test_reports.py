"""The figures behind digests and exports, on fixed data whose answers were worked out by hand."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from zoneinfo import ZoneInfo

import pytest

from bot.catalog import Catalog
from bot.config import BusinessHoursConfig, Config, SeverityTimers
from bot.customers import customer_key, history, matching, open_first
from bot.model import Complaint, EventKind, Status
from bot.rendering import Renderer
from bot.rendering.digest import DigestRenderer
from bot.reports import (
    ChartSeries,
    channel_figures,
    chart_series,
    export_rows,
    management_figures,
    median,
    percentile,
    spread,
)
from bot.services.followups import Planner, opening_hours
from bot.services.reports import last_fire
from sandbox.fake_slack import block_kit_problems

BERLIN = ZoneInfo("Europe/Berlin")
NOW = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
SINCE = NOW - timedelta(days=7)  # 27 April 08:00; the period before starts 20 April 08:00


def at(day: int, hour: int = 8, minute: int = 0, month: int = 4) -> datetime:
    """A moment in April (or `month`) 2026, UTC."""
    return datetime(2026, month, day, hour, minute, tzinfo=UTC)


def make(
    number: int,
    filed: datetime,
    *,
    channel: str = "CSUPPORT",
    claimed: datetime | None = None,
    owner: str = "UBEN",
    resolved: datetime | None = None,
    **fields: object,
) -> Complaint:
    """A complaint with a timeline that matches its fields."""
    complaint = Complaint(
        number=number,
        channel=channel,
        reporter="UANA",
        summary=f"complaint {number}",
        filed_at=filed,
        severity=str(fields.pop("severity", "normal")),
        unclaimed_since=filed,
        last_activity_at=filed,
    )
    for name, value in fields.items():
        setattr(complaint, name, value)
    complaint.record(EventKind.FILED, filed, "UANA")
    if claimed:
        complaint.status, complaint.owner = Status.OWNED, owner
        complaint.first_claimed_at = complaint.owned_since = complaint.last_activity_at = claimed
        complaint.record(EventKind.CLAIMED, claimed, owner)
    if resolved:
        complaint.status, complaint.resolved_at = Status.RESOLVED, resolved
        complaint.record(EventKind.RESOLVED, resolved, owner)
    return complaint


def fixed_complaints() -> list[Complaint]:
    """Seven complaints around the period 27 April – 4 May 2026 (see each line for what it stands for)."""
    one = make(
        1,
        at(28, 9),
        claimed=at(28, 9, 30),
        resolved=at(29, 9),
        category="product",
        customer="Müller GmbH",
        confirmed=True,
        talk_started_at=at(28, 12),
        replies_before_talk=6,
    )
    two = make(2, at(29, 10), claimed=at(29, 12), category="billing", customer="mueller gmbh")  # quiet, overdue
    three = make(3, at(3, 10, month=5), channel="CSALES")  # unclaimed, not overdue yet
    four = make(4, at(22), channel="CSALES", claimed=at(22, 9), owner="UCAY")  # claimed in the period before
    four.record(EventKind.RESOLVED, at(23), "UCAY")
    four.record(EventKind.REOPENED, at(28, 10), "UANA")
    four.record(EventKind.CLAIMED, at(28, 11), "UCAY")
    four.status, four.resolved_at = Status.RESOLVED, at(30)  # resolved again in the period: 8 days after filing
    four.record(EventKind.RESOLVED, at(30), "UCAY")
    five = make(5, at(21), claimed=at(21, 12), resolved=at(22))  # all in the period before
    six = make(6, at(1, month=5), claimed=at(1, 8, 10, month=5), severity="high", category="delivery")
    six.followups.snoozed_until = at(5, month=5)  # paused: not quiet; but a day past a high deadline
    seven = make(
        7,
        at(2, month=5),
        channel="CTEAM",
        claimed=at(2, 14, month=5),
        owner="UDAN",
        resolved=at(3, month=5),
        category="product",
        customer="Schmidt AG",
        replies=3,
    )
    return [one, two, three, four, five, six, seven]


@pytest.fixture
def planner() -> Planner:
    config = Config()
    return Planner(config, opening_hours(config))


# Statistics.


def test_median_and_percentile_known_answers() -> None:
    assert median([]) is None and percentile([], 0.9) is None
    assert median([3, 1, 2]) == 2
    assert median([4, 1, 3, 2]) == 2.5
    assert percentile([5], 0.9) == 5
    assert percentile(list(range(1, 11)), 0.9) == pytest.approx(9.1)
    assert percentile([0, 100], 0.9) == pytest.approx(90)
    assert percentile([10, 20, 30, 40, 50], 0.5) == 30
    durations = spread([timedelta(minutes=m) for m in (10, 30, 120, 360)])
    assert durations.count == 4
    assert durations.median == timedelta(minutes=75)
    assert durations.p90 == timedelta(hours=4, minutes=48)


# The management digest.


def test_period_counts(planner: Planner) -> None:
    figures = management_figures(fixed_complaints(), NOW, SINCE, planner)
    assert figures.previous_since == at(20)
    assert (figures.filed, figures.claimed, figures.resolved, figures.reopened) == (5, 4, 3, 1)
    assert figures.confirmed == 1


def test_now_counts(planner: Planner) -> None:
    figures = management_figures(fixed_complaints(), NOW, SINCE, planner)
    assert (figures.open, figures.unclaimed, figures.quiet, figures.overdue) == (3, 1, 1, 2)
    assert [c.number for c in figures.oldest_open] == [2, 6, 3]
    assert figures.owners == (("UBEN", 2),)


def test_times_against_the_period_before(planner: Planner) -> None:
    figures = management_figures(fixed_complaints(), NOW, SINCE, planner)
    # Claimed in the period: 30 min, 2 h, 10 min, 6 h.
    assert figures.claim.count == 4
    assert figures.claim.median == timedelta(minutes=75)
    assert figures.claim.p90 == timedelta(hours=4, minutes=48)
    # The period before: #4 after 1 h, #5 after 4 h.
    assert figures.claim_before.median == timedelta(hours=2, minutes=30)
    assert figures.claim_before.p90 == timedelta(hours=3, minutes=42)
    # Resolved in the period: 24 h, 8 days (#4, reopened and resolved again), 24 h.
    assert figures.resolve.count == 3
    assert figures.resolve.median == timedelta(hours=24)
    assert figures.resolve.p90 == timedelta(hours=158, minutes=24)
    assert figures.resolve_before.median == timedelta(hours=24) and figures.resolve_before.count == 1


def test_per_channel_and_category(planner: Planner) -> None:
    figures = management_figures(fixed_complaints(), NOW, SINCE, planner)
    channels = {g.name: (g.filed, g.resolved, g.open) for g in figures.channels}
    assert channels == {"CSUPPORT": (3, 1, 2), "CSALES": (1, 1, 1), "CTEAM": (1, 1, 0)}
    assert [g.name for g in figures.channels] == ["CSUPPORT", "CSALES", "CTEAM"]
    categories = {g.name: (g.filed, g.resolved, g.open) for g in figures.categories}
    assert categories == {"product": (2, 2, 0), "billing": (1, 0, 1), "delivery": (1, 0, 1), "": (1, 1, 1)}


def test_talks_and_repeat_customers(planner: Planner) -> None:
    figures = management_figures(fixed_complaints(), NOW, SINCE, planner)
    assert figures.talk.started == 1
    assert figures.talk.resolve_with_talk.median == timedelta(hours=24)
    assert figures.talk.resolve_without_talk.median == timedelta(hours=108)
    assert figures.talk.replies_before_talk == 6
    assert len(figures.repeat_customers) == 1
    repeat = figures.repeat_customers[0]
    assert (repeat.name, repeat.filed, repeat.open, repeat.latest.number) == ("mueller gmbh", 2, 1, 2)


def test_period_end_is_exclusive_and_until_may_differ_from_now(planner: Planner) -> None:
    complaints = [make(1, SINCE), make(2, NOW)]
    figures = management_figures(complaints, NOW + timedelta(minutes=5), SINCE, planner, until=NOW)
    assert figures.filed == 1  # filed at the start counts, filed at the end belongs to the next period
    assert figures.open == 2  # "now" is now


def test_overdue_and_quiet_follow_the_configured_timers() -> None:
    timers = SeverityTimers(
        remind_unclaimed=timedelta(hours=1),
        escalate_unclaimed=timedelta(hours=2),
        ask_update=timedelta(days=10),
        escalate_quiet=timedelta(days=11),
        resolve_within=timedelta(days=4),
    )
    config = Config(severities={"normal": timers})  # every other severity falls back to it
    figures = management_figures(fixed_complaints(), NOW, SINCE, Planner(config, opening_hours(config)))
    assert figures.overdue == 1  # only #2 (filed 29 April) is four days old
    assert figures.quiet == 0


def test_open_hours_count_as_the_follow_ups_count_them() -> None:
    hours = BusinessHoursConfig(
        days=frozenset(range(5)), start=clock_time(8), end=clock_time(18), holidays=frozenset({date(2026, 5, 1)})
    )
    config = Config(timezone="Europe/Berlin", business_hours=hours)
    planner = Planner(config, opening_hours(config))
    rng = random.Random(7)
    now = datetime(2026, 5, 4, 9, 17, tzinfo=UTC)
    complaints = []
    for number in range(1, 400):
        filed = now - timedelta(minutes=rng.randint(0, 60 * 24 * 50))  # back across the DST change in March
        complaint = make(
            number, filed, claimed=filed + timedelta(minutes=5), severity=rng.choice(["high", "normal", "low"])
        )
        complaint.last_activity_at = filed + timedelta(minutes=rng.randint(5, 60 * 24 * 10))
        complaints.append(complaint)
    figures = management_figures(complaints, now, now - timedelta(days=7), planner)
    overdue = sum(now >= planner.deadline(c) for c in complaints)
    quiet = 0
    for c in complaints:
        quiet += now >= planner.hours.add(c.quiet_since, planner.timers(c).ask_update)
    assert 0 < figures.overdue < len(complaints)
    assert (figures.overdue, figures.quiet) == (overdue, quiet)


def test_ten_thousand_complaints_are_read_once(planner: Planner) -> None:
    complaints = [
        make(n, NOW - timedelta(minutes=n), claimed=NOW - timedelta(minutes=n // 2)) for n in range(1, 10_001)
    ]
    figures = management_figures(complaints, NOW, SINCE, planner)
    assert figures.open == 10_000 and figures.filed == 10_000
    assert len(figures.oldest_open) == 10_000 and figures.oldest_open[0].number == 10_000


# Channel digests.


def test_channel_figures_list_unclaimed_first_and_resolved_since() -> None:
    complaints = fixed_complaints()
    figures = channel_figures(complaints, SINCE, NOW)
    assert set(figures) == {"CSUPPORT", "CSALES", "CTEAM"}
    support = figures["CSUPPORT"]
    assert [c.number for c in support.open] == [2, 6] and [c.number for c in support.resolved] == [1]
    sales = figures["CSALES"]
    assert [c.number for c in sales.open] == [3] and sales.unclaimed == 1
    assert [c.number for c in figures["CTEAM"].resolved] == [7] and figures["CTEAM"].active
    later = channel_figures(complaints, at(4, month=5), NOW + timedelta(days=1))
    assert "CTEAM" not in later  # nothing open, nothing resolved since: no digest
    quiet = channel_figures(complaints, SINCE, NOW, only="CQUIET")["CQUIET"]
    assert not quiet.active
    mixed = channel_figures([make(1, at(1, month=5), claimed=at(1, 9, month=5)), make(2, at(2, month=5))], SINCE, NOW)
    assert [c.number for c in mixed["CSUPPORT"].open] == [2, 1]  # unclaimed before owned, though younger


# The chart.


def test_chart_series_counts_local_days_and_weekly_medians() -> None:
    late = make(1, datetime(2026, 5, 3, 22, 30, tzinfo=UTC), claimed=datetime(2026, 5, 4, 0, 30, tzinfo=UTC))
    complaints = [*fixed_complaints(), late]
    series = chart_series(complaints, NOW, BERLIN)
    assert len(series.days) == 28 and series.days[-1] == date(2026, 5, 4) and series.days[0] == date(2026, 4, 7)
    by_day = dict(zip(series.days, series.filed, strict=True))
    assert by_day[date(2026, 5, 4)] == 1  # 22:30 UTC on 3 May is past midnight in Berlin
    assert by_day[date(2026, 5, 3)] == 1 and by_day[date(2026, 4, 28)] == 1
    resolved = dict(zip(series.days, series.resolved, strict=True))
    assert resolved[date(2026, 4, 29)] == 1 and resolved[date(2026, 4, 30)] == 1 and resolved[date(2026, 5, 3)] == 1
    assert sum(series.filed) == 8 and sum(series.resolved) == 4
    assert series.weeks == (date(2026, 4, 7), date(2026, 4, 14), date(2026, 4, 21), date(2026, 4, 28))
    # Week of 21 April: claims after 4 h (#5) and 1 h (#4). Week of 28 April: 0.5, 2, 6, 2 and 10 min.
    assert series.claim_hours[2] == pytest.approx(2.5)
    assert series.claim_hours[3] == pytest.approx(2.0)
    assert series.claim_hours[0] is None


# The export.


def test_export_rows_hold_the_timeline_figures() -> None:
    complaints = fixed_complaints()
    complaints[3].record(EventKind.ESCALATED, at(22, 10), None, reason="unclaimed")
    complaints[3].record(EventKind.OVERDUE, at(25), None)
    rows = {row.number: row for row in export_rows(reversed(complaints))}
    assert list(rows) == [1, 2, 3, 4, 5, 6, 7]
    assert (rows[1].minutes_to_claim, rows[1].minutes_to_resolve) == (30, 24 * 60)
    assert rows[1].talk and rows[1].confirmed is True and rows[1].customer == "Müller GmbH"
    assert (rows[3].minutes_to_claim, rows[3].minutes_to_resolve, rows[3].status) == (None, None, "unclaimed")
    assert (rows[4].reopened, rows[4].escalations, rows[4].minutes_to_resolve) == (1, 2, 8 * 24 * 60)
    assert rows[2].resolved_at is None and rows[2].owner == "UBEN" and rows[7].replies == 3


# Customers.


@pytest.mark.parametrize(
    "typed",
    [
        "Müller GmbH",
        "mueller gmbh",
        "MÜLLER GmbH & Co. KG",
        "Müller  GmbH und Co. KG",
        "Müller e.K.",
        "MÜLLER",
        "Müller AG",
        "Müller, Ltd.",
        "Müller Inc",
        "Müller LLC",
        "Müller UG (haftungsbeschränkt)",
        "Müller SE",
        "Müller KG",
        "Müller & Co.",
    ],
)
def test_customer_names_match_forgivingly(typed: str) -> None:
    assert customer_key(typed) == customer_key("Müller GmbH") == "mueller"


def test_customer_names_that_differ_stay_apart() -> None:
    assert customer_key("Weiß") == customer_key("WEISS") == "weiss"
    assert customer_key("Müller-Bau AG") == customer_key("Mueller Bau") == "muellerbau"
    assert customer_key("Müller GmbH") != customer_key("Müller-Bau GmbH")
    assert customer_key("") == ""
    assert customer_key("AG") == "ag"  # a name that is only a legal form stays a name


def test_matching_prefers_exact_names_and_falls_back_to_parts() -> None:
    complaints = fixed_complaints()
    complaints.append(make(8, at(3, month=5), customer="Müller-Bau AG"))
    assert [c.number for c in matching(complaints, "MUELLER gmbh & co. kg")] == [1, 2]
    assert [c.number for c in matching(complaints, "bau")] == [8]
    assert matching(complaints, "   ") == [] and matching(complaints, "Nobody Ltd") == []
    assert [c.number for c in open_first(matching(complaints, "müller"))] == [2, 1]


def test_customer_history_for_a_new_card() -> None:
    complaints = fixed_complaints()
    new = make(9, at(4, month=5), customer="Mueller")
    found = history([*complaints, new], new)
    assert found is not None and (found.earlier, found.open, found.latest.number) == (2, 1, 2)
    assert history(complaints, complaints[0]) is None  # the first one has no earlier complaints
    assert history(complaints, make(10, NOW)) is None  # no customer named


# Cron periods.


def test_last_fire_finds_the_latest_cron_moment() -> None:
    monday_nine = datetime(2026, 5, 4, 7, 0, tzinfo=UTC)  # 09:00 in Berlin
    assert last_fire("0 8 * * 1-5", BERLIN, monday_nine) == datetime(2026, 5, 4, 6, 0, tzinfo=UTC)
    monday_seven = datetime(2026, 5, 4, 5, 0, tzinfo=UTC)
    assert last_fire("0 8 * * 1-5", BERLIN, monday_seven) == datetime(2026, 5, 1, 6, 0, tzinfo=UTC)
    assert last_fire("* * * * *", BERLIN, datetime(2026, 5, 4, 5, 0, 30, tzinfo=UTC)) == monday_seven
    assert last_fire("0 8 1 1 *", BERLIN, monday_seven) == datetime(2026, 1, 1, 7, 0, tzinfo=UTC)


def test_the_charts_claim_times_under_an_hour_read_in_minutes() -> None:
    weeks = (date(2026, 4, 13), date(2026, 4, 20), date(2026, 4, 27))
    series = ChartSeries(days=(), filed=(), resolved=(), weeks=weeks, claim_hours=(0.05, 2.345, None))
    for language, expected in (
        ("en", ("3 minutes", "2.3", "none taken on")),
        ("de", ("3 Minuten", "2,3", "keine übernommen")),
    ):
        config = Config(language=language, timezone="Europe/Berlin")
        labels = DigestRenderer(Renderer(Catalog(language, config.tz), config)).chart_labels(series)
        assert labels.claim_values == expected


# Rendering stays within Block Kit's limits.


def test_a_huge_digest_renders_within_block_kit_limits(planner: Planner) -> None:
    config = Config(language="de", timezone="Europe/Berlin")
    digest = DigestRenderer(Renderer(Catalog("de", config.tz), config))
    complaints = []
    for number in range(1, 1201):
        complaint = make(
            number,
            NOW - timedelta(hours=number),
            channel=f"C{number % 150:05d}",
            customer=f"<!channel> Kunde {number % 80} GmbH & Co. KG " + "x" * 300,
            category=["product", "billing", ""][number % 3],
        )
        complaint.summary = "Ärger & <Streit> " * 40
        complaint.card_ts = f"1700000000.{number:06d}"
        complaint.owner, complaint.status = (
            (f"U{number % 200:05d}", Status.OWNED) if number % 2 else (None, Status.UNCLAIMED)
        )
        complaints.append(complaint)
    figures = management_figures(complaints, NOW, SINCE, planner)
    text, blocks = digest.management(figures)
    assert block_kit_problems(blocks) == []
    assert "Reklamationsbericht" in str(blocks) and len(text) < 3000
    shown = str(blocks)
    assert "weitere" in shown and "/complaint export" in shown and "<!channel>" not in shown
    for figures_of_channel in channel_figures(complaints, SINCE, NOW).values():
        assert block_kit_problems(digest.channel(figures_of_channel, NOW)[1]) == []
    customer_text, customer_blocks = digest.customer("kunde 1", open_first(matching(complaints, "Kunde 1")), NOW)
    assert block_kit_problems(customer_blocks) == [] and "kunde 1: 165" in customer_text
