"""A fake Slack for end-to-end tests: a real, stateful local Web API server plus a Socket Mode endpoint."""

from __future__ import annotations

import copy
import hashlib
import itertools
import json
import mimetypes
import socket
import struct
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from functools import cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self
from urllib.parse import parse_qsl, quote, urlsplit

from slack_sdk.socket_mode.builtin import SocketModeClient

from sandbox.workspace import Team, Workspace, enterprise_record

if TYPE_CHECKING:  # websockets is needed only once a Socket Mode server starts (tests), not for the demo
    from websockets.sync.server import Server, ServerConnection

METHODS_FILE = Path(__file__).parent / "data" / "web_methods.json"
JSON_ARGS = frozenset({"blocks", "attachments", "files", "metadata", "view"})
# Required SDK arguments that travel in headers (bearer / basic auth), never as request arguments.
TRANSPORT_ARGS = frozenset({"token", "app_token", "client_id", "client_secret"})
NO_TOKEN_METHODS = frozenset({"api.test", "oauth.access", "oauth.v2.access", "oauth.token"})
MISSING_ARG_ERRORS = {
    ("*", "channel"): "channel_not_found",
    ("*", "channel_id"): "channel_not_found",
    ("reactions.add", "name"): "invalid_name",
    ("reactions.add", "timestamp"): "no_item_specified",
    ("reactions.remove", "timestamp"): "no_item_specified",
}
RETIRED_METHODS = frozenset({"files.upload"})
SLACK_HOST = "https://fake.slack.test"
UPLOAD = "upload"  # pseudo-method under which raw byte uploads to an upload_url are recorded
DOWNLOAD = "download"  # pseudo-method under which downloads of url_private(_download) are recorded
RESPONSE_URL = "response_url"  # pseudo-method under which posts to fake.response_url(...) are recorded
MAX_TEXT = 40_000
# What chat.update's "message" holds, as Slack answers it: the content, not where it sits.
UPDATED_MESSAGE_FIELDS = ("bot_id", "type", "text", "user", "team", "edited", "app_id", "metadata", "files", "blocks")
# Listed by conversations.replies, a broadcast reply carries no subtype (only conversations.history shows it).
REPLY_HIDDEN_FIELDS = ("subtype",)
SURFACE_BLOCK_LIMITS = {"message": 50, "modal": 100, "home": 100}
TEXT_TYPES = ("plain_text", "mrkdwn")

Json = dict[str, Any]
Headers = dict[str, str]


# Records


class SlackError(Exception):
    """Carries a Slack error code from deep inside a method to the one place that builds the answer."""

    def __init__(self, code: str, *messages: str, **fields: str) -> None:
        super().__init__(code)
        self.code = code
        self.messages = list(messages)
        self.fields = fields  # e.g. missing_scope's needed and provided

    def body(self) -> Json:
        """Builds the HTTP 200 error body Slack sends for this code."""
        body: Json = {"ok": False, "error": self.code, **self.fields}
        if self.messages:
            body["response_metadata"] = {"messages": self.messages}
        return body


@dataclass
class Fault:
    """A scripted failure for the next calls of one method (or "*"), so tests can exercise error handling."""

    method: str
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    times: int = 1
    delay: float = 0.0
    after_effect: bool = False

    def matches(self, method: str) -> bool:
        """Tells whether this fault applies to a call of ``method``."""
        return self.method in ("*", method)

    def body(self) -> Json:
        """Builds the error body; the default code follows the HTTP status like Slack's."""
        return {"ok": False, "error": self.error or _default_error(self.status)}

    def headers(self) -> dict[str, str]:
        """Adds Retry-After where Slack would, so clients' rate-limit handling is exercised."""
        retry_after = self.retry_after
        if retry_after is None and self.status == 429:
            retry_after = 1
        return {} if retry_after is None else {"Retry-After": str(retry_after)}


@dataclass
class Call:
    """One Web API request as the fake saw it, so tests assert on what the app really sent."""

    method: str
    args: Json
    headers: Headers
    at: float
    token: str | None = None
    fault: Fault | None = None
    status: int | None = None
    response: Json | None = None
    unknown_args: list[str] = field(default_factory=list)
    path: str = ""

    @property
    def answered(self) -> bool:
        """True once the fake has decided (and applied) its answer."""
        return self.status is not None

    @property
    def ok(self) -> bool:
        """True if the answer was a success, as the client would judge it."""
        return self.status == 200 and bool(self.response and self.response.get("ok"))


@dataclass(frozen=True)
class UploadedFile:
    """A file completed through the files_upload_v2 flow, with the bytes the app sent."""

    id: str
    filename: str
    title: str
    content: bytes
    channel: str | None
    initial_comment: str | None
    thread_ts: str | None = None
    user: str | None = None  # who uploaded it, when not the app (a person's file in a form's file field)
    ts: str | None = None  # the message it was shared with
    created: int = 1_700_000_000


@dataclass
class _Answer:
    """An HTTP answer, kept apart from the handler so Slack logic stays free of socket code."""

    status: int
    body: bytes
    content_type: str = "application/json; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, body: Json, headers: dict[str, str] | None = None) -> _Answer:
        """Builds a JSON answer."""
        return cls(status, json.dumps(body).encode(), headers=headers or {})

    @classmethod
    def text(cls, status: int, text: str) -> _Answer:
        """Builds a plain-text answer (upload endpoint, unknown paths)."""
        return cls(status, text.encode(), content_type="text/plain; charset=utf-8")


@dataclass(frozen=True)
class _Request:
    """What the HTTP handler read, handed to the fake in one piece."""

    path: str
    query: str
    raw: bytes
    content_type: str
    headers: Headers


# Block Kit limits


def block_kit_problems(blocks: Any, surface: str = "message", root: str = "/blocks") -> list[str]:
    """Lists what Slack would reject in ``blocks`` on ``surface``, so bad layouts fail in tests too."""
    if not isinstance(blocks, list):
        return [_problem("must be an array", root)]
    limit = SURFACE_BLOCK_LIMITS.get(surface, SURFACE_BLOCK_LIMITS["message"])
    problems = [_problem(f"must contain less than {limit + 1} items", root)] if len(blocks) > limit else []
    for index, block in enumerate(blocks):
        problems.extend(_block_problems(block, f"{root}/{index}"))
    return problems


def view_problems(view: Any) -> list[str]:
    """Lists what views.open/update/push/publish would reject, so modals and Home tabs fail as in Slack."""
    if not isinstance(view, dict):
        return [_problem("must be an object", "/view")]
    kind = view.get("type")
    if kind not in ("modal", "home"):
        return [_problem("must be one of modal, home", "/view/type")]
    problems = block_kit_problems(view.get("blocks"), kind, root="/view/blocks")
    for key, limit in (("callback_id", 255), ("private_metadata", 3000), ("external_id", 255)):
        problems += _max_len(view, key, limit, "/view")
    if kind == "modal":
        problems += _modal_problems(view)
    return problems


def _problem(what: str, pointer: str) -> str:
    """Formats a problem the way Slack's response_metadata.messages do."""
    return f"[ERROR] {what} [json-pointer:{pointer}]"


def _max_len(obj: Json, key: str, limit: int, ptr: str) -> list[str]:
    """Checks one string attribute against its length limit."""
    value = obj.get(key)
    if isinstance(value, str) and len(value) > limit:
        return [_problem(f"must be less than {limit + 1} characters", f"{ptr}/{key}")]
    return []


def _text_object_problems(text: Any, limit: int, where: str, *, plain: bool = False) -> list[str]:
    """Checks a composition text object: its type, emptiness and length."""
    if not isinstance(text, dict) or text.get("type") not in TEXT_TYPES:
        return [_problem("must be a text object (plain_text or mrkdwn)", where)]
    if plain and text["type"] != "plain_text":
        return [_problem("must be plain_text", f"{where}/type")]
    if not isinstance(text.get("text"), str) or not text["text"]:
        return [_problem("must be more than 0 characters", f"{where}/text")]
    return _max_len(text, "text", limit, where)


def _text_problems(
    obj: Json, key: str, limit: int, ptr: str, *, plain: bool = False, required: bool = True
) -> list[str]:
    """Checks the text object stored under ``key``, which may be optional."""
    if obj.get(key) is None:
        return [_problem("is required", f"{ptr}/{key}")] if required else []
    return _text_object_problems(obj[key], limit, f"{ptr}/{key}", plain=plain)


def _list_problems(obj: Json, key: str, limit: int, ptr: str, *, required: bool = True) -> tuple[list, list]:
    """Returns the list under ``key`` and the problems with its presence and size."""
    items = obj.get(key)
    if items is None and not required:
        return [], []
    if not isinstance(items, list) or not items:
        return [], [_problem("must be a non-empty array", f"{ptr}/{key}")]
    if len(items) > limit:
        return items, [_problem(f"must contain less than {limit + 1} items", f"{ptr}/{key}")]
    return items, []


def _block_problems(block: Any, ptr: str) -> list[str]:
    """Checks one block by its type."""
    if not isinstance(block, dict) or not isinstance(block.get("type"), str):
        return [_problem("must be an object with a type", ptr)]
    checker = BLOCK_CHECKERS.get(block["type"])
    if checker is None:
        return [_problem(f"unsupported block type: {block['type']}", f"{ptr}/type")]
    return _max_len(block, "block_id", 255, ptr) + checker(block, ptr)


def _section_problems(block: Json, ptr: str) -> list[str]:
    """Section: text up to 3000, at most 10 fields of up to 2000, one accessory."""
    if block.get("text") is None and not block.get("fields"):
        return [_problem("must provide either text or fields", ptr)]
    problems = _text_problems(block, "text", 3000, ptr, required=False)
    fields, problems_with_list = _list_problems(block, "fields", 10, ptr, required=False)
    problems += problems_with_list
    for index, item in enumerate(fields):
        problems += _text_object_problems(item, 2000, f"{ptr}/fields/{index}")
    if block.get("accessory") is not None:
        problems += _element_problems(block["accessory"], f"{ptr}/accessory")
    return problems


def _header_problems(block: Json, ptr: str) -> list[str]:
    """Header: plain text up to 150."""
    return _text_problems(block, "text", 150, ptr, plain=True)


