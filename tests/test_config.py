"""Tests for bot.config: defaults, overrides, environment precedence and every validation rule."""

from __future__ import annotations

import logging
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.config import (
    DEFAULT_SEVERITIES,
    BusinessHoursConfig,
    Config,
    ConfigError,
    SeverityTimers,
    cron_trigger,
    format_duration,
    load_config,
    load_settings,
    parse_config,
    parse_duration,
)

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "config.example.yml"
HTTP_ENV = {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "secret"}


def parse(data: Any, env: dict[str, str] | None = None) -> Config:
    """Validate a document with an empty environment unless one is given."""
    return parse_config(data, env or {})


def error_for(data: Any, env: dict[str, str] | None = None) -> ConfigError:
    """The ConfigError a document raises."""
    with pytest.raises(ConfigError) as info:
        parse(data, env)
    return info.value


def write(tmp_path: Path, text: str) -> str:
    """A config file with the given text."""
    path = tmp_path / "config.yml"
    path.write_text(text, encoding="utf-8")
    return str(path)


# --- durations ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90s", timedelta(seconds=90)),
        ("15m", timedelta(minutes=15)),
        ("4h", timedelta(hours=4)),
        ("2d", timedelta(days=2)),
        ("1w", timedelta(weeks=1)),
        ("1h30m", timedelta(minutes=90)),
        ("1d12h", timedelta(hours=36)),
        (" 2H ", timedelta(hours=2)),
    ],
)
def test_parse_duration_accepts_units_and_combinations(text: str, expected: timedelta) -> None:
    """Every unit works alone and combined, largest first."""
    assert parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "15", "m", "15x", "1.5h", "-5m", "0s", "0h0m", "30m1h", "1h1h", "1 h"])
def test_parse_duration_rejects_bad_text(text: str) -> None:
    """Anything that is not a positive duration is a ValueError."""
    with pytest.raises(ValueError):
        parse_duration(text)


def test_parse_duration_rejects_overflow() -> None:
    """Absurd lengths fail as ValueError, not OverflowError."""
    with pytest.raises(ValueError):
        parse_duration("999999999999w")


def test_format_duration_round_trips() -> None:
    """Error messages print durations the way the file wrote them."""
    assert format_duration(parse_duration("1h30m")) == "1h30m"
    assert format_duration(timedelta(weeks=1)) == "1w"


# --- defaults and overrides --------------------------------------------------------------------------------


def test_empty_document_gives_defaults() -> None:
    """Every key is optional."""
    config = parse(None)
    assert config == Config()
    assert config.language == "en"
    assert config.tz == ZoneInfo("UTC")
    assert config.categories == ("product", "delivery", "billing", "service", "other")
    assert config.management_digest_cron == "0 8 * * 1-5"
    assert config.storage_takeover == timedelta(seconds=30)
    assert list(config.severities) == ["high", "normal", "low"]
    assert config.severities["high"] == SeverityTimers(
        remind_unclaimed=timedelta(minutes=10),
        escalate_unclaimed=timedelta(minutes=30),
        ask_update=timedelta(hours=2),
        escalate_quiet=timedelta(hours=8),
        resolve_within=timedelta(days=1),
    )
    assert config.severities["low"].resolve_within == timedelta(weeks=1)


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    """A first start needs no config file."""
    assert load_config(str(tmp_path / "absent.yml"), {}) == Config()


def test_empty_file_and_empty_sections_give_defaults(tmp_path: Path) -> None:
    """An empty file or a section with all lines commented out keeps the defaults."""
    assert load_config(write(tmp_path, "# nothing yet\n"), {}) == Config()
    assert parse({"channels": None, "emoji": None, "talk": None, "language": None}) == Config()


def test_example_file_loads_to_the_defaults() -> None:
    """The shipped example is valid and documents exactly the defaults."""
    assert load_config(str(EXAMPLE), {}) == Config()


