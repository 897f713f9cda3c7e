"""Settings from the environment: tokens, the HTTP address, the config file's path, the database URL.

The environment is passed in as a mapping, so tests use their own; nothing in `bot/` reads os.environ.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.config.checks import ConfigError

MANIFEST_FILE = "manifest.yml"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


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


def load_settings(env: Mapping[str, str]) -> Settings:
    """Read the environment once, failing with the variable to set instead of deep inside a Slack call."""
    bot_token = _bot_token(env)  # first: the one variable every set-up needs
    app_token = _app_token(env)
    signing_secret = env_value(env, "SLACK_SIGNING_SECRET")
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
        host=env_value(env, "HOST") or "0.0.0.0",
        port=_port(env),
        config_path=env_value(env, "ESCALATION_CONFIG") or "config.yml",
        database_url=env_value(env, "DATABASE_URL"),
        log_level=_log_level(env),
    )


def env_value(env: Mapping[str, str], name: str) -> str | None:
    """A variable's trimmed value; empty counts as unset, as it does for most shells' `VAR=` lines."""
    value = env.get(name, "").strip()
    return value or None


def _bot_token(env: Mapping[str, str]) -> str:
    """The xoxb- token every Web API call needs."""
    token = env_value(env, "SLACK_BOT_TOKEN")
    where = (
        "the Bot User OAuth Token (xoxb-…) from the app's OAuth & Permissions page; "
        f"create the app from {MANIFEST_FILE}"
    )
    if token is None:
        raise ConfigError(
            "SLACK_BOT_TOKEN", f"not set; set it to {where} (or try the bot without a workspace: make demo)"
        )
    if not token.startswith("xoxb-"):
        raise ConfigError("SLACK_BOT_TOKEN", f"{_token_kind(token)}; set it to {where}")
    return token


def _app_token(env: Mapping[str, str]) -> str | None:
    """The optional xapp- token that switches the bot to Socket Mode."""
    token = env_value(env, "SLACK_APP_TOKEN")
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
    url = env_value(env, "SLACK_API_URL") or "https://slack.com/api/"
    if not re.match(r"https?://[^/\s]+", url):
        raise ConfigError("SLACK_API_URL", f"{url!r} is not an http(s) URL, e.g. https://slack.com/api/")
    return url if url.endswith("/") else url + "/"


def _port(env: Mapping[str, str]) -> int:
    """The HTTP port, checked here so a typo fails at start rather than at bind time."""
    text = env_value(env, "PORT") or "3000"
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ConfigError("PORT", f"expected a port number from 1 to 65535, got {text!r}")
    return int(text)


def _log_level(env: Mapping[str, str]) -> str:
    """A logging level name the stdlib knows."""
    level = (env_value(env, "LOG_LEVEL") or "INFO").upper()
    level = "WARNING" if level == "WARN" else level
    if level not in LOG_LEVELS:
        raise ConfigError("LOG_LEVEL", f"unknown level {level!r}; choose one of {', '.join(LOG_LEVELS)}")
    return level
