"""Settings from the environment and the YAML config file, read once, validated and frozen.

This is the only module in `bot/` that looks at the environment; callers pass it in as a mapping so tests can
use their own. Every problem raises `ConfigError` naming the variable or the dotted key and the reason.
"""

from __future__ import annotations

import difflib
import logging
import re
from collections.abc import Container, Iterable, Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta, tzinfo
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import yaml
from apscheduler.triggers.cron import CronTrigger

_log = logging.getLogger(__name__)

MANIFEST_FILE = "manifest.yml"
LANGUAGES = ("en", "de")
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
STORAGE_BACKENDS = ("tinydb", "postgresql")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
DEFAULT_CATEGORIES = ("product", "delivery", "billing", "service", "other")

# Block Kit limits for the filing modal's category menu (plain_text option text, static_select options).
_MAX_CATEGORY_LENGTH = 75
_MAX_CATEGORIES = 100

_UNIT_SECONDS = {"w": 604_800, "d": 86_400, "h": 3_600, "m": 60, "s": 1}
_DURATION_RE = re.compile(r"(?:\d+[wdhms])+")
_DURATION_PART_RE = re.compile(r"(\d+)([wdhms])")
_CLOCK_RE = re.compile(r"([01]?\d|2[0-3]):([0-5]\d)")
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
_CHANNEL_ID_RE = re.compile(r"[CG][A-Z0-9]{2,}")
_MANAGER_ID_RE = re.compile(r"[UWS][A-Z0-9]{2,}")
_SEVERITY_NAME_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,29}")
_EMOJI_RE = re.compile(r"[^\s:]+")
_CRONTAB_DOW_RE = re.compile(r"(\*|\d)(?:-(\d))?(?:/(\d+))?")
_CRONTAB_DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ConfigError(Exception):
    """A setting the bot cannot run with, named by variable or dotted key so the operator can fix it."""

    def __init__(self, key: str, reason: str) -> None:
        """Keep key and reason apart for callers, and join them for the one-line message."""
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.reason = reason


def parse_duration(text: str) -> timedelta:
    """Turn '90s', '15m', '4h', '2d', '1w' or '1h30m' into a timedelta, so config files stay readable."""
    compact = text.strip().lower() if isinstance(text, str) else ""
    if not _DURATION_RE.fullmatch(compact):
        raise ValueError(
            f"{text!r} is not a duration; write a number and a unit (s, m, h, d or w), "
            "e.g. 90s, 15m, 4h, 2d, 1w or 1h30m"
        )
    parts = [(int(number), unit) for number, unit in _DURATION_PART_RE.findall(compact)]
    units = [unit for _, unit in parts]
    if units != sorted(set(units), key="wdhms".index):
        raise ValueError(f"{text!r}: give each unit once, the largest first, e.g. 1h30m")
    seconds = sum(number * _UNIT_SECONDS[unit] for number, unit in parts)
    if seconds <= 0:
        raise ValueError(f"{text!r}: a duration must be longer than zero")
    try:
        return timedelta(seconds=seconds)
    except OverflowError:
        raise ValueError(f"{text!r} is too long") from None


def format_duration(value: timedelta) -> str:
    """Write a timedelta as the config file does ('1h30m'), so error messages quote values recognisably."""
    seconds = int(value.total_seconds())
    parts = []
    for unit, size in _UNIT_SECONDS.items():
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts) or "0s"


def cron_trigger(expr: str, tz: tzinfo) -> CronTrigger:
    """A trigger reading weekdays as crontab does (0 and 7 = Sunday); APScheduler 3 counts 0 as Monday."""
    fields_ = expr.split()
    if len(fields_) == 5:
        fields_[4] = ",".join(_crontab_weekdays(part) for part in fields_[4].split(","))
    return CronTrigger.from_crontab(" ".join(fields_), timezone=tz)