def test_interface_example_is_valid() -> None:
    """The YAML documented in the bot's interface description loads as written."""
    config = load_config(str(ROOT / "tests" / "fixtures" / "config-interface.yml"), {})
    assert (config.timezone, config.management_channel, config.managers) == (
        "Europe/Berlin",
        "C0MANAGEMT",
        ("U0BOSS1",),
    )
    assert config.business_hours is not None and date(2026, 12, 24) in config.business_hours.holidays
    assert config.severities == DEFAULT_SEVERITIES


def test_example_file_shows_every_key() -> None:
    """The example mentions every top-level and section key so admins can discover them."""
    text = EXAMPLE.read_text(encoding="utf-8")
    for key in ("language:", "timezone:", "management:", "fallback:", "managers:", "claim:", "resolve:"):
        assert key in text
    for key in ("default_severity:", "categories:", "business_hours:", "days:", "start:", "end:"):
        assert key in text
    for key in ("holidays:", "channels:", "suggest_after_replies:", "meeting_url:", "backend:", "path:"):
        assert key in text
    assert "url:" in text and "takeover:" in text


FULL_DOCUMENT = """
language: de
timezone: Europe/Berlin
channels: {management: C0MANAGEMT, fallback: G0ESCALATE}
managers: [U0BOSS1, W0BOSS2, S0LEADS, U0BOSS1]
emoji: {claim: ":hand:", resolve: "heavy_check_mark"}
default_severity: high
categories: [Shipping, Refund]
business_hours:
  days: [mon, TUE, wed, thu, fri]
  start: "08:00"
  end: "18:00"
  holidays: ["2026-12-24", 2026-12-25]
digests: {management: "30 7 * * mon-fri", channels: "0  9 * * *"}
talk: {suggest_after_replies: 10, meeting_url: "https://meet.example.com/desk"}
storage: {backend: tinydb, path: /var/lib/desk/complaints.json, takeover: 1m}
"""


def test_full_document_is_read(tmp_path: Path) -> None:
    """Every key of the interface's example lands in the right field."""
    path = write(tmp_path, FULL_DOCUMENT)
    config = load_config(path, {})
    assert (config.language, config.timezone, config.tz) == ("de", "Europe/Berlin", ZoneInfo("Europe/Berlin"))
    assert (config.management_channel, config.fallback_channel) == ("C0MANAGEMT", "G0ESCALATE")
    assert config.managers == ("U0BOSS1", "W0BOSS2", "S0LEADS")
    assert (config.claim_emoji, config.resolve_emoji) == ("hand", "heavy_check_mark")
    assert config.default_severity == "high"
    assert config.categories == ("Shipping", "Refund")
    assert config.business_hours == BusinessHoursConfig(
        days=frozenset({0, 1, 2, 3, 4}),
        start=time(8),
        end=time(18),
        holidays=frozenset({date(2026, 12, 24), date(2026, 12, 25)}),
    )
    assert (config.management_digest_cron, config.channel_digest_cron) == ("30 7 * * mon-fri", "0 9 * * *")
    assert (config.talk_suggest_after_replies, config.talk_meeting_url) == (
        10,
        "https://meet.example.com/desk",
    )
    assert config.storage_path == "/var/lib/desk/complaints.json"
    assert config.storage_takeover == timedelta(minutes=1)


def test_config_is_frozen() -> None:
    """Nobody changes the config after start."""
    config = parse(None)
    with pytest.raises(AttributeError):
        config.language = "de"  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.severities["high"] = DEFAULT_SEVERITIES["low"]  # type: ignore[index]


def test_severity_override_changes_only_given_keys() -> None:
    """Overriding one timer keeps the severity's other defaults."""
    config = parse({"severities": {"high": {"ask_update": "1h"}}})
    assert config.severities["high"].ask_update == timedelta(hours=1)
    assert config.severities["high"].escalate_quiet == timedelta(hours=8)
    assert config.severities["normal"] == DEFAULT_SEVERITIES["normal"]


