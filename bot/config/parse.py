"""From a parsed YAML document to a Config: every section read, checked and given its defaults.

A new key: its field and default in `bot.config.model.Config`, its section's name in `_TOP_KEYS` (for a new
section), and a `_<section>_fields` function here that checks it with `bot.config.checks`.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Container, Mapping
from datetime import date, datetime, time
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.config.checks import (
    ConfigError,
    choice_of,
    describe,
    dotted,
    duration_of,
    integer_of,
    list_of,
    mapping_of,
    section_of,
    suggest,
    text_of,
    value_or,
)
from bot.config.crons import check_crontab
from bot.config.durations import format_duration
from bot.config.environment import env_value
from bot.config.model import (
    DEFAULT_CATEGORIES,
    DEFAULT_SEVERITIES,
    LANGUAGES,
    STORAGE_BACKENDS,
    TIMER_KEYS,
    WEEKDAYS,
    BusinessHoursConfig,
    Config,
    EightDConfig,
    Routing,
    SeverityTimers,
)

_log = logging.getLogger("bot.config")

# Block Kit limits for the filing modal's category menu (plain_text option text, static_select options).
_MAX_CATEGORY_LENGTH = 75
_MAX_CATEGORIES = 100
# The company name heads every 8D report.
_MAX_COMPANY_NAME = 200

_CLOCK_RE = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CHANNEL_ID_RE = re.compile(r"[CG][A-Z0-9]{2,}")
_MANAGER_ID_RE = re.compile(r"[UWS][A-Z0-9]{2,}")
_SEVERITY_NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,29}")
_EMOJI_RE = re.compile(r"[^\s:]+")


_TOP_KEYS = (
    "language",
    "timezone",
    "channels",
    "managers",
    "emoji",
    "default_severity",
    "severities",
    "categories",
    "business_hours",
    "digests",
    "talk",
    "storage",
    "eight_d",
    "routing",
)


def parse_config(data: object, env: Mapping[str, str], *, source: str = "config") -> Config:
    """Validate an already-parsed YAML document; `source` names the document when its top level is wrong."""
    if data is not None and not isinstance(data, Mapping):
        raise ConfigError(
            source, f"the top level must be a mapping of keys (like 'language: en'), got {describe(data)}"
        )
    root = section_of(data, "", _TOP_KEYS)
    general = _general_fields(root)
    severities = _severities(root.get("severities"))
    categories = _categories(root.get("categories"))
    return Config(
        **general,
        **_channel_fields(root),
        **_emoji_fields(root.get("emoji")),
        severities=severities,
        default_severity=_default_severity(root, severities),
        categories=categories,
        business_hours=_business_hours(root.get("business_hours")),
        **_digest_fields(root.get("digests"), ZoneInfo(general["timezone"])),
        **_talk_fields(root.get("talk")),
        **_storage_fields(root.get("storage"), env),
        **_eight_d_fields(root.get("eight_d"), severities),
        routing=_routing(root.get("routing"), categories),
    )


def _default_severity(root: Mapping[str, object], severities: Mapping[str, SeverityTimers]) -> str:
    """The severity of a complaint filed without one: a built-in or a configured one."""
    return choice_of(value_or(root, "default_severity", "normal"), "default_severity", severities, "severity")


def _general_fields(root: Mapping[str, object]) -> dict[str, Any]:
    """Language, time zone and managers."""
    return {
        "language": choice_of(value_or(root, "language", "en"), "language", LANGUAGES, "language"),
        "timezone": _timezone(value_or(root, "timezone", "UTC")),
        "managers": _managers(value_or(root, "managers", [])),
    }


def _timezone(value: object) -> str:
    """An IANA zone name that this machine's zone database knows."""
    name = text_of(value, "timezone")
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError, OSError):
        raise ConfigError("timezone", f"unknown time zone {name!r}; {_timezone_hint(name)}") from None
    return name


def _timezone_hint(name: str) -> str:
    """The zone the author probably meant: same name in other case, or the closest spelling."""
    zones = available_timezones()
    close = [zone for zone in zones if zone.lower() == name.lower()]
    close = close or difflib.get_close_matches(name, sorted(zones), n=1)
    return f"did you mean {close[0]!r}?" if close else "use an IANA name like Europe/Berlin or UTC"


def _managers(value: object) -> tuple[str, ...]:
    """User and user group ids allowed to run the manager-only commands."""
    ids: list[str] = []
    for item in list_of(value, "managers", "[U0BOSS1, S0LEADS]"):
        text = text_of(item, "managers")
        if not _MANAGER_ID_RE.fullmatch(text):
            raise ConfigError(
                "managers",
                f"{text!r} is not a user id (U…/W…) or user group id (S…); copy a person's id with "
                "'Copy member ID' on their profile",
            )
        ids.append(text)
    return tuple(dict.fromkeys(ids))