def _actions_problems(block: Json, ptr: str) -> list[str]:
    """Actions: 1 to 25 interactive elements."""
    elements, problems = _list_problems(block, "elements", 25, ptr)
    for index, element in enumerate(elements):
        problems += _element_problems(element, f"{ptr}/elements/{index}")
    return problems


def _context_problems(block: Json, ptr: str) -> list[str]:
    """Context: 1 to 10 images or text objects."""
    elements, problems = _list_problems(block, "elements", 10, ptr)
    for index, element in enumerate(elements):
        where = f"{ptr}/elements/{index}"
        if isinstance(element, dict) and element.get("type") == "image":
            problems += _image_problems(element, where)
        else:
            problems += _text_object_problems(element, 3000, where)
    return problems


def _image_problems(obj: Json, ptr: str) -> list[str]:
    """Image block or element: url up to 3000, required alt_text up to 2000."""
    problems = _max_len(obj, "image_url", 3000, ptr) + _max_len(obj, "alt_text", 2000, ptr)
    if not obj.get("image_url") and not obj.get("slack_file"):
        problems.append(_problem("image_url or slack_file is required", ptr))
    if not obj.get("alt_text"):
        problems.append(_problem("is required", f"{ptr}/alt_text"))
    return problems


def _image_block_problems(block: Json, ptr: str) -> list[str]:
    """Image block: the image itself plus an optional plain title up to 2000."""
    return _image_problems(block, ptr) + _text_problems(block, "title", 2000, ptr, plain=True, required=False)


def _input_problems(block: Json, ptr: str) -> list[str]:
    """Input: plain label and hint up to 2000, one element."""
    problems = _text_problems(block, "label", 2000, ptr, plain=True)
    problems += _text_problems(block, "hint", 2000, ptr, plain=True, required=False)
    if block.get("element") is None:
        return [*problems, _problem("is required", f"{ptr}/element")]
    return problems + _element_problems(block["element"], f"{ptr}/element")


def _markdown_problems(block: Json, ptr: str) -> list[str]:
    """Markdown block: a plain string up to 12000."""
    if not isinstance(block.get("text"), str) or not block["text"]:
        return [_problem("must be more than 0 characters", f"{ptr}/text")]
    return _max_len(block, "text", 12000, ptr)


def _no_problems(block: Json, ptr: str) -> list[str]:
    """Blocks whose limits the app does not come near."""
    return []


BLOCK_CHECKERS: dict[str, Callable[[Json, str], list[str]]] = {
    "section": _section_problems,
    "header": _header_problems,
    "actions": _actions_problems,
    "context": _context_problems,
    "image": _image_block_problems,
    "input": _input_problems,
    "markdown": _markdown_problems,
    "divider": _no_problems,
    "rich_text": _no_problems,
    "file": _no_problems,
    "video": _no_problems,
}


def _element_problems(element: Any, ptr: str) -> list[str]:
    """Checks an interactive element: ids, button text, placeholder, options, confirm dialog."""
    if not isinstance(element, dict) or not isinstance(element.get("type"), str):
        return [_problem("must be an object with a type", ptr)]
    kind = element["type"]
    problems = _max_len(element, "action_id", 255, ptr)
    if kind == "button":
        problems += _text_problems(element, "text", 75, ptr, plain=True)
        problems += _max_len(element, "value", 2000, ptr) + _max_len(element, "url", 3000, ptr)
    if kind == "image":
        problems += _image_problems(element, ptr)
    if kind == "plain_text_input":
        problems += _range_problems(element, "min_length", 0, ptr)
        problems += _range_problems(element, "max_length", 1, ptr)
    problems += _text_problems(element, "placeholder", 150, ptr, plain=True, required=False)
    problems += _options_problems(element.get("options"), f"{ptr}/options")
    if element.get("confirm") is not None:
        problems += _confirm_problems(element["confirm"], f"{ptr}/confirm")
    return problems


def _range_problems(element: Json, key: str, low: int, ptr: str) -> list[str]:
    """plain_text_input lengths must lie between ``low`` and 3000."""
    value = element.get(key)
    if value is None or (isinstance(value, int) and low <= value <= 3000):
        return []
    return [_problem(f"must be between {low} and 3000", f"{ptr}/{key}")]


def _options_problems(options: Any, ptr: str) -> list[str]:
    """Select options: at most 100, text up to 75, value up to 150."""
    if options is None:
        return []
    if not isinstance(options, list):
        return [_problem("must be an array", ptr)]
    problems = [_problem("must contain less than 101 items", ptr)] if len(options) > 100 else []
    for index, option in enumerate(options):
        where = f"{ptr}/{index}"
        if not isinstance(option, dict):
            problems.append(_problem("must be an object", where))
            continue
        problems += _text_problems(option, "text", 75, where) + _max_len(option, "value", 150, where)
    return problems


def _confirm_problems(confirm: Any, ptr: str) -> list[str]:
    """Confirm dialog: title 100, text 300, button labels 30."""
    if not isinstance(confirm, dict):
        return [_problem("must be an object", ptr)]
    problems = _text_problems(confirm, "title", 100, ptr, plain=True)
    problems += _text_problems(confirm, "text", 300, ptr)
    problems += _text_problems(confirm, "confirm", 30, ptr, plain=True)
    return problems + _text_problems(confirm, "deny", 30, ptr, plain=True)


def _modal_problems(view: Json) -> list[str]:
    """Modal: plain title, submit and close up to 24; submit is required once there is an input."""
    problems = _text_problems(view, "title", 24, "/view", plain=True)
    problems += _text_problems(view, "submit", 24, "/view", plain=True, required=False)
    problems += _text_problems(view, "close", 24, "/view", plain=True, required=False)
    found = view.get("blocks")
    blocks = found if isinstance(found, list) else []
    has_input = any(isinstance(block, dict) and block.get("type") == "input" for block in blocks)
    if has_input and view.get("submit") is None:
        problems.append(_problem("submit is required when a view has input blocks", "/view/submit"))
    return problems


# Small helpers


@cache
def load_methods() -> dict[str, Json]:
    """Reads the Web API method table (required and optional arguments) copied into the fixtures."""
    return json.loads(METHODS_FILE.read_text(encoding="utf-8"))["methods"]


def parse_args(query: str, raw: bytes, content_type: str) -> Json:
    """Merges query string and body the ways Slack accepts them; JSON-valued form fields are decoded."""
    args: Json = dict(parse_qsl(query, keep_blank_values=True))
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json":
        body = json.loads(raw) if raw.strip() else {}
        if not isinstance(body, dict):
            raise ValueError("a JSON body must be an object")
        args.update(body)
    elif raw:
        args.update(parse_qsl(raw.decode("utf-8"), keep_blank_values=True))
    return {key: _decode_json_arg(key, value) for key, value in args.items()}


def _decode_json_arg(key: str, value: Any) -> Any:
    """Decodes the arguments Slack takes as JSON strings in forms; keeps undecodable text for the checks."""
    if key not in JSON_ARGS or not isinstance(value, str):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _default_error(status: int) -> str:
    """Names the error code Slack sends along with an HTTP status."""
    if status == 429:
        return "ratelimited"
    if status == 503:
        return "service_unavailable"
    if status >= 500:
        return "internal_error"
    return "fatal_error"


def _flag(value: Any) -> bool:
    """Reads a boolean the way forms (1/0, true/false) and JSON send it."""
    return value is True or str(value).lower() in ("1", "true")


def _blank(value: Any) -> bool:
    """Tells whether an argument counts as not given."""
    return value is None or value == "" or value == []


def _is_user_id(value: Any) -> bool:
    """User ids (U…, W…) can stand for a DM channel."""
    return isinstance(value, str) and value[:1] in ("U", "W")


def _ts_key(value: Any) -> Decimal:
    """Compares Slack timestamps exactly (floats lose the microseconds)."""
    try:
        return Decimal(str(value))
    except InvalidOperation as error:
        raise SlackError("invalid_ts_oldest", f"[ERROR] not a timestamp: {value}") from error


def _in_window(ts: str, args: Json) -> bool:
    """Applies oldest/latest/inclusive as conversations.history and replies do."""
    inclusive = _flag(args.get("inclusive"))
    key = _ts_key(ts)
    oldest, latest = args.get("oldest"), args.get("latest")
    if not _blank(oldest) and (key < _ts_key(oldest) or (key == _ts_key(oldest) and not inclusive)):
        return False
    return _blank(latest) or key < _ts_key(latest) or (key == _ts_key(latest) and inclusive)


def _page(items: list[Any], args: Json, default_limit: int) -> tuple[list[Any], Json]:
    """Cuts one page by limit and cursor, returning it with has_more and response_metadata."""
    cursor = str(args.get("cursor") or "")
    offset = cursor.removeprefix("offset_")
    if cursor and (offset == cursor or not offset.isdigit()):
        raise SlackError("invalid_cursor")
    start = int(offset or 0)
    try:
        limit = int(args.get("limit") or default_limit)
    except ValueError as error:
        raise SlackError("invalid_limit") from error
    limit = limit if limit > 0 else default_limit
    end = start + limit
    more = end < len(items)
    next_cursor = f"offset_{end}" if more else ""
    return items[start:end], {"has_more": more, "response_metadata": {"next_cursor": next_cursor}}


def _without_metadata(message: Json, keep: bool, *, hide: tuple[str, ...] = ()) -> Json:
    """Copies a message for a read API, hiding metadata unless include_all_metadata asked for it."""
    shown = copy.deepcopy(message)
    for key in (*hide, *(() if keep else ("metadata",))):
        shown.pop(key, None)
    return shown


def _as_updated(message: Json) -> Json:
    """The message chat.update answers with: its content and author, without its place (ts) or thread counters."""
    return {key: copy.deepcopy(value) for key, value in message.items() if key in UPDATED_MESSAGE_FIELDS}


def _is_top_level(message: Json) -> bool:
    """Top-level messages are thread parents, unthreaded messages and broadcast replies."""
    return message.get("thread_ts") in (None, message["ts"]) or message.get("subtype") == "thread_broadcast"


def _check_metadata(metadata: Any) -> None:
    """Message metadata must be {event_type: str, event_payload: object}, as Slack demands."""
    if metadata is None:
        return
    if (
        not isinstance(metadata, dict)
        or not isinstance(metadata.get("event_type"), str)
        or not isinstance(metadata.get("event_payload", {}), dict)
    ):
        raise SlackError("invalid_metadata_format")