def test_new_severity_with_all_keys_is_added_after_the_built_in_ones() -> None:
    """A new severity is usable, including as the default."""
    timers = {
        "remind_unclaimed": "5m",
        "escalate_unclaimed": "15m",
        "ask_update": "1h",
        "escalate_quiet": "4h",
        "resolve_within": "8h",
    }
    config = parse({"severities": {"urgent": timers}, "default_severity": "urgent"})
    assert list(config.severities) == ["high", "normal", "low", "urgent"]
    assert config.severities["urgent"].resolve_within == timedelta(hours=8)
    assert config.default_severity == "urgent"


def test_new_severity_missing_a_key_names_it() -> None:
    """A new severity must give all five timers."""
    error = error_for({"severities": {"urgent": {"remind_unclaimed": "5m", "escalate_unclaimed": "15m"}}})
    assert error.key == "severities.urgent.ask_update"
    assert "new severity" in error.reason


def test_capitalised_severity_name_suggests_the_built_in_one() -> None:
    """'High' is not a new severity by accident."""
    error = error_for({"severities": {"High": {"ask_update": "1h"}}})
    assert error.key == "severities.High"
    assert "'high'" in error.reason


def test_business_hours_keys_default_when_section_is_present() -> None:
    """business_hours with only some keys uses Mon-Fri 08:00-18:00 for the rest."""
    hours = parse({"business_hours": {"start": "09:30"}}).business_hours
    assert hours == BusinessHoursConfig(frozenset(range(5)), time(9, 30), time(18), frozenset())


def test_business_hours_end_may_be_midnight() -> None:
    """'24:00' means open until midnight."""
    hours = parse({"business_hours": {"days": ["sat", "sun"], "start": "00:00", "end": "24:00"}}).business_hours
    assert hours is not None
    assert hours.end == time.max and hours.days == frozenset({5, 6})


@pytest.mark.parametrize("value", [None, "", "  "])
def test_empty_digest_disables_it(value: str | None) -> None:
    """An explicit empty value turns the digest off, a missing key keeps the default."""
    config = parse({"digests": {"management": value}})
    assert config.management_digest_cron is None
    assert config.channel_digest_cron == "0 9 * * 1-5"


# --- environment precedence --------------------------------------------------------------------------------


def test_database_url_from_environment_beats_the_file() -> None:
    """DATABASE_URL overrides storage.url so the password can stay out of the file."""
    data = {"storage": {"backend": "postgresql", "url": "postgresql://bot@db.internal/complaints"}}
    assert parse(data).storage_url == "postgresql://bot@db.internal/complaints"
    env = {"DATABASE_URL": "postgresql://bot:pw@db.prod/complaints"}
    config = parse(data, env)
    assert config.storage_backend == "postgresql"
    assert config.storage_url == "postgresql://bot:pw@db.prod/complaints"
    assert "pw" not in repr(config)


def test_database_url_alone_satisfies_postgresql() -> None:
    """The URL may come from the environment only."""
    config = parse({"storage": {"backend": "postgresql"}}, {"DATABASE_URL": "postgresql://db/complaints"})
    assert config.storage_url == "postgresql://db/complaints"


def test_empty_database_url_counts_as_unset() -> None:
    """`DATABASE_URL=` does not hide storage.url."""
    data = {"storage": {"backend": "postgresql", "url": "postgresql://bot@db/c"}}
    assert parse(data, {"DATABASE_URL": ""}).storage_url == "postgresql://bot@db/c"


# --- validation: the key is named --------------------------------------------------------------------------


