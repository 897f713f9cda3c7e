"""What the app's manifest tells Slack: its name, its slash commands, the events it subscribes to, its shortcuts,
the scopes its bot token is granted.

The sandbox behaves like a workspace with the app installed from `manifest.yml`, so an event the manifest does
not subscribe to never reaches the bot, "More actions" offers exactly the manifest's message shortcuts, and a
Web API call needing a scope the manifest does not ask for is answered missing_scope.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Shortcut:
    """A message shortcut: the name people see and the callback_id the app receives."""

    name: str
    callback_id: str


@dataclass(frozen=True)
class AppManifest:
    """The parts of a manifest the sandbox acts on."""

    name: str
    commands: tuple[str, ...]
    bot_events: frozenset[str]
    message_shortcuts: tuple[Shortcut, ...]
    bot_scopes: frozenset[str] = frozenset()

    @classmethod
    def load(cls, language: str = "en", root: Path = ROOT) -> AppManifest:
        """`manifest.<language>.yml` where the app has one for the language, else `manifest.yml`."""
        localized = root / f"manifest.{language}.yml"
        path = localized if language != "en" and localized.exists() else root / "manifest.yml"
        return cls.parse(yaml.safe_load(path.read_text(encoding="utf-8")))

    @classmethod
    def parse(cls, data: dict[str, Any]) -> AppManifest:
        """Reads a parsed manifest; missing sections mean none."""
        features = data.get("features") or {}
        settings = data.get("settings") or {}
        name = str((data.get("display_information") or {}).get("name") or "App")
        shortcuts = tuple(
            Shortcut(str(item["name"]), str(item["callback_id"]))
            for item in features.get("shortcuts") or []
            if item.get("type") == "message"
        )
        return cls(
            name=name,
            commands=tuple(str(item["command"]) for item in features.get("slash_commands") or []),
            bot_events=frozenset((settings.get("event_subscriptions") or {}).get("bot_events") or []),
            message_shortcuts=shortcuts,
            bot_scopes=frozenset(((data.get("oauth_config") or {}).get("scopes") or {}).get("bot") or []),
        )
