"""The figures behind digests, charts and exports: pure functions over complaints, a moment and a period.

Nothing here knows Slack or the store. Periods are half-open, [since, until): a complaint resolved exactly at
the end of one digest's period counts in the next one. Durations are wall-clock time. A median of an even
count is the mean of the middle two; the 90th percentile interpolates linearly between the closest ranks
(the "inclusive" method of spreadsheets and numpy), so both are stable and easy to check by hand.

The one entry point for the management digest is `management_figures(complaints, now, since, planner)`.
One concept, though long: the figures every report shows, each defined once so that digest, chart and export
agree.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo
from typing import Protocol

from bot.business_hours import OpeningHours
from bot.config import SeverityTimers
from bot.customers import customer_key
from bot.eightd.rules import EightDRules
from bot.model import Complaint, EventKind, Status

CHART_DAYS = 28


class Plan(Protocol):
    """What the figures need from the follow-up rules: the opening hours and a complaint's severity's timers."""

    @property
    def hours(self) -> OpeningHours:
        """The hours that count (every hour when no business hours are configured)."""
        ...

    def timers(self, complaint: Complaint) -> SeverityTimers:
        """The timers of the complaint's severity."""
        ...


# Statistics.


def median(values: Sequence[float]) -> float | None:
    """The middle value (the mean of the middle two for an even count); None for no values."""
    return percentile(values, 0.5)


def percentile(values: Sequence[float], share: float) -> float | None:
    """The value below which `share` of the values lie, interpolated between the closest ranks; None if empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = share * (len(ordered) - 1)
    low = int(rank)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


@dataclass(frozen=True)
class Spread:
    """How long something took: the median and the 90th percentile of `count` durations."""

    count: int
    median: timedelta | None
    p90: timedelta | None


def spread(durations: Sequence[timedelta]) -> Spread:
    """Median and 90th percentile of some durations."""
    seconds = [d.total_seconds() for d in durations]
    mid, p90 = median(seconds), percentile(seconds, 0.9)
    return Spread(
        len(seconds),
        None if mid is None else timedelta(seconds=mid),
        None if p90 is None else timedelta(seconds=p90),
    )


# The management digest.


@dataclass(frozen=True)
class Group:
    """One channel's or category's share: filed and resolved in the period, open now."""

    name: str
    filed: int
    resolved: int
    open: int


@dataclass(frozen=True)
class CustomerCount:
    """A customer who complained more than once in the period."""

    name: str
    filed: int
    open: int
    latest: Complaint


@dataclass(frozen=True)
class TalkFigures:
    """Whether talking it through helps: how many talks, and time to resolve with and without one."""

    started: int
    resolve_with_talk: Spread
    resolve_without_talk: Spread
    replies_before_talk: float | None


@dataclass(frozen=True)
class EightDFigures:
    """The 8D at a glance: completed in the period, how fast and how often containment came in time, and what is
    open past its containment deadline now."""

    completed: int
    contained: int
    contained_in_time: int
    containment: Spread
    past_containment: int
    within: timedelta

    @property
    def active(self) -> bool:
        """Whether there is anything to show."""
        return bool(self.completed or self.contained or self.past_containment)


class _EightDTally:
    """The 8D figures, gathered while the complaints are read once."""

    def __init__(self, rules: EightDRules, since: datetime, until: datetime, now: datetime) -> None:
        self.rules, self.since, self.until, self.now = rules, since, until, now
        self.completed = self.in_time = self.past = 0
        self.times: list[timedelta] = []

    def add(self, c: Complaint) -> None:
        """Count one complaint."""
        eight_d = c.eight_d
        self.completed += _within(eight_d.completed_at, self.since, self.until)
        if _within(eight_d.contained_at, self.since, self.until):
            self.times.append(self.rules.time_to_containment(c) or timedelta(0))
            self.in_time += bool(self.rules.contained_in_time(c))
        self.past += self.rules.past_containment(c, self.now)

    def figures(self) -> EightDFigures:
        """The tally as figures."""
        return EightDFigures(
            self.completed, len(self.times), self.in_time, spread(self.times), self.past, self.rules.containment_within
        )


@dataclass(frozen=True)
class ManagementFigures:
    """Everything the management digest shows, computed once from the complaints.

    Period counts cover [since, until); `claimed` and the time to claim count complaints taken on for the
    first time in the period; `resolved` and the time to resolve count complaints resolved in the period
    and still resolved; `reopened` counts complaints reopened in the period. The "now" figures describe
    the open complaints at `now`.
    """

    since: datetime
    until: datetime
    now: datetime
    previous_since: datetime
    filed: int
    claimed: int
    resolved: int
    confirmed: int
    reopened: int
    open: int
    unclaimed: int
    quiet: int
    overdue: int
    claim: Spread
    claim_before: Spread
    resolve: Spread
    resolve_before: Spread
    channels: tuple[Group, ...]
    categories: tuple[Group, ...]
    oldest_open: tuple[Complaint, ...]
    owners: tuple[tuple[str, int], ...]
    talk: TalkFigures
    repeat_customers: tuple[CustomerCount, ...]
    eight_d: EightDFigures | None = None


class _Rules:
    """When an open complaint counts as overdue or quiet: by the follow-up rules, open hours counted as they count."""

    def __init__(self, plan: Plan, now: datetime) -> None:
        self.plan = plan
        self.open_since = plan.hours.open_clock(now)

    def overdue(self, complaint: Complaint, now: datetime) -> bool:
        """Open for longer than its severity's resolve_within."""
        return self._passed(complaint.filed_at, self.plan.timers(complaint).resolve_within, now)

    def quiet(self, complaint: Complaint, now: datetime) -> bool:
        """Owned, and nothing happened for longer than its severity's ask_update (a pause counts as activity)."""
        return self._passed(complaint.quiet_since, self.plan.timers(complaint).ask_update, now)

    def _passed(self, start: datetime, limit: timedelta, now: datetime) -> bool:
        """Whether `limit` of (open) time has passed since `start`; the wall clock rules most out at once."""
        return now - start >= limit and self.open_since(start) >= limit