BAD_DOCUMENTS: list[tuple[Any, str]] = [
    # wrong types
    ({"managers": "U1"}, "managers"),
    ({"managers": ["U0BOSS1", 7]}, "managers"),
    ({"talk": {"suggest_after_replies": "six"}}, "talk.suggest_after_replies"),
    ({"talk": {"suggest_after_replies": True}}, "talk.suggest_after_replies"),
    ({"talk": {"suggest_after_replies": 0}}, "talk.suggest_after_replies"),
    ({"talk": {"meeting_url": 5}}, "talk.meeting_url"),
    ({"talk": {"meeting_url": "zoom.us/j/1"}}, "talk.meeting_url"),
    ({"language": 1}, "language"),
    ({"channels": ["C0MANAGEMT"]}, "channels"),
    ({"severities": {"high": "10m"}}, "severities.high"),
    ({"severities": ["high"]}, "severities"),
    ({"categories": "product"}, "categories"),
    ({"categories": []}, "categories"),
    ({"categories": ["Billing", "billing"]}, "categories"),
    ({"categories": ["x" * 76]}, "categories"),
    ({"categories": [3]}, "categories"),
    ({"business_hours": "weekdays"}, "business_hours"),
    ({"storage": {"path": ""}}, "storage.path"),
    ({"storage": {"takeover": 30}}, "storage.takeover"),
    # unknown keys at every level
    ({"langauge": "en"}, "langauge"),
    ({"channels": {"managment": "C0MANAGEMT"}}, "channels.managment"),
    ({"emoji": {"claims": "hand"}}, "emoji.claims"),
    ({"severities": {"high": {"ask_updates": "1h"}}}, "severities.high.ask_updates"),
    ({"business_hours": {"day": ["mon"]}}, "business_hours.day"),
    ({"digests": {"channel": "0 9 * * *"}}, "digests.channel"),
    ({"talk": {"meeting": ""}}, "talk.meeting"),
    ({"storage": {"database_url": "x"}}, "storage.database_url"),
    # bad durations
    ({"severities": {"high": {"ask_update": "2 hours"}}}, "severities.high.ask_update"),
    ({"severities": {"low": {"resolve_within": "0d"}}}, "severities.low.resolve_within"),
    ({"severities": {"normal": {"remind_unclaimed": 30}}}, "severities.normal.remind_unclaimed"),
    ({"storage": {"takeover": "soon"}}, "storage.takeover"),
    # timer order within a severity
    ({"severities": {"high": {"remind_unclaimed": "1h"}}}, "severities.high.remind_unclaimed"),
    ({"severities": {"high": {"escalate_unclaimed": "5m"}}}, "severities.high.escalate_unclaimed"),
    ({"severities": {"high": {"ask_update": "10h"}}}, "severities.high.ask_update"),
    ({"severities": {"high": {"escalate_quiet": "1h"}}}, "severities.high.escalate_quiet"),
    ({"severities": {"high": {"ask_update": "3h", "escalate_quiet": "1h"}}}, "severities.high.ask_update"),
    # cron
    ({"digests": {"management": "0 25 * * *"}}, "digests.management"),
    ({"digests": {"channels": "every morning"}}, "digests.channels"),
    ({"digests": {"channels": "@daily"}}, "digests.channels"),
    ({"digests": {"management": 8}}, "digests.management"),
    # choices
    ({"timezone": "Mars/Olympus"}, "timezone"),
    ({"timezone": "Europe"}, "timezone"),
    ({"timezone": "../etc/passwd"}, "timezone"),
    ({"language": "fr"}, "language"),
    ({"default_severity": "critical"}, "default_severity"),
    ({"storage": {"backend": "sqlite"}}, "storage.backend"),
    # Slack ids
    ({"channels": {"management": "#management"}}, "channels.management"),
    ({"channels": {"fallback": "U0BOSS1"}}, "channels.fallback"),
    ({"channels": {"fallback": "c0lower"}}, "channels.fallback"),
    ({"managers": ["@boss"]}, "managers"),
    ({"managers": ["C0MANAGEMT"]}, "managers"),
    # emoji
    ({"emoji": {"claim": "raising hand"}}, "emoji.claim"),
    ({"emoji": {"resolve": "raising_hand"}}, "emoji.resolve"),
    # business hours
    ({"business_hours": {"days": ["monday", "funday"]}}, "business_hours.days"),
    ({"business_hours": {"days": "mon-fri"}}, "business_hours.days"),
    ({"business_hours": {"days": []}}, "business_hours.days"),
    ({"business_hours": {"start": "8am"}}, "business_hours.start"),
    ({"business_hours": {"start": "24:00"}}, "business_hours.start"),
    ({"business_hours": {"end": 1080}}, "business_hours.end"),
    ({"business_hours": {"end": "18:60"}}, "business_hours.end"),
    ({"business_hours": {"start": "18:00", "end": "08:00"}}, "business_hours.start"),
    ({"business_hours": {"start": "09:00", "end": "09:00"}}, "business_hours.start"),
    ({"business_hours": {"end": "07:00"}}, "business_hours.end"),
    ({"business_hours": {"holidays": ["24.12.2026"]}}, "business_hours.holidays"),
    ({"business_hours": {"holidays": ["2026-02-30"]}}, "business_hours.holidays"),
    ({"business_hours": {"holidays": "2026-12-24"}}, "business_hours.holidays"),
    # storage
    ({"storage": {"backend": "postgresql"}}, "storage.url"),
    ({"storage": {"url": "postgresql://bot@db:port/complaints"}}, "storage.url"),
    ({"storage": {"url": ["postgresql://bot@db/complaints"]}}, "storage.url"),
]