def _crontab_weekdays(part: str) -> str:
    """Rewrite one numeric day-of-week item ('1-5', '*/2', '0') as names, which both numberings agree on."""
    match = _CRONTAB_DOW_RE.fullmatch(part)
    if match is None:
        return part  # names ('mon-fri') already mean the same to APScheduler
    first, last, step = match.groups()
    if first == "*" and (step is None or last is not None):
        return part
    low = 0 if first == "*" else int(first)
    # '*' spans 0-6; 'a/n' runs to 7, which crontab also reads as Sunday
    high = int(last) if last is not None else 6 if first == "*" else 7 if step else low
    if high > 7 or low > high:
        return part  # let APScheduler report it
    names = [_CRONTAB_DAY_NAMES[day] for day in range(low, high + 1, int(step or 1))]
    return ",".join(dict.fromkeys(names))


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

    @property
    def tz(self) -> ZoneInfo:
        """The configured zone as an object, for digests, business hours and printed dates."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True)
class Settings:
    """What the process needs from its environment; secrets stay out of repr so they never reach a log."""

    bot_token: str = field(repr=False)
    app_token: str | None = field(repr=False)
    signing_secret: str | None = field(repr=False)
    api_url: str = "https://slack.com/api/"
    host: str = "0.0.0.0"
    port: int = 3000
    config_path: str = "config.yml"
    database_url: str | None = field(default=None, repr=False)
    log_level: str = "INFO"

    @property
    def socket_mode(self) -> bool:
        """An app-level token means Socket Mode; without one the bot serves HTTP."""
        return self.app_token is not None


# --- environment -----------------------------------------------------------------------------------------


def load_settings(env: Mapping[str, str]) -> Settings:
    """Read the environment once, failing with the variable to set instead of deep inside a Slack call."""
    bot_token = _bot_token(env)  # first: the one variable every set-up needs
    app_token = _app_token(env)
    signing_secret = _env(env, "SLACK_SIGNING_SECRET")
    if app_token is None and signing_secret is None:
        raise ConfigError(
            "SLACK_SIGNING_SECRET",
            "not set; HTTP mode needs the Signing Secret from the app's Basic Information page "
            f"(or set SLACK_APP_TOKEN=xapp-… for Socket Mode). Create the app from {MANIFEST_FILE}",
        )
    return Settings(
        bot_token=bot_token,
        app_token=app_token,
        signing_secret=signing_secret,
        api_url=_api_url(env),
        host=_env(env, "HOST") or "0.0.0.0",
        port=_port(env),
        config_path=_env(env, "ESCALATION_CONFIG") or "config.yml",
        database_url=_env(env, "DATABASE_URL"),
        log_level=_log_level(env),
    )


def _env(env: Mapping[str, str], name: str) -> str | None:
    """A variable's trimmed value; empty counts as unset, as it does for most shells' `VAR=` lines."""
    value = env.get(name, "").strip()
    return value or None


def _bot_token(env: Mapping[str, str]) -> str:
    """The xoxb- token every Web API call needs."""
    token = _env(env, "SLACK_BOT_TOKEN")
    where = (
        "the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page; "
        f"create the app from {MANIFEST_FILE}"
    )
    if token is None:
        raise ConfigError("SLACK_BOT_TOKEN", f"not set; set it to {where}")
    if not token.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN", f"{_token_kind(token)}; set it to {where}")
    return token


def _app_token(env: Mapping[str, str]) -> str | None:
    """The optional xapp- token that switches the bot to Socket Mode."""
    token = _env(env, "SLACK_APP_TOKEN")
    if token is not None and not token.startswith("xapp-"):
        raise ConfigError(
            "SLACK_APP_TOKEN",
            f"{_token_kind(token)}; set it to an App-Level Token (xapp-…) with the connections:write "
            "scope from the app's Basic Information page, or unset it for HTTP mode "
            f"(app manifest: {MANIFEST_FILE})",
        )
    return token


def _token_kind(token: str) -> str:
    """Describe a wrong token by its prefix only, so the secret never lands in a log."""
    prefix = token.split("-", 1)[0] if "-" in token[:6] else ""
    return f"is a {prefix}- token" if prefix else "does not look like a Slack token"


def _api_url(env: Mapping[str, str]) -> str:
    """The Web API base URL with the trailing slash the SDK joins method names onto."""
    url = _env(env, "SLACK_API_URL") or "https://slack.com/api/"
    if not re.match(r"https?://[^/\s]+", url):
        raise ConfigError("SLACK_API_URL", f"{url!r} is not an http(s) URL, e.g. https://slack.com/api/")
    return url if url.endswith("/") else url + "/"


def _port(env: Mapping[str, str]) -> int:
    """The HTTP port, checked here so a typo fails at start rather than at bind time."""
    text = _env(env, "PORT") or "3000"
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ConfigError("PORT", f"expected a port number from 1 to 65535, got {text!r}")
    return int(text)


def _log_level(env: Mapping[str, str]) -> str:
    """A logging level name the stdlib knows."""
    level = (_env(env, "LOG_LEVEL") or "INFO").upper()
    level = "WARNING" if level == "WARN" else level
    if level not in LOG_LEVELS:
        raise ConfigError("LOG_LEVEL", f"unknown level {level!r}; choose one of {', '.join(LOG_LEVELS)}")
    return level


# --- YAML file ---------------------------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """A safe loader that refuses duplicate keys, which plain YAML silently resolves to the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Check for repeated keys before building the mapping."""
        seen: list[object] = []  # a list, because a key may be unhashable until PyYAML rejects it
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(None, None, f"duplicate key {key!r}", key_node.start_mark)
            seen.append(key)
        return super().construct_mapping(node, deep)


def load_config(path: str, env: Mapping[str, str]) -> Config:
    """Read and validate the YAML file; a missing file means every default, so a first start needs none."""
    return parse_config(_read_yaml(path), env, source=path)


def _read_yaml(path: str) -> object:
    """Parse the file, reporting syntax errors with the file name, line and column."""
    file = Path(path)
    if not file.exists():
        return None
    try:
        text = file.read_text(encoding="utf-8")
    except (OSError, UnicodeError) as exc:
        raise ConfigError(path, f"cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass: no arbitrary objects
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise ConfigError(path, f"invalid YAML{where}: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(path, f"invalid YAML: {exc}") from None


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
)


def parse_config(data: object, env: Mapping[str, str], *, source: str = "config") -> Config:
    """Validate an already-parsed YAML document; `source` names the document when its top level is wrong."""
    if data is not None and not isinstance(data, Mapping):
        raise ConfigError(
            source, f"the top level must be a mapping of keys (like 'language: en'), got {_describe(data)}"
        )
    root = _section(data, "", _TOP_KEYS)
    general = _general_fields(root)
    severities = _severities(root.get("severities"))
    return Config(
        **general,
        **_channel_fields(root),
        **_emoji_fields(root.get("emoji")),
        severities=severities,
        default_severity=_choice(_or(root, "default_severity", "normal"), "default_severity", severities, "severity"),
        categories=_categories(root.get("categories")),
        business_hours=_business_hours(root.get("business_hours")),
        **_digest_fields(root.get("digests"), ZoneInfo(general["timezone"])),
        **_talk_fields(root.get("talk")),
        **_storage_fields(root.get("storage"), env),
    )


# --- generic checks ----------------------------------------------------------------------------------------


def _join(path: str, name: str) -> str:
    """The dotted key of `name` inside `path`."""
    return f"{path}.{name}" if path else name


def _describe(value: object) -> str:
    """Name a YAML value the way a config author thinks of it, for 'expected …, got …' messages."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, str):
        return f"the text {value!r}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    return f"a {type(value).__name__}"