def _channel_fields(root: Mapping[str, object]) -> dict[str, Any]:
    """The management and fallback channels."""
    data = section_of(root.get("channels"), "channels", ("management", "fallback"))
    return {
        "management_channel": _channel(data.get("management"), "channels.management"),
        "fallback_channel": _channel(data.get("fallback"), "channels.fallback"),
    }


def _channel(value: object, key: str) -> str | None:
    """A channel id; names change and are ambiguous, ids do not."""
    if value is None:
        return None
    text = text_of(value, key)
    if text and not _CHANNEL_ID_RE.fullmatch(text):
        raise ConfigError(
            key,
            f"{text!r} is not a channel id (C… or G…); use the id shown at the bottom of the channel's "
            "About tab, not its name",
        )
    return text or None


def _emoji_fields(value: object) -> dict[str, Any]:
    """The claim and resolve reactions, which must differ or a claim would also resolve."""
    data = section_of(value, "emoji", ("claim", "resolve"))
    claim = _emoji(value_or(data, "claim", "raising_hand"), "emoji.claim")
    resolve = _emoji(value_or(data, "resolve", "white_check_mark"), "emoji.resolve")
    if claim == resolve:
        key = "emoji.resolve" if "resolve" in data else "emoji.claim"
        raise ConfigError(key, f"claim and resolve must be different emoji, both are {claim!r}")
    return {"claim_emoji": claim, "resolve_emoji": resolve}


def _emoji(value: object, key: str) -> str:
    """An emoji name as reaction events carry it: without colons."""
    name = text_of(value, key).strip(":")
    if not _EMOJI_RE.fullmatch(name):
        raise ConfigError(
            key, f"{value!r} is not an emoji name; write it like raising_hand or :raising_hand:, no skin tone"
        )
    return name


def _severities(value: object) -> Mapping[str, SeverityTimers]:
    """The built-in severities with the file's overrides, plus any new ones it defines."""
    result = dict(DEFAULT_SEVERITIES)
    for name, spec in mapping_of(value, "severities").items():
        if not isinstance(name, str) or not _SEVERITY_NAME_RE.fullmatch(name):
            raise ConfigError(
                f"severities.{name}",
                "a severity name is 1 to 30 lowercase letters, digits, '-' or '_'"
                + (f"; did you mean {name.lower()!r}?" if str(name).lower() in result else ""),
            )
        result[name] = _severity(name, spec, DEFAULT_SEVERITIES.get(name))
    return MappingProxyType(result)


def _severity(name: str, spec: object, base: SeverityTimers | None) -> SeverityTimers:
    """One severity's timers; a new severity must give all of them, a built-in one only what it changes."""
    path = f"severities.{name}"
    data = section_of(spec, path, TIMER_KEYS)
    given = {key for key in TIMER_KEYS if data.get(key) is not None}
    if base is None and (missing := [key for key in TIMER_KEYS if key not in given]):
        known = suggest(name, DEFAULT_SEVERITIES, "built-in severities")
        raise ConfigError(
            f"{path}.{missing[0]}",
            f"missing; a new severity needs all of {', '.join(TIMER_KEYS)} (built-in ones: {known})",
        )
    values = {
        key: duration_of(data[key], f"{path}.{key}") if key in given else getattr(base, key) for key in TIMER_KEYS
    }
    timers = SeverityTimers(**values)
    _check_step_order(timers, path, given, "remind_unclaimed", "escalate_unclaimed")
    _check_step_order(timers, path, given, "ask_update", "escalate_quiet")
    return timers


def _check_step_order(timers: SeverityTimers, path: str, given: Container[str], first: str, second: str) -> None:
    """A reminder comes no later than its escalation; blame a key the file set, the earlier one if both."""
    early, late = getattr(timers, first), getattr(timers, second)
    if early <= late:
        return
    if first in given or second not in given:
        reason = f"{format_duration(early)} must not be longer than {second} ({format_duration(late)})"
        raise ConfigError(f"{path}.{first}", reason)
    reason = f"{format_duration(late)} must not be shorter than {first} ({format_duration(early)})"
    raise ConfigError(f"{path}.{second}", reason)


def _categories(value: object) -> tuple[str, ...]:
    """The category choices of the filing modal, within Block Kit's limits."""
    if value is None:
        return DEFAULT_CATEGORIES
    result: list[str] = []
    for item in list_of(value, "categories", "[product, delivery, billing]"):
        text = text_of(item, "categories")
        if not 1 <= len(text) <= _MAX_CATEGORY_LENGTH:
            raise ConfigError("categories", f"each category needs 1 to {_MAX_CATEGORY_LENGTH} characters")
        if text.casefold() in (known.casefold() for known in result):
            raise ConfigError("categories", f"{text!r} is listed twice")
        result.append(text)
    if not 1 <= len(result) <= _MAX_CATEGORIES:
        raise ConfigError("categories", f"list 1 to {_MAX_CATEGORIES} categories, got {len(result)}")
    return tuple(result)


