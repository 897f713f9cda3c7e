"""Due-time rules for follow-ups on a controlled clock, and what the follow-up service sends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config import parse_config
from bot.model import Complaint, Status
from bot.services.bundle import Services, build_services
from bot.services.followups import Due
from bot.services.lifecycle import Draft
from bot.store.tinydb_store import TinyDBStore
from tests.clock import Clock

BERLIN_MONDAY_9 = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 09:00 in Berlin


@pytest.fixture
def clock() -> Clock:
    return Clock(BERLIN_MONDAY_9)


def services(tmp_path: Path, clock: Clock, **config: object) -> Services:
    """Services on a real TinyDB store with the test's clock."""
    data = {"timezone": "Europe/Berlin", "channels": {"management": "CMGMT"}, **config}
    store = TinyDBStore(tmp_path / "complaints.json", clock)
    return build_services(parse_config(data, {}), store, clock)


def file(svc: Services, text: str = "wrong parts") -> int:
    outcome = svc.lifecycle.file(Draft(channel="CSUPPORT", reporter="UANA", summary=text))
    assert outcome.complaint is not None
    with svc.deps.store.transaction() as tx:  # pretend the card was posted
        complaint = tx.get(outcome.complaint.number)
        assert complaint is not None
        complaint.card_ts = f"1700000000.{complaint.number:06d}"
        tx.save(complaint)
    return outcome.complaint.number


def stored(svc: Services, number: int) -> Complaint:
    """The complaint as stored; it must exist."""
    complaint = svc.deps.store.get(number)
    assert complaint is not None
    return complaint


def card_ts(svc: Services, number: int) -> str:
    """The ts of the complaint's card; it must have been posted."""
    ts = stored(svc, number).card_ts
    assert ts is not None
    return ts


def next_due(svc: Services, complaint: Complaint) -> Due:
    """The complaint's next follow-up; there must be one."""
    due = svc.followups.planner.next_due(complaint)
    assert due is not None
    return due


def kinds(svc: Services) -> list[str]:
    """What the outbox holds, as kind:channel pairs."""
    return [f"{e.kind}:{e.channel}" for e in svc.deps.store.pending_effects()]


def drain(svc: Services) -> None:
    for effect in svc.deps.store.pending_effects():
        svc.deps.store.finish_effect(effect.id)


def test_unclaimed_plan_reminds_three_times_then_escalates(tmp_path: Path, clock: Clock) -> None:
    svc = services(tmp_path, clock)
    number = file(svc)
    planner = svc.followups.planner
    due = planner.upcoming(stored(svc, number))
    assert [(d.action, d.at - BERLIN_MONDAY_9) for d in due][:2] == [
        ("remind", timedelta(minutes=30)),
        ("escalate_unclaimed", timedelta(hours=2)),
    ]
    for step, minutes in ((1, 30), (2, 60), (3, 90)):
        clock.at = BERLIN_MONDAY_9 + timedelta(minutes=minutes)
        drain(svc)
        assert svc.followups.run_due(number).ok
        assert stored(svc, number).followups.reminders_sent == step
        assert kinds(svc) == ["thread:CSUPPORT"]
    nxt = next_due(svc, stored(svc, number))
    assert nxt.action == "escalate_unclaimed" and nxt.at == BERLIN_MONDAY_9 + timedelta(hours=2)
    clock.at = nxt.at
    drain(svc)
    assert svc.followups.run_due(number).ok
    assert sorted(kinds(svc)) == ["post:CMGMT", "reporter:UANA", "thread:CSUPPORT"]  # management, reporter, thread
    drain(svc)
    assert not svc.followups.run_due(number).ok  # escalation goes out once


def test_backlog_after_downtime_sends_one_reminder_not_a_burst(tmp_path: Path, clock: Clock) -> None:
    svc = services(tmp_path, clock)
    number = file(svc)
    clock.advance(minutes=100)  # three reminders fell due while the bot was down
    drain(svc)
    assert svc.followups.run_due(number).ok
    assert kinds(svc) == ["thread:CSUPPORT"]
    assert stored(svc, number).followups.reminders_sent == 3
    assert "Last reminder" in svc.deps.store.pending_effects()[0].text


def test_claim_stops_reminders_and_plans_quiet_question(tmp_path: Path, clock: Clock) -> None:
    svc = services(tmp_path, clock)
    number = file(svc)
    clock.advance(minutes=10)
    assert svc.lifecycle.claim("CSUPPORT", card_ts(svc, number), "UBEN", "Ev1").ok
    plan = svc.followups.planner.upcoming(stored(svc, number))
    assert "remind" not in {d.action for d in plan}
    ask = next(d for d in plan if d.action == "ask_update")
    assert ask.at == BERLIN_MONDAY_9 + timedelta(minutes=10) + timedelta(days=1)