@pytest.mark.parametrize(("data", "key"), BAD_DOCUMENTS, ids=[key for _, key in BAD_DOCUMENTS])
def test_bad_value_names_its_key(data: Any, key: str) -> None:
    """Every rejected value names the exact dotted key, and the message starts with it."""
    error = error_for(data)
    assert error.key == key
    assert error.reason
    assert str(error) == f"{key}: {error.reason}"


@pytest.mark.parametrize(
    ("data", "hint"),
    [
        ({"langauge": "en"}, "did you mean 'language'?"),
        ({"channels": {"managment": "C1"}}, "did you mean 'management'?"),
        ({"severities": {"high": {"ask_updates": "1h"}}}, "did you mean 'ask_update'?"),
        ({"storage": {"backend": "postgres"}}, "did you mean 'postgresql'?"),
        ({"timezone": "europe/berlin"}, "did you mean 'Europe/Berlin'?"),
        ({"business_hours": {"days": ["monday"]}}, "did you mean 'mon'?"),
        ({"default_severity": "hgih"}, "did you mean 'high'?"),
        ({"xyzzy": 1}, "known keys: language, timezone"),
    ],
)
def test_near_misses_get_a_suggestion(data: Any, hint: str) -> None:
    """A typo is answered with the closest known name."""
    assert hint in error_for(data).reason


def test_reasons_explain_the_problem() -> None:
    """Reasons say what was expected, not just that something is wrong."""
    assert "expected a list" in error_for({"managers": "U1"}).reason
    assert "expected a whole number" in error_for({"talk": {"suggest_after_replies": "six"}}).reason
    assert "quotes" in error_for({"business_hours": {"end": 1080}}).reason
    assert (
        "must not be longer than escalate_quiet (8h)"
        in error_for({"severities": {"high": {"ask_update": "10h"}}}).reason
    )
    assert "DATABASE_URL" in error_for({"storage": {"backend": "postgresql"}}).reason


@pytest.mark.parametrize("url", ["postgresql://bot:hunter2@db/complaints", "host=db password=hunter2"])
def test_password_in_the_file_works_but_warns(url: str, caplog: pytest.LogCaptureFixture) -> None:
    """A storage.url with a password is used, with a warning that never prints the password."""
    with caplog.at_level(logging.WARNING, logger="bot.config"):
        config = parse({"storage": {"backend": "postgresql", "url": url}})
    assert config.storage_url == url
    assert "DATABASE_URL" in caplog.text and "hunter2" not in caplog.text


