"""Reports: the management digest, channel digests, the export and the customer view; who may see what, when.

Digests run on their cron and on request. A scheduled digest covers the time since the previous scheduled one
(its end is kept in the store) up to the cron's own moment, and claims that period in the same transaction
that queues its messages: a retried run, a second replica or a restart mid-run finds the period claimed and
posts nothing. A digest on request shows the same period up to now and moves nothing on.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.chart import render_png
from bot.config import cron_trigger
from bot.customers import matching, open_first
from bot.model import Complaint, Effect
from bot.rendering import Renderer
from bot.rendering.digest import DigestRenderer
from bot.reports import ExportRow, channel_figures, chart_series, export_rows, management_figures
from bot.services import Deps, Outcome, post, prepared, upload
from bot.services.access import Access
from bot.services.commands import Reply, queue_once
from bot.services.followups import Planner

log = logging.getLogger("complaints.reports")

MANAGEMENT = "management"
CHANNELS = "channels"
REPORT, EXPORT = "report", "export"  # what a "prepare" effect makes
FALLBACK_PERIOD = timedelta(days=7)
# How far back to look for a cron's latest moment, widening until one is found (a minutely cron needs the
# first, a monthly one the last): few steps either way.
LOOKBACK = (
    timedelta(minutes=2),
    timedelta(hours=2),
    timedelta(days=2),
    timedelta(days=9),
    timedelta(days=35),
    timedelta(days=400),
)
EXPORT_COLUMNS = (
    "number",
    "filed",
    "claimed",
    "resolved",
    "minutes_to_claim",
    "minutes_to_resolve",
    "status",
    "owner",
    "reporter",
    "customer",
    "channel",
    "severity",
    "category",
    "replies",
    "reopened",
    "escalations",
    "talk",
    "confirmed",
    "claim_number",
    "part_number",
    "batch",
    "quantity",
    "team",
    "containment",
    "contained",
    "minutes_to_contain",
    "contained_in_time",
    "occurrence",
    "escape",
    "corrective",
    "corrective_date",
    "verification",
    "preventive",
    "eight_d_completed",
    "eight_d_reports",
)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def last_fire(expr: str, tz: ZoneInfo, moment: datetime) -> datetime | None:
    """The cron's latest moment at or before `moment` (UTC), or None if it has none within a year."""
    trigger = cron_trigger(expr, tz)
    for window in LOOKBACK:
        fire = trigger.get_next_fire_time(None, moment - window)
        if fire is None or fire > moment:
            continue
        while True:
            following = trigger.get_next_fire_time(fire, fire + timedelta(microseconds=1))
            if following is None or following > moment:
                return fire.astimezone(UTC)
            fire = following
    return None


def meta_key(kind: str) -> str:
    """Where the end of the last scheduled digest of a kind is kept."""
    return f"digest.{kind}.last"


