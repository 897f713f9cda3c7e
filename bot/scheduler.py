"""APScheduler driven by the store: one job at the earliest due follow-up of all open complaints, plus crons.

The plan is a cache of what the store says is due, never a second source of truth: it is rebuilt from the
store at start, after every change to a complaint and by a periodic sweep, so a restart (or a change made by
another replica) can never make a timer be forgotten. Keeping one APScheduler job for the earliest moment,
with the complaints' due times in a heap beside it, costs a heap push per change instead of an APScheduler
job per complaint.
"""

from __future__ import annotations

import contextlib
import heapq
import logging
import threading
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from apscheduler.jobstores.base import JobLookupError
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_PAUSED, STATE_STOPPED

from bot.config import cron_trigger
from bot.model import Complaint
from bot.services.followups import FollowUps, Planner
from bot.store import Store

FOLLOWUPS_JOB = "followups"
log = logging.getLogger("complaints.timers")


class Timers:
    """Knows when each open complaint's next follow-up is due, and wakes APScheduler for the earliest."""

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
        self._lock = threading.Lock()
        self._due: dict[int, datetime] = {}  # complaint number -> when its next follow-up is due
        self._heap: list[tuple[datetime, int]] = []  # the same, ordered; entries no longer in _due are skipped
        self._wake_at: datetime | None = None  # when the APScheduler job runs next

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
        with self._lock:
            self._due.clear()
            self._heap.clear()
            self._wake_at = None
        if self.scheduler.state == STATE_STOPPED:
            self.scheduler.start(paused=True)
        else:
            self.scheduler.pause()
        for job_id in ("sweep", FOLLOWUPS_JOB):
            self._remove(job_id)

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
        """Re-derive every complaint's due time from the store."""
        if not self.running:
            return
        open_numbers = set()
        for complaint in self.store.open_complaints():
            open_numbers.add(complaint.number)
            self.plan(complaint)
        with self._lock:
            for number in [n for n in self._due if n not in open_numbers]:
                del self._due[number]
        self._rearm()

    def plan(self, complaint: Complaint) -> None:
        """(Re)plan one complaint's next follow-up; a resolved one has none."""
        if not self.running:
            return
        due = self.planner.next_due(complaint)
        now = self.now()
        at = None if due is None else (due.at if due.at > now else self.planner.hours.next_open(now))
        with self._lock:
            if at is None:
                self._due.pop(complaint.number, None)
                return
            if self._due.get(complaint.number) == at:
                return  # most changes (a reply, a card posted) leave the next follow-up where it was
            self._due[complaint.number] = at
            heapq.heappush(self._heap, (at, complaint.number))
            if self._wake_at is None or at < self._wake_at:
                self._wake(at)

    def _wake(self, at: datetime) -> None:
        """Have APScheduler run the follow-ups at `at`; callers hold the lock.

        Several ticks may overlap (a long one after downtime): each takes its complaints under the lock, so
        none is sent twice, and a run APScheduler skipped would otherwise leave the plan asleep.
        """
        self._wake_at = at
        self.scheduler.add_job(
            self._tick, "date", run_date=at, id=FOLLOWUPS_JOB, replace_existing=True, max_instances=8
        )

    def _rearm(self) -> None:
        """Make sure the job is set for the earliest due follow-up, whatever happened to earlier wake-ups."""
        with self._lock:
            self._wake_for_earliest()

    def _drop_stale(self) -> None:
        """Pop replanned or resolved entries off the heap's top; callers hold the lock."""
        while self._heap and self._due.get(self._heap[0][1]) != self._heap[0][0]:
            heapq.heappop(self._heap)

    def _wake_for_earliest(self) -> None:
        """Wake for the earliest due follow-up, or not at all when none is planned; callers hold the lock."""
        self._drop_stale()
        if self._heap:
            self._wake(self._heap[0][0])
        else:
            self._wake_at = None

    def _take_due(self, now: datetime) -> list[tuple[int, datetime]]:
        """Remove and return the complaints whose follow-up is due, and wake again for the rest.

        The next wake-up is set before anything is sent, so a follow-up that fails cannot leave the plan asleep;
        each complaint sent is planned again by `_fire`, which wakes earlier if it must.
        """
        taken: list[tuple[int, datetime]] = []
        with self._lock:
            self._drop_stale()
            while self._heap and self._heap[0][0] <= now:
                at, number = heapq.heappop(self._heap)
                del self._due[number]
                taken.append((number, at))
                self._drop_stale()
            self._wake_for_earliest()
        return taken

    def _tick(self) -> None:
        """Send what is due, complaint by complaint; each one's next follow-up is planned as it is sent."""
        for number, due_at in self._take_due(self.now()):
            self._fire(number, due_at)

    def _remove(self, job_id: str) -> None:
        """Drop a job that is no longer needed."""
        with contextlib.suppress(JobLookupError):
            self.scheduler.remove_job(job_id)

    def _fire(self, number: int, due_at: datetime) -> None:
        """Send what is due for one complaint, then plan its next follow-up."""
        self.lag_seconds = max(0.0, (self.now() - due_at).total_seconds())
        try:
            self.followups.run_due(number)
        except Exception:  # the sweep plans it again; one failure must not silence the others
            log.exception("follow-up for #%s failed", number)
        complaint = self.store.get(number)
        if complaint is not None:
            self.plan(complaint)