def _check_content(args: Json, *, required: bool) -> None:
    """Applies Slack's content rules for messages: some text or blocks, Block Kit limits, length."""
    text = args.get("text") or args.get("markdown_text")
    blocks, attachments = args.get("blocks"), args.get("attachments")
    if required and _blank(text) and _blank(blocks) and _blank(attachments):
        raise SlackError("no_text")
    if isinstance(text, str) and len(text) > MAX_TEXT:
        raise SlackError("msg_too_long", _problem(f"must be less than {MAX_TEXT + 1} characters", "/text"))
    if blocks is not None:
        problems = block_kit_problems(blocks, "message")
        if problems:
            raise SlackError("invalid_blocks", *problems)
    if attachments is not None and not isinstance(attachments, list):
        raise SlackError("invalid_attachments")
    _check_metadata(args.get("metadata"))


def _require_trigger(args: Json) -> None:
    """views.open and views.push need a fresh trigger_id (or interactivity_pointer)."""
    if _blank(args.get("trigger_id")) and _blank(args.get("interactivity_pointer")):
        raise SlackError("invalid_arguments", "[ERROR] missing required field: trigger_id")


def _valid_view(view: Any, kind: str) -> Json:
    """Returns the view if Slack would take it for ``kind``, else raises invalid_arguments."""
    problems = view_problems(view)
    if not problems and view.get("type") != kind:
        problems = [_problem(f"must be {kind}", "/view/type")]
    if problems:
        raise SlackError("invalid_arguments", *problems)
    return view


def _bearer(headers: Headers, args: Json) -> str | None:
    """Finds the token where slack_sdk puts it (header) or where old clients put it (argument)."""
    auth = next((value for key, value in headers.items() if key.lower() == "authorization"), "")
    if auth.lower().startswith("bearer "):
        return auth[7:].strip() or None
    token = args.get("token")
    return token if isinstance(token, str) and token else None


# The Web API server


class _HttpServer(ThreadingHTTPServer):
    """A threading server that knows its fake, so handlers can reach the state."""

    daemon_threads = True
    request_queue_size = 128  # a burst of parallel calls must not hit the backlog (SYN retry = 1 s stall)
    fake: FakeSlack


class _Handler(BaseHTTPRequestHandler):
    """Turns HTTP requests into fake Slack calls and writes the answers back."""

    server: _HttpServer

    def do_POST(self) -> None:
        """Handles Web API posts and raw uploads."""
        length = int(self.headers.get("Content-Length") or 0)
        self._dispatch(self.rfile.read(length) if length else b"")

    def do_GET(self) -> None:
        """Handles Web API calls made with a query string."""
        self._dispatch(b"")

    def _dispatch(self, raw: bytes) -> None:
        """Routes /api/<method>, /upload/<file_id>, /respond/<name> and /files-pri/…; everything else is 404."""
        parts = urlsplit(self.path)
        content_type = self.headers.get("Content-Type", "")
        request = _Request(parts.path, parts.query, raw, content_type, dict(self.headers.items()))
        fake = self.server.fake
        if parts.path.startswith("/api/"):
            answer = fake._handle_api(parts.path.removeprefix("/api/").strip("/"), request)
        elif parts.path.startswith("/upload/"):
            answer = fake._handle_upload(parts.path.removeprefix("/upload/"), request)
        elif parts.path.startswith("/respond/"):
            answer = fake._handle_response_url(request)
        elif parts.path.startswith("/files-pri/"):
            answer = fake._handle_download(parts.path.removeprefix("/files-pri/"), request)
        else:
            answer = _Answer.text(404, "not found")
        self._send(answer)

    def _send(self, answer: _Answer) -> None:
        """Writes the answer; a client that already gave up (timeout) is not an error."""
        try:
            self.send_response(answer.status)
            for key, value in answer.headers.items():
                self.send_header(key, value)
            self.send_header("Content-Type", answer.content_type)
            self.send_header("Content-Length", str(len(answer.body)))
            self.end_headers()
            self.wfile.write(answer.body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: Any) -> None:
        """Keeps test output free of access logs."""