def test_reply_restarts_the_quiet_clock(tmp_path: Path, clock: Clock) -> None:
    svc = services(tmp_path, clock)
    number = file(svc)
    ts = card_ts(svc, number)
    svc.lifecycle.claim("CSUPPORT", ts, "UBEN", "Ev1")
    clock.advance(hours=20)
    svc.activity.message("CSUPPORT", ts, "1700000999.000001", "UCAY", "", False, "Ev2")
    ask = next(d for d in svc.followups.planner.upcoming(stored(svc, number)) if d.action == "ask_update")
    assert ask.at == clock.at + timedelta(days=1)


def test_release_restarts_unclaimed_timers(tmp_path: Path, clock: Clock) -> None:
    svc = services(tmp_path, clock)
    number = file(svc)
    ts = card_ts(svc, number)
    clock.advance(minutes=45)
    svc.followups.run_due(number)
    svc.lifecycle.claim("CSUPPORT", ts, "UBEN", "Ev1")
    clock.advance(hours=1)
    svc.lifecycle.release("CSUPPORT", ts, "UBEN", "Ev2")
    complaint = stored(svc, number)
    assert complaint.followups.reminders_sent == 0
    first = next_due(svc, complaint)
    assert (first.action, first.at) == ("remind", clock.at + timedelta(minutes=30))


def test_resolved_means_silent(tmp_path: Path, clock: Clock) -> None:
    svc = services(tmp_path, clock)
    number = file(svc)
    ts = card_ts(svc, number)
    svc.lifecycle.claim("CSUPPORT", ts, "UBEN", "Ev1")
    svc.lifecycle.resolve(number, "UBEN", "replaced the parts")
    clock.advance(days=30)
    drain(svc)
    assert svc.followups.planner.upcoming(stored(svc, number)) == []
    assert not svc.followups.run_due(number).ok
    assert kinds(svc) == []


def test_due_soon_then_overdue_each_once(tmp_path: Path, clock: Clock) -> None:
    svc = services(tmp_path, clock)
    number = file(svc)
    ts = card_ts(svc, number)
    svc.lifecycle.claim("CSUPPORT", ts, "UBEN", "Ev1")
    svc.followups.snooze(number, "UBEN", clock.at + timedelta(days=10), "waiting for the supplier")
    drain(svc)
    clock.at = BERLIN_MONDAY_9 + timedelta(days=3) * 0.75
    assert svc.followups.run_due(number).ok
    assert kinds(svc) == ["post:UBEN"]  # a private heads-up to the owner only
    drain(svc)
    clock.at = BERLIN_MONDAY_9 + timedelta(days=3)
    assert svc.followups.run_due(number).ok
    assert sorted(kinds(svc)) == ["post:CMGMT", "post:UBEN"]
    drain(svc)
    clock.advance(hours=1)
    assert not svc.followups.run_due(number).ok


def test_snooze_moves_escalation_to_its_end_and_only_owner_snoozes(tmp_path: Path, clock: Clock) -> None:
    svc = services(tmp_path, clock)
    number = file(svc)
    ts = card_ts(svc, number)
    svc.lifecycle.claim("CSUPPORT", ts, "UBEN", "Ev1")
    until = clock.at + timedelta(days=3)
    assert not svc.followups.snooze(number, "UCAY", until, "not mine").ok
    assert svc.followups.snooze(number, "UBEN", until, "supplier answers Thursday").ok
    times = {d.action: d.at for d in svc.followups.planner.upcoming(stored(svc, number))}
    assert times["escalate_quiet"] == until + timedelta(days=2)
    assert times["ask_update"] == until + timedelta(days=1)
    assert not svc.followups.snooze(number, "UBEN", clock.at - timedelta(hours=1), "past").ok


def test_business_hours_hold_messages_until_opening(tmp_path: Path, clock: Clock) -> None:
    hours = {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00"}
    clock.at = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # Friday 17:30 in Berlin
    svc = services(tmp_path, clock, business_hours=hours)
    number = file(svc)
    first = next_due(svc, stored(svc, number))
    assert first.at == datetime(2026, 11, 30, 7, 0, tzinfo=UTC)  # Monday 08:00 Berlin
    clock.at = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)  # Saturday
    drain(svc)
    assert not svc.followups.run_due(number).ok
    assert kinds(svc) == []


def test_severity_change_replans(tmp_path: Path, clock: Clock) -> None:
    svc = services(tmp_path, clock)
    number = file(svc)
    assert svc.lifecycle.change_severity(number, "UANA", "high", "CSUPPORT").ok
    first = next_due(svc, stored(svc, number))
    assert (first.action, first.at) == ("remind", BERLIN_MONDAY_9 + timedelta(minutes=10))
    assert not svc.lifecycle.change_severity(number, "UCAY", "low", "CSUPPORT").ok
    assert stored(svc, number).severity == "high"
    assert stored(svc, number).status is Status.UNCLAIMED


