"""ConfigError and the checks every configured value goes through, so each message names its key and reason."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from datetime import timedelta
from typing import Any

from bot.config.durations import parse_duration


class ConfigError(Exception):
    """A setting the bot cannot run with, named by variable or dotted key so the operator can fix it."""

    def __init__(self, key: str, reason: str) -> None:
        """Keep key and reason apart for callers, and join them for the one-line message."""
        super().__init__(f"{key}: {reason}")
        self.key = key
        self.reason = reason


def dotted(path: str, name: str) -> str:
    """The dotted key of `name` inside `path`."""
    return f"{path}.{name}" if path else name


def describe(value: object) -> str:
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


def value_or(data: Mapping[str, object], name: str, default: object) -> object:
    """A key's value, or the default when it is absent or left empty."""
    value = data.get(name)
    return default if value is None else value


def mapping_of(value: object, path: str) -> Mapping[Any, object]:
    """A mapping node; an empty section (all of its lines commented out) counts as an empty mapping."""
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(path, f"expected a mapping (indented 'key: value' lines), got {describe(value)}")
    return value


def section_of(value: object, path: str, known: tuple[str, ...]) -> Mapping[str, object]:
    """A mapping with only known keys, so a typo fails loudly instead of being ignored."""
    data = mapping_of(value, path)
    for key in data:
        if key not in known:
            raise ConfigError(dotted(path, str(key)), f"unknown key; {suggest(str(key), known, 'known keys')}")
    return data


def suggest(word: str, choices: Iterable[str], label: str) -> str:
    """'did you mean …?' for a near miss, otherwise the full list of choices."""
    choices = tuple(choices)
    close = difflib.get_close_matches(word, choices, n=1) or difflib.get_close_matches(word.lower(), choices, n=1)
    return f"did you mean {close[0]!r}?" if close else f"{label}: {', '.join(choices)}"


def text_of(value: object, key: str) -> str:
    """A string value, trimmed."""
    if not isinstance(value, str):
        raise ConfigError(key, f"expected text, got {describe(value)}")
    return value.strip()


def choice_of(value: object, key: str, choices: Iterable[str], what: str) -> str:
    """One value out of a fixed set."""
    text = text_of(value, key)
    if text not in choices:
        raise ConfigError(key, f"unknown {what} {text!r}; {suggest(text, choices, 'choose one of')}")
    return text


def integer_of(value: object, key: str, minimum: int) -> int:
    """A whole number; YAML's true/false are not numbers here even though Python thinks so."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise ConfigError(key, f"expected a whole number, got {describe(value)}")
    if value < minimum:
        raise ConfigError(key, f"must be at least {minimum}, got {value}")
    return value


def list_of(value: object, key: str, example: str) -> list[object]:
    """A YAML list, with an example of the expected form when something else was written."""
    if not isinstance(value, list):
        raise ConfigError(key, f"expected a list like {example}, got {describe(value)}")
    return value


def duration_of(value: object, key: str) -> timedelta:
    """A duration string such as '15m'."""
    if not isinstance(value, str):
        raise ConfigError(key, f"expected a duration like 15m, 4h or 2d, got {describe(value)}")
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise ConfigError(key, str(exc)) from None
