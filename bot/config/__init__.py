"""Settings from the environment and the YAML config file, read once, validated and frozen.

Only this package looks at settings; callers pass the environment in as a mapping so tests can use their own.
Every problem raises `ConfigError` naming the variable or the dotted key and the reason.

- `environment`: Settings from environment variables (tokens, address, paths).
- `model`: the frozen Config the YAML file fills in, with its defaults.
- `file`: reading the YAML file; `parse`: from its document to a Config, section by section.
- `checks`: ConfigError and the checks every value goes through; `durations` and `crons`: the notations
  for timers and digest schedules.
"""

from __future__ import annotations

from bot.config.checks import ConfigError
from bot.config.crons import cron_trigger
from bot.config.durations import format_duration, parse_duration
from bot.config.environment import Settings, load_settings
from bot.config.file import load_config
from bot.config.model import (
    DEFAULT_CATEGORIES,
    DEFAULT_SEVERITIES,
    LANGUAGES,
    TIMER_KEYS,
    BusinessHoursConfig,
    Config,
    EightDConfig,
    Routing,
    SeverityTimers,
)
from bot.config.parse import parse_config

__all__ = [
    "DEFAULT_CATEGORIES",
    "DEFAULT_SEVERITIES",
    "LANGUAGES",
    "TIMER_KEYS",
    "BusinessHoursConfig",
    "Config",
    "ConfigError",
    "EightDConfig",
    "Routing",
    "Settings",
    "SeverityTimers",
    "cron_trigger",
    "format_duration",
    "load_config",
    "load_settings",
    "parse_config",
    "parse_duration",
]