def _or(data: Mapping[str, object], name: str, default: object) -> object:
    """A key's value, or the default when it is absent or left empty."""
    value = data.get(name)
    return default if value is None else value


def _mapping(value: object, path: str) -> Mapping[Any, object]:
    """A mapping node; an empty section (all of its lines commented out) counts as an empty mapping."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(path, f"expected a mapping (indented 'key: value' lines), got {_describe(value)}")
    return value


def _section(value: object, path: str, known: tuple[str, ...]) -> Mapping[str, object]:
    """A mapping with only known keys, so a typo fails loudly instead of being ignored."""
    data = _mapping(value, path)
    for key in data:
        if key not in known:
            raise ConfigError(_join(path, str(key)), f"unknown key; {_suggest(str(key), known, 'known keys')}")
    return data


def _suggest(word: str, choices: Iterable[str], label: str) -> str:
    """'did you mean …?' for a near miss, otherwise the full list of choices."""
    choices = tuple(choices)
    close = difflib.get_close_matches(word, choices, n=1) or difflib.get_close_matches(word.lower(), choices, n=1)
    return f"did you mean {close[0]!r}?" if close else f"{label}: {', '.join(choices)}"


def _text(value: object, key: str) -> str:
    """A string value, trimmed."""
    if not isinstance(value, str):
        raise ConfigError(key, f"expected text, got {_describe(value)}")
    return value.strip()


def _choice(value: object, key: str, choices: Iterable[str], what: str) -> str:
    """One value out of a fixed set."""
    text = _text(value, key)
    if text not in choices:
        raise ConfigError(key, f"unknown {what} {text!r}; {_suggest(text, choices, 'choose one of')}")
    return text


def _integer(value: object, key: str, minimum: int) -> int:
    """A whole number; YAML's true/false are not numbers here even though Python thinks so."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(key, f"expected a whole number, got {_describe(value)}")
    if value < minimum:
        raise ConfigError(key, f"must be at least {minimum}, got {value}")
    return value