class Reports:
    """Digests, report, export and customer view, each deciding who may see it."""

    def __init__(
        self,
        deps: Deps,
        render: Renderer,
        access: Access,
        planner: Planner,
        preparers: dict[str, Callable[[Effect], bool]] | None = None,
    ) -> None:
        self.deps = deps
        self.render = render
        self.digest = DigestRenderer(render)
        self.access = access
        self.planner = planner
        self.preparers = dict(preparers or {})  # further requests made after the ack (the 8D report)
        self.t = deps.catalog.t

    # Periods.

    def _cron(self, kind: str) -> str | None:
        """The configured schedule of a digest kind (None: switched off)."""
        config = self.deps.config
        return config.management_digest_cron if kind == MANAGEMENT else config.channel_digest_cron

    def _since(self, kind: str, end: datetime) -> tuple[datetime, str | None]:
        """Where the period ending at `end` starts, and the stored value it came from.

        The end of the last scheduled digest; before the first one, the cron moment before `end` (so the first
        digest covers one regular period), or a week when the digest has no schedule.
        """
        stored = self.deps.store.get_meta(meta_key(kind))
        if stored:
            return datetime.fromisoformat(str(stored)), str(stored)
        expr = self._cron(kind)
        previous = last_fire(expr, self.deps.config.tz, end - timedelta(microseconds=1)) if expr else None
        return previous or end - FALLBACK_PERIOD, None

    def _scheduled(self, kind: str, build: Callable[[datetime, datetime, datetime], list[Effect]]) -> Outcome:
        """Run one scheduled digest for the cron moment just passed, unless that period was already claimed."""
        now = self.deps.now()
        expr = self._cron(kind)
        slot = (last_fire(expr, self.deps.config.tz, now) if expr else None) or now
        since, stored = self._since(kind, slot)
        if since >= slot:
            return Outcome(False)
        effects = build(since, slot, now)
        with self.deps.store.transaction() as tx:
            current = tx.get_meta(meta_key(kind))
            if (str(current) if current else None) != stored or not tx.first_time(f"digest:{kind}:{since.isoformat()}"):
                return Outcome(False)
            for effect in effects:
                tx.enqueue(effect)
            tx.set_meta(meta_key(kind), slot.isoformat())
        log.info("%s digest for %s – %s: %d message(s)", kind, since.isoformat(), slot.isoformat(), len(effects))
        return Outcome(True, data={"since": since, "until": slot, "effects": len(effects)})

    # The management digest.

    def scheduled_management(self) -> Outcome:
        """The management digest on its cron, in the management channel (none configured: nothing to do)."""
        target = self.deps.config.management_channel
        if not target:
            return Outcome(False)
        return self._scheduled(MANAGEMENT, lambda since, until, now: self._management(target, since, until, now))

    def report(self, channel: str, user: str, argument: str = "", key: str = "") -> Reply:
        """`/complaint report`: managers get the digest now (in the management channel, else as a DM).

        Only the request is stored here: the figures and the chart (hundreds of milliseconds over a long
        history) are made by the outbox (`prepare`), so the command is acknowledged at once. The same command
        delivered again (`key`, its trigger_id) is answered alike and queues nothing.
        """
        if not self.access.is_manager(user):
            return Reply(text=self.t("report.only_managers"))
        now = self.deps.now()
        since, _ = self._since(MANAGEMENT, now)
        target = self.deps.config.management_channel or user
        if not queue_once(
            self.deps.store, key, prepared(REPORT, target, since=since.isoformat(), until=now.isoformat())
        ):
            log.info("/complaint report from %s came again; no second report", user)
        if target == user:
            return Reply(text=self.t("report.sent_dm"))
        return Reply(text=self.t("report.posted", channel=target))

    def prepare(self, effect: Effect) -> bool:
        """Deliver a requested report or export: make its messages and queue them in its place, in one step.

        They join the request's own lane, so a report's message still comes before its chart. The effect's id is
        kept as an idempotency key, so a second look at the same request (a retry, another leader) queues
        nothing more. A report's period ends at the moment it was asked for.
        """
        data = effect.data
        other = self.preparers.get(str(data.get("what")))
        if other is not None:
            return other(effect)
        target = effect.channel or effect.lane
        at = datetime.fromisoformat(str(data["until"]))
        if data.get("what") == REPORT:
            effects = self._management(target, datetime.fromisoformat(str(data["since"])), at, at)
        elif data.get("what") == EXPORT:
            effects = [self._export_file(target, at)]
        else:
            raise ValueError(f"no such request to prepare: {data.get('what')!r}")
        with self.deps.store.transaction() as tx:
            if tx.first_time(f"prepared:{effect.id}"):
                for made in effects:
                    tx.enqueue(made)
            tx.finish_effect(effect.id)
        return True

    def _management(self, target: str, since: datetime, until: datetime, now: datetime) -> list[Effect]:
        """The digest message and, after it in the same lane, its chart."""
        complaints = list(self.deps.store.all_complaints())
        figures = management_figures(complaints, now, since, self.planner, until=until, eight_d=self.planner.eight_d)
        text, blocks = self.digest.management(figures)
        effects = [post(target, text, blocks)]
        chart = self._chart(target, complaints, now)
        if chart is not None:
            effects.append(chart)
        return effects

    def _chart(self, target: str, complaints: list[Complaint], now: datetime) -> Effect | None:
        """The chart as an upload; a drawing failure costs the chart, never the digest."""
        try:
            series = chart_series(complaints, now, self.deps.config.tz)
            png = render_png(series, self.digest.chart_labels(series))
        except Exception:  # matplotlib is a large library; the numbers matter more than the picture
            log.exception("could not draw the digest chart")
            return None
        day = self.deps.catalog.date(now)
        return upload(
            target,
            self.t("chart.filename", date=now.astimezone(self.deps.config.tz).date().isoformat()),
            png,
            self.t("chart.file_title", date=day),
            self.t("chart.comment"),
        )

    # Channel digests.

    def scheduled_channels(self) -> Outcome:
        """Every channel with open complaints or something resolved since the last run gets its own digest."""
        return self._scheduled(CHANNELS, self._channel_digests)

    def _channel_digests(self, since: datetime, until: datetime, now: datetime) -> list[Effect]:
        """One message per channel that has anything to say (each channel is its own outbox lane)."""
        effects = []
        for figures in channel_figures(self.deps.store.all_complaints(), since, until).values():
            if figures.active:
                text, blocks = self.digest.channel(figures, now)
                effects.append(post(figures.channel, text, blocks))
        return effects

    def channel_digest(self, channel: str, user: str, argument: str = "", key: str = "") -> Reply:
        """`/complaint digest`: this channel's digest now, or privately one line when there is nothing.

        The same command delivered again (`key`, its trigger_id) posts no second digest.
        """
        now = self.deps.now()
        since, _ = self._since(CHANNELS, now)
        figures = channel_figures(self.deps.store.all_complaints(), since, now, only=channel)[channel]
        if not figures.active:
            return Reply(text=self.digest.channel_nothing(channel, since))
        text, blocks = self.digest.channel(figures, now)
        if not queue_once(self.deps.store, key, post(channel, text, blocks)):
            log.info("/complaint digest from %s in %s came again; no second digest", user, channel)
        return Reply()

    # The export.

    def export(self, channel: str, user: str, argument: str = "", key: str = "") -> Reply:
        """`/complaint export`: managers get every complaint as a CSV file in a direct message (see `prepare`).

        The same command delivered again (`key`, its trigger_id) is answered alike and sends no second file.
        """
        if not self.access.is_manager(user):
            return Reply(text=self.t("report.only_managers"))
        if not queue_once(self.deps.store, key, prepared(EXPORT, user, until=self.deps.now().isoformat())):
            log.info("/complaint export from %s came again; no second file", user)
        return Reply(text=self.t("export.sent"))

    def _export_file(self, user: str, now: datetime) -> Effect:
        """The CSV of every complaint as an upload to the manager's direct messages."""
        rows = export_rows(self.deps.store.all_complaints(), self.planner.eight_d)
        catalog, tz = self.deps.catalog, self.deps.config.tz
        name = self.t("export.filename", date=now.astimezone(tz).date().isoformat())
        comment = self.t("export.comment", count=catalog.number(len(rows)), when=catalog.when(now), zone=tz.key)
        return upload(user, name, self.export_csv(rows), self.t("export.title", date=catalog.date(now)), comment)

    def export_csv(self, rows: list[ExportRow]) -> bytes:
        """The CSV: translated headers, local ISO times, plain ids; UTF-8 with a BOM so spreadsheets read umlauts."""
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow([self.t(f"export.col.{column}") for column in EXPORT_COLUMNS])
        for row in rows:
            writer.writerow(self._csv_values(row))
        return ("\ufeff" + buffer.getvalue()).encode("utf-8")

    def _csv_values(self, row: ExportRow) -> list[object]:
        """One row's cells in the order of EXPORT_COLUMNS."""
        catalog, tz = self.deps.catalog, self.deps.config.tz

        def when(value: datetime | None) -> str:
            return "" if value is None else value.astimezone(tz).isoformat(timespec="seconds")

        def yes_no(value: bool | None) -> str:
            return "" if value is None else self.t("export.yes" if value else "export.no")

        def number(value: int | None) -> object:
            return "" if value is None else value

        return [
            row.number,
            when(row.filed_at),
            when(row.claimed_at),
            when(row.resolved_at),
            "" if row.minutes_to_claim is None else row.minutes_to_claim,
            "" if row.minutes_to_resolve is None else row.minutes_to_resolve,
            self.t(f"status.{row.status}"),
            row.owner,
            row.reporter,
            _cell(row.customer),
            row.channel,
            catalog.word("severity", row.severity),
            catalog.word("category", row.category) if row.category else "",
            row.replies,
            row.reopened,
            row.escalations,
            yes_no(row.talk),
            yes_no(row.confirmed),
            _cell(row.claim_number),
            _cell(row.part_number),
            _cell(row.batch),
            _cell(row.quantity),
            " ".join(row.team),
            _cell(row.containment),
            when(row.contained_at),
            number(row.minutes_to_contain),
            yes_no(row.contained_in_time),
            _cell(row.occurrence),
            _cell(row.escape),
            _cell(row.corrective),
            row.corrective_date.isoformat() if row.corrective_date else "",
            _cell(row.verification),
            _cell(row.preventive),
            when(row.eight_d_completed),
            row.eight_d_reports,
        ]

    # The customer view.

    def customer(self, channel: str, user: str, argument: str, key: str = "") -> Reply:
        """`/complaint customer <name>`: that customer's complaints, open first, only for the caller.

        It changes nothing, so a second delivery of the same command (`key`) needs no check.
        """
        found = open_first(matching(self.deps.store.all_complaints(), argument))
        text, blocks = self.digest.customer(argument, found, self.deps.now())
        return Reply(text=text, blocks=blocks, found_nothing=not found)


def _cell(text: str) -> str:
    """Typed text for a spreadsheet cell: one that looks like a formula is kept as text."""
    return "'" + text if text.startswith(FORMULA_START) else text
