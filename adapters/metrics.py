"""Prometheus metrics at /metrics: what operators graph and alert on.

Each Runtime has its own registry (never the process-wide default), so several bots can run in one process
(tests, benchmarks) without their numbers mixing. Counters and the ack histogram are updated as things
happen; complaints by state, outbox depth, timer lag, database and leader state are read when scraped.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from bot.leadership import Role
from bot.model import Status
from bot.outbox import Outbox
from bot.scheduler import Timers
from bot.store import Store, StoreError

log = logging.getLogger("complaints.metrics")

# Slack wants an ack within 3 s; the buckets are dense below that.
ACK_BUCKETS = (0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0)
LEADING = ("leader", "single")


class Metrics:
    """The bot's metrics: call on_request / on_call as things happen, `render` for a scrape."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.acks = Histogram(
            "complaint_desk_ack_seconds",
            "Time from a Slack request arriving to its answer.",
            ["kind"],
            registry=self.registry,
            buckets=ACK_BUCKETS,
        )
        self.slack_calls = Counter(
            "complaint_desk_slack_calls",
            "Slack Web API calls made to deliver effects.",
            ["method"],
            registry=self.registry,
        )
        self.slack_errors = Counter(
            "complaint_desk_slack_errors", "Slack Web API calls that failed.", ["method"], registry=self.registry
        )
        self.rate_limited = Counter(
            "complaint_desk_app_rate_limited",
            "Times Slack held back this app's events from a workspace (app_rate_limited).",
            registry=self.registry,
        )
        self.store: Store | None = None
        self.timers: Timers | None = None
        self.role: Role | None = None
        self.outbox: Outbox | None = None
        self.registry.register(_Live(self))

    def watch(self, store: Store, timers: Timers, role: Role, outbox: Outbox | None = None) -> None:
        """The parts whose state a scrape reads."""
        self.store, self.timers, self.role, self.outbox = store, timers, role, outbox

    def on_request(self, kind: str, seconds: float) -> None:
        """A Slack request (command, event, interactive) was answered after `seconds`."""
        self.acks.labels(kind).observe(seconds)

    def on_call(self, method: str, ok: bool) -> None:
        """One Web API call by the outbox, and whether it worked."""
        self.slack_calls.labels(method).inc()
        if not ok:
            self.slack_errors.labels(method).inc()

    def on_rate_limited(self) -> None:
        """Slack said it holds back this app's events (app_rate_limited)."""
        self.rate_limited.inc()

    def render(self) -> tuple[str, str]:
        """The text exposition format for GET /metrics."""
        return CONTENT_TYPE_LATEST, generate_latest(self.registry).decode("utf-8")


class _Live(Collector):
    """Values read at scrape time, so they are never stale and cost nothing between scrapes."""

    def __init__(self, metrics: Metrics) -> None:
        self.metrics = metrics

    def collect(self) -> Iterator[GaugeMetricFamily]:
        """Complaints by state, outbox depth, timer lag, database and leader state."""
        store, timers, role = self.metrics.store, self.metrics.timers, self.metrics.role
        yield from self._outbox(self.metrics.outbox)
        if store is not None:
            up = bool(store.ping())
            yield _gauge("complaint_desk_database_up", "Whether the store answers (1) or not (0).", float(up))
            if up:
                yield from self._complaints(store)
            yield _gauge(
                "complaint_desk_outbox_depth", "Slack effects waiting to be delivered.", float(store.outbox_depth())
            )
        if timers is not None:
            yield _gauge(
                "complaint_desk_timer_lag_seconds",
                "How late the last follow-up timer fired.",
                float(timers.lag_seconds),
            )
        if role is not None:
            yield _gauge(
                "complaint_desk_leader",
                "Whether this process runs timers and the outbox (1) or not (0).",
                float(role.role in LEADING),
            )

    @staticmethod
    def _outbox(outbox: Outbox | None) -> Iterator[GaugeMetricFamily]:
        """Whether Slack answers the outbox, and how long its oldest message has waited."""
        if outbox is None:
            return
        up = outbox.slack.down_since is None
        yield _gauge("complaint_desk_slack_up", "Whether Slack answers the outbox's calls (1) or not (0).", float(up))
        yield _gauge(
            "complaint_desk_outbox_oldest_seconds",
            "How long the longest-waiting message at the head of its channel's queue has waited.",
            outbox.oldest_waiting_seconds(),
        )

    @staticmethod
    def _complaints(store: Store) -> Iterator[GaugeMetricFamily]:
        """Complaints by state, as the store counts them."""
        try:
            counts = store.count_by_status()
        except StoreError:
            log.warning("could not count complaints for /metrics")
            return
        family = GaugeMetricFamily("complaint_desk_complaints", "Complaints by state.", labels=["state"])
        for status in Status:
            family.add_metric([status.value], float(counts.get(status.value, 0)))
        yield family


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    """One unlabelled gauge."""
    return GaugeMetricFamily(name, documentation, value=value)