def test_readme_worked_example(tmp_path: Path, clock: Clock) -> None:
    """The example in the README, step by step (Berlin, Mon–Fri 08:00–18:00, normal timers)."""
    hours = {"days": ["mon", "tue", "wed", "thu", "fri"], "start": "08:00", "end": "18:00"}
    clock.at = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # Friday 17:30 Berlin
    svc = services(tmp_path, clock, business_hours=hours)
    number = file(svc)
    berlin = svc.deps.config.tz
    plan = [
        (d.action, d.at.astimezone(berlin).strftime("%a %H:%M"))
        for d in svc.followups.planner.upcoming(stored(svc, number))
    ][:2]
    assert plan == [("remind", "Mon 08:00"), ("escalate_unclaimed", "Mon 09:30")]
    complaint = stored(svc, number)
    steps = [svc.followups.planner.at(complaint.filed_at, timedelta(minutes=30) * k) for k in (2, 3)]
    assert [t.astimezone(berlin).strftime("%a %H:%M") for t in steps] == ["Mon 08:30", "Mon 09:00"]
    clock.at = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)  # Monday 10:00 Berlin
    svc.lifecycle.claim("CSUPPORT", card_ts(svc, number), "UBEN", "Ev1")
    times = {d.action: d.at.astimezone(berlin) for d in svc.followups.planner.upcoming(stored(svc, number))}
    assert times["ask_update"].strftime("%a %d %H:%M") == "Wed 02 14:00"
    assert times["escalate_quiet"].strftime("%a %d %H:%M") == "Mon 07 08:00"
    clock.at = times["ask_update"]
    assert svc.followups.run_due(number).ok  # the question to Ben, with the Pause buttons
    until = svc.followups.snooze_until("3d", "")
    assert until is not None and until.astimezone(berlin).strftime("%a %d %H:%M") == "Mon 07 08:00"
    assert svc.followups.snooze(number, "UBEN", until, "supplier answers next week").ok
    times = {d.action: d.at.astimezone(berlin) for d in svc.followups.planner.upcoming(stored(svc, number))}
    assert times["escalate_quiet"].strftime("%a %d %H:%M") == "Fri 11 16:00"


@pytest.mark.parametrize(
    ("pressed", "choice", "ends"),
    [
        (datetime(2026, 11, 30, 9, 0, tzinfo=UTC), "1d", "Tue 01 10:00"),  # Monday 10:00: the same time tomorrow
        (datetime(2026, 11, 30, 9, 0, tzinfo=UTC), "3d", "Thu 03 10:00"),
        (datetime(2026, 12, 4, 9, 0, tzinfo=UTC), "1d", "Mon 07 08:00"),  # Friday 10:00: Saturday is closed
        (datetime(2026, 12, 2, 9, 0, tzinfo=UTC), "3d", "Mon 07 08:00"),  # Wednesday 10:00: Saturday is closed
        (datetime(2026, 12, 23, 16, 30, tzinfo=UTC), "1d", "Mon 28 08:00"),  # Wednesday 17:30; Thu, Fri holidays
        (datetime(2026, 12, 1, 16, 59, tzinfo=UTC), "1d", "Wed 02 17:59"),  # Tuesday 17:59: still open tomorrow
    ],
)
def test_pauses_count_calendar_days(tmp_path: Path, clock: Clock, pressed: datetime, choice: str, ends: str) -> None:
    """A pause of one or three days ends at the same time that many days later, or at the next opening."""
    hours = {
        "days": ["mon", "tue", "wed", "thu", "fri"],
        "start": "08:00",
        "end": "18:00",
        "holidays": ["2026-12-24", "2026-12-25"],
    }
    clock.at = pressed
    svc = services(tmp_path, clock, business_hours=hours)
    until = svc.followups.snooze_until(choice, "")
    assert until is not None
    assert until.astimezone(svc.deps.config.tz).strftime("%a %d %H:%M") == ends


def test_pauses_count_calendar_days_across_a_clock_change(tmp_path: Path, clock: Clock) -> None:
    """Without business hours a day is still a calendar day: 10:00 stays 10:00 when the clocks go back."""
    clock.at = datetime(2026, 10, 24, 8, 0, tzinfo=UTC)  # Saturday 10:00 in Berlin, summer time
    svc = services(tmp_path, clock)
    until = svc.followups.snooze_until("1d", "")
    assert until == datetime(2026, 10, 25, 9, 0, tzinfo=UTC)  # Sunday 10:00, winter time
