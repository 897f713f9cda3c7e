"""APScheduler driven by the store: one date job per open complaint at its next due follow-up, plus crons.

The jobs are a cache of what the store says is due, never a second source of truth: they are rebuilt
from the store at start, after every change to a complaint, and by a periodic sweep, so a restart (or a
change made by another replica) can never make a timer be forgotten.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_PAUSED, STATE_STOPPED

from bot.config import cron_trigger
from bot.model import Complaint
from bot.services.followups import FollowUps, Planner
from bot.store import Store

log = logging.getLogger("complaints.timers")


class Timers:
    """Keeps one APScheduler job per open complaint, at the moment its next follow-up is due."""

    def __init__(
        self,
        store: Store,
        planner: Planner,
        followups: FollowUps,
        now: Callable[[], datetime],
        sweep: timedelta = timedelta(seconds=30),
    ) -> None:
        self.store = store
        self.planner = planner
        self.followups = followups
        self.now = now
        self.sweep_every = sweep
        self.scheduler = BackgroundScheduler(
            timezone=UTC, job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": None}
        )
        self.running = False
        self.lag_seconds = 0.0
        self._planned: dict[str, datetime] = {}  # job id -> when it runs: an unchanged plan is not re-added

    def start(self) -> None:
        """Plan every open complaint from the store, then keep the plan fresh (again, after standby)."""
        if self.scheduler.state == STATE_PAUSED:
            self.scheduler.resume()
        else:
            self.scheduler.start()
        self.running = True
        self.plan_all()
        self.scheduler.add_job(
            self.plan_all, "interval", seconds=self.sweep_every.total_seconds(), id="sweep", replace_existing=True
        )

    def standby(self) -> None:
        """Fire nothing while another replica leads, but keep the crons' clock running.

        A later start() then runs a cron period that fell due meanwhile once (reports claim their period
        with tx.first_time, so a period the other leader already ran is not posted twice); complaint jobs
        are dropped, start() plans them afresh from the store.
        """
        self.running = False
        self._planned.clear()
        if self.scheduler.state == STATE_STOPPED:
            self.scheduler.start(paused=True)
        else:
            self.scheduler.pause()
        for job in self.scheduler.get_jobs():
            if job.id == "sweep" or job.id.startswith("complaint-"):
                job.remove()

    def stop(self) -> None:
        """Stop firing; what was due stays due in the store for the next start."""
        self.running = False
        if self.scheduler.state != STATE_STOPPED:
            self.scheduler.shutdown(wait=False)

    def add_cron(self, job_id: str, expr: str | None, tz_name: str, run: Callable[[], object]) -> None:
        """A cron job in the configured time zone (digests)."""
        if not expr:
            return
        from zoneinfo import ZoneInfo

        self.scheduler.add_job(run, cron_trigger(expr, ZoneInfo(tz_name)), id=job_id, replace_existing=True)

    def plan_all(self) -> None:
        """Re-derive every job from the store."""
        if not self.running:
            return
        open_numbers = set()
        for complaint in self.store.open_complaints():
            open_numbers.add(complaint.number)
            self.plan(complaint)
        for job in self.scheduler.get_jobs():
            if job.id.startswith("complaint-") and int(job.id.split("-")[1]) not in open_numbers:
                self._planned.pop(job.id, None)
                job.remove()

    def plan(self, complaint: Complaint) -> None:
        """(Re)schedule one complaint's next follow-up; a resolved one loses its job."""
        if not self.running:
            return
        job_id = f"complaint-{complaint.number}"
        due = self.planner.next_due(complaint)
        if due is None:
            self._remove(job_id)
            return
        now = self.now()
        at = due.at if due.at > now else self.planner.hours.next_open(now)
        if at > now and self._planned.get(job_id) == at:
            return  # most changes (a reply, a card posted) leave the next follow-up where it was
        self._planned[job_id] = at
        self.scheduler.add_job(
            self._fire, "date", run_date=at, id=job_id, replace_existing=True, args=[complaint.number, due.at]
        )

    def _remove(self, job_id: str) -> None:
        """Drop a job that is no longer needed."""
        self._planned.pop(job_id, None)
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(job_id)

    def _fire(self, number: int, due_at: datetime) -> None:
        """Send what is due for one complaint, then plan its next follow-up."""
        self._planned.pop(f"complaint-{number}", None)
        self.lag_seconds = max(0.0, (self.now() - due_at).total_seconds())
        try:
            self.followups.run_due(number)
        except Exception:  # the sweep plans it again; one failure must not silence the others
            log.exception("follow-up for #%s failed", number)
        complaint = self.store.get(number)
        if complaint is not None:
            self.plan(complaint)
