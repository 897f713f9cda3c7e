"""Reading Slack payloads defensively: a missing or odd field gives None, never an exception."""

from __future__ import annotations

from typing import Any

from bot.model import IncomingFile


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


def files_in(value: Any) -> list[IncomingFile]:
    """Slack's file objects (a form's file field, a message's `files`) as the core takes them; odd entries are skipped.

    A file object names its id, name, size, mimetype and url_private_download; a file someone may not see comes
    as little more than its id (Slack Connect), and is looked up with files.info when it is fetched.
    """
    found: list[IncomingFile] = []
    for item in value if isinstance(value, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("id"), str) or not item["id"]:
            continue
        size = item.get("size")
        found.append(
            IncomingFile(
                id=item["id"],
                name=text(item, "name") or text(item, "title"),
                size=size if isinstance(size, int) and not isinstance(size, bool) else 0,
                mimetype=text(item, "mimetype"),
                url=text(item, "url_private_download") or text(item, "url_private"),
            )
        )
    return found


def view_files(body: Any, block_id: str) -> list[IncomingFile]:
    """The files a modal's file field sent back: `{"type": "file_input", "files": [file objects]}`."""
    return files_in(dig(body, "view", "state", "values", block_id, "value", "files"))


def view_users(body: Any, block_id: str) -> list[str]:
    """The people a modal's multi-person picker sent back (`selected_users`)."""
    users = dig(body, "view", "state", "values", block_id, "value", "selected_users")
    return [user for user in users if isinstance(user, str)] if isinstance(users, list) else []


def view_moment(body: Any, block_id: str) -> int | None:
    """The seconds since the epoch a modal's date-and-time picker sent back (`selected_date_time`), if any."""
    value = dig(body, "view", "state", "values", block_id, "value", "selected_date_time")
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def slack_text(value: str) -> str:
    """Undo the escaping Slack applies to typed text (`&`, `<`, `>`); the renderer escapes it again for display.

    A slash command's text arrives as `a &lt; b &amp; c`; stored as it came it would be escaped twice and
    show people `&lt;`. Real mentions (`<@U…>`) and links arrive unescaped and stay as they are.
    """
    return value.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# What the bot and bolt read from a request, with the JSON types Slack sends them in (Slack's own samples of
# every payload are in tests/fixtures, and tests check these lists against them). Nothing else is looked at:
# a field the bot does not read is never a reason to refuse a request, whatever it holds.
# Strings the listeners read, or bolt matches against a pattern when it routes (a number there would crash it).
_STRINGS = ("type", "command", "text", "user_id", "channel_id", "trigger_id", "callback_id", "action_id", "event_id")
# Objects the listeners read ids from, or bolt looks into for ids when it builds a request's context.
_OBJECTS = ("user", "team", "channel", "enterprise", "container", "view")
_EVENT_STRINGS = ("type", "subtype", "ts", "thread_ts", "event_ts", "reaction", "bot_id", "tab")
# An id, or an object in events such as team_join (user) or channel_created (channel).
_EVENT_IDS = ("user", "channel", "team")
_EVENT_OBJECTS = ("item", "message", "previous_message", "view")
_VIEW_STRINGS = ("id", "callback_id", "private_metadata")


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
    for key in _EVENT_IDS:
        if event.get(key) is not None and not isinstance(event[key], (str, dict)):
            return f"event.{key} is neither an id nor an object"
    for key in _EVENT_OBJECTS:
        if event.get(key) is not None and not isinstance(event[key], dict):
            return f"event.{key} is not an object"
    return None


def _view_problem(view: Any) -> str | None:
    """A submitted or closed modal is an object; bolt routes it by its callback id."""
    if not isinstance(view, dict):
        return "view is not an object"
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