@pytest.mark.parametrize("data", [["language", "en"], "language: en", 3])
def test_top_level_must_be_a_mapping(data: Any) -> None:
    """A list or scalar document is rejected as a whole."""
    with pytest.raises(ConfigError) as info:
        parse_config(data, {}, source="config.yml")
    assert info.value.key == "config.yml"
    assert "mapping" in info.value.reason


def test_file_with_non_mapping_top_level_names_the_file(tmp_path: Path) -> None:
    """The file name is the key when the whole document is wrong."""
    path = write(tmp_path, "- language: en\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, {})
    assert info.value.key == path


def test_yaml_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    """Broken YAML points at the place to fix."""
    path = write(tmp_path, "language: en\nchannels:\n  management: [C0MANAGEMT\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, {})
    assert info.value.key == path
    assert "line 4" in info.value.reason and "column" in info.value.reason


def test_yaml_tab_indentation_is_a_syntax_error(tmp_path: Path) -> None:
    """Tabs are a classic YAML mistake."""
    path = write(tmp_path, "talk:\n\tmeeting_url: x\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, {})
    assert "line 2, column 1" in info.value.reason


def test_duplicate_yaml_keys_are_rejected(tmp_path: Path) -> None:
    """A repeated key would silently drop the first block."""
    path = write(tmp_path, "language: en\ntimezone: UTC\nlanguage: de\n")
    with pytest.raises(ConfigError) as info:
        load_config(path, {})
    assert info.value.key == path
    assert "duplicate key 'language'" in info.value.reason
    assert "line 3, column 1" in info.value.reason


def test_yaml_merge_keys_still_work(tmp_path: Path) -> None:
    """Anchors and merges let a new severity reuse another's timers."""
    text = """
severities:
  high: &fast
    remind_unclaimed: 5m
    escalate_unclaimed: 15m
    ask_update: 1h
    escalate_quiet: 4h
    resolve_within: 1d
  urgent:
    <<: *fast
    resolve_within: 8h
"""
    config = load_config(write(tmp_path, text), {})
    assert config.severities["urgent"].remind_unclaimed == timedelta(minutes=5)
    assert config.severities["urgent"].resolve_within == timedelta(hours=8)


def test_unreadable_config_path_names_the_file(tmp_path: Path) -> None:
    """A directory where the file should be is reported, not treated as missing."""
    with pytest.raises(ConfigError) as info:
        load_config(str(tmp_path), {})
    assert info.value.key == str(tmp_path)


def test_cron_is_checked_in_the_configured_zone() -> None:
    """Digest schedules are validated against APScheduler with the configured zone."""
    config = parse({"timezone": "Europe/Berlin", "digests": {"management": "0 8 * * mon-fri"}})
    assert config.management_digest_cron == "0 8 * * mon-fri"


# --- crontab weekdays --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("expr", "weekday_field"),
    [
        ("0 8 * * 1-5", "mon,tue,wed,thu,fri"),
        ("0 8 * * 0", "sun"),
        ("0 8 * * 7", "sun"),
        ("0 8 * * 0,6", "sun,sat"),
        ("0 8 * * */2", "sun,tue,thu,sat"),
        ("0 8 * * mon-fri", "mon-fri"),
        ("0 8 * * *", "*"),
    ],
)
def test_cron_trigger_reads_weekdays_as_crontab(expr: str, weekday_field: str) -> None:
    """'1-5' is Monday to Friday, as in crontab, not Tuesday to Saturday as APScheduler 3 would read it."""
    trigger = cron_trigger(expr, ZoneInfo("Europe/Berlin"))
    field = next(f for f in trigger.fields if f.name == "day_of_week")
    assert str(field) == weekday_field


def test_cron_trigger_fires_on_monday_for_1_5() -> None:
    """The next run after a Sunday is Monday morning in the configured zone."""
    tz = ZoneInfo("Europe/Berlin")
    sunday = datetime(2026, 3, 1, 12, 0, tzinfo=tz)
    fire = cron_trigger("0 8 * * 1-5", tz).get_next_fire_time(None, sunday)
    assert fire == datetime(2026, 3, 2, 8, 0, tzinfo=tz)


# --- settings from the environment -------------------------------------------------------------------------


def test_settings_defaults_in_http_mode() -> None:
    """Only the bot token and signing secret are needed for HTTP mode."""
    settings = load_settings(HTTP_ENV)
    assert settings.bot_token == "xoxb-test"
    assert settings.signing_secret == "secret"
    assert settings.app_token is None and not settings.socket_mode
    assert settings.api_url == "https://slack.com/api/"
    assert (settings.host, settings.port) == ("0.0.0.0", 3000)
    assert settings.config_path == "config.yml"
    assert settings.database_url is None
    assert settings.log_level == "INFO"


def test_settings_read_every_variable() -> None:
    """Each documented variable lands in its field, normalised."""
    env = {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_APP_TOKEN": "xapp-test",
        "SLACK_API_URL": "https://slack-gov.com/api",
        "HOST": "127.0.0.1",
        "PORT": "8080",
        "ESCALATION_CONFIG": "/etc/desk.yml",
        "DATABASE_URL": "postgresql://db/c",
        "LOG_LEVEL": "debug",
    }
    settings = load_settings(env)
    assert settings.socket_mode and settings.app_token == "xapp-test"
    assert settings.signing_secret is None
    assert settings.api_url == "https://slack-gov.com/api/"
    assert (settings.host, settings.port, settings.config_path) == ("127.0.0.1", 8080, "/etc/desk.yml")
    assert (settings.database_url, settings.log_level) == ("postgresql://db/c", "DEBUG")


def test_settings_repr_hides_secrets() -> None:
    """Logging the settings never leaks a token."""
    env = {**HTTP_ENV, "SLACK_APP_TOKEN": "xapp-secret", "DATABASE_URL": "postgresql://u:pw@db/c"}
    text = repr(load_settings(env))
    assert "xoxb" not in text and "xapp" not in text and "secret" not in text and "pw@" not in text


@pytest.mark.parametrize(
    ("env", "key"),
    [
        ({}, "SLACK_BOT_TOKEN"),
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "  ", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxp-user", "SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxb-t"}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_BOT_TOKEN": "xoxb-t", "SLACK_APP_TOKEN": "xoxb-t"}, "SLACK_APP_TOKEN"),
        ({**HTTP_ENV, "PORT": "http"}, "PORT"),
        ({**HTTP_ENV, "PORT": "0"}, "PORT"),
        ({**HTTP_ENV, "PORT": "65536"}, "PORT"),
        ({**HTTP_ENV, "SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
        ({**HTTP_ENV, "LOG_LEVEL": "loud"}, "LOG_LEVEL"),
    ],
)
def test_bad_environment_names_the_variable(env: dict[str, str], key: str) -> None:
    """Each environment problem names the variable to set."""
    with pytest.raises(ConfigError) as info:
        load_settings(env)
    assert info.value.key == key
    assert str(info.value).startswith(f"{key}: ")


def test_missing_bot_token_says_what_to_set_and_where_the_manifest_is() -> None:
    """The one line an operator sees tells them what to do."""
    with pytest.raises(ConfigError) as info:
        load_settings({"SLACK_SIGNING_SECRET": "s"})
    message = str(info.value)
    assert message.startswith("SLACK_BOT_TOKEN: ")
    assert "xoxb-" in message and "manifest.yml" in message


def test_wrong_token_is_not_echoed() -> None:
    """A token in the wrong variable is described by its prefix only."""
    with pytest.raises(ConfigError) as info:
        load_settings({"SLACK_BOT_TOKEN": "xoxp-very-secret", "SLACK_SIGNING_SECRET": "s"})
    assert "very-secret" not in str(info.value)
    assert "xoxp-" in str(info.value)