def _within(moment: datetime | None, start: datetime, end: datetime) -> bool:
    """Whether a moment lies in [start, end)."""
    return moment is not None and start <= moment < end


def _reopened_within(complaint: Complaint, start: datetime, end: datetime) -> bool:
    """Whether the complaint was reopened in [start, end); reads the timeline from its end, which is in order."""
    for entry in reversed(complaint.timeline):
        if entry.at < start:
            return False
        if entry.kind == EventKind.REOPENED and entry.at < end:
            return True
    return False


class _Tally:
    """Counts per channel or category while the complaints are read once."""

    def __init__(self) -> None:
        self.filed: Counter[str] = Counter()
        self.resolved: Counter[str] = Counter()
        self.open: Counter[str] = Counter()

    def groups(self) -> tuple[Group, ...]:
        """The groups with anything to show, busiest first."""
        names = set(self.filed) | set(self.resolved) | set(self.open)
        rows = [Group(n, self.filed[n], self.resolved[n], self.open[n]) for n in names]
        return tuple(sorted(rows, key=lambda g: (-g.open, -g.filed, -g.resolved, g.name)))


def management_figures(
    complaints: Iterable[Complaint],
    now: datetime,
    since: datetime,
    planner: Plan,
    *,
    until: datetime | None = None,
    eight_d: EightDRules | None = None,
) -> ManagementFigures:
    """The management digest's figures for the period [since, until) (until defaults to now).

    `planner` is the follow-up Planner: overdue and quiet are counted by its severity timers and opening
    hours, as the follow-ups count them. Reads every complaint once; 10,000 complaints take a few tens of
    milliseconds.
    """
    until = until or now
    previous_since = since - (until - since)
    rules = _Rules(planner, now)
    counts: Counter[str] = Counter()
    claim: list[timedelta] = []
    claim_before: list[timedelta] = []
    resolve: list[timedelta] = []
    resolve_before: list[timedelta] = []
    with_talk: list[timedelta] = []
    without_talk: list[timedelta] = []
    replies_before: list[float] = []
    channels, categories = _Tally(), _Tally()
    still_open: list[Complaint] = []
    owners: Counter[str] = Counter()
    customers: dict[str, list[Complaint]] = {}
    eight_d_tally = _EightDTally(eight_d, since, until, now) if eight_d is not None else None
    for c in complaints:
        if eight_d_tally is not None:
            eight_d_tally.add(c)
        if _within(c.filed_at, since, until):
            counts["filed"] += 1
            channels.filed[c.channel] += 1
            categories.filed[c.category] += 1
            if c.customer:
                customers.setdefault(customer_key(c.customer), []).append(c)
        first_claim = c.first_claimed_at
        if first_claim is not None:
            if _within(first_claim, since, until):
                counts["claimed"] += 1
                claim.append(first_claim - c.filed_at)
            elif _within(first_claim, previous_since, since):
                claim_before.append(first_claim - c.filed_at)
        if c.status is Status.RESOLVED and c.resolved_at is not None:
            taken = c.resolved_at - c.filed_at
            if _within(c.resolved_at, since, until):
                counts["resolved"] += 1
                counts["confirmed"] += c.confirmed is True
                channels.resolved[c.channel] += 1
                categories.resolved[c.category] += 1
                resolve.append(taken)
                (with_talk if c.talk_started_at else without_talk).append(taken)
            elif _within(c.resolved_at, previous_since, since):
                resolve_before.append(taken)
        if _within(c.talk_started_at, since, until):
            counts["talks"] += 1
            if c.replies_before_talk is not None:
                replies_before.append(c.replies_before_talk)
        if c.timeline and c.timeline[-1].at >= since and _reopened_within(c, since, until):
            counts["reopened"] += 1
        if c.is_open:
            still_open.append(c)
            channels.open[c.channel] += 1
            categories.open[c.category] += 1
            if c.status is Status.UNCLAIMED:
                counts["unclaimed"] += 1
            elif c.owner:
                owners[c.owner] += 1
                counts["quiet"] += rules.quiet(c, now)
            counts["overdue"] += rules.overdue(c, now)
    still_open.sort(key=lambda c: (c.filed_at, c.number))
    return ManagementFigures(
        since=since,
        until=until,
        now=now,
        previous_since=previous_since,
        filed=counts["filed"],
        claimed=counts["claimed"],
        resolved=counts["resolved"],
        confirmed=counts["confirmed"],
        reopened=counts["reopened"],
        open=len(still_open),
        unclaimed=counts["unclaimed"],
        quiet=counts["quiet"],
        overdue=counts["overdue"],
        claim=spread(claim),
        claim_before=spread(claim_before),
        resolve=spread(resolve),
        resolve_before=spread(resolve_before),
        channels=channels.groups(),
        categories=categories.groups(),
        oldest_open=tuple(still_open),
        owners=tuple(sorted(owners.items(), key=lambda pair: (-pair[1], pair[0]))),
        talk=TalkFigures(counts["talks"], spread(with_talk), spread(without_talk), median(replies_before)),
        repeat_customers=_repeat_customers(customers),
        eight_d=eight_d_tally.figures() if eight_d_tally is not None else None,
    )


