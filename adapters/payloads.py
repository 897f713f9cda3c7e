"""Reading Slack payloads defensively: a missing or odd field gives None, never an exception."""

from __future__ import annotations

from typing import Any


def dig(data: Any, *path: str | int) -> Any:
    """Follow keys and indexes through nested payload data; None where anything is missing."""
    for step in path:
        if isinstance(step, int) and isinstance(data, list) and -len(data) <= step < len(data):
            data = data[step]
        elif isinstance(step, str) and isinstance(data, dict):
            data = data.get(step)
        else:
            return None
    return data


def text(data: Any, *path: str | int) -> str:
    """A string field, or "" when absent or not a string."""
    value = dig(data, *path)
    return value if isinstance(value, str) else ""


def number(value: Any) -> int | None:
    """A complaint number from a button value or private_metadata."""
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def view_value(body: Any, block_id: str) -> str:
    """The value a modal input sent back: typed text, a selected option or a selected user."""
    field = dig(body, "view", "state", "values", block_id, "value")
    if not isinstance(field, dict):
        return ""
    for key in ("value", "selected_user", "selected_date"):
        if isinstance(field.get(key), str):
            return field[key]
    option = field.get("selected_option")
    return text(option, "value") if isinstance(option, dict) else ""