def _list(value: object, key: str, example: str) -> list[object]:
    """A YAML list, with an example of the expected form when something else was written."""
    if not isinstance(value, list):
        raise ConfigError(key, f"expected a list like {example}, got {_describe(value)}")
    return value


def _duration(value: object, key: str) -> timedelta:
    """A duration string such as '15m'."""
    if not isinstance(value, str):
        raise ConfigError(key, f"expected a duration like 15m, 4h or 2d, got {_describe(value)}")
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise ConfigError(key, str(exc)) from None


# --- sections ----------------------------------------------------------------------------------------------


def _general_fields(root: Mapping[str, object]) -> dict[str, Any]:
    """Language, time zone and managers."""
    return {
        "language": _choice(_or(root, "language", "en"), "language", LANGUAGES, "language"),
        "timezone": _timezone(_or(root, "timezone", "UTC")),
        "managers": _managers(_or(root, "managers", [])),
    }


def _timezone(value: object) -> str:
    """An IANA zone name that this machine's zone database knows."""
    name = _text(value, "timezone")
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
    for item in _list(value, "managers", "[U0BOSS1, S0LEADS]"):
        text = _text(item, "managers")
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
    data = _section(root.get("channels"), "channels", ("management", "fallback"))
    return {
        "management_channel": _channel(data.get("management"), "channels.management"),
        "fallback_channel": _channel(data.get("fallback"), "channels.fallback"),
    }


def _channel(value: object, key: str) -> str | None:
    """A channel id; names change and are ambiguous, ids do not."""
    if value is None:
        return None
    text = _text(value, key)
    if text and not _CHANNEL_ID_RE.fullmatch(text):
        raise ConfigError(
            key,
            f"{text!r} is not a channel id (C… or G…); use the id shown at the bottom of the channel's "
            "About tab, not its name",
        )
    return text or None


def _emoji_fields(value: object) -> dict[str, Any]:
    """The claim and resolve reactions, which must differ or a claim would also resolve."""
    data = _section(value, "emoji", ("claim", "resolve"))
    claim = _emoji(_or(data, "claim", "raising_hand"), "emoji.claim")
    resolve = _emoji(_or(data, "resolve", "white_check_mark"), "emoji.resolve")
    if claim == resolve:
        key = "emoji.resolve" if "resolve" in data else "emoji.claim"
        raise ConfigError(key, f"claim and resolve must be different emoji, both are {claim!r}")
    return {"claim_emoji": claim, "resolve_emoji": resolve}


def _emoji(value: object, key: str) -> str:
    """An emoji name as reaction events carry it: without colons."""
    name = _text(value, key).strip(":")
    if not _EMOJI_RE.fullmatch(name):
        raise ConfigError(
            key, f"{value!r} is not an emoji name; write it like raising_hand or :raising_hand:, no skin tone"
        )
    return name


def _severities(value: object) -> Mapping[str, SeverityTimers]:
    """The built-in severities with the file's overrides, plus any new ones it defines."""
    result = dict(DEFAULT_SEVERITIES)
    for name, spec in _mapping(value, "severities").items():
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
    data = _section(spec, path, TIMER_KEYS)
    given = {key for key in TIMER_KEYS if data.get(key) is not None}
    if base is None and (missing := [key for key in TIMER_KEYS if key not in given]):
        known = _suggest(name, DEFAULT_SEVERITIES, "built-in severities")
        raise ConfigError(
            f"{path}.{missing[0]}",
            f"missing; a new severity needs all of {', '.join(TIMER_KEYS)} (built-in ones: {known})",
        )
    values = {key: _duration(data[key], f"{path}.{key}") if key in given else getattr(base, key) for key in TIMER_KEYS}
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
    for item in _list(value, "categories", "[product, delivery, billing]"):
        text = _text(item, "categories")
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
    data = _section(value, path, ("days", "start", "end", "holidays"))
    start = _clock(_or(data, "start", "08:00"), f"{path}.start", allow_midnight_end=False)
    end = _clock(_or(data, "end", "18:00"), f"{path}.end", allow_midnight_end=True)
    if start >= end:
        key = f"{path}.start" if "start" in data or "end" not in data else f"{path}.end"
        reason = f"start ({start:%H:%M}) must be before end ({_show_clock(end)}); no overnight hours"
        raise ConfigError(key, reason)
    return BusinessHoursConfig(
        days=_days(_or(data, "days", list(WEEKDAYS[:5]))),
        start=start,
        end=end,
        holidays=_holidays(_or(data, "holidays", [])),
    )


