"""Slack's own published shapes, and one comparison that holds what our fake Slack says against them.

The samples (tests/fixtures/java-slack-sdk-samples/) are what Slack's Java SDK keeps as test data: every field
Slack was seen to send, with blanked values. So a payload we build has the right shape when each of its fields
exists in the sample at the same place with the same JSON type, and the fields Slack always sends are there.
The same comparison serves both directions: the requests the sender makes and the answers the fake gives.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLES = FIXTURES / "java-slack-sdk-samples"
DOCS = FIXTURES / "slack-method-docs"

# Fields Slack sends as null where the samples (which leave nulls out) show a value:
NULLABLE = {
    # outside Enterprise Grid (a captured delivery: "authorizations": [{"enterprise_id": null, …}];
    # docs.slack.dev/reference/interaction-payloads/view-interactions-payload: enterprise "if the app is …")
    "enterprise_id",
    "context_enterprise_id",
    "enterprise",
    # a modal opened first, and a modal or Home tab without buttons (docs.slack.dev/tools/bolt-js/reference/
    # interfaces/ViewOutput: previous_view_id, close and submit "| null")
    "previous_view_id",
    "close",
    "submit",
}
# Fields whose content is the app's own, echoed back (Block Kit, metadata, form values): only their type is
# compared; the fake checks Block Kit by its own rules.
OPAQUE = {"blocks", "event_payload", "values"}
# Objects keyed by ids rather than field names: a file's shares, by channel id (the samples show "C03E94MKU").
ID_KEYED = {"public", "private"}
# Fields Slack sends that the Java SDK's samples leave out, by the object they belong to, with where Slack
# documents them: docs.slack.dev/tools/bolt-js/reference/interfaces/ViewOutput, "blocks: (Block | KnownBlock)[]".
DOCUMENTED: dict[str, dict[str, Any]] = {"view": {"blocks": []}}

Problems = list[str]


# -- reading the samples


@cache
def _read(path: Path) -> Any:
    """One fixture file, parsed once per run."""
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def sample(name: str) -> Any:
    """A sample by its path under the samples folder (or `docs:<method>` for a documented response).

    Shared between callers (the large ones are walked for every answer the fake gives): copy before changing.
    """
    if name.startswith("docs:"):
        return with_documented(_resolve(_read(DOCS / f"{name[5:]}.json")))
    return with_documented(_read(SAMPLES / name))


def _resolve(value: Any) -> Any:
    """Replace {"$ref": "api/x.json#/a/0"} by that part of a sample (documented shapes reuse Slack's objects)."""
    if isinstance(value, dict):
        if set(value) == {"$ref"}:
            file, _, pointer = value["$ref"].partition("#")
            part = sample(file)
            for step in filter(None, pointer.split("/")):
                part = part[int(step)] if isinstance(part, list) else part[step]
            return part
        return {key: _resolve(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_resolve(item) for item in value]
    return value


@cache
def event_files() -> dict[tuple[str, str | None], str]:
    """Each event sample by (event type, message subtype)."""
    found = {}
    for path in sorted((SAMPLES / "events").glob("*.json")):
        event = _read(path)["event"]
        found[(event["type"], event.get("subtype") or None)] = f"events/{path.name}"
    return found


def event_sample(event_type: str, subtype: str | None = None) -> dict[str, Any] | None:
    """The inner event of Slack's sample for this type (and message subtype), or None if Slack has none."""
    name = event_files().get((event_type, subtype or None))
    return None if name is None else sample(name)["event"]


@cache
def _envelope() -> dict[str, Any]:
    """Every field any event sample has around its event: the Events API envelope."""
    union: dict[str, Any] = {}
    for name in event_files().values():
        union = merged(union, {key: value for key, value in sample(name).items() if key != "event"})
    return union


def envelope_sample() -> dict[str, Any]:
    """The Events API envelope (shared: copy before changing)."""
    return _envelope()


def merged(a: Any, b: Any) -> Any:
    """Two samples as one: the union of their fields (of their first items, for lists; else the first value)."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = dict(a)
        for key, value in b.items():
            out[key] = merged(a[key], value) if key in a else value
        return out
    if isinstance(a, list) and isinstance(b, list) and a and b:
        return [merged(a[0], b[0]), *a[1:]]
    return a


def with_documented(shape: Any) -> Any:
    """A copy of a sample with the fields Slack documents but the samples leave out (DOCUMENTED)."""
    if isinstance(shape, list):
        return [with_documented(item) for item in shape]
    if not isinstance(shape, dict):
        return shape
    out = {key: with_documented(value) for key, value in shape.items()}
    for name, extra in DOCUMENTED.items():
        if isinstance(out.get(name), dict):
            out[name] = {**extra, **out[name]}
    return out


# -- the comparison


def kind(value: Any) -> str:
    """A JSON type name."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def _same_kind(actual: Any, expected: Any) -> bool:
    """Same JSON type; an integer is a number too."""
    mine, theirs = kind(actual), kind(expected)
    return mine == theirs or (theirs == "number" and mine == "integer")


def shape_problems(actual: Any, expected: Any, path: str = "$") -> Problems:
    """Where `actual` differs from Slack's sample: a field Slack never sends there, or a type it never sends.

    An empty object or list in the sample leaves its content open (Slack's samples show no fields there).
    List items are held against the sample item of the same "type", or a blank-typed one, or the first.
    """
    key = path.rsplit(".", 1)[-1].split("[", 1)[0]
    if actual is None:
        return [] if key in NULLABLE or expected is None else [f"{path}: null where Slack sends {kind(expected)}"]
    if not _same_kind(actual, expected):
        return [f"{path}: {kind(actual)} where Slack sends {kind(expected)}"]
    if key in OPAQUE:
        return []
    if isinstance(actual, dict) and expected and key in ID_KEYED:
        each = next(iter(expected.values()))
        return [problem for name, value in actual.items() for problem in shape_problems(value, each, f"{path}.{name}")]
    if isinstance(actual, dict) and expected:
        problems = []
        for name, value in actual.items():
            if name not in expected:
                problems.append(f"{path}.{name}: Slack never sends this field here")
            else:
                problems += shape_problems(value, expected[name], f"{path}.{name}")
        return problems
    if isinstance(actual, list) and expected:
        problems = []
        for index, item in enumerate(actual):
            problems += shape_problems(item, _counterpart(item, expected), f"{path}[{index}]")
        return problems
    return []


def _counterpart(item: Any, choices: list[Any]) -> Any:
    """The sample list item to compare an item with."""
    if isinstance(item, dict) and "type" in item:
        for choice in choices:
            if isinstance(choice, dict) and choice.get("type") == item["type"]:
                return choice
        for choice in choices:
            if isinstance(choice, dict) and choice.get("type") == "":
                return choice
    return choices[0]


def missing(actual: Any, paths: Iterable[str]) -> Problems:
    """The fields Slack always sends that `actual` lacks; a path like "a.b[].c" looks into every item of b."""
    return [f"$.{path}: missing, Slack always sends it" for path in paths if not _present(actual, path.split("."))]


def _present(value: Any, steps: list[str]) -> bool:
    """Whether the path exists (a null value counts as present)."""
    if not steps:
        return True
    step, rest = steps[0], steps[1:]
    if step.endswith("[]"):
        items = value.get(step[:-2]) if isinstance(value, dict) else None
        return isinstance(items, list) and all(_present(item, rest) for item in items)
    return isinstance(value, dict) and step in value and _present(value[step], rest)


def form_problems(fields: dict[str, Any], expected: dict[str, Any]) -> Problems:
    """A form-encoded request (a slash command): every field Slack has, every value text; booleans as true/false."""
    problems = []
    for name, value in fields.items():
        if name not in expected:
            problems.append(f"{name}: Slack never sends this field")
        elif not isinstance(value, str):
            problems.append(f"{name}: {kind(value)} in a form, where every value is text")
        elif isinstance(expected[name], bool) and value not in ("true", "false"):
            problems.append(f"{name}: {value!r} where Slack sends true or false")
    return problems


# -- what Slack sends the app, and what it always sends
#
# The "always" lists name the fields Slack's documentation shows in every payload of that kind (the payload
# reference pages under docs.slack.dev/reference/interaction-payloads/, the slash command guide
# docs.slack.dev/interactivity/implementing-slash-commands, each event's page under
# docs.slack.dev/reference/events/) and a captured delivery agrees with; the rest of a sample is optional.

COMMAND = "app-backend/slash-commands/SlashCommandPayload.json"
COMMAND_ALWAYS = (
    "token",
    "team_id",
    "team_domain",
    "channel_id",
    "channel_name",
    "user_id",
    "user_name",
    "command",
    "text",
    "api_app_id",
    "is_enterprise_install",
    "response_url",
    "trigger_id",
)
ENVELOPE_ALWAYS = (
    "token",
    "team_id",
    "api_app_id",
    "event",
    "type",
    "event_id",
    "event_time",
    "authorizations",
    "authorizations[].team_id",
    "authorizations[].user_id",
    "authorizations[].is_bot",
    "authorizations[].is_enterprise_install",
    "is_ext_shared_channel",
    "event_context",
)
EVENT_ALWAYS = {
    ("reaction_added", None): ("type", "user", "item", "reaction", "event_ts"),
    ("reaction_removed", None): ("type", "user", "item", "reaction", "event_ts"),
    ("message", None): ("type", "channel", "user", "text", "ts", "event_ts", "channel_type"),
    ("app_home_opened", None): ("type", "user", "channel", "tab", "event_ts"),
}
MESSAGE_SUBTYPE_ALWAYS = ("type", "subtype", "channel", "ts")
# Event fields Slack documents that an event's sample leaves out: any message posted in a thread names the
# thread (docs.slack.dev/messaging#threading: "thread_ts" on every reply, "parent_user_id" its parent's author),
# a /me line included; a reaction on a file names the file (docs.slack.dev/reference/events/reaction_added:
# "item": {"type": "file", "file": "F…"}).
EVENT_DOCUMENTED: dict[tuple[str, str | None], dict[str, Any]] = {
    ("message", "me_message"): {"thread_ts": "", "parent_user_id": ""},
    ("reaction_added", None): {"item": {"file": ""}},
    ("reaction_removed", None): {"item": {"file": ""}},
}
INTERACTION_ALWAYS = ("type", "team", "user", "user.id", "api_app_id", "token", "is_enterprise_install")
INTERACTIONS = {
    "block_actions": (
        "app-backend/interactive-components/BlockActionPayload.json",
        (*INTERACTION_ALWAYS, "trigger_id", "container", "actions", "actions[].action_id", "actions[].action_ts"),
    ),
    "view_submission": (
        "app-backend/views/ViewSubmissionPayload.json",
        (*INTERACTION_ALWAYS, "trigger_id", "view", "view.id", "view.callback_id", "view.state", "view.hash"),
    ),
    "view_closed": (
        "app-backend/views/ViewClosedPayload.json",
        (*INTERACTION_ALWAYS, "view", "view.id", "view.callback_id", "is_cleared"),
    ),
    "message_action": (
        "app-backend/interactive-components/MessageShortcutPayload.json",
        ("type", "team", "user", "token", "callback_id", "trigger_id", "message_ts", "response_url", "message"),
    ),
}
# docs.slack.dev/reference/events/app_rate_limited: "the complete payload you'll receive".
RATE_LIMITED_ALWAYS = ("token", "type", "team_id", "minute_rate_limited", "api_app_id")
# From a message, block_actions also carries the channel and the message itself (docs: "channel", "message";
# the message only when it is not ephemeral).
MESSAGE_ACTION_ALWAYS = ("channel", "message", "response_url")


def request_problems(kind: str, body: dict[str, Any]) -> Problems:
    """What is wrong with a request the sender built, measured against Slack's sample of it."""
    if kind == "command":
        return form_problems(body, sample(COMMAND)) + missing(body, COMMAND_ALWAYS)
    if kind == "event":
        return event_problems(body)
    if kind == "app_rate_limited":  # the sample shows it as an event; Slack sends that event as the whole body
        expected = event_sample("app_rate_limited")
        return shape_problems(body, expected) + missing(body, RATE_LIMITED_ALWAYS)
    name, always = INTERACTIONS[kind]
    container = body.get("container") or {}
    if kind == "block_actions" and container.get("type") == "message":
        # an ephemeral message is not kept by Slack, so it cannot send it along
        always = (*always, *(f for f in MESSAGE_ACTION_ALWAYS if f != "message" or not container.get("is_ephemeral")))
    return shape_problems(body, sample(name)) + missing(body, always)


def event_problems(body: dict[str, Any]) -> Problems:
    """An Events API body: its envelope against every envelope Slack sends, its event against that event's sample."""
    outer = {key: value for key, value in body.items() if key != "event"}
    problems = shape_problems(outer, envelope_sample()) + missing(body, ENVELOPE_ALWAYS)
    event = body.get("event")
    if not isinstance(event, dict):
        return [*problems, "$.event: not an object"]
    which = (str(event.get("type")), event.get("subtype") or None)
    expected = event_sample(*which)
    if expected is None:
        return problems  # an event Slack's samples do not show: only its envelope can be checked
    problems += shape_problems(event, merged(expected, EVENT_DOCUMENTED.get(which, {})), "$.event")
    always = EVENT_ALWAYS.get(which) or (MESSAGE_SUBTYPE_ALWAYS if which[0] == "message" else ("type",))
    return problems + [problem.replace("$.", "$.event.", 1) for problem in missing(event, always)]


# -- what Slack answers the app

# Method: (sample, fields every success carries: the "Typical success response" of the method's reference page,
# docs.slack.dev/reference/methods/<method>).
RESPONSES: dict[str, tuple[str, tuple[str, ...]]] = {
    "auth.test": ("api/auth.test.json", ("ok", "url", "team", "user", "team_id", "user_id")),
    "chat.postMessage": ("api/chat.postMessage.json", ("ok", "channel", "ts", "message")),
    "chat.update": ("api/chat.update.json", ("ok", "channel", "ts", "text")),
    "chat.postEphemeral": ("api/chat.postEphemeral.json", ("ok", "message_ts")),
    "chat.getPermalink": ("api/chat.getPermalink.json", ("ok", "channel", "permalink")),
    "chat.delete": ("docs:chat.delete", ("ok", "channel", "ts")),
    "reactions.add": ("api/reactions.add.json", ("ok",)),
    "reactions.remove": ("api/reactions.remove.json", ("ok",)),
    "reactions.get": ("docs:reactions.get", ("ok", "type", "channel", "message")),
    "conversations.history": ("api/conversations.history.json", ("ok", "messages", "has_more")),
    "conversations.replies": ("api/conversations.replies.json", ("ok", "messages", "has_more")),
    "conversations.open": ("api/conversations.open.json", ("ok", "channel", "channel.id")),
    "conversations.info": ("api/conversations.info.json", ("ok", "channel", "channel.id")),
    "conversations.members": ("docs:conversations.members", ("ok", "members", "response_metadata")),
    "conversations.join": ("docs:conversations.join", ("ok", "channel", "channel.id")),
    "views.open": ("api/views.open.json", ("ok", "view", "view.id", "view.hash")),
    "views.push": ("docs:views.push", ("ok", "view", "view.id", "view.hash")),
    "views.update": ("api/views.update.json", ("ok", "view", "view.id", "view.hash")),
    "views.publish": ("api/views.publish.json", ("ok", "view", "view.id", "view.hash")),
    "users.info": ("api/users.info.json", ("ok", "user", "user.id")),
    "usergroups.users.list": ("api/usergroups.users.list.json", ("ok", "users")),
    "apps.connections.open": ("api/apps.connections.open.json", ("ok", "url")),
    "files.getUploadURLExternal": ("api/files.getUploadURLExternal.json", ("ok", "upload_url", "file_id")),
    "files.completeUploadExternal": ("api/files.completeUploadExternal.json", ("ok", "files")),
    "files.info": ("docs:files.info", ("ok", "file", "file.id")),
}
# The same Slack object as another sample shows it, where one sample alone has not seen all its kinds:
# conversations.info on a direct message answers with the record conversations.open gives (user, is_open, …);
# a file shared in a private channel lists it under shares.private, as the file in a block_actions message shows.
FILE = {"$ref": "app-backend/interactive-components/BlockActionPayload.json#/message/file"}
SAME_OBJECT: dict[str, Any] = {
    "conversations.info": {"channel": {"$ref": "api/conversations.open.json#/channel"}},
    "files.completeUploadExternal": {"files": [FILE]},
    "files.info": {"file": FILE},
}
ERROR_ALWAYS = ("ok", "error")
ERROR_FIELDS = ("ok", "error", "needed", "provided", "warning", "response_metadata")


@cache
def _error_shape() -> dict[str, Any]:
    """The fields any method's error answer has in Slack's samples (needed/provided come with missing_scope)."""
    union: dict[str, Any] = {}
    for path in sorted((SAMPLES / "api").glob("*.json")):
        union = merged(union, {key: value for key, value in _read(path).items() if key in ERROR_FIELDS})
    return union


def response_problems(method: str, body: Any) -> Problems:
    """What is wrong with an answer the fake gave, measured against Slack's sample for that method."""
    if method not in RESPONSES or not isinstance(body, dict):
        return []
    name, always = RESPONSES[method]
    expected = merged(sample(name), _resolve(SAME_OBJECT.get(method, {})))
    if body.get("ok") is False:
        return shape_problems(body, merged(expected, _error_shape())) + missing(body, ERROR_ALWAYS)
    return shape_problems(body, expected) + missing(body, always)


def check_request(kind: str, body: dict[str, Any]) -> None:
    """Fail the test when the sender built a request Slack would not send (the sender's observer)."""
    problems = request_problems(kind, body)
    assert not problems, f"a {kind} request unlike Slack's: {problems}"


def answer_problems(calls: Iterable[Any]) -> Problems:
    """What is wrong with the answers the fake gave to these recorded calls."""
    found = []
    for call in calls:
        if call.response is not None:
            found += [f"{call.method}: {problem}" for problem in response_problems(call.method, call.response)]
    return found


# -- samples as Slack would really send them

BLANK_TS = "0000000000.000000"
USER_KEYS = {"user", "user_id", "item_user", "inviter", "creator", "created_by", "parent_user_id", "last_editor"}
TEAM_KEYS = {"team", "team_id", "user_team", "source_team", "context_team_id", "app_installed_team_id"}
TS_KEYS = {"ts", "event_ts", "thread_ts", "deleted_ts", "latest_reply", "message_ts", "action_ts", "last_read"}


class Filler:
    """Fills a blanked sample with ids and timestamps a real workspace would have (T1, a person, a channel)."""

    def __init__(self, *, user: str = "U0PERSON", channel: str = "C0ELSEWHERE", team: str = "T1") -> None:
        self.user, self.channel, self.team = user, channel, team
        self._count = 0

    def _next(self) -> int:
        self._count += 1
        return self._count

    def ts(self) -> str:
        """A fresh message timestamp."""
        return f"17{self._next():08d}.{self._count:06d}"

    def body(self, name: str) -> dict[str, Any]:
        """An event sample as Slack would deliver it: the envelope's ids are the installation's own."""
        body = self.value(json.loads(json.dumps(sample(name))), "")
        event = body["event"]
        if event["type"] == "app_rate_limited":  # no envelope: the whole body is what the sample calls the event
            minute = (1_700_000_000 + self._next()) // 60 * 60
            return {**event, "token": "vtok", "team_id": self.team, "api_app_id": "A1", "minute_rate_limited": minute}
        body.update(
            type="event_callback", token="vtok", api_app_id="A1", team_id=self.team, event_id=f"Ev0{self._next()}"
        )
        body.update(authed_users=["UBOT"], authed_teams=[self.team], event_context=f"4-{self._next():08d}")
        body["authorizations"] = [
            {
                "enterprise_id": None,
                "team_id": self.team,
                "user_id": "UBOT",
                "is_bot": True,
                "is_enterprise_install": False,
            }
        ]
        body.update(enterprise_id=None, context_enterprise_id=None, is_ext_shared_channel=False)
        body["event_time"] = 1_700_000_000 + self._next()
        return body

    def value(self, value: Any, key: str) -> Any:
        """One value, by the name of the field that holds it."""
        if isinstance(value, dict):
            return {name: self.value(item, name) for name, item in value.items()}
        if isinstance(value, list):
            return [self.value(item, key) for item in value]
        if value == BLANK_TS:
            return self.ts()
        return self._text(key) if value == "" else value

    def _text(self, key: str) -> str | None:
        """A blank string field."""
        if key in TS_KEYS:
            return self.ts()
        if key in USER_KEYS or key in ("bot", "oauth"):  # tokens_revoked lists the users whose tokens went
            return self.user
        if key in TEAM_KEYS:
            return self.team
        if key in ("channel", "channel_id"):
            return self.channel
        if key in ("enterprise_id", "context_enterprise_id", "enterprise"):
            return None
        known = {"bot_id": "B0OTHERBOT", "app_id": "A0OTHERAPP", "file": "F0FILE", "file_id": "F0FILE", "id": "X0ID"}
        known.update(reaction="eyes", name="eyes", tab="home", channel_type="channel", event_context="4-eyJldCI6In0")
        return known.get(key, "")