def _repeat_customers(customers: dict[str, list[Complaint]]) -> tuple[CustomerCount, ...]:
    """Customers with two or more complaints filed in the period, the most frequent first."""
    rows = []
    for filed in customers.values():
        if len(filed) < 2:
            continue
        latest = max(filed, key=lambda c: (c.filed_at, c.number))
        rows.append(CustomerCount(latest.customer, len(filed), sum(1 for c in filed if c.is_open), latest))
    return tuple(sorted(rows, key=lambda r: (-r.filed, customer_key(r.name))))


# Channel digests.


@dataclass(frozen=True)
class ChannelFigures:
    """One channel's digest: what is open there (unclaimed first) and what was resolved in the period."""

    channel: str
    since: datetime
    until: datetime
    open: tuple[Complaint, ...]
    resolved: tuple[Complaint, ...]
    filed: int

    @property
    def active(self) -> bool:
        """Whether the channel has anything to report; a channel with nothing gets no scheduled digest."""
        return bool(self.open or self.resolved)

    @property
    def unclaimed(self) -> int:
        """How many open complaints nobody owns."""
        return sum(1 for c in self.open if c.status is Status.UNCLAIMED)


def channel_figures(
    complaints: Iterable[Complaint], since: datetime, until: datetime, only: str | None = None
) -> dict[str, ChannelFigures]:
    """Every channel's digest figures (or just `only`'s), keyed by the channel where the cards are."""
    opened: dict[str, list[Complaint]] = {}
    resolved: dict[str, list[Complaint]] = {}
    filed: Counter[str] = Counter()
    for c in complaints:
        if only is not None and c.channel != only:
            continue
        if c.is_open:
            opened.setdefault(c.channel, []).append(c)
        elif _within(c.resolved_at, since, until):
            resolved.setdefault(c.channel, []).append(c)
        if _within(c.filed_at, since, until):
            filed[c.channel] += 1
    names = set(opened) | set(resolved) | ({only} if only else set())
    return {
        name: ChannelFigures(
            name,
            since,
            until,
            tuple(sorted(opened.get(name, []), key=lambda c: (c.status is not Status.UNCLAIMED, c.filed_at, c.number))),
            tuple(sorted(resolved.get(name, []), key=lambda c: (c.resolved_at, c.number), reverse=True)),
            filed[name],
        )
        for name in sorted(names)
    }


# The chart.


@dataclass(frozen=True)
class ChartSeries:
    """What the digest chart draws: filed and resolved per day, and the median time to claim per week."""

    days: tuple[date, ...]
    filed: tuple[int, ...]
    resolved: tuple[int, ...]
    weeks: tuple[date, ...]
    claim_hours: tuple[float | None, ...]