def _show_clock(value: time) -> str:
    """Print a configured time, including the end-of-day '24:00'."""
    return "24:00" if value == time.max else f"{value:%H:%M}"


def _days(value: object) -> frozenset[int]:
    """Weekday names as numbers 0 (Monday) to 6 (Sunday)."""
    key = "business_hours.days"
    days: set[int] = set()
    for item in _list(value, key, "[mon, tue, wed, thu, fri]"):
        name = _text(item, key).lower()
        if name not in WEEKDAYS:
            raise ConfigError(key, f"unknown day {item!r}; {_suggest(name[:3], WEEKDAYS, 'use')}")
        days.add(WEEKDAYS.index(name))
    if not days:
        raise ConfigError(key, "list at least one open day, or remove business_hours to count every hour")
    return frozenset(days)


def _clock(value: object, key: str, *, allow_midnight_end: bool) -> time:
    """A quoted 'HH:MM' wall-clock time; '24:00' is allowed as an end meaning midnight."""
    if isinstance(value, int) and not isinstance(value, bool):
        hint = 'put the time in quotes, like "18:00" (unquoted, YAML reads 18:00 as a number)'
        raise ConfigError(key, f"expected a time, got {_describe(value)}; {hint}")
    text = _text(value, key)
    if allow_midnight_end and text == "24:00":
        return time.max
    match = _CLOCK_RE.fullmatch(text)
    if match is None:
        raise ConfigError(key, f'{text!r} is not a time; write it as "HH:MM" (24-hour clock), like "08:00"')
    return time(int(match[1]), int(match[2]))


def _holidays(value: object) -> frozenset[date]:
    """Closed dates, as ISO dates."""
    key = "business_hours.holidays"
    return frozenset(_holiday(item, key) for item in _list(value, key, '["2026-12-24", "2026-12-25"]'))


def _holiday(item: object, key: str) -> date:
    """One ISO date, quoted or not (YAML reads a bare 2026-12-24 as a date already)."""
    if isinstance(item, datetime) or not isinstance(item, date | str):
        raise ConfigError(key, f'expected a date like "2026-12-24", got {_describe(item)}')
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
    data = _section(value, "digests", ("management", "channels"))
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
    expr = " ".join(_text(value, key).split()) if value is not None else ""
    if not expr:
        return None
    try:
        CronTrigger.from_crontab(expr, timezone=tz)
    except ValueError as exc:
        hint = 'five fields: minute hour day month weekday, e.g. "0 8 * * 1-5"'
        raise ConfigError(key, f"{expr!r} is not a usable cron expression ({exc}); write {hint}") from None
    return expr


def _talk_fields(value: object) -> dict[str, Any]:
    """When to suggest talking a thread through, and the meeting link to offer."""
    data = _section(value, "talk", ("suggest_after_replies", "meeting_url"))
    key = "talk.meeting_url"
    url = _text(_or(data, "meeting_url", ""), key)
    if url and not re.fullmatch(r"https?://\S+", url):
        raise ConfigError(key, f"{url!r} is not a link; use a full https:// URL or leave it empty")
    replies = _integer(_or(data, "suggest_after_replies", 6), "talk.suggest_after_replies", minimum=1)
    return {"talk_suggest_after_replies": replies, "talk_meeting_url": url}


def _storage_fields(value: object, env: Mapping[str, str]) -> dict[str, Any]:
    """Where complaints are kept; DATABASE_URL beats storage.url so secrets can stay out of the file."""
    data = _section(value, "storage", ("backend", "path", "url", "takeover"))
    backend = _choice(_or(data, "backend", "tinydb"), "storage.backend", STORAGE_BACKENDS, "backend")
    path = _text(_or(data, "path", "data/complaints.json"), "storage.path")
    if not path:
        raise ConfigError("storage.path", "must not be empty")
    url = _env(env, "DATABASE_URL") or _file_database_url(data.get("url"))
    if backend == "postgresql" and url is None:
        raise ConfigError(
            "storage.url",
            "storage.backend is postgresql but no database URL is set; set DATABASE_URL (or storage.url)",
        )
    takeover = _duration(_or(data, "takeover", "30s"), "storage.takeover")
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
    url = _text(value, "storage.url")
    try:
        parts = urlsplit(url)
        _ = parts.port  # parsing the port is what finds a malformed netloc
        has_password = parts.password is not None
    except ValueError:
        raise ConfigError("storage.url", "is not a valid connection URL") from None
    if has_password or re.search(r"\bpassword\s*=", url):
        _log.warning("storage.url contains a password; put the URL in DATABASE_URL instead")
    return url or None
