"""Block Kit for digests, reports and the customer view: numbers at a glance, lists that always fit a message.

A message holds at most 50 blocks, a section 3000 characters of text and 10 fields of 2000 characters each.
Every list here is cut to what fits and then says how many more there are (and where to see them all), so a
digest over thousands of complaints is as valid as one over three.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, timedelta
from typing import TypeVar

from bot.chart import ChartLabels
from bot.model import Complaint
from bot.mrkdwn import cut, escape, one_line
from bot.rendering import SECTION_LIMIT, Block, Renderer, context, fields, header, md, section
from bot.reports import ChannelFigures, ChartSeries, EightDFigures, ManagementFigures, Spread

T = TypeVar("T")

MAX_BLOCKS = 50
LINE_LIMIT = 600  # one list line; a section then holds at least four
LIST_ITEMS = 10  # the most lines one list shows; the rest is counted
CUSTOMER_ITEMS = 15
TAIL_ROOM = 200  # kept free in a section for "…and N more" and the pointer to the full list


class DigestRenderer:
    """Turns report figures into Slack messages in the configured language."""

    def __init__(self, render: Renderer) -> None:
        self.render = render
        self.catalog = render.catalog
        self.t = render.t

    # Helpers.

    def listing(
        self,
        title: str,
        items: Sequence[T],
        line: Callable[[T], str],
        *,
        limit: int = LIST_ITEMS,
        pointer: str = "",
        empty: str = "",
    ) -> Block:
        """A titled list in one section: as many lines as fit, then "…and N more" and where to see them all."""
        head = f"*{title}*"
        shown: list[str] = []
        used = len(head)
        for item in items[:limit]:
            text = cut(line(item), LINE_LIMIT)
            if used + 1 + len(text) > SECTION_LIMIT - TAIL_ROOM:
                break
            shown.append(text)
            used += 1 + len(text)
        rest = len(items) - len(shown)
        more = self.t("and_more", count=self._count(rest))
        tail = [" ".join(part for part in (more, pointer) if part)] if rest > 0 else []
        body = shown + tail if items else [empty or self.t("none")]
        return section("\n".join([head, *body]))

    def _spread(self, now: Spread, before: Spread, median: bool) -> str:
        """A duration with the period before it for comparison, e.g. "3 hours / period before: 5 hours"."""
        value, previous = (now.median, before.median) if median else (now.p90, before.p90)
        return f"*{self._duration(value)}*\n" + self.t("digest.previous", value=self._duration(previous))

    def _duration(self, value: timedelta | None) -> str:
        """A duration in words, or "no data"."""
        return self.t("digest.no_data") if value is None else self.catalog.duration(value)

    def _count(self, value: float) -> str:
        """A count with the language's separators."""
        return self.catalog.number(value)

    def _titled_fields(self, title: str, pairs: list[tuple[str, str]]) -> Block:
        """A section with a bold title and up to ten fields."""
        block = fields(pairs)
        block["text"] = md(f"*{title}*")
        return block

    def _category(self, name: str) -> str:
        """A category's name in the language, or "no category"."""
        return self.catalog.word("category", name) if name else self.t("digest.no_category")

    def _owner(self, complaint: Complaint) -> str:
        """The owner's mention, or "unclaimed"."""
        return self.render.person(complaint.owner) if complaint.owner else self.t("list.unclaimed")

    # The management digest.

    def management(self, figures: ManagementFigures) -> tuple[str, list[Block]]:
        """The management digest: the period's numbers, the state now, speed, talks, and the lists behind them."""
        t, f = self.t, figures
        since, until = self.catalog.when(f.since), self.catalog.when(f.until)
        blocks: list[Block] = [
            header(t("digest.management.title")),
            context(t("digest.management.period", since=since, until=until)),
            self._titled_fields(
                t("digest.in_period"),
                [
                    (t("digest.filed"), self._count(f.filed)),
                    (t("digest.claimed"), self._count(f.claimed)),
                    (t("digest.resolved"), self._count(f.resolved)),
                    (t("digest.reopened"), self._count(f.reopened)),
                    (t("digest.confirmed"), self._count(f.confirmed)),
                ],
            ),
            self._titled_fields(
                t("digest.now"),
                [
                    (t("digest.open"), self._count(f.open)),
                    (t("digest.unclaimed"), self._count(f.unclaimed)),
                    (t("digest.quiet"), self._count(f.quiet)),
                    (t("digest.overdue"), self._count(f.overdue)),
                ],
            ),
            self._titled_fields(
                t("digest.times"),
                [
                    (t("digest.claim_median"), self._spread(f.claim, f.claim_before, median=True)),
                    (t("digest.claim_p90"), self._spread(f.claim, f.claim_before, median=False)),
                    (t("digest.resolve_median"), self._spread(f.resolve, f.resolve_before, median=True)),
                    (t("digest.resolve_p90"), self._spread(f.resolve, f.resolve_before, median=False)),
                ],
            ),
            self._talk(figures),
            *self._eight_d(figures.eight_d),
            *self._management_lists(figures),
        ]
        fallback = t(
            "digest.management.fallback",
            since=since,
            filed=self._count(f.filed),
            resolved=self._count(f.resolved),
            reopened=self._count(f.reopened),
            open=self._count(f.open),
            unclaimed=self._count(f.unclaimed),
            overdue=self._count(f.overdue),
        )
        return fallback, blocks[:MAX_BLOCKS]

    def _talk(self, figures: ManagementFigures) -> Block:
        """Whether talking it through pays off."""
        t, talk = self.t, figures.talk
        replies = "—" if talk.replies_before_talk is None else self._count(round(talk.replies_before_talk, 1))
        return self._titled_fields(
            t("digest.talk.title"),
            [
                (t("digest.talk.count"), self._count(talk.started)),
                (t("digest.talk.replies"), replies),
                (t("digest.talk.with"), self._duration(talk.resolve_with_talk.median)),
                (t("digest.talk.without"), self._duration(talk.resolve_without_talk.median)),
            ],
        )

    def _eight_d(self, figures: EightDFigures | None) -> list[Block]:
        """The 8D: completed, time to containment, containment in time, open past its deadline (when any)."""
        if figures is None or not figures.active:
            return []
        t = self.t
        within = self.catalog.duration(figures.within)
        share = (
            t(
                "digest.eightd.in_time_value",
                share=self.catalog.percent(figures.contained_in_time / figures.contained),
                count=self._count(figures.contained_in_time),
                total=self._count(figures.contained),
            )
            if figures.contained
            else t("digest.no_data")
        )
        return [
            self._titled_fields(
                t("digest.eightd.title"),
                [
                    (t("digest.eightd.completed"), self._count(figures.completed)),
                    (t("digest.eightd.contain_median"), self._duration(figures.containment.median)),
                    (t("digest.eightd.in_time", within=within), share),
                    (t("digest.eightd.past"), self._count(figures.past_containment)),
                ],
            )
        ]

    def _management_lists(self, figures: ManagementFigures) -> list[Block]:
        """Per channel, per category, the oldest open complaints, the busiest owners, repeat customers."""
        t, now, pointer = self.t, figures.now, self.t("digest.see_export")
        blocks = [
            self.listing(
                t("digest.by_channel"),
                figures.channels,
                lambda g: t(
                    "digest.channel_line",
                    channel=g.name,
                    filed=self._count(g.filed),
                    resolved=self._count(g.resolved),
                    open=self._count(g.open),
                ),
                pointer=pointer,
            ),
            self.listing(
                t("digest.by_category"),
                figures.categories,
                lambda g: t(
                    "digest.category_line",
                    category=self._category(g.name),
                    filed=self._count(g.filed),
                    resolved=self._count(g.resolved),
                    open=self._count(g.open),
                ),
                pointer=pointer,
            ),
            self.listing(
                t("digest.oldest"),
                figures.oldest_open,
                lambda c: t(
                    "digest.oldest_line",
                    ref=self.render.ref(c),
                    owner=self._owner(c),
                    age=self.catalog.ago(c.filed_at, now),
                ),
                pointer=pointer,
                empty=t("digest.nothing_open"),
            ),
            self.listing(
                t("digest.owners"),
                figures.owners,
                lambda pair: t("digest.owner_line", owner=pair[0], count=self._count(pair[1])),
                pointer=pointer,
            ),
        ]
        if figures.repeat_customers:
            blocks.append(
                self.listing(
                    t("digest.customers"),
                    figures.repeat_customers,
                    lambda r: t(
                        "digest.customer_line",
                        customer=escape(one_line(r.name)),
                        count=self._count(r.filed),
                        open=self._count(r.open),
                        ref=self.render.ref(r.latest),
                    ),
                    pointer=pointer,
                )
            )
        return blocks

    def chart_labels(self, series: ChartSeries) -> ChartLabels:
        """The chart's words and dates in the configured language."""
        t = self.t
        day = self._short_date
        return ChartLabels(
            title=t("chart.title"),
            filed=t("chart.filed"),
            resolved=t("chart.resolved"),
            claim_title=t("chart.claim_title"),
            hours=t("chart.hours"),
            days=tuple(day(d) for d in series.days),
            weeks=tuple(day(d) for d in series.weeks),
            claim_values=tuple(self._claim_value(hours) for hours in series.claim_hours),
            number=self.catalog.number,
        )

    def _claim_value(self, hours: float | None) -> str:
        """A week's median time to claim over its bar: hours as on the axis, under an hour in minutes.

        Rounded to tenths of an hour, a team that claims within minutes would read "0" over every bar.
        """
        if hours is None:
            return self.t("chart.none")
        if hours < 1:
            return self.catalog.duration(timedelta(hours=hours))
        return self._count(round(hours, 1))

    def _short_date(self, day: date) -> str:
        """A day as "4 May" / "4. Mai", short enough for the chart's axis."""
        return self.catalog.day(day)

    # Channel digests.

    def channel(self, figures: ChannelFigures, now: datetime) -> tuple[str, list[Block]]:
        """A channel's digest: what is open there (unclaimed first) and what was resolved since the last one."""
        t, f = self.t, figures
        since = self.catalog.when(f.since)
        blocks = [
            header(t("digest.channel.title")),
            fields(
                [
                    (t("digest.open"), self._count(len(f.open))),
                    (t("digest.unclaimed"), self._count(f.unclaimed)),
                    (t("digest.filed"), self._count(f.filed)),
                    (t("digest.channel.resolved"), self._count(len(f.resolved))),
                ]
            ),
        ]
        blocks[1]["text"] = md(t("digest.channel.intro", channel=f.channel, since=since))
        blocks.append(
            self.listing(
                t("digest.channel.open_list"),
                f.open,
                lambda c: t(
                    "digest.channel.open_line",
                    ref=self.render.ref(c),
                    owner=self._owner(c),
                    age=self.catalog.ago(c.filed_at, now),
                ),
                empty=t("digest.nothing_open"),
            )
        )
        if f.resolved:
            blocks.append(
                self.listing(
                    t("digest.channel.resolved_list"),
                    f.resolved,
                    lambda c: t(
                        "digest.channel.resolved_line",
                        ref=self.render.ref(c),
                        owner=self._owner(c),
                        age=self.catalog.ago(c.resolved_at or now, now),
                    ),
                )
            )
        fallback = t(
            "digest.channel.fallback",
            channel=f.channel,
            open=self._count(len(f.open)),
            unclaimed=self._count(f.unclaimed),
            resolved=self._count(len(f.resolved)),
            since=since,
        )
        return fallback, blocks

    def channel_nothing(self, channel: str, since: datetime) -> str:
        """The private one-liner when a channel has nothing for a digest."""
        return self.t("digest.channel.nothing", channel=channel, since=self.catalog.when(since))

    # The customer view.

    def customer(self, query: str, complaints: Sequence[Complaint], now: datetime) -> tuple[str, list[Block]]:
        """A customer's complaints for the person who asked: open first, with owner, age and links."""
        t = self.t
        name = escape(one_line(query))
        if not complaints:
            text = t("customer.none", name=cut(name, 200))
            return text, [section(text)]
        names = sorted({one_line(c.customer) for c in complaints})
        title = t(
            "customer.title",
            name=escape(cut(names[0] if len(names) == 1 else one_line(query), 200)),
            total=self._count(len(complaints)),
            open=self._count(sum(1 for c in complaints if c.is_open)),
        )
        blocks = [
            self.listing(
                title,
                complaints,
                lambda c: t(
                    "customer.line",
                    ref=self.render.ref(c),
                    status=self.render.status(c),
                    owner=self._owner(c),
                    age=self.catalog.ago(c.filed_at, now),
                ),
                limit=CUSTOMER_ITEMS,
            )
        ]
        if len(names) > 1:
            blocks.append(context(t("customer.matched", names=escape(cut(", ".join(names), 2000)))))
        return title, blocks