def _business_hours(value: object) -> BusinessHoursConfig | None:
    """Opening hours, or None when the whole clock counts."""
    if value is None:
        return None
    path = "business_hours"
    data = section_of(value, path, ("days", "start", "end", "holidays"))
    start = _clock(value_or(data, "start", "08:00"), f"{path}.start", allow_midnight_end=False)
    end = _clock(value_or(data, "end", "18:00"), f"{path}.end", allow_midnight_end=True)
    if start >= end:
        key = f"{path}.start" if "start" in data or "end" not in data else f"{path}.end"
        reason = f"start ({start:%H:%M}) must be before end ({_show_clock(end)}); no overnight hours"
        raise ConfigError(key, reason)
    return BusinessHoursConfig(
        days=_days(value_or(data, "days", list(WEEKDAYS[:5]))),
        start=start,
        end=end,
        holidays=_holidays(value_or(data, "holidays", [])),
    )


def _show_clock(value: time) -> str:
    """Print a configured time, including the end-of-day '24:00'."""
    return "24:00" if value == time.max else f"{value:%H:%M}"


def _days(value: object) -> frozenset[int]:
    """Weekday names as numbers 0 (Monday) to 6 (Sunday)."""
    key = "business_hours.days"
    days: set[int] = set()
    for item in list_of(value, key, "[mon, tue, wed, thu, fri]"):
        name = text_of(item, key).lower()
        if name not in WEEKDAYS:
            raise ConfigError(key, f"unknown day {item!r}; {suggest(name[:3], WEEKDAYS, 'use')}")
        days.add(WEEKDAYS.index(name))
    if not days:
        raise ConfigError(key, "list at least one open day, or remove business_hours to count every hour")
    return frozenset(days)


def _clock(value: object, key: str, *, allow_midnight_end: bool) -> time:
    """A quoted 'HH:MM' wall-clock time; '24:00' is allowed as an end meaning midnight."""
    if isinstance(value, int) and not isinstance(value, bool):
        hint = 'put the time in quotes, like "18:00" (unquoted, YAML reads 18:00 as a number)'
        raise ConfigError(key, f"expected a time, got {describe(value)}; {hint}")
    text = text_of(value, key)
    if allow_midnight_end and text == "24:00":
        return time.max
    match = _CLOCK_RE.fullmatch(text)
    if match is None:
        raise ConfigError(key, f'{text!r} is not a time; write it as "HH:MM" (24-hour clock), like "08:00"')
    return time(int(match[1]), int(match[2]))


def _holidays(value: object) -> frozenset[date]:
    """Closed dates, as ISO dates."""
    key = "business_hours.holidays"
    return frozenset(_holiday(item, key) for item in list_of(value, key, '["2026-12-24", "2026-12-25"]'))


def _holiday(item: object, key: str) -> date:
    """One ISO date, quoted or not (YAML reads a bare 2026-12-24 as a date already)."""
    if isinstance(item, datetime) or not isinstance(item, date | str):
        raise ConfigError(key, f'expected a date like "2026-12-24", got {describe(item)}')
    if isinstance(item, date):
        return item
    text = item.strip()
    if _ISO_DATE_RE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    raise ConfigError(key, f'{text!r} is not a date; write it as "YYYY-MM-DD"')


def _digest_fields(value: object, tz: ZoneInfo) -> dict[str, Any]:
    """The two digest schedules; an empty value switches a digest off."""
    data = section_of(value, "digests", ("management", "channels"))
    return {
        "management_digest_cron": _cron(data, "management", tz, Config.management_digest_cron),
        "channel_digest_cron": _cron(data, "channels", tz, Config.channel_digest_cron),
    }


def _cron(data: Mapping[str, object], name: str, tz: ZoneInfo, default: str | None) -> str | None:
    """A five-field crontab expression APScheduler accepts, or None when the key is present but empty."""
    key = f"digests.{name}"
    if name not in data:
        return default
    value = data[name]
    expr = " ".join(text_of(value, key).split()) if value is not None else ""
    if not expr:
        return None
    try:
        check_crontab(expr, tz)
    except ValueError as exc:
        hint = 'five fields: minute hour day month weekday, e.g. "0 8 * * 1-5"'
        raise ConfigError(key, f"{expr!r} is not a usable cron expression ({exc}); write {hint}") from None
    return expr


