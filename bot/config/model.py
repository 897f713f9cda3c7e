"""What the YAML file can set: the frozen Config and its parts, with the defaults for what a file leaves out.

A new key gets its field (and default) here and its reading and checks in `bot.config.parse`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

from bot.config.durations import parse_duration

LANGUAGES = ("en", "de")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STORAGE_BACKENDS = ("tinydb", "postgresql")
DEFAULT_CATEGORIES = ("product", "delivery", "billing", "service", "other")


@dataclass(frozen=True)
class SeverityTimers:
    """How long each escalation step waits for complaints of one severity."""

    remind_unclaimed: timedelta
    escalate_unclaimed: timedelta
    ask_update: timedelta
    escalate_quiet: timedelta
    resolve_within: timedelta


TIMER_KEYS = tuple(f.name for f in fields(SeverityTimers))


def _timers(*texts: str) -> SeverityTimers:
    """Spell the built-in severities in the same notation as the config file."""
    return SeverityTimers(*(parse_duration(text) for text in texts))


DEFAULT_SEVERITIES: Mapping[str, SeverityTimers] = MappingProxyType(
    {
        "high": _timers("10m", "30m", "2h", "8h", "1d"),
        "normal": _timers("30m", "2h", "1d", "2d", "3d"),
        "low": _timers("2h", "1d", "2d", "5d", "1w"),
    }
)


@dataclass(frozen=True)
class BusinessHoursConfig:
    """Opening hours, so timers can skip nights, weekends and holidays."""

    days: frozenset[int]
    start: time
    end: time
    holidays: frozenset[date] = frozenset()


@dataclass(frozen=True)
class EightDConfig:
    """The 8D: whose name heads the report, which severities need it, and how soon containment is due."""

    company_name: str = ""
    required_for: tuple[str, ...] = ()
    containment_within: timedelta = timedelta(hours=24)


@dataclass(frozen=True)
class Routing:
    """Where cards go: by category, by the channel they were filed in, else the default (see Placement)."""

    by_category: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    by_channel: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    default: str | None = None
    announce_in_filing_channel: bool = False


@dataclass(frozen=True)
class Config:
    """Everything the YAML file can set, with defaults for what it leaves out."""

    language: str = "en"
    timezone: str = "UTC"
    management_channel: str | None = None
    fallback_channel: str | None = None
    managers: tuple[str, ...] = ()
    claim_emoji: str = "raising_hand"
    resolve_emoji: str = "white_check_mark"
    default_severity: str = "normal"
    severities: Mapping[str, SeverityTimers] = field(default_factory=lambda: DEFAULT_SEVERITIES)
    categories: tuple[str, ...] = DEFAULT_CATEGORIES
    business_hours: BusinessHoursConfig | None = None
    management_digest_cron: str | None = "0 8 * * 1-5"
    channel_digest_cron: str | None = "0 9 * * 1-5"
    talk_suggest_after_replies: int = 6
    talk_meeting_url: str = ""
    storage_backend: str = "tinydb"
    storage_path: str = "data/complaints.json"
    storage_url: str | None = field(default=None, repr=False)
    storage_takeover: timedelta = timedelta(seconds=30)
    eight_d: EightDConfig = field(default_factory=EightDConfig)
    routing: Routing | None = None  # None: cards stay where they were filed

    @property
    def tz(self) -> ZoneInfo:
        """The configured zone as an object, for digests, business hours and printed dates."""
        return ZoneInfo(self.timezone)
