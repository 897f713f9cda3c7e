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


def slack_text(value: str) -> str:
    """Undo the escaping Slack applies to typed text (`&`, `<`, `>`); the renderer escapes it again for display.

    A slash command's text arrives as `a &lt; b &amp; c`; stored as it came it would be escaped twice and
    show people `&lt;`. Real mentions (`<@U…>`) and links arrive unescaped and stay as they are.
    """
    return value.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# The shapes bolt relies on when it routes a request; a body that breaks them would make bolt itself crash.
_STRINGS = (
    "type",
    "command",
    "text",
    "user_id",
    "channel_id",
    "team_id",
    "trigger_id",
    "callback_id",
    "action_id",
    "block_id",
    "api_app_id",
    "event_id",
    "enterprise_id",
    "response_url",
    "value",
)
_OBJECTS = (
    "user",
    "team",
    "channel",
    "enterprise",
    "container",
    "view",
    "message",
    "state",
    "function_data",
    "workflow_step",
    "event_context",
)
_EVENT_STRINGS = (
    "type",
    "subtype",
    "ts",
    "thread_ts",
    "event_ts",
    "reaction",
    "item_user",
    "bot_id",
    "channel_type",
    "tab",
    "text",
)
_VIEW_STRINGS = ("type", "id", "callback_id", "private_metadata", "hash", "external_id", "root_view_id")


def malformed(body: dict[str, Any]) -> str | None:
    """Why a parsed request body cannot be from Slack (a wrong type, a missing part), or None when it is sane."""
    for key in _STRINGS:
        if body.get(key) is not None and not isinstance(body[key], str):
            return f"{key} is not a string"
    if "command" in body:
        return _command_problem(body)
    kind = body.get("type")
    if not kind:
        return "neither a command nor a typed payload"
    for key in _OBJECTS:
        if body.get(key) is not None and not isinstance(body[key], dict):
            return f"{key} is not an object"
    if not _objects(body.get("authorizations")):
        return "authorizations is not a list of objects"
    if kind == "event_callback":
        return _event_problem(body.get("event"))
    if kind == "block_actions" and not (
        _objects(body.get("actions"), required=True)
        and all(isinstance(a.get("action_id"), str) for a in body["actions"])
    ):
        return "actions is not a list of actions"
    if kind in ("view_submission", "view_closed"):
        return _view_problem(body.get("view"))
    return None


def _command_problem(body: dict[str, Any]) -> str | None:
    """A slash command names its command, its user and its channel."""
    for key in ("command", "user_id", "channel_id"):
        if not isinstance(body.get(key), str) or not body[key]:
            return f"a command without {key}"
    return None


def _event_problem(event: Any) -> str | None:
    """An event is an object with a type; the fields bolt reads have their usual types."""
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return "event is not an object with a type"
    for key in _EVENT_STRINGS:
        if event.get(key) is not None and not isinstance(event[key], str):
            return f"event.{key} is not a string"
    for key in ("user", "channel", "team"):  # an id, or an object in events such as team_join or channel_created
        if event.get(key) is not None and not isinstance(event[key], (str, dict)):
            return f"event.{key} is neither an id nor an object"
    for key in ("item", "message", "previous_message", "view"):
        if event.get(key) is not None and not isinstance(event[key], dict):
            return f"event.{key} is not an object"
    return None


def _view_problem(view: Any) -> str | None:
    """A submitted or closed modal is an object with its type and callback id."""
    if not isinstance(view, dict) or not isinstance(view.get("type"), str):
        return "view is not an object with a type"
    for key in _VIEW_STRINGS:
        if view.get(key) is not None and not isinstance(view[key], str):
            return f"view.{key} is not a string"
    state = view.get("state")
    if state is not None and not (isinstance(state, dict) and isinstance(state.get("values", {}), dict)):
        return "view.state is not an object of values"
    return None


def _objects(value: Any, *, required: bool = False) -> bool:
    """A list of objects (or nothing, when not required)."""
    if value is None:
        return not required
    return isinstance(value, list) and all(isinstance(item, dict) for item in value)
