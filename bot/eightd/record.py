"""The 8D data kept on a complaint: the team, the extra facts, the disciplines D3 to D7, and their report.

D2 is mostly the complaint itself (its text, customer and attachments); D8 is its resolution and the
reporter's "customer satisfied". What is kept here is what only the 8D adds. Kept apart from `bot.model`
so that it can be read and tested on its own; the complaint stores it under `eight_d`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date, datetime
from typing import Any

# The disciplines the form fills in, in their order on the card ("8D: D3 ✓ D4 ✓ D5 – D6 – D7 –").
WORKED = ("D3", "D4", "D5", "D6", "D7")
# Texts of the form, each with the discipline it belongs to; a discipline is filled when all of its texts are.
TEXTS: dict[str, str] = {
    "claim_number": "D2",
    "part_number": "D2",
    "batch": "D2",
    "quantity": "D2",
    "containment": "D3",
    "occurrence": "D4",
    "escape": "D4",
    "corrective": "D5",
    "verification": "D6",
    "preventive": "D7",
}
REQUIRED_TEXTS: dict[str, tuple[str, ...]] = {
    "D3": ("containment",),
    "D4": ("occurrence", "escape"),  # why it happened, and why it was not caught: both, or it is no root cause
    "D5": ("corrective",),
    "D6": ("verification",),
    "D7": ("preventive",),
}


@dataclass
class EightD:
    """What the team entered for the 8D of one complaint, and what the bot already did about it."""

    team: list[str] = field(default_factory=list)
    claim_number: str = ""
    part_number: str = ""
    batch: str = ""
    quantity: str = ""
    containment: str = ""
    contained_at: datetime | None = None  # the D3 moment entered, else when D3 was first saved
    occurrence: str = ""
    escape: str = ""
    corrective: str = ""
    corrective_date: date | None = None
    verification: str = ""
    preventive: str = ""
    completed_at: datetime | None = None  # when D3 to D7 were first all filled
    revisions: int = 0  # reports made so far; the next one is "Rev. revisions + 1"
    containment_reminded: bool = False  # 75 % of containment_within: the owner (or the thread) was reminded
    containment_escalated: bool = False  # 100 %: management was told

    def filled(self, discipline: str) -> bool:
        """Whether every text the discipline needs is there (D1 and D2: anything at all)."""
        if discipline == "D1":
            return bool(self.team)
        if discipline == "D2":
            return any(getattr(self, name) for name, owner in TEXTS.items() if owner == "D2")
        return all(getattr(self, name).strip() for name in REQUIRED_TEXTS[discipline])

    def missing(self, disciplines: tuple[str, ...] = WORKED) -> list[str]:
        """The given disciplines that are not filled yet, in order."""
        return [d for d in disciplines if not self.filled(d)]

    @property
    def started(self) -> bool:
        """Whether anyone has entered anything for the 8D yet."""
        return bool(self.team) or any(getattr(self, name) for name in TEXTS)

    @property
    def complete(self) -> bool:
        """D3 to D7 are all filled."""
        return not self.missing()

    @property
    def interim(self) -> bool:
        """Before the root cause is known the report is an interim one (D1 to D3)."""
        return not self.filled("D4")

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the store."""
        raw = {name: getattr(self, name) for name in _FIELDS}
        raw["team"] = list(self.team)
        raw["contained_at"] = _iso(self.contained_at)
        raw["completed_at"] = _iso(self.completed_at)
        raw["corrective_date"] = self.corrective_date.isoformat() if self.corrective_date else None
        return raw

    @classmethod
    def from_dict(cls, raw: dict[str, Any] | None) -> EightD:
        """Rebuild from the store; unknown keys from newer versions are ignored."""
        known = {k: v for k, v in (raw or {}).items() if k in _FIELDS}
        known["team"] = list(known.get("team") or [])
        for key in ("contained_at", "completed_at"):
            known[key] = datetime.fromisoformat(known[key]) if known.get(key) else None
        known["corrective_date"] = (
            date.fromisoformat(known["corrective_date"]) if known.get("corrective_date") else None
        )
        return cls(**known)


def _iso(value: datetime | None) -> str | None:
    """A stored moment (always aware)."""
    return None if value is None else value.isoformat()


_FIELDS = tuple(f.name for f in fields(EightD))
