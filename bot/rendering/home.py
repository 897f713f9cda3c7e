"""Block Kit for a person's App Home: their complaints, the ones they reported, the ones waiting for an owner,
what they resolved."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from bot.model import Complaint
from bot.mrkdwn import clip, escape, one_line
from bot.rendering import Block, Renderer, context, header, section

HOME_BLOCK_LIMIT = 100
SECTIONS = 4
# Blocks around the rows: the title and the time it was updated, then per section a divider, its title and the
# note for what did not fit (or for nothing at all).
FIXED_BLOCKS = 2 + 3 * SECTIONS
# Rows per section; with the fixed blocks the Home stays within Slack's 100 blocks however full each list is.
MINE_ROWS = 30
REPORTED_ROWS = 20
WAITING_ROWS = 25
RESOLVED_ROWS = 10


class DueLike(Protocol):
    """A planned follow-up: what happens next, and when."""

    @property
    def action(self) -> str:
        """What happens next."""

    @property
    def at(self) -> datetime:
        """When it happens."""


class HomeRenderer:
    """Builds the Home tab from plain lists, so it can be rendered fresh whenever it is published."""

    def __init__(self, render: Renderer) -> None:
        self.render = render
        self.catalog = render.catalog
        self.t = render.t

    def view(
        self,
        mine: Sequence[tuple[Complaint, DueLike | None]],
        reported: Sequence[Complaint],
        waiting: Sequence[Complaint],
        resolved: Sequence[Complaint],
        now: datetime,
        reported_count: int | None = None,
        resolved_count: int | None = None,
    ) -> dict[str, Any]:
        """The whole Home view: four sections, each cut with "and N more" where it would not fit.

        `reported` and `resolved` may be only the first of the `reported_count` / `resolved_count` complaints (the
        store reads no more).
        """
        reported_total = len(reported) if reported_count is None else reported_count
        resolved_total = len(resolved) if resolved_count is None else resolved_count
        blocks: list[Block] = [
            header(self.t("home.title")),
            context(self.t("home.updated", when=self.catalog.when(now))),
        ]
        blocks += self._part(
            self.t("home.mine", count=self.catalog.number(len(mine))),
            [self._mine(c, d, now) for c, d in mine[:MINE_ROWS]],
            len(mine),
            self.t("home.mine.empty"),
        )
        blocks += self._part(
            self.t("home.reported", count=self.catalog.number(reported_total)),
            [self._reported(c, now) for c in reported[:REPORTED_ROWS]],
            reported_total,
            self.t("home.reported.empty"),
        )
        blocks += self._part(
            self.t("home.waiting", count=self.catalog.number(len(waiting))),
            [self._waiting(c, now) for c in waiting[:WAITING_ROWS]],
            len(waiting),
            self.t("home.waiting.empty"),
        )
        blocks += self._part(
            self.t("home.resolved", count=self.catalog.number(resolved_total)),
            [self._resolved(c, now) for c in resolved[:RESOLVED_ROWS]],
            resolved_total,
            self.t("home.resolved.empty"),
        )
        return {"type": "home", "blocks": blocks[:HOME_BLOCK_LIMIT]}

    def _part(self, title: str, rows: list[Block], total: int, empty: str) -> list[Block]:
        """A titled section of rows, with a note for what did not fit or for nothing at all."""
        blocks: list[Block] = [{"type": "divider"}, section(f"*{title}*"), *rows]
        if not total:
            blocks.append(context(empty))
        elif total > len(rows):
            blocks.append(context(self.t("and_more", count=self.catalog.number(total - len(rows)))))
        return blocks

    def _mine(self, complaint: Complaint, due: DueLike | None, now: datetime) -> Block:
        """One of my complaints: how old, and what the bot will do next and when."""
        if due is None:
            upcoming = self.t("home.next.none")
        else:
            what = self.t(f"home.due.{due.action}") if self.catalog.has(f"home.due.{due.action}") else due.action
            upcoming = self.t("home.next", what=what, when=self.catalog.when(due.at))
        line = self.t(
            "home.mine.line",
            severity=self.catalog.word("severity", complaint.severity),
            age=self.catalog.since(complaint.filed_at, now),
            next=upcoming,
        )
        return section(f"{self.render.ref(complaint)}\n{line}")

    def _reported(self, complaint: Complaint, now: datetime) -> Block:
        """A complaint I reported that someone else has, or nobody yet: for whom, who is on it, how long it is open.

        The reporter answers to the customer, so the customer comes first and the age counts from the filing.
        """
        if complaint.owner:
            owner = self.t("home.reported.owner", owner=complaint.owner)
        else:
            owner = self.t("home.reported.unclaimed")
        age = self.catalog.since(complaint.filed_at, now)
        if complaint.customer:
            customer = escape(clip(one_line(complaint.customer), 80))
            line = self.t("home.reported.line", customer=customer, owner=owner, age=age)
        else:
            line = self.t("home.reported.line.no_customer", owner=owner, age=age)
        return section(f"{self.render.ref(complaint)}\n{line}")

    def _waiting(self, complaint: Complaint, now: datetime) -> Block:
        """A complaint nobody owns yet, with how long it has waited and who reported it."""
        since = complaint.unclaimed_since or complaint.filed_at
        line = self.t(
            "home.waiting.line",
            severity=self.catalog.word("severity", complaint.severity),
            age=self.catalog.since(since, now),
            reporter=complaint.reporter,
        )
        return section(f"{self.render.ref(complaint)}\n{line}")

    def _resolved(self, complaint: Complaint, now: datetime) -> Block:
        """A complaint I resolved lately, and whether the customer is known to be satisfied."""
        key = "home.resolved.line.confirmed" if complaint.confirmed else "home.resolved.line"
        line = self.t(key, when=self.catalog.ago(complaint.resolved_at or now, now))
        return section(f"{self.render.ref(complaint)}\n{line}")
