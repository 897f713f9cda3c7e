"""Follow-ups: what is due for a complaint and when, derived from the complaint alone, and sending it.

Nothing here keeps its own list of timers. The next due moment of every open complaint is computed from
the stored complaint (status, since when, what was already sent), so a restart or a second replica always
arrives at the same plan, and a resolved complaint has no plan at all.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta

from bot.business_hours import OpeningHours, days_later, make_opening_hours
from bot.config import Config, SeverityTimers
from bot.eightd.rules import CONTAIN_OVERDUE, CONTAIN_SOON, EightDRules
from bot.model import Complaint, EventKind, Status
from bot.mrkdwn import one_line
from bot.rendering import Renderer
from bot.services import Deps, Outcome, post, refuse, thread
from bot.services.reporter_notes import ReporterNotes
from bot.store import Transaction

log = logging.getLogger("complaints.followups")
MAX_REMINDERS = 3
DUE_SOON_SHARE = 0.75


@dataclass(frozen=True)
class Due:
    """One follow-up and the moment it falls due."""

    action: str
    at: datetime
    step: int = 0


def opening_hours(config: Config) -> OpeningHours:
    """The configured business hours, or the whole clock."""
    hours = config.business_hours
    return make_opening_hours(config.timezone, asdict(hours) if hours else None)


class Planner:
    """Pure rules: which follow-ups a complaint has coming, and when each is due."""

    def __init__(self, config: Config, hours: OpeningHours, eight_d: EightDRules | None = None) -> None:
        self.config = config
        self.hours = hours
        self.eight_d = eight_d

    def timers(self, complaint: Complaint) -> SeverityTimers:
        """The complaint's severity's timers (the default severity's if it was removed from the config)."""
        severities = self.config.severities
        return severities.get(complaint.severity) or severities[self.config.default_severity]

    def upcoming(self, complaint: Complaint) -> list[Due]:
        """Every follow-up still to come, earliest first; empty once resolved."""
        if not complaint.is_open:
            return []
        plan = self._unclaimed(complaint) if complaint.status is Status.UNCLAIMED else self._owned(complaint)
        plan += self._deadline(complaint)
        if self.eight_d is not None:  # containment: the owner (or the thread) at 75 %, management at 100 %
            plan += [Due(action, at) for action, at in self.eight_d.containment_plan(complaint)]
        return sorted(plan, key=lambda d: d.at)

    def next_due(self, complaint: Complaint) -> Due | None:
        """The earliest follow-up, for the scheduler."""
        plan = self.upcoming(complaint)
        return plan[0] if plan else None

    def _unclaimed(self, complaint: Complaint) -> list[Due]:
        """Reminders every remind_unclaimed (at most three, all before the escalation), then one escalation."""
        timers, sent = self.timers(complaint), complaint.followups
        base = complaint.unclaimed_since or complaint.filed_at
        plan: list[Due] = []
        step = sent.reminders_sent + 1
        if self.reminder_step_exists(complaint, step):
            plan.append(Due("remind", self.at(base, timers.remind_unclaimed * step), step))
        if not sent.escalated_unclaimed:
            plan.append(Due("escalate_unclaimed", self.at(base, timers.escalate_unclaimed)))
        return plan

    def reminder_step_exists(self, complaint: Complaint, step: int) -> bool:
        """Reminders stop at three, and never come at or after the escalation."""
        timers = self.timers(complaint)
        return step <= MAX_REMINDERS and timers.remind_unclaimed * step < timers.escalate_unclaimed

    def latest_reminder(self, complaint: Complaint, now: datetime) -> int:
        """The last reminder step already due at `now` (after downtime several may be; only this one is sent)."""
        base = complaint.unclaimed_since or complaint.filed_at
        step = complaint.followups.reminders_sent
        remind = self.timers(complaint).remind_unclaimed
        while self.reminder_step_exists(complaint, step + 1) and self.at(base, remind * (step + 1)) <= now:
            step += 1
        return step

    def at(self, base: datetime, duration: timedelta) -> datetime:
        """When a message `duration` of open time after `base` may go out: never outside opening hours."""
        return self.hours.next_open(self.hours.add(base, duration))

    def _owned(self, complaint: Complaint) -> list[Due]:
        """A question to a quiet owner, then management; a snooze moves both to after its end."""
        timers, sent, base = self.timers(complaint), complaint.followups, complaint.quiet_since
        plan: list[Due] = []
        if not sent.asked_update:
            plan.append(Due("ask_update", self.at(base, timers.ask_update)))
        if not sent.escalated_quiet:
            plan.append(Due("escalate_quiet", self.at(base, timers.escalate_quiet)))
        return plan

    def _deadline(self, complaint: Complaint) -> list[Due]:
        """The heads-up at 75 % of resolve_within (to an owner) and the overdue notice at 100 %."""
        timers, sent = self.timers(complaint), complaint.followups
        plan: list[Due] = []
        if not sent.due_soon_notified and complaint.owner:
            plan.append(Due("due_soon", self.at(complaint.filed_at, timers.resolve_within * DUE_SOON_SHARE)))
        if not sent.overdue_notified:
            plan.append(Due("overdue", self.at(complaint.filed_at, timers.resolve_within)))
        return plan

    def deadline(self, complaint: Complaint) -> datetime:
        """When the complaint should be resolved by."""
        return self.hours.add(complaint.filed_at, self.timers(complaint).resolve_within)


class FollowUps:
    """Sends what is due: each follow-up once, a backlog after downtime as one message, never when resolved."""

    def __init__(self, deps: Deps, render: Renderer, planner: Planner, reporter: ReporterNotes) -> None:
        self.deps = deps
        self.render = render
        self.planner = planner
        self.t = deps.catalog.t
        self.reporter = reporter
        # What each planned action sends; the planner names only these.
        self._actions: dict[str, Callable[[Transaction, Complaint, Due, datetime], None]] = {
            "remind": self._remind,
            "escalate_unclaimed": self._escalate_unclaimed,
            "ask_update": self._ask_update,
            "escalate_quiet": self._escalate_quiet,
            "overdue": self._overdue,
            "due_soon": self._due_soon,
            CONTAIN_SOON: self._contain_soon,
            CONTAIN_OVERDUE: self._contain_overdue,
        }

    def run_due(self, number: int) -> Outcome:
        """Send every follow-up of this complaint that is due now (outside business hours: nothing)."""
        now = self.deps.now()
        if not self.planner.hours.is_open(now):
            return Outcome(False)
        with self.deps.store.transaction() as tx:
            complaint = tx.get(number)
            if complaint is None or not complaint.is_open:
                return Outcome(False)
            due = [d for d in self.planner.upcoming(complaint) if d.at <= now]
            if not due:
                return Outcome(False, complaint)
            actions = self._collapse(due)
            for action in actions:
                self._actions[action.action](tx, complaint, action, now)
            tx.save(complaint)
        log.info("#%s follow-up: %s", number, ", ".join(a.action for a in actions))
        self.deps.changed(complaint)
        return Outcome(True, complaint)

    @staticmethod
    def _collapse(due: list[Due]) -> list[Due]:
        """Of several reminders that fell due while the bot was down, only the latest is sent."""
        reminders = [d for d in due if d.action == "remind"]
        others = [d for d in due if d.action != "remind"]
        return ([max(reminders, key=lambda d: d.step)] if reminders else []) + others

    def _remind(self, tx: Transaction, complaint: Complaint, due: Due, now: datetime) -> None:
        """A reminder in the thread, firmer each time, naming the reporter and how to claim."""
        timers = self.planner.timers(complaint)
        step = max(due.step, self.planner.latest_reminder(complaint, now))
        escalate_at = self.planner.at(complaint.unclaimed_since or complaint.filed_at, timers.escalate_unclaimed)
        text = self.t(
            f"remind.{step}",
            reporter=complaint.reporter,
            emoji=self.deps.config.claim_emoji,
            age=self.deps.catalog.since(complaint.unclaimed_since or complaint.filed_at, now),
            when=self.deps.catalog.when(escalate_at),
            number=complaint.number,
        )
        complaint.followups.reminders_sent = step
        complaint.record(EventKind.REMINDED, now, None, step=step)
        tx.enqueue(thread(complaint, text))

    def _escalate(self, tx: Transaction, complaint: Complaint, now: datetime, reason: str) -> None:
        """Management hears of it, with a link; the thread says so too."""
        target = self.deps.config.management_channel
        if target:
            text, blocks = self.render.escalation(complaint, reason, now)
            tx.enqueue(post(target, text, blocks, complaint.number))
        tx.enqueue(
            thread(
                complaint,
                self.t(
                    f"thread.escalated.{reason}",
                    age=self.deps.catalog.since(complaint.filed_at, now),
                ),
            )
        )
        complaint.record(EventKind.ESCALATED, now, None, reason=reason)
        self.reporter.escalated(tx, complaint, reason, now)

    def _escalate_unclaimed(self, tx: Transaction, complaint: Complaint, due: Due, now: datetime) -> None:
        """Nobody took it on in escalate_unclaimed."""
        complaint.followups.escalated_unclaimed = True
        complaint.followups.reminders_sent = MAX_REMINDERS
        self._escalate(tx, complaint, now, "unclaimed")

    def _ask_update(self, tx: Transaction, complaint: Complaint, due: Due, now: datetime) -> None:
        """Ask the quiet owner, in the thread, with snooze buttons."""
        quiet_since = complaint.last_activity_at or complaint.owned_since or complaint.filed_at
        text, blocks = self.render.ask_update(complaint, self.deps.catalog.since(quiet_since, now))
        complaint.followups.asked_update = True
        complaint.record(EventKind.ASKED_UPDATE, now, None)
        tx.enqueue(thread(complaint, text, blocks))

    def _escalate_quiet(self, tx: Transaction, complaint: Complaint, due: Due, now: datetime) -> None:
        """The owner stayed quiet for escalate_quiet."""
        complaint.followups.escalated_quiet = True
        complaint.followups.asked_update = True
        self._escalate(tx, complaint, now, "quiet")

    def _overdue(self, tx: Transaction, complaint: Complaint, due: Due, now: datetime) -> None:
        """resolve_within passed: management and the owner are told once."""
        complaint.followups.overdue_notified = True
        complaint.followups.due_soon_notified = True
        target = self.deps.config.management_channel
        if target:
            text, blocks = self.render.escalation(complaint, "overdue", now)
            tx.enqueue(post(target, text, blocks, complaint.number))
        if complaint.owner:
            tx.enqueue(
                post(
                    complaint.owner,
                    self.t(
                        "overdue.owner",
                        number=complaint.number,
                        link=self.render.ref(complaint),
                    ),
                    complaint=complaint.number,
                )
            )
        complaint.record(EventKind.OVERDUE, now, None)

    def _due_soon(self, tx: Transaction, complaint: Complaint, due: Due, now: datetime) -> None:
        """A private heads-up to the owner at 75 % of the time to resolve."""
        complaint.followups.due_soon_notified = True
        if complaint.owner:
            deadline = self.planner.deadline(complaint)
            text = self.t(
                "due_soon.owner",
                number=complaint.number,
                link=self.render.ref(complaint),
                when=self.deps.catalog.when(deadline),
            )
            tx.enqueue(post(complaint.owner, text, complaint=complaint.number))
        complaint.record(EventKind.DUE_SOON, now, None)

    def _contain_soon(self, tx: Transaction, complaint: Complaint, due: Due, now: datetime) -> None:
        """75 % of containment_within: the owner privately, or the thread while nobody owns it."""
        complaint.eight_d.containment_reminded = True
        assert self.planner.eight_d is not None
        when = self.deps.catalog.when(self.planner.eight_d.containment_deadline(complaint))
        if complaint.owner:
            text = self.t("containment.soon.owner", link=self.render.ref(complaint), when=when)
            tx.enqueue(post(complaint.owner, text, complaint=complaint.number))
        else:
            text = self.t("containment.soon.thread", when=when, emoji=self.deps.config.claim_emoji)
            tx.enqueue(thread(complaint, text))
        complaint.record(EventKind.CONTAINMENT_DUE_SOON, now, None)

    def _contain_overdue(self, tx: Transaction, complaint: Complaint, due: Due, now: datetime) -> None:
        """containment_within passed without containment: management is told, once (the thread and reporter too)."""
        complaint.eight_d.containment_reminded = complaint.eight_d.containment_escalated = True
        assert self.planner.eight_d is not None
        deadline = self.planner.eight_d.containment_deadline(complaint)
        target = self.deps.config.management_channel
        if target:
            text, blocks = self.render.escalation(complaint, "containment", now, since=deadline)
            tx.enqueue(post(target, text, blocks, complaint.number))
        tx.enqueue(thread(complaint, self.t("containment.overdue.thread", when=self.deps.catalog.when(deadline))))
        complaint.record(EventKind.CONTAINMENT_OVERDUE, now, None)
        self.reporter.escalated(tx, complaint, "containment", now)

    def may_snooze(self, number: int, user: str, channel: str) -> Outcome:
        """Only the owner pauses follow-ups."""
        complaint = self.deps.store.get(number)
        if complaint is None:
            return Outcome(False)
        if complaint.status is not Status.OWNED or complaint.owner != user:
            with self.deps.store.transaction() as tx:
                return refuse(tx, complaint, user, self.t("snooze.only_owner", number=number), channel, "pause it")
        return Outcome(True, complaint)

    def snooze(self, number: int, user: str, until: datetime | None, reason: str, once: str = "") -> Outcome:
        """Pause follow-ups until a moment, with a one-line reason shown in the thread.

        `once`: the request's idempotency key (`request_key`); the same form delivered again changes nothing.
        """
        reason = one_line(reason)
        now = self.deps.now()
        errors = {}
        if until is None or until <= now:
            errors["until"] = self.t("modal.error.snooze_future")
        if not reason:
            errors["reason"] = self.t("modal.error.reason_required")
        if errors:
            return Outcome.invalid(errors)
        assert until is not None
        with self.deps.store.transaction() as tx:
            complaint = tx.get(number, once=once)
            if complaint is None or complaint.status is not Status.OWNED or complaint.owner != user:
                refusal = self.t("snooze.only_owner", number=number)
                if complaint is None:
                    return Outcome.refused(refusal)
                return refuse(tx, complaint, user, refusal, step="pause it")
            complaint.followups.snoozed_until, complaint.followups.snooze_reason = until, reason
            complaint.followups.asked_update = complaint.followups.escalated_quiet = False
            complaint.record(EventKind.SNOOZED, now, user, reason, until=until.isoformat())
            tx.save(complaint)
            tx.enqueue(
                thread(
                    complaint,
                    self.t(
                        "thread.snoozed",
                        user=user,
                        until=self.deps.catalog.when(until),
                        reason=self.render.user_text(reason),
                    ),
                )
            )
        log.info("#%s follow-ups paused by %s until %s", number, user, until.isoformat())
        self.deps.changed(complaint)
        return Outcome(True, complaint)

    def snooze_until(self, choice: str, picked_date: str) -> datetime | None:
        """The end of a snooze: the same time 1 or 3 calendar days from now, or the start of a picked day.

        A person pausing "1 day" means until this time tomorrow, not 24 open hours; when that falls outside
        business hours or on a holiday, the pause ends at the next opening.
        """
        now = self.deps.now()
        if choice in ("1d", "3d"):
            return self.planner.hours.next_open(days_later(now, int(choice[0]), self.deps.config.tz))
        try:
            day = datetime.fromisoformat(picked_date).date()
        except ValueError:
            return None
        local = datetime.combine(day, datetime.min.time(), tzinfo=self.deps.config.tz)
        return self.planner.hours.next_open(local)
