"""Tests that manifest.yml is a valid v1 Slack app manifest with exactly the access the bot needs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from adapters.scopes import BOT_SCOPES

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = Path(__file__).resolve().parent / "fixtures" / "slack-manifest.schema.1.0.0.json"

EXPECTED_SCOPES = set(BOT_SCOPES)
EXPECTED_EVENTS = {
    "reaction_added",
    "reaction_removed",
    "message.channels",
    "message.groups",
    "app_home_opened",
    "member_joined_channel",
    "member_left_channel",
    "channel_left",
    "group_left",
    "channel_shared",
    "channel_unshared",
}
PLACEHOLDER_URL = "https://example.com/slack/events"


# The German manifest is the same app: these are the only values in which the two may differ.
WORDS = {
    ("display_information", "description"),
    ("features", "slash_commands", 0, "description"),
    ("features", "slash_commands", 0, "usage_hint"),
    ("features", "shortcuts", 0, "name"),
    ("features", "shortcuts", 0, "description"),
}


def load(name: str) -> dict[str, Any]:
    """A parsed manifest file."""
    return yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def manifest() -> dict[str, Any]:
    """The parsed manifest."""
    return load("manifest.yml")


@pytest.mark.parametrize("name", ["manifest.yml", "manifest.de.yml"])
def test_manifest_validates_against_the_v1_schema(name: str) -> None:
    """Slack's own schema accepts it, so 'Create app from manifest' will too."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(schema)
    jsonschema.Draft7Validator(schema).validate(load(name))
    assert load(name)["_metadata"] == {"major_version": 1, "minor_version": 1}


def leaves(value: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], Any]:
    """Every scalar in a manifest by its path."""
    if isinstance(value, dict):
        return {k: v for key, inner in value.items() for k, v in leaves(inner, (*path, key)).items()}
    if isinstance(value, list):
        return {k: v for index, inner in enumerate(value) for k, v in leaves(inner, (*path, index)).items()}
    return {path: value}


def test_the_german_manifest_is_the_same_app_in_other_words() -> None:
    """Scopes, events, ids and settings are the same; only the words people read differ, and all of those do."""
    english, german = leaves(load("manifest.yml")), leaves(load("manifest.de.yml"))
    assert set(english) == set(german)
    differing = {path for path in english if english[path] != german[path]}
    assert differing == WORDS


def test_the_shortcut_names_come_from_the_catalog() -> None:
    """The shortcut people see in Slack's menu is named as the catalog names it, in each language."""
    from bot.catalog import CATALOGS

    for name, language in (("manifest.yml", "en"), ("manifest.de.yml", "de")):
        shortcuts = load(name)["features"]["shortcuts"]
        assert [(s["type"], s["name"]) for s in shortcuts] == [("message", CATALOGS[language]["shortcut.file"])]
    names = {
        name: [s["name"] for s in load(name)["features"]["shortcuts"]] for name in ("manifest.yml", "manifest.de.yml")
    }
    assert names == {"manifest.yml": ["File as complaint"], "manifest.de.yml": ["Als Reklamation erfassen"]}


def test_schema_catches_mistakes(manifest: dict[str, Any]) -> None:
    """The schema check is not vacuous: an unknown setting fails it."""
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    broken = {**manifest, "settings": {**manifest["settings"], "socket_mode": True}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema, cls=jsonschema.Draft7Validator)


def test_identity(manifest: dict[str, Any]) -> None:
    """The app and its bot user have the documented names."""
    assert manifest["display_information"]["name"] == "Complaint Desk"
    assert manifest["display_information"]["description"]
    assert manifest["features"]["bot_user"] == {"display_name": "complaint-desk", "always_online": True}


def test_complaint_command_exists(manifest: dict[str, Any]) -> None:
    """/complaint is the one slash command, with its usage hint."""
    commands = {command["command"]: command for command in manifest["features"]["slash_commands"]}
    assert set(commands) == {"/complaint"}
    command = commands["/complaint"]
    assert command["description"]
    assert command["usage_hint"] == "[text] | list | digest | report | customer <name> | 8d <number> | export | help"
    assert command["should_escape"] is False
    assert command["url"] == PLACEHOLDER_URL


def test_the_message_shortcut_has_a_handler(manifest: dict[str, Any]) -> None:
    """The shortcut's callback id is the one the handlers listen for."""
    from bot.rendering.capture import SHORTCUT_FILE

    assert [s["callback_id"] for s in manifest["features"]["shortcuts"]] == [SHORTCUT_FILE]


def test_scopes_are_exactly_the_needed_ones(manifest: dict[str, Any]) -> None:
    """No missing scope and no extra one an admin would have to approve."""
    scopes = manifest["oauth_config"]["scopes"]
    assert set(scopes) == {"bot"}
    assert len(scopes["bot"]) == len(set(scopes["bot"]))
    assert set(scopes["bot"]) == EXPECTED_SCOPES


def test_events_and_settings(manifest: dict[str, Any]) -> None:
    """The bot hears reactions, thread replies, App Home opens and its own membership, in either transport."""
    settings = manifest["settings"]
    assert set(settings["event_subscriptions"]["bot_events"]) == EXPECTED_EVENTS
    assert settings["event_subscriptions"]["request_url"] == PLACEHOLDER_URL
    assert settings["interactivity"] == {"is_enabled": True, "request_url": PLACEHOLDER_URL}
    assert settings["socket_mode_enabled"] is True
    assert settings["org_deploy_enabled"] is True  # it may be installed on a whole Enterprise Grid organisation
    assert settings["token_rotation_enabled"] is False


def test_app_home_tabs(manifest: dict[str, Any]) -> None:
    """The home tab and the messages tab are both on."""
    home = manifest["features"]["app_home"]
    assert home["home_tab_enabled"] is True
    assert home["messages_tab_enabled"] is True


def test_manifest_notes_that_socket_mode_ignores_urls() -> None:
    """Admins setting up HTTP mode are told which URLs to change."""
    text = (ROOT / "manifest.yml").read_text(encoding="utf-8")
    assert "Socket Mode" in text and "ignores" in text
