"""The 8D's rules: what a resolve still needs, when containment is due, and how far the 8D has come.

Pure computation on a complaint and the opening hours: the follow-ups, the card, the resolve step and the
digest all ask here, so they can never disagree.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

from bot.business_hours import OpeningHours
from bot.eightd.record import WORKED, EightD
from bot.model import Complaint

# Without these a complaint of a severity in `required_for` cannot be resolved.
BEFORE_RESOLVE = ("D3", "D4", "D5")
REMIND_SHARE = 0.75
CONTAIN_SOON = "contain_soon"
CONTAIN_OVERDUE = "contain_overdue"


class EightDRules:
    """The configured 8D rules, on the business hours' clock."""

    def __init__(self, required_for: Iterable[str], containment_within: timedelta, hours: OpeningHours) -> None:
        self.required_for = frozenset(required_for)
        self.containment_within = containment_within
        self.hours = hours

    def required(self, complaint: Complaint) -> bool:
        """Whether its severity needs containment in time and D3 to D5 before it may be resolved."""
        return complaint.severity in self.required_for

    def missing_for_resolve(self, complaint: Complaint) -> list[str]:
        """What still keeps it from being resolved (empty: nothing)."""
        if not self.required(complaint):
            return []
        return complaint.eight_d.missing(BEFORE_RESOLVE)

    def containment_deadline(self, complaint: Complaint) -> datetime:
        """When containment should be in place: containment_within of open time after filing."""
        return self.hours.add(complaint.filed_at, self.containment_within)

    def contained_in_time(self, complaint: Complaint) -> bool | None:
        """Whether containment came by its deadline; None while there is none."""
        contained = complaint.eight_d.contained_at
        if contained is None:
            return None
        return contained <= self.containment_deadline(complaint)

    def time_to_containment(self, complaint: Complaint) -> timedelta | None:
        """Wall-clock time from filing to containment (never negative: it may have started before filing)."""
        contained = complaint.eight_d.contained_at
        if contained is None:
            return None
        return max(contained - complaint.filed_at, timedelta(0))

    def past_containment(self, complaint: Complaint, now: datetime) -> bool:
        """Open, required, not contained, and its containment deadline has passed."""
        return (
            complaint.is_open
            and self.required(complaint)
            and complaint.eight_d.contained_at is None
            and now >= self.containment_deadline(complaint)
        )

    def containment_plan(self, complaint: Complaint) -> list[tuple[str, datetime]]:
        """The containment timer's messages still to come: the reminder at 75 %, management at 100 %.

        Each falls due at an open moment, like every follow-up; none once contained, resolved or not required.
        """
        eight_d = complaint.eight_d
        if not complaint.is_open or not self.required(complaint) or eight_d.contained_at is not None:
            return []
        plan: list[tuple[str, datetime]] = []
        if not eight_d.containment_reminded and not eight_d.containment_escalated:
            plan.append((CONTAIN_SOON, self._at(complaint.filed_at, self.containment_within * REMIND_SHARE)))
        if not eight_d.containment_escalated:
            plan.append((CONTAIN_OVERDUE, self._at(complaint.filed_at, self.containment_within)))
        return plan

    def _at(self, base: datetime, duration: timedelta) -> datetime:
        """When a message `duration` of open time after `base` may go out: never outside opening hours."""
        return self.hours.next_open(self.hours.add(base, duration))


def progress(eight_d: EightD) -> list[tuple[str, bool]]:
    """D3 to D7, each with whether it is filled: what the card shows."""
    return [(discipline, eight_d.filled(discipline)) for discipline in WORKED]