def chart_series(complaints: Iterable[Complaint], now: datetime, tz: tzinfo, days: int = CHART_DAYS) -> ChartSeries:
    """The last `days` local days up to today, and the same span in weeks of seven days (oldest first)."""
    today = now.astimezone(tz).date()
    first = today - timedelta(days=days - 1)
    filed = [0] * days
    resolved = [0] * days
    week_count = max(1, days // 7)
    claims: list[list[float]] = [[] for _ in range(week_count)]
    week_first = today - timedelta(days=week_count * 7 - 1)
    for c in complaints:
        index = (c.filed_at.astimezone(tz).date() - first).days
        if 0 <= index < days:
            filed[index] += 1
        if c.status is Status.RESOLVED and c.resolved_at is not None:
            index = (c.resolved_at.astimezone(tz).date() - first).days
            if 0 <= index < days:
                resolved[index] += 1
        if c.first_claimed_at is not None:
            week = (c.first_claimed_at.astimezone(tz).date() - week_first).days // 7
            if 0 <= week < week_count:
                claims[week].append((c.first_claimed_at - c.filed_at).total_seconds() / 3600)
    return ChartSeries(
        days=tuple(first + timedelta(days=i) for i in range(days)),
        filed=tuple(filed),
        resolved=tuple(resolved),
        weeks=tuple(week_first + timedelta(days=7 * i) for i in range(week_count)),
        claim_hours=tuple(median(hours) for hours in claims),
    )


# The export.


@dataclass(frozen=True)
class ExportRow:
    """One complaint's line in the export, with its timeline figures."""

    number: int
    filed_at: datetime
    claimed_at: datetime | None
    resolved_at: datetime | None
    minutes_to_claim: int | None
    minutes_to_resolve: int | None
    status: str
    owner: str
    reporter: str
    customer: str
    channel: str
    severity: str
    category: str
    replies: int
    reopened: int
    escalations: int
    talk: bool
    confirmed: bool | None
    claim_number: str = ""
    part_number: str = ""
    batch: str = ""
    quantity: str = ""
    team: tuple[str, ...] = ()
    containment: str = ""
    contained_at: datetime | None = None
    minutes_to_contain: int | None = None
    contained_in_time: bool | None = None
    occurrence: str = ""
    escape: str = ""
    corrective: str = ""
    corrective_date: date | None = None
    verification: str = ""
    preventive: str = ""
    eight_d_completed: datetime | None = None
    eight_d_reports: int = 0


def _minutes(start: datetime, end: datetime | None) -> int | None:
    """Whole minutes between two moments, rounded; None when the second has not happened."""
    return None if end is None else round((end - start).total_seconds() / 60)


def export_rows(complaints: Iterable[Complaint], eight_d: EightDRules | None = None) -> list[ExportRow]:
    """Every complaint's export line, in number order; escalations include the overdue notices to management.

    With the 8D rules, each line says whether containment came within `containment_within`.
    """
    rows = []
    for c in sorted(complaints, key=lambda c: c.number):
        kinds = Counter(entry.kind for entry in c.timeline)
        resolved_at = c.resolved_at if c.status is Status.RESOLVED else None
        e = c.eight_d
        rows.append(
            ExportRow(
                number=c.number,
                filed_at=c.filed_at,
                claimed_at=c.first_claimed_at,
                resolved_at=resolved_at,
                minutes_to_claim=_minutes(c.filed_at, c.first_claimed_at),
                minutes_to_resolve=_minutes(c.filed_at, resolved_at),
                status=c.status.value,
                owner=c.owner or "",
                reporter=c.reporter,
                customer=c.customer,
                channel=c.channel,
                severity=c.severity,
                category=c.category,
                replies=c.replies,
                reopened=kinds[EventKind.REOPENED],
                escalations=kinds[EventKind.ESCALATED] + kinds[EventKind.OVERDUE],
                talk=c.talk_started_at is not None,
                confirmed=c.confirmed,
                claim_number=e.claim_number,
                part_number=e.part_number,
                batch=e.batch,
                quantity=e.quantity,
                team=tuple(e.team),
                containment=e.containment,
                contained_at=e.contained_at,
                minutes_to_contain=_minutes(c.filed_at, max(e.contained_at, c.filed_at)) if e.contained_at else None,
                contained_in_time=eight_d.contained_in_time(c) if eight_d is not None else None,
                occurrence=e.occurrence,
                escape=e.escape,
                corrective=e.corrective,
                corrective_date=e.corrective_date,
                verification=e.verification,
                preventive=e.preventive,
                eight_d_completed=e.completed_at,
                eight_d_reports=e.revisions,
            )
        )
    return rows