def _talk_fields(value: object) -> dict[str, Any]:
    """When to suggest talking a thread through, and the meeting link to offer."""
    data = section_of(value, "talk", ("suggest_after_replies", "meeting_url"))
    key = "talk.meeting_url"
    url = text_of(value_or(data, "meeting_url", ""), key)
    if url and not re.fullmatch(r"https?://\S+", url):
        raise ConfigError(key, f"{url!r} is not a link; use a full https:// URL or leave it empty")
    replies = integer_of(value_or(data, "suggest_after_replies", 6), "talk.suggest_after_replies", minimum=1)
    return {"talk_suggest_after_replies": replies, "talk_meeting_url": url}


def _storage_fields(value: object, env: Mapping[str, str]) -> dict[str, Any]:
    """Where complaints are kept; DATABASE_URL beats storage.url so secrets can stay out of the file."""
    data = section_of(value, "storage", ("backend", "path", "url", "takeover"))
    backend = choice_of(value_or(data, "backend", "tinydb"), "storage.backend", STORAGE_BACKENDS, "backend")
    path = text_of(value_or(data, "path", "data/complaints.json"), "storage.path")
    if not path:
        raise ConfigError("storage.path", "must not be empty")
    url = env_value(env, "DATABASE_URL") or _file_database_url(data.get("url"))
    if backend == "postgresql" and url is None:
        raise ConfigError(
            "storage.url",
            "storage.backend is postgresql but no database URL is set; set DATABASE_URL (or storage.url)",
        )
    takeover = duration_of(value_or(data, "takeover", "30s"), "storage.takeover")
    return {
        "storage_backend": backend,
        "storage_path": path,
        "storage_url": url,
        "storage_takeover": takeover,
    }


def _file_database_url(value: object) -> str | None:
    """A connection URL from the file; one with a password works, with a warning (the file is no secret)."""
    if value is None:
        return None
    url = text_of(value, "storage.url")
    try:
        parts = urlsplit(url)
        _ = parts.port  # parsing the port is what finds a malformed netloc
        has_password = parts.password is not None
    except ValueError:
        raise ConfigError("storage.url", "is not a valid connection URL") from None
    if has_password or re.search(r"\bpassword\s*=", url):
        _log.warning("storage.url contains a password; put the URL in DATABASE_URL instead")
    return url or None


def _eight_d_fields(value: object, severities: Mapping[str, SeverityTimers]) -> dict[str, Any]:
    """The 8D: company name on the report, severities that need it, time to containment."""
    data = section_of(value, "eight_d", ("company_name", "required_for", "containment_within"))
    company = text_of(value_or(data, "company_name", ""), "eight_d.company_name")
    if len(company) > _MAX_COMPANY_NAME:
        raise ConfigError("eight_d.company_name", f"must be at most {_MAX_COMPANY_NAME} characters")
    required = [
        choice_of(item, "eight_d.required_for", severities, "severity")
        for item in list_of(value_or(data, "required_for", []), "eight_d.required_for", "[high]")
    ]
    within = duration_of(value_or(data, "containment_within", "24h"), "eight_d.containment_within")
    return {"eight_d": EightDConfig(company, tuple(dict.fromkeys(required)), within)}


def _routing(value: object, categories: tuple[str, ...]) -> Routing | None:
    """Where cards go; None (cards stay where they were filed) when the section is absent."""
    if value is None:
        return None
    data = section_of(value, "routing", ("by_category", "by_channel", "default", "announce_in_filing_channel"))
    by_category: dict[str, str] = {}
    for key, target in mapping_of(data.get("by_category"), "routing.by_category").items():
        name = str(key)
        if name not in categories:
            raise ConfigError(
                dotted("routing.by_category", name),
                f"keys must be categories, and {name!r} is none; {suggest(name, categories, 'the categories are')}",
            )
        by_category[name] = _target(target, dotted("routing.by_category", name))
    by_channel: dict[str, str] = {}
    for key, target in mapping_of(data.get("by_channel"), "routing.by_channel").items():
        source = _target(key, "routing.by_channel")  # where it was filed
        by_channel[source] = _target(target, dotted("routing.by_channel", source))
    announce = value_or(data, "announce_in_filing_channel", False)
    if not isinstance(announce, bool):
        raise ConfigError("routing.announce_in_filing_channel", f"expected true or false, got {describe(announce)}")
    return Routing(
        by_category=MappingProxyType(by_category),
        by_channel=MappingProxyType(by_channel),
        default=_channel(data.get("default"), "routing.default"),
        announce_in_filing_channel=announce,
    )


def _target(value: object, key: str) -> str:
    """A channel id that routing names (it must name one: an empty value routes nowhere)."""
    channel = _channel(value, key)
    if channel is None:
        raise ConfigError(key, "expected a channel id (C… or G…), got nothing")
    return channel