class FakeSlack:
    """A stateful fake of the Slack Web API on 127.0.0.1, for WebClient(base_url=fake.url) in tests."""

    def __init__(
        self,
        *,
        latency: float = 0.0,
        bot_user_id: str = "UBOT",
        bot_id: str = "BBOT",
        team_id: str = "T1",
        app_id: str = "A1",
        team: str = "Fake Team",
        socket_mode: bool = False,
        ts_start: int = 1_700_000_000,
        workspace: Workspace | None = None,
        real_clock: bool = False,
        bot_scopes: Iterable[str] | None = None,
        enterprise_id: str = "",
        org_wide: bool = False,
        port: int = 0,
    ) -> None:
        self.latency = latency
        self._wanted_port = port  # 0: an ephemeral one; a test that starts Slack late at a known address names it
        self.real_clock = real_clock  # message timestamps follow the wall clock (a demo) instead of ts_start
        # People and channels known by name; ids it does not know get generated records.
        self.workspace = workspace or Workspace(Team(team_id, team, "fake"))
        # Called after every change of state (a call, a response_url post, an upload), e.g. to update a page.
        self.listeners: list[Callable[[], None]] = []
        self.bot_user_id = bot_user_id
        self.bot_id = bot_id
        self.team_id = team_id
        self.app_id = app_id
        self.team = team
        # Enterprise Grid: the organisation the workspace belongs to, and whether the app is installed org-wide.
        self.enterprise_id = enterprise_id
        self.org_wide = org_wide
        self.socket = FakeSocketModeServer(app_id=app_id) if socket_mode else None
        # Configuration a test may change at any time.
        self.not_in_channel: set[str] = set()
        self.missing_channels: set[str] = set()
        self.missing_users: set[str] = set()
        self.unreadable_files: set[str] = set()  # file ids the app may not download (403), e.g. from a DM
        # The scopes the bot token was granted at install, e.g. the app manifest's; None: scopes are not modelled
        # (every call is allowed and answers carry no scope headers).
        self.bot_scopes: set[str] | None = None if bot_scopes is None else set(bot_scopes)
        self.users: dict[str, Json] = {}
        self.usergroups: dict[str, list[str]] = {}
        self.channels: dict[str, Json] = {}
        self.members: dict[str, list[str]] = {}
        self._methods = load_methods()
        self._handlers = self._build_handlers()
        self._lock = threading.RLock()
        self._clock = ts_start * 1_000_000
        self._ids = itertools.count(1)
        self._server: _HttpServer | None = None
        self._thread: threading.Thread | None = None
        self._clear_state()

    # -- lifecycle

    def start(self) -> Self:
        """Binds its port (an ephemeral one unless given) and serves in a daemon thread (and starts Socket Mode if
        asked)."""
        if self._server is not None:
            return self
        self._server = _HttpServer(("127.0.0.1", self._wanted_port), _Handler)
        self._server.fake = self
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.01}, name="fake-slack", daemon=True
        )
        self._thread.start()
        if self.socket is not None:
            self.socket.start()
        return self

    def stop(self) -> None:
        """Shuts the servers down and frees the ports."""
        if self.socket is not None:
            self.socket.stop()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server, self._thread = None, None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def port(self) -> int:
        """The bound port; only known after start()."""
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return int(self._server.server_address[1])

    @property
    def url(self) -> str:
        """The WebClient base_url, with its trailing slash."""
        return f"http://127.0.0.1:{self.port}/api/"

    # -- recorded calls

    @property
    def calls(self) -> list[Call]:
        """Every Web API call so far (also the unanswered and the faulted), oldest first."""
        with self._lock:
            return list(self._calls)

    def calls_to(self, method: str) -> list[Call]:
        """The calls to one method ("*" for all)."""
        return [call for call in self.calls if method in ("*", call.method)]

    def last(self, method: str) -> Call:
        """The latest answered call to ``method``; fails the test if there is none."""
        return self.wait_for(method, timeout=0)[-1]

    def wait_for(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,
        where: Callable[[Call], bool] | None = None,
    ) -> list[Call]:
        """Polls until ``count`` answered calls match, since the app calls Slack from other threads."""
        deadline = time.monotonic() + timeout
        while True:
            found = [c for c in self.calls_to(method) if c.answered and (where is None or where(c))]
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(self._describe_miss(method, count, len(found), timeout))
            time.sleep(0.01)

    def _describe_miss(self, method: str, count: int, found: int, timeout: float) -> str:
        """Explains a failed wait with what the app did call, which is usually the real clue."""
        lines = [f"expected {count} matching call(s) to {method} within {timeout}s, found {found}; recorded:"]
        for call in self.calls[-40:]:
            error = "" if call.response is None else call.response.get("error", "ok")
            args = json.dumps(call.args, default=str)[:300]
            lines.append(f"  {call.method} {args} -> {call.status} {error}")
        return "\n".join(lines if len(lines) > 1 else [*lines, "  (nothing)"])

    # -- fault injection

    def fail(
        self,
        method: str,
        *,
        status: int = 200,
        error: str | None = None,
        retry_after: int | None = None,
        times: int = 1,
        delay: float = 0.0,
        after_effect: bool = False,
    ) -> Fault:
        """Makes the next ``times`` calls to ``method`` ("*" = any) fail; times=-1 lasts until heal()."""
        if times == 0 or times < -1:
            raise ValueError("times must be positive or -1")
        fault = Fault(method, status, error, retry_after, times, delay, after_effect)
        with self._lock:
            self._faults.append(fault)
        return fault

    def heal(self, method: str | None = None) -> None:
        """Removes the pending faults (all of them, or those for ``method``)."""
        with self._lock:
            self._faults[:] = [fault for fault in self._faults if method is not None and fault.method != method]

    def _take_fault(self, method: str) -> Fault | None:
        """Consumes one use of the first fault that matches; call with the lock held."""
        for fault in self._faults:
            if fault.matches(method):
                if fault.times > 0:
                    fault.times -= 1
                    if fault.times == 0:
                        self._faults.remove(fault)
                return copy.copy(fault)
        return None

    # -- state for assertions

    def reset(self, *, config: bool = False) -> None:
        """Forgets calls, messages, faults, views and files; config=True also clears the test's settings."""
        with self._lock:
            self._clear_state()
            if config:
                for settings in (self.not_in_channel, self.missing_channels, self.missing_users, self.unreadable_files):
                    settings.clear()
                for table in (self.users, self.usergroups, self.channels, self.members):
                    table.clear()

    def _clear_state(self) -> None:
        """Starts from an empty workspace."""
        self._calls: list[Call] = []
        self._faults: list[Fault] = []
        self._store: dict[str, dict[str, Json]] = {}
        self._ephemerals: list[Json] = []
        self._views: dict[str, Json] = {}
        self._home_views: dict[str, Json] = {}
        self._files: dict[str, UploadedFile] = {}
        self._deleted_files: set[str] = set()
        self._pending_uploads: dict[str, Json] = {}
        self._group_dms: dict[str, list[str]] = {}
        self._opened: set[str] = set()
        self._responders: dict[str, Json] = {}
        self._trigger_views: dict[str, str] = {}

    def messages(self, channel: str, thread_ts: str | None = None) -> list[Json]:
        """Stored messages: a channel's top-level ones, or one thread's replies without the parent."""
        channel = self.dm_channel(channel) if _is_user_id(channel) else channel
        with self._lock:
            stored = list(self._store.get(channel, {}).values())
            if thread_ts is None:
                picked = [message for message in stored if _is_top_level(message)]
            else:
                picked = [m for m in stored if m.get("thread_ts") == thread_ts and m["ts"] != thread_ts]
            return copy.deepcopy(picked)

    def message(self, channel: str, ts: str) -> Json | None:
        """One stored message (a copy), or None."""
        channel = self.dm_channel(channel) if _is_user_id(channel) else channel
        with self._lock:
            return copy.deepcopy(self._store.get(channel, {}).get(ts))

    @property
    def ephemerals(self) -> list[Json]:
        """Ephemeral messages: channel, user, text, blocks, thread_ts, message_ts."""
        with self._lock:
            return copy.deepcopy(self._ephemerals)

    @property
    def files(self) -> dict[str, UploadedFile]:
        """Files completed through files.completeUploadExternal, by file id."""
        with self._lock:
            return dict(self._files)

    @property
    def views(self) -> dict[str, Json]:
        """Every opened, pushed, updated or published view by view id, latest version."""
        with self._lock:
            return copy.deepcopy(self._views)

    @property
    def home_views(self) -> dict[str, Json]:
        """The latest published Home tab per user id."""
        with self._lock:
            return copy.deepcopy(self._home_views)

    def add_message(
        self,
        channel: str,
        text: str = "",
        *,
        user: str = "U2",
        thread_ts: str | None = None,
        blocks: list[Json] | None = None,
        metadata: Json | None = None,
    ) -> Json:
        """Stores a message a person wrote (before dispatching its event), returning it with its ts."""
        channel = self.dm_channel(channel) if _is_user_id(channel) else channel
        fields = {"text": text, "thread_ts": thread_ts, "blocks": blocks, "metadata": metadata}
        with self._lock:
            stored = copy.deepcopy(self._store_message(channel, fields, user=user, bot=False))
        self._notify()
        return stored

    def add_reaction(self, channel: str, ts: str, name: str, *, user: str) -> None:
        """Puts a person's reaction on a stored message, as Slack would before sending reaction_added."""
        with self._lock:
            self._react(self._existing(channel, ts), name, user)
        self._notify()

    def remove_reaction(self, channel: str, ts: str, name: str, *, user: str) -> None:
        """Takes a person's reaction off a stored message, as Slack would before sending reaction_removed."""
        with self._lock:
            self._unreact(self._existing(channel, ts), name, user)
        self._notify()

    def add_ephemeral(
        self, channel: str, user: str, text: str, *, blocks: Any = None, author: str | None = None
    ) -> Json:
        """A private message for one person that Slack itself shows (a command's answer, Slackbot's notes)."""
        with self._lock:
            args = {"text": text, "blocks": blocks}
            shown = self._ephemeral(channel, user, args, self._next_ts(), author)
            self._ephemerals.append(shown)
        self._notify()
        return copy.deepcopy(shown)

    def add_file(self, filename: str, content: bytes, *, user: str) -> Json:
        """A file a person uploaded (into a form's file field); returns the file object Slack gives the app."""
        with self._lock:
            uploaded = UploadedFile(
                f"F{next(self._ids):08d}", filename, filename, content, None, None, user=user, created=self._now()
            )
            self._files[uploaded.id] = uploaded
            return self._file_record(uploaded)

    def add_file_message(
        self,
        channel: str,
        files: list[tuple[str, bytes]],
        *,
        user: str = "U2",
        text: str = "",
        thread_ts: str | None = None,
    ) -> Json:
        """A message with files a person posted (subtype file_share, as Slack stores and sends it)."""
        channel = self.dm_channel(channel) if _is_user_id(channel) else channel
        with self._lock:
            message = self._store_message(
                channel, {"text": text, "thread_ts": thread_ts, "upload": True}, user=user, bot=False
            )
            message.update(subtype="file_share", display_as_bot=False)
            shared = [
                UploadedFile(
                    f"F{next(self._ids):08d}",
                    name,
                    name,
                    content,
                    channel,
                    text or None,
                    thread_ts=message.get("thread_ts"),
                    user=user,
                    ts=message["ts"],
                    created=self._now(),
                )
                for name, content in files
            ]
            for uploaded in shared:
                self._files[uploaded.id] = uploaded
            message["files"] = [self._file_record(uploaded, in_message=True) for uploaded in shared]
            stored = copy.deepcopy(message)
        self._notify()
        return stored

    def delete_file(self, file_id: str) -> None:
        """A person deletes a file: downloads answer 404 and files.info file_deleted from now on."""
        with self._lock:
            self._files.pop(file_id, None)
            self._deleted_files.add(file_id)
        self._notify()

    def view_for_trigger(self, trigger_id: str) -> Json | None:
        """The modal the app opened (or pushed) with this trigger, latest version, or None yet."""
        with self._lock:
            view_id = self._trigger_views.get(trigger_id)
            return copy.deepcopy(self._views[view_id]) if view_id else None

    def keep_view(self, view: Json, view_id: str | None = None) -> Json:
        """Stores a view the app answered a submission with (response_action update or push)."""
        with self._lock:
            return copy.deepcopy(self._save_view(view, view_id=view_id))

    @property
    def group_dms(self) -> dict[str, list[str]]:
        """The group DMs conversations.open made, by channel id, with their members."""
        with self._lock:
            return copy.deepcopy(self._group_dms)

    def _notify(self) -> None:
        """Tells the listeners that something changed (outside the lock, so they may read the state)."""
        for listener in list(self.listeners):
            listener()

    def permalink(self, channel: str, ts: str) -> str:
        """The permalink chat.getPermalink gives for a message (with thread_ts for replies)."""
        link = f"{SLACK_HOST}/archives/{channel}/p{ts.replace('.', '')}"
        with self._lock:
            message = self._store.get(channel, {}).get(ts) or {}
        thread_ts = message.get("thread_ts")
        return link if thread_ts in (None, ts) else f"{link}?thread_ts={thread_ts}&cid={channel}"

    @property
    def implemented(self) -> list[str]:
        """The Web API methods the fake models (any other method of the table just answers ok)."""
        return sorted(self._handlers)

    def is_ext_shared(self, channel: str) -> bool:
        """Whether a channel is shared with another organisation: what every event from it says."""
        known = self.workspace.channel(channel)
        shared = known is not None and known.is_ext_shared
        return bool(self.channels.get(channel, {}).get("is_ext_shared", shared))

    def dm_channel(self, user_id: str) -> str:
        """The DM channel id the fake uses for a user: "D" + user id."""
        return f"D{user_id}"

    # -- request handling

    def _handle_api(self, method: str, request: _Request) -> _Answer:
        """Records the call, waits the latency, applies it (unless faulted) and builds the answer."""
        try:
            args, parse_error = parse_args(request.query, request.raw, request.content_type), None
        except (ValueError, UnicodeDecodeError):
            args, parse_error = {}, SlackError("invalid_json")
        call = self._record(method, args, request)
        if self.latency:
            time.sleep(self.latency)
        fault = call.fault
        status, body = 200, parse_error.body() if parse_error else {}
        if parse_error is None and (fault is None or fault.after_effect):
            body = self._respond(call)
        if fault is not None:
            status, body = fault.status, fault.body()
        with self._lock:
            call.status, call.response = status, body
        self._notify()
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
        headers = {**self._scope_headers(call), **(fault.headers() if fault else {})}
        return _Answer.json(status, body, headers)

    def _record(self, method: str, args: Json, request: _Request) -> Call:
        """Adds the call to the log at arrival, taking any fault scripted for it."""
        token = _bearer(request.headers, args)
        spec = self._methods.get(method, {})
        known = set(spec.get("required", [])) | set(spec.get("optional", [])) | TRANSPORT_ARGS
        unknown = sorted(key for key in args if spec and key not in known)
        with self._lock:
            call = Call(method, args, request.headers, time.time(), token, self._take_fault(method))
            call.unknown_args, call.path = unknown, request.path
            self._calls.append(call)
        return call

    def _respond(self, call: Call) -> Json:
        """Checks method, token and arguments, then runs the method against the state."""
        try:
            handler = self._check(call)
            with self._lock:
                return {"ok": True, **handler(call)}
        except SlackError as error:
            body = error.body()
            if error.code == "unknown_method":
                body["req_method"] = call.method
            return body
        except Exception as error:  # a bug in the fake must show up in the test, not as a dropped connection
            return SlackError("fake_slack_crashed", f"{type(error).__name__}: {error}").body()

    def _check(self, call: Call) -> Callable[[Call], Json]:
        """Rejects what Slack rejects before looking at state: method, auth, required arguments."""
        if call.method not in self._methods and call.method not in self._handlers:
            raise SlackError("unknown_method")
        if call.method in RETIRED_METHODS:
            raise SlackError("method_deprecated")
        if call.method not in NO_TOKEN_METHODS:
            self._check_token(call.token)
            self._check_scope(call)
        for name in self._methods.get(call.method, {}).get("required", []):
            if name not in TRANSPORT_ARGS and _blank(call.args.get(name)):
                code = MISSING_ARG_ERRORS.get((call.method, name)) or MISSING_ARG_ERRORS.get(("*", name))
                raise SlackError(code or "invalid_arguments", f"[ERROR] missing required field: {name}")
        return self._handlers.get(call.method, _ok)

    # -- scopes: a bot token may call a method only with the scope it needs for that kind of conversation

    def _check_scope(self, call: Call) -> None:
        """missing_scope, with what was needed and what the token has, as Slack answers it."""
        granted = self.bot_scopes
        if granted is None or not (call.token or "").startswith("xoxb-"):
            return
        needed = self._needed_scope(call)
        if needed is not None and needed not in granted:
            raise SlackError("missing_scope", needed=needed, provided=",".join(sorted(granted)))

    def _needed_scope(self, call: Call) -> str | None:
        """The scope this call needs: the method's, or its scope for the kind of conversation it acts on."""
        scopes = self._methods.get(call.method, {}).get("scopes") or {}
        if "any" in scopes:
            return str(scopes["any"])
        kind = self._conversation_kind(call) if scopes else None
        return None if kind is None else scopes.get(kind)

    def _conversation_kind(self, call: Call) -> str | None:
        """channel, group (private channel), im or mpim; None when the call names no conversation the fake knows."""
        users = [user for user in str(call.args.get("users") or "").split(",") if user.strip()]
        if call.method == "conversations.open" and users:
            return "im" if len(users) == 1 else "mpim"
        target = str(call.args.get("channel") or call.args.get("channel_id") or "")
        if not target or target in self.missing_channels:
            return None
        if _is_user_id(target):
            return "im"
        with self._lock:
            info = self._channel_info(target)
        if info.get("is_im"):
            return "im"
        if info.get("is_mpim"):
            return "mpim"
        return "group" if info.get("is_private") else "channel"

    def _scope_headers(self, call: Call) -> dict[str, str]:
        """x-oauth-scopes (what the token has) and x-accepted-oauth-scopes (what the method takes), on every
        answer to a bot token, as Slack sends them."""
        granted = self.bot_scopes
        if granted is None or not (call.token or "").startswith("xoxb-"):
            return {}
        accepted = sorted(set((self._methods.get(call.method, {}).get("scopes") or {}).values()))
        return {"x-oauth-scopes": ",".join(sorted(granted)), "x-accepted-oauth-scopes": ",".join(accepted)}

    def _check_token(self, token: str | None) -> None:
        """No token, and the dummy tokens ending in -invalid / -revoked, fail like Slack's auth."""
        if not token:
            raise SlackError("not_authed")
        suffix = token.rsplit("-", 1)[-1]
        if suffix == "invalid":
            raise SlackError("invalid_auth")
        if suffix == "revoked":
            raise SlackError("token_revoked")

    def _handle_upload(self, file_id: str, request: _Request) -> _Answer:
        """Takes the raw bytes files_upload_v2 posts to an upload_url (no token, like Slack's)."""
        call = self._record(UPLOAD, {"file_id": file_id, "size": len(request.raw)}, request)
        if call.fault is not None:
            return self._answer_fault(call, call.fault)
        with self._lock:
            pending = self._pending_uploads.get(file_id)
            if pending is not None:
                pending["content"] = request.raw
            status = 200 if pending is not None else 404
            call.status, call.response = status, {"ok": status == 200}
        self._notify()
        return _Answer.text(status, "OK" if status == 200 else "file not found")

    def _handle_download(self, path: str, request: _Request) -> _Answer:
        """GET url_private(_download): the bytes for the bot token; Slack's answers when that is not possible.

        Without a valid token Slack redirects to its sign-in page; a deleted or unknown file is 404; a file the
        app may not read is 403.
        """
        team_file, _, _ = path.partition("/")
        file_id = team_file.rpartition("-")[2]
        call = self._record(DOWNLOAD, {"file": file_id, "path": request.path}, request)
        if call.fault is not None:
            return self._answer_fault(call, call.fault)
        token = _bearer(request.headers, {})
        with self._lock:
            uploaded = self._files.get(file_id)
            if not token or token.rsplit("-", 1)[-1] in ("invalid", "revoked") or not token.startswith("xoxb-"):
                status, answer = (
                    302,
                    _Answer(302, b"", "text/html", {"Location": f"{SLACK_HOST}/?redir={request.path}"}),
                )
            elif uploaded is None:
                status, answer = 404, _Answer.text(404, "file not found")
            elif file_id in self.unreadable_files:
                status, answer = 403, _Answer.text(403, "forbidden")
            else:
                kind = mimetypes.guess_type(uploaded.filename)[0] or "application/octet-stream"
                status, answer = 200, _Answer(200, uploaded.content, kind)
            call.status, call.response = status, {"ok": status == 200, "size": len(answer.body)}
        self._notify()
        return answer

    def response_url(self, name: str = "r1") -> str:
        """A response_url on this server for payloads a test builds; posts there are "response_url" calls."""
        return f"http://127.0.0.1:{self.port}/respond/{name}"

    def response_url_for(
        self, channel: str, user: str, *, message_ts: str | None = None, ephemeral: bool = False
    ) -> str:
        """A response_url whose posts act as Slack's do: a private message to ``user`` in ``channel`` by default,
        a message for everyone with response_type in_channel, or a change of the message the action came from
        (``message_ts``; ``ephemeral`` when that one was private) with replace_original / delete_original."""
        with self._lock:
            name = f"R{next(self._ids):08d}"
            self._responders[name] = {"channel": channel, "user": user, "ts": message_ts, "ephemeral": ephemeral}
        return self.response_url(name)

    def _handle_response_url(self, request: _Request) -> _Answer:
        """Records what bolt's respond() sends; Slack answers "ok"."""
        try:
            args = parse_args(request.query, request.raw, request.content_type)
        except (ValueError, UnicodeDecodeError):
            args = {"raw": request.raw.decode("utf-8", "replace")}
        call = self._record(RESPONSE_URL, args, request)
        if call.fault is not None:
            return self._answer_fault(call, call.fault)
        with self._lock:
            call.status, call.response = 200, {"ok": True}
            responder = self._responders.get(request.path.rsplit("/", 1)[-1])
            if responder is not None:
                self._apply_response(responder, args)
        self._notify()
        return _Answer.text(200, "ok")

    def _apply_response(self, responder: Json, args: Json) -> None:
        """What Slack does with a post to a response_url it handed out (lock held)."""
        channel, user, ts = responder["channel"], responder["user"], responder["ts"]
        if ts and (_flag(args.get("delete_original")) or _flag(args.get("replace_original"))):
            if responder["ephemeral"]:
                kept = [e for e in self._ephemerals if e["message_ts"] != ts]
                if _flag(args.get("replace_original")):
                    kept.append(self._ephemeral(channel, user, args, ts))
                self._ephemerals = kept
            elif _flag(args.get("delete_original")):
                self._store.get(channel, {}).pop(ts, None)
            else:
                message = self._store.get(channel, {}).get(ts)
                if message is not None:
                    message.update(text=args.get("text") or "", blocks=copy.deepcopy(args.get("blocks") or []))
            return
        if args.get("response_type") == "in_channel":
            self._store_message(channel, args, user=self.bot_user_id, bot=True)
        else:
            self._ephemerals.append(self._ephemeral(channel, user, args, self._next_ts()))

    def _answer_fault(self, call: Call, fault: Fault) -> _Answer:
        """Answers a non-API endpoint with the fault scripted for it."""
        with self._lock:
            call.status, call.response = fault.status, fault.body()
        if fault.delay:
            time.sleep(fault.delay)
        return _Answer.json(fault.status, fault.body(), fault.headers())

    def _build_handlers(self) -> dict[str, Callable[[Call], Json]]:
        """Maps the methods the fake implements; the rest of the method table answers ok."""
        return {
            "auth.test": self._auth_test,
            "chat.postMessage": self._post_message,
            "chat.update": self._update_message,
            "chat.delete": self._delete_message,
            "chat.postEphemeral": self._post_ephemeral,
            "chat.getPermalink": self._get_permalink,
            "reactions.add": self._reactions_add,
            "reactions.remove": self._reactions_remove,
            "reactions.get": self._reactions_get,
            "conversations.history": self._history,
            "conversations.replies": self._replies,
            "conversations.open": self._open_conversation,
            "conversations.info": self._conversation_info,
            "conversations.join": self._join,
            "conversations.members": self._conversation_members,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "users.info": self._users_info,
            "usergroups.users.list": self._usergroup_users,
            "apps.connections.open": self._connections_open,
            "files.getUploadURLExternal": self._get_upload_url,
            "files.completeUploadExternal": self._complete_upload,
            "files.info": self._file_info,
        }

    # -- state helpers (lock held)

    def _next_ts(self) -> str:
        """Hands out unique, increasing message timestamps like "1700000000.000100"."""
        self._clock += 100
        if self.real_clock:
            self._clock = max(self._clock, time.time_ns() // 1000)
        return f"{self._clock // 1_000_000}.{self._clock % 1_000_000:06d}"

    def _channel(self, channel: Any, *, member: bool = True) -> str:
        """Resolves a user id to its DM and applies the channel failures a test configured."""
        raw = str(channel)
        resolved = self.dm_channel(raw) if _is_user_id(raw) else raw
        if {raw, resolved} & self.missing_channels:
            raise SlackError("channel_not_found")
        if member and {raw, resolved} & self.not_in_channel:
            raise SlackError("not_in_channel")
        known = self.workspace.channel(resolved)
        if known is not None and known.is_private and self.bot_user_id not in known.members:
            raise SlackError("channel_not_found")  # a private channel the app is not in does not exist for it
        return resolved

    def _existing(self, channel: str, ts: Any, error: str = "message_not_found") -> Json:
        """The stored message itself (not a copy), or the given Slack error."""
        channel = self.dm_channel(channel) if _is_user_id(channel) else channel
        message = self._store.get(channel, {}).get(str(ts))
        if message is None:
            raise SlackError(error)
        return message

    def _store_message(self, channel: str, fields: Json, *, user: str, bot: bool) -> Json:
        """Stores a new message, threading it under its parent like Slack does."""
        person = self.workspace.person(user)
        team = person.team_id if person is not None else self.team_id
        message: Json = {"type": "message", "ts": self._next_ts(), "user": user, "team": team}
        message["text"] = fields.get("text") or fields.get("markdown_text") or ""
        if bot:
            message.update(bot_id=self.bot_id, app_id=self.app_id)
        for key in ("blocks", "attachments", "metadata", "files"):
            if fields.get(key) is not None:
                message[key] = copy.deepcopy(fields[key])
        if fields.get("upload"):
            message["upload"] = True
        if not _blank(fields.get("thread_ts")):
            broadcast = _flag(fields.get("reply_broadcast"))
            self._attach_to_thread(channel, message, str(fields["thread_ts"]), broadcast)
        self._store.setdefault(channel, {})[message["ts"]] = message
        return message

    def _attach_to_thread(self, channel: str, message: Json, thread_ts: str, broadcast: bool) -> None:
        """Links a reply to the thread's root and updates the root's reply counters."""
        stored = self._store.get(channel, {})
        parent = stored.get(thread_ts)
        if parent is not None and parent.get("thread_ts") not in (None, parent["ts"]):
            parent = stored.get(parent["thread_ts"], parent)
        message["thread_ts"] = parent["ts"] if parent else thread_ts
        if broadcast:
            message["subtype"] = "thread_broadcast"
        if parent is None:
            return
        message["parent_user_id"] = parent["user"]
        users = parent.setdefault("reply_users", [])
        if message["user"] not in users:
            users.append(message["user"])
        parent.update(
            thread_ts=parent["ts"],
            reply_count=parent.get("reply_count", 0) + 1,
            reply_users_count=len(users),
            latest_reply=message["ts"],
        )

    def _react(self, message: Json, name: str, user: str) -> None:
        """Adds one user's reaction; the same one twice is already_reacted."""
        if not name or name.startswith(":") or name.endswith(":"):
            raise SlackError("invalid_name")
        reactions = message.setdefault("reactions", [])
        reaction = next((item for item in reactions if item["name"] == name), None)
        if reaction is None:
            reaction = {"name": name, "users": [], "count": 0}
            reactions.append(reaction)
        if user in reaction["users"]:
            raise SlackError("already_reacted")
        reaction["users"].append(user)
        reaction["count"] = len(reaction["users"])

    def _unreact(self, message: Json, name: str, user: str) -> None:
        """Removes one user's reaction; a missing one is no_reaction."""
        reactions = message.get("reactions", [])
        reaction = next((item for item in reactions if item["name"] == name and user in item["users"]), None)
        if reaction is None:
            raise SlackError("no_reaction")
        reaction["users"].remove(user)
        reaction["count"] = len(reaction["users"])
        if not reaction["users"]:
            reactions.remove(reaction)

    def _user(self, user_id: Any) -> Json:
        """A user record: generated defaults overlaid with fake.users[user_id]."""
        user_id = str(user_id)
        if user_id in self.missing_users or user_id[:1] not in ("U", "W", "B"):
            raise SlackError("user_not_found")
        override = self.users.get(user_id, {})
        person = self.workspace.person(user_id)
        if person is not None:
            known = self.workspace.user_record(person)
            return {**known, **override, "profile": {**known["profile"], **override.get("profile", {})}}
        name = override.get("name", "bot" if user_id == self.bot_user_id else user_id.lower())
        real_name = override.get("real_name", f"User {user_id}")
        profile = {
            "real_name": real_name,
            "real_name_normalized": real_name,
            "display_name": name,
            "display_name_normalized": name,
            "email": f"{name}@fake.slack.test",
            "team": self.team_id,
            **override.get("profile", {}),
        }
        user = {
            "id": user_id,
            "team_id": self.team_id,
            "name": name,
            "real_name": real_name,
            "deleted": False,
            "is_bot": user_id == self.bot_user_id,
            "is_admin": False,
            "tz": "Europe/Berlin",
            "tz_label": "Central European Time",
            "tz_offset": 3600,
        }
        if self.enterprise_id:  # on Enterprise Grid everyone it does not know belongs to the organisation
            user.update(enterprise_record(user_id, self.enterprise_id, self.team_id))
        return {**user, **override, "profile": profile}

    def _channel_info(self, channel: str) -> Json:
        """A conversation record: the workspace's, or derived from the id prefix; overlaid with fake.channels."""
        known = self.workspace.channel(channel)
        if known is not None:
            record = self.workspace.channel_record(known, self.bot_user_id)
            if channel in self.not_in_channel:
                record["is_member"] = False
            return {**record, **self.channels.get(channel, {})}
        kind = channel[:1]
        info: Json = {
            "id": channel,
            "name": channel.lower(),
            "created": 1_700_000_000,
            "creator": "U0CREATOR",
            "is_channel": kind == "C",
            "is_group": False,
            "is_im": kind == "D",
            "is_mpim": kind == "G",
            "is_private": kind in ("D", "G"),
            "is_archived": False,
            "is_general": False,
            "is_member": channel not in self.not_in_channel,
            "is_ext_shared": False,
            "topic": {"value": "", "creator": "", "last_set": 0},
            "purpose": {"value": "", "creator": "", "last_set": 0},
            "num_members": len(self._members_of(channel)),
        }
        if kind == "D":
            info.pop("name")
            info["user"] = channel[1:]
        return {**info, **self.channels.get(channel, {})}

    def _members_of(self, channel: str) -> list[str]:
        """fake.members[channel], else the bot (if it is in) plus the DM / group DM partners."""
        if channel in self.members:
            return list(self.members[channel])
        known = self.workspace.channel(channel)
        if known is not None:
            return list(known.members)
        others = [channel[1:]] if channel.startswith("D") else self._group_dms.get(channel, [])
        bot = [] if channel in self.not_in_channel else [self.bot_user_id]
        return [*others, *bot]

    # -- methods

    def _auth_test(self, call: Call) -> Json:
        """auth.test: who the bot is (bolt calls it when an App is built)."""
        return {
            "url": f"{SLACK_HOST}/",
            "team": self.team,
            "user": "bot",
            "team_id": self.team_id,
            "user_id": self.bot_user_id,
            "bot_id": self.bot_id,
            "app_id": self.app_id,
            "is_enterprise_install": self.org_wide,
            **({"enterprise_id": self.enterprise_id} if self.enterprise_id else {}),
        }

    def _post_message(self, call: Call) -> Json:
        """chat.postMessage: stores the message (a user id as channel means that user's DM)."""
        args = call.args
        channel = self._channel(args["channel"])
        _check_content(args, required=True)
        message = self._store_message(channel, args, user=self.bot_user_id, bot=True)
        return {"channel": channel, "ts": message["ts"], "message": copy.deepcopy(message)}

    def _update_message(self, call: Call) -> Json:
        """chat.update: replaces the given parts of the bot's own message."""
        args = call.args
        channel = self._channel(args["channel"])
        message = self._existing(channel, args["ts"])
        if message["user"] != self.bot_user_id:
            raise SlackError("cant_update_message")
        _check_content(args, required=False)
        for key in ("text", "blocks", "attachments", "metadata"):
            if args.get(key) is not None:
                message[key] = copy.deepcopy(args[key])
        if args.get("markdown_text"):
            message["text"] = args["markdown_text"]
        message["edited"] = {"user": self.bot_user_id, "ts": self._next_ts()}
        return {"channel": channel, "ts": message["ts"], "text": message["text"], "message": _as_updated(message)}

    def _delete_message(self, call: Call) -> Json:
        """chat.delete: removes the bot's own message."""
        channel = self._channel(call.args["channel"])
        message = self._existing(channel, call.args["ts"])
        if message["user"] != self.bot_user_id:
            raise SlackError("cant_delete_message")
        del self._store[channel][message["ts"]]
        parent = self._store[channel].get(message.get("thread_ts", ""))
        if parent is not None and parent is not message and parent.get("reply_count"):
            parent["reply_count"] -= 1
        return {"channel": channel, "ts": message["ts"]}

    def _post_ephemeral(self, call: Call) -> Json:
        """chat.postEphemeral: records a message only ``user`` sees."""
        args = call.args
        channel = self._channel(args["channel"])
        if channel in self.members and args["user"] not in self.members[channel]:
            raise SlackError("user_not_in_channel")
        _check_content(args, required=True)
        message_ts = self._next_ts()
        self._ephemerals.append(self._ephemeral(channel, args["user"], args, message_ts))
        return {"message_ts": message_ts}

    def _ephemeral(self, channel: str, user: str, args: Json, message_ts: str, author: str | None = None) -> Json:
        """A private message as the fake keeps it: for ``user`` only, from the app unless ``author`` says."""
        return {
            "channel": channel,
            "user": user,
            "text": args.get("text") or args.get("markdown_text") or "",
            "blocks": copy.deepcopy(args.get("blocks")),
            "attachments": args.get("attachments"),
            "thread_ts": args.get("thread_ts"),
            "message_ts": message_ts,
            "author": author or self.bot_user_id,
        }

    def _get_permalink(self, call: Call) -> Json:
        """chat.getPermalink: a stable link, with thread_ts for replies."""
        channel = self._channel(call.args["channel"], member=False)
        message = self._existing(channel, call.args["message_ts"])
        return {"channel": channel, "permalink": self.permalink(channel, message["ts"])}

    def _reaction_target(self, call: Call) -> Json:
        """The message a reactions.* call points at."""
        return self._existing(self._channel(call.args["channel"]), call.args["timestamp"])

    def _reactions_add(self, call: Call) -> Json:
        """reactions.add: the bot reacts."""
        self._react(self._reaction_target(call), str(call.args.get("name", "")), self.bot_user_id)
        return {}

    def _reactions_remove(self, call: Call) -> Json:
        """reactions.remove: the bot takes its reaction back."""
        self._unreact(self._reaction_target(call), str(call.args.get("name", "")), self.bot_user_id)
        return {}

    def _reactions_get(self, call: Call) -> Json:
        """reactions.get: the message with its reactions."""
        channel = self._channel(call.args.get("channel"), member=False)
        message = self._existing(channel, call.args.get("timestamp"))
        return {"type": "message", "channel": channel, "message": copy.deepcopy(message)}

    def _history(self, call: Call) -> Json:
        """conversations.history: top-level messages, newest first, metadata only if asked for."""
        args = call.args
        channel = self._channel(args["channel"])
        candidates = self._store.get(channel, {}).values()
        stored = [m for m in candidates if _is_top_level(m) and _in_window(m["ts"], args)]
        keep = _flag(args.get("include_all_metadata"))
        page, paging = _page(list(reversed(stored)), args, 100)
        return {"messages": [_without_metadata(m, keep) for m in page], "pin_count": 0, **paging}

    def _replies(self, call: Call) -> Json:
        """conversations.replies: the thread's parent first, then its replies oldest first."""
        args = call.args
        channel = self._channel(args["channel"])
        message = self._existing(channel, args["ts"], error="thread_not_found")
        root_ts = message.get("thread_ts") or message["ts"]
        root = self._store[channel].get(root_ts, message)
        replies = [
            m
            for m in self._store[channel].values()
            if m.get("thread_ts") == root["ts"] and m["ts"] != root["ts"] and _in_window(m["ts"], args)
        ]
        keep = _flag(args.get("include_all_metadata"))
        page, paging = _page([root, *replies], args, 1000)
        shown = [_without_metadata(m, keep, hide=REPLY_HIDDEN_FIELDS) for m in page]
        return {"messages": shown, **paging}

    def _open_conversation(self, call: Call) -> Json:
        """conversations.open: the same id for the same set of users; D… for one, G… for several."""
        args = call.args
        users = sorted({user.strip() for user in str(args.get("users") or "").split(",") if user.strip()})
        if not users:
            if _blank(args.get("channel")):
                raise SlackError("users_list_not_supplied")
            channel = self._channel(args["channel"], member=False)
        elif set(users) & self.missing_users:
            raise SlackError("user_not_found")
        elif len(users) > 8:
            raise SlackError("too_many_users")
        elif len(users) == 1:
            channel = self.dm_channel(users[0])
        else:
            channel = "G" + hashlib.sha1(",".join(users).encode()).hexdigest()[:10].upper()
            self._group_dms[channel] = users
        already = channel in self._opened
        self._opened.add(channel)
        full = _flag(args.get("return_im")) and channel.startswith("D")
        shown = self._im_info(channel) if full else {"id": channel}
        return {"channel": shown, "no_op": already, "already_open": already}

    def _im_info(self, channel: str) -> Json:
        """The direct message record conversations.open gives with return_im."""
        return {
            "id": channel,
            "created": 1_700_000_000,
            "is_archived": False,
            "is_im": True,
            "is_org_shared": False,
            "context_team_id": self.team_id,
            "user": channel[1:],
            "last_read": "0000000000.000000",
            "unread_count": 0,
            "unread_count_display": 0,
            "is_open": True,
            "priority": 0,
        }

    def _conversation_info(self, call: Call) -> Json:
        """conversations.info: a record derived from the id, overlaid with fake.channels."""
        return {"channel": self._channel_info(self._channel(call.args["channel"], member=False))}

    def _join(self, call: Call) -> Json:
        """conversations.join: the app joins a public channel; a private one it is not in does not exist for it.

        As docs.slack.dev/reference/methods/conversations.join: the conversation object, and
        `warning: already_in_channel` (also in response_metadata.warnings) when the app was in it already.
        """
        channel = self._channel(call.args["channel"], member=False)
        info = self._channel_info(channel)
        if info.get("is_im") or info.get("is_mpim"):
            raise SlackError("method_not_supported_for_channel_type")
        if info.get("is_private") and not info.get("is_member"):
            raise SlackError("channel_not_found")
        if info.get("is_archived"):
            raise SlackError("is_archived")
        already = bool(info.get("is_member"))
        self.not_in_channel.discard(channel)
        known = self.workspace.channel(channel)
        if known is not None and self.bot_user_id not in known.members:
            known.members.append(self.bot_user_id)
        answer: Json = {"channel": self._channel_info(channel)}
        if already:
            answer["warning"] = "already_in_channel"
            answer["response_metadata"] = {"warnings": ["already_in_channel"]}
        return answer

    def _conversation_members(self, call: Call) -> Json:
        """conversations.members: fake.members[channel] or a sensible default, paginated."""
        channel = self._channel(call.args["channel"], member=False)
        page, paging = _page(self._members_of(channel), call.args, 100)
        return {"members": page, "response_metadata": paging["response_metadata"]}

    def _save_view(self, view: Json, *, view_id: str | None = None, root_view_id: str | None = None) -> Json:
        """Stores a view as Slack echoes it: with id, hash, empty state and app ids."""
        view_id = view_id or f"V{next(self._ids):08d}"
        saved = {
            "close": None,
            "submit": None,
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "clear_on_close": False,
            "notify_on_close": False,
            **copy.deepcopy(view),
            "id": view_id,
            "team_id": self.team_id,
            "app_id": self.app_id,
            "bot_id": self.bot_id,
            "state": {"values": {}},
            "hash": f"{time.time():.6f}.{uuid.uuid4().hex[:8]}",
            "root_view_id": root_view_id or view_id,
            "previous_view_id": None,
        }
        self._views[view_id] = saved
        return copy.deepcopy(saved)

    def _views_open(self, call: Call) -> Json:
        """views.open: needs a trigger_id and a valid modal."""
        _require_trigger(call.args)
        return {"view": self._opened_view(call)}

    def _views_push(self, call: Call) -> Json:
        """views.push: like views.open, onto the stack of the modal the user has open."""
        _require_trigger(call.args)
        return {"view": self._opened_view(call)}

    def _opened_view(self, call: Call) -> Json:
        """Saves a modal and remembers the trigger it was opened with (a trigger stands for one person's click)."""
        saved = self._save_view(_valid_view(call.args["view"], "modal"))
        trigger = str(call.args.get("trigger_id") or call.args.get("interactivity_pointer"))
        self._trigger_views[trigger] = saved["id"]
        return saved

    def _views_update(self, call: Call) -> Json:
        """views.update: replaces a known view (by view_id or external_id), honouring hash."""
        args = call.args
        current = self._views.get(str(args.get("view_id") or ""))
        if current is None and not _blank(args.get("external_id")):
            same = [v for v in self._views.values() if v.get("external_id") == args["external_id"]]
            current = same[0] if same else None
        if current is None:
            raise SlackError("not_found")
        if not _blank(args.get("hash")) and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        view = _valid_view(args["view"], current["type"])
        saved = self._save_view(view, view_id=current["id"], root_view_id=current["root_view_id"])
        for user_id, home in self._home_views.items():
            if home["id"] == saved["id"]:
                self._home_views[user_id] = copy.deepcopy(saved)
        return {"view": saved}

    def _views_publish(self, call: Call) -> Json:
        """views.publish: the user's Home tab, one per user, honouring hash."""
        args = call.args
        user_id = str(args["user_id"])
        self._user(user_id)
        current = self._home_views.get(user_id)
        if current is not None and not _blank(args.get("hash")) and args["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        view = _valid_view(args["view"], "home")
        saved = self._save_view(view, view_id=current["id"] if current else None)
        self._home_views[user_id] = copy.deepcopy(saved)
        return {"view": saved}

    def _users_info(self, call: Call) -> Json:
        """users.info: a generated person (tz Europe/Berlin) unless fake.users says otherwise."""
        return {"user": self._user(call.args["user"])}

    def _usergroup_users(self, call: Call) -> Json:
        """usergroups.users.list: from fake.usergroups."""
        group = str(call.args["usergroup"])
        if group not in self.usergroups:
            raise SlackError("no_such_subteam")
        return {"users": list(self.usergroups[group])}

    def _connections_open(self, call: Call) -> Json:
        """apps.connections.open: the Socket Mode URL, for app-level tokens only."""
        if not (call.token or "").startswith("xapp-"):
            raise SlackError("not_allowed_token_type")
        if self.socket is None:
            raise SlackError("fake_socket_mode_off", "[ERROR] start FakeSlack(socket_mode=True)")
        return {"url": self.socket.connection_url()}

    def _get_upload_url(self, call: Call) -> Json:
        """files.getUploadURLExternal: an upload_url on this server and a new file id."""
        try:
            length = int(call.args["length"])
        except ValueError as error:
            raise SlackError("invalid_arguments", "[ERROR] length must be an integer") from error
        if length <= 0:
            raise SlackError("invalid_arguments", "[ERROR] length must be positive")
        file_id = f"F{next(self._ids):08d}"
        filename = str(call.args["filename"])
        self._pending_uploads[file_id] = {"filename": filename, "length": length, "content": None}
        return {"upload_url": f"http://127.0.0.1:{self.port}/upload/{file_id}", "file_id": file_id}

    def _complete_upload(self, call: Call) -> Json:
        """files.completeUploadExternal: turns uploaded bytes into files, shared in a channel (or thread) if given."""
        args = call.args
        entries = args["files"]
        if not isinstance(entries, list) or not all(isinstance(e, dict) and e.get("id") for e in entries):
            raise SlackError("invalid_arguments", "[ERROR] files must be a JSON array of {id, title}")
        target = args.get("channel_id") or str(args.get("channels") or "").split(",")[0] or None
        channel = self._channel(target) if target else None
        for entry in entries:
            if (self._pending_uploads.get(entry["id"]) or {}).get("content") is None:
                raise SlackError("file_not_found", f"[ERROR] nothing uploaded for {entry['id']}")
        message = None
        if channel is not None:
            fields = {"text": args.get("initial_comment"), "thread_ts": args.get("thread_ts"), "upload": True}
            message = self._store_message(channel, fields, user=self.bot_user_id, bot=True)
        done = [self._finish_upload(entry, channel, args, message) for entry in entries]
        if message is not None:
            message["files"] = [self._file_record(f, in_message=True) for f in done]
        return {"files": [self._file_record(f) for f in done]}

    def _finish_upload(self, entry: Json, channel: str | None, args: Json, message: Json | None) -> UploadedFile:
        """Moves one pending upload into fake.files."""
        pending = self._pending_uploads.pop(entry["id"])
        uploaded = UploadedFile(
            id=entry["id"],
            filename=pending["filename"],
            title=str(entry.get("title") or pending["filename"]),
            content=pending["content"],
            channel=channel,
            initial_comment=args.get("initial_comment"),
            thread_ts=message.get("thread_ts") if message else None,
            ts=message["ts"] if message else None,
            created=self._now(),
        )
        self._files[uploaded.id] = uploaded
        return uploaded

    def _now(self) -> int:
        """Seconds, on the clock message timestamps follow."""
        return self._clock // 1_000_000

    def _file_record(self, uploaded: UploadedFile, *, in_message: bool = False) -> Json:
        """The file object Slack gives for a file (files.info, completed uploads, form fields); in a message it
        does not list the conversations it is in."""
        user = uploaded.user or self.bot_user_id
        name = quote(uploaded.filename)
        kind = mimetypes.guess_type(uploaded.filename)[0] or "application/octet-stream"
        filetype = uploaded.filename.rpartition(".")[2].lower() if "." in uploaded.filename else "binary"
        private_url = f"http://127.0.0.1:{self.port}/files-pri/{self.team_id}-{uploaded.id}"
        record: Json = {
            "id": uploaded.id,
            "created": uploaded.created,
            "timestamp": uploaded.created,
            "name": uploaded.filename,
            "title": uploaded.title,
            "mimetype": kind,
            "filetype": filetype,
            "pretty_type": filetype.upper(),
            "user": user,
            "user_team": self.team_id,
            "editable": False,
            "size": len(uploaded.content),
            "mode": "hosted",
            "is_external": False,
            "external_type": "",
            "is_public": bool(uploaded.channel and self._is_public(uploaded.channel)),
            "public_url_shared": False,
            "display_as_bot": False,
            "username": "",
            "url_private": f"{private_url}/{name}",
            "url_private_download": f"{private_url}/download/{name}",
            "permalink": f"{SLACK_HOST}/files/{user}/{uploaded.id}/{name}",
            "permalink_public": f"{SLACK_HOST}/{self.team_id}-{uploaded.id}-{uploaded.id.lower()}",
            "comments_count": 0,
            "is_starred": False,
            "shares": self._shares(uploaded),
            "channels": [],
            "groups": [],
            "ims": [],
            "has_rich_preview": False,
            "file_access": "visible",
        }
        if uploaded.channel:
            kind_of = (
                "ims"
                if uploaded.channel.startswith("D")
                else "channels"
                if self._is_public(uploaded.channel)
                else "groups"
            )
            record[kind_of] = [uploaded.channel]
        if in_message:
            for key in ("channels", "groups", "ims"):
                del record[key]
        return record

    def _is_public(self, channel: str) -> bool:
        """A public channel (files there are public shares)."""
        known = self.workspace.channel(channel)
        return not known.is_private if known is not None else channel.startswith("C")

    def _shares(self, uploaded: UploadedFile) -> Json:
        """Where a file is shared: {"public" | "private": {channel: [share]}}, as files.info tells."""
        if not uploaded.channel or not uploaded.ts:
            return {}
        share: Json = {
            "reply_users": [],
            "reply_users_count": 0,
            "reply_count": 0,
            "ts": uploaded.ts,
            "channel_name": uploaded.channel.lower(),
            "team_id": self.team_id,
            "share_user_id": uploaded.user or self.bot_user_id,
        }
        if uploaded.thread_ts:
            share["thread_ts"] = uploaded.thread_ts
        return {"public" if self._is_public(uploaded.channel) else "private": {uploaded.channel: [share]}}

    def _file_info(self, call: Call) -> Json:
        """files.info: a file people or the app shared (an upload not completed yet is not found)."""
        file_id = str(call.args["file"])
        if file_id in self._deleted_files:
            raise SlackError("file_deleted")
        uploaded = self._files.get(file_id)
        if uploaded is None:
            raise SlackError("file_not_found")
        return {"file": self._file_record(uploaded), "comments": [], "response_metadata": {"next_cursor": ""}}


def _ok(call: Call) -> Json:
    """Any other method in the table succeeds without effect."""
    return {}


# Socket Mode


class FakeSocketModeServer:
    """A local Socket Mode endpoint: says hello, sends the envelopes a test gives it, collects the acks."""

    def __init__(self, *, app_id: str = "A1") -> None:
        self.app_id = app_id
        self.frames: list[Json] = []
        self._acks: dict[str, list[Json]] = {}  # envelope id -> every ack of it (one per delivery)
        self._open: list[ServerConnection] = []
        self._retiring: list[ServerConnection] = []
        self._accepted = 0
        self._changed = threading.Condition()
        self._server: Server | None = None
        self._thread: threading.Thread | None = None

    def start(self) -> Self:
        """Listens on an ephemeral port in a daemon thread."""
        if self._server is None:
            from websockets.sync.server import serve

            self._server = serve(
                self._serve_connection, "127.0.0.1", 0, ping_interval=None, close_timeout=1, compression=None
            )
            self._thread = threading.Thread(target=self._server.serve_forever, name="fake-ws", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        """Closes the listener and every open connection."""
        if self._server is not None:
            self._server.shutdown()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server, self._thread = None, None

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """The ws:// address of the endpoint."""
        if self._server is None:
            raise RuntimeError("FakeSocketModeServer is not started")
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link/"

    def connection_url(self) -> str:
        """A fresh connection URL with a ticket, like apps.connections.open returns."""
        return f"{self.url}?ticket={uuid.uuid4().hex}&app_id={self.app_id}"

    @property
    def connections(self) -> int:
        """How many WebSocket connections were accepted so far (reconnects count)."""
        with self._changed:
            return self._accepted

    @property
    def open_connections(self) -> int:
        """How many connections are open now."""
        with self._changed:
            return len(self._open)

    def wait_connections(self, count: int, timeout: float = 5.0) -> None:
        """Waits until ``count`` connections were accepted in total and one is open."""
        with self._changed:
            if not self._changed.wait_for(lambda: self._accepted >= count and self._open, timeout):
                got = f"{self._accepted} ({len(self._open)} open)"
                raise AssertionError(f"expected {count} connection(s), got {got}")

    def send_envelope(
        self,
        type: str,
        payload: Json,
        envelope_id: str | None = None,
        accepts_response_payload: bool | None = None,
        *,
        retry_attempt: int = 0,
        retry_reason: str = "",
        timeout: float = 5.0,
    ) -> str:
        """Sends an events_api / slash_commands / interactive envelope on the newest connection."""
        envelope_id = envelope_id or uuid.uuid4().hex
        accepts = type != "events_api" if accepts_response_payload is None else accepts_response_payload
        frame: Json = {
            "type": type,
            "envelope_id": envelope_id,
            "accepts_response_payload": accepts,
            "payload": payload,
        }
        if type == "events_api":
            frame.update(retry_attempt=retry_attempt, retry_reason=retry_reason)
        self._newest(timeout).send(json.dumps(frame))
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 5.0, *, nth: int = 1) -> Json:
        """Waits for the client's ack frame of an envelope (with its payload, if any).

        `nth`: which ack of it, for an envelope sent more than once (2: the ack of its second delivery).
        """
        with self._changed:
            if not self._changed.wait_for(lambda: len(self._acks.get(envelope_id, [])) >= nth, timeout):
                raise AssertionError(f"no ack {nth} for {envelope_id} within {timeout}s; frames: {self.frames}")
            return copy.deepcopy(self._acks[envelope_id][nth - 1])

    def disconnect(self, reason: str = "refresh_requested", timeout: float = 5.0) -> None:
        """Sends Slack's disconnect frame; like Slack, closes the connection once the client has a new one."""
        connection = self._newest(timeout)
        with self._changed:
            self._retiring.append(connection)
        connection.send(json.dumps({"type": "disconnect", "reason": reason, "debug_info": {"host": "fake"}}))

    def drop(self, timeout: float = 5.0) -> None:
        """Kills the newest connection with a TCP reset, as a network failure would."""
        connection = self._newest(timeout)
        # Closing the raw socket first (linger 0) sends the RST before websockets can send a FIN.
        connection.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.socket.close()
        connection.close_socket()

    def close_connections(self) -> None:
        """Closes every open connection with a close frame (a client that still wants to will reconnect)."""
        with self._changed:
            connections = list(self._open)
        for connection in connections:
            threading.Thread(target=connection.close, name="fake-socket-mode-close", daemon=True).start()

    def close_client(self, client: SocketModeClient, timeout: float = 5.0) -> None:
        """Closes a slack_sdk SocketModeClient fast: alone, its close() waits up to 3 s for a frame."""
        closer = threading.Thread(target=client.close, name="fake-socket-mode-client-close", daemon=True)
        closer.start()
        deadline = time.monotonic() + timeout
        while client.auto_reconnect_enabled and time.monotonic() < deadline:
            time.sleep(0.005)
        self.close_connections()
        closer.join(max(0.0, deadline - time.monotonic()))

    def _newest(self, timeout: float) -> ServerConnection:
        """The most recently opened connection, waiting for one while a client (re)connects."""
        with self._changed:
            if not self._changed.wait_for(lambda: self._open, timeout):
                raise AssertionError(f"no Socket Mode client connected within {timeout}s")
            return self._open[-1]

    def _serve_connection(self, connection: ServerConnection) -> None:
        """Greets a client, then records every frame it sends until it goes away."""
        from websockets.exceptions import ConnectionClosed

        with self._changed:
            self._open.append(connection)
            self._accepted += 1
            count = len(self._open)
            retired, self._retiring = self._retiring, []
            self._changed.notify_all()
        for old in retired:
            # The client's receive loop holds a lock until data arrives; closing wakes it so it can switch.
            threading.Thread(target=old.close, name="fake-socket-mode-retire", daemon=True).start()
        hello = {"type": "hello", "num_connections": count, "connection_info": {"app_id": self.app_id}}
        hello["debug_info"] = {"host": "fake-socket-mode", "approximate_connection_time": 3600}
        try:
            connection.send(json.dumps(hello))
            for data in connection:
                self._receive(data)
        except ConnectionClosed:
            pass
        finally:
            with self._changed:
                self._open.remove(connection)
                self._changed.notify_all()

    def _receive(self, data: str | bytes) -> None:
        """Stores a client frame; frames with an envelope_id are acks."""
        try:
            frame = json.loads(data)
        except ValueError:
            frame = {"raw": data if isinstance(data, str) else data.decode("utf-8", "replace")}
        with self._changed:
            self.frames.append(frame)
            if isinstance(frame, dict) and frame.get("envelope_id"):
                self._acks.setdefault(str(frame["envelope_id"]), []).append(frame)
            self._changed.notify_all()
