"""The local demo: the real bot in HTTP mode on a temporary TinyDB, the fake Slack with a small workspace, and
the page people use it through. No token, no network: the bot talks to the fake Slack only over HTTP."""

from __future__ import annotations

import secrets
import socket
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from adapters.runtime import AppBuilder, Runtime, Tuning
from bot.config import Config, Settings, parse_config
from sandbox.app_manifest import AppManifest
from sandbox.client import SandboxClient
from sandbox.fake_slack import FakeSlack
from sandbox.page import PageServer
from sandbox.sender import SlackSender
from sandbox.workspace import BOT_USER, MANAGEMENT, PRODUCTION, demo_workspace

# Timers short enough to watch a reminder and an escalation while trying it out.
DEMO_TIMERS = {
    "high": {
        "remind_unclaimed": "30s",
        "escalate_unclaimed": "90s",
        "ask_update": "1m",
        "escalate_quiet": "3m",
        "resolve_within": "10m",
    },
    "normal": {
        "remind_unclaimed": "1m",
        "escalate_unclaimed": "3m",
        "ask_update": "2m",
        "escalate_quiet": "5m",
        "resolve_within": "20m",
    },
    "low": {
        "remind_unclaimed": "2m",
        "escalate_unclaimed": "6m",
        "ask_update": "4m",
        "escalate_quiet": "10m",
        "resolve_within": "1h",
    },
}


def demo_config(folder: str, language: str = "en", company: str = "") -> Config:
    """No business hours, timers in seconds and minutes, management and fallback channels, one manager; the 8D
    reports carry the company's name, and a high complaint needs its 8D's D3 to D5, contained within 10 minutes."""
    data: dict[str, Any] = {
        "language": language,
        "timezone": "Europe/Berlin",
        "channels": {"management": MANAGEMENT, "fallback": PRODUCTION},
        "managers": ["UDORA"],
        "severities": DEMO_TIMERS,
        "talk": {"suggest_after_replies": 4},
        "eight_d": {"company_name": company, "required_for": ["high"], "containment_within": "10m"},
        "storage": {"backend": "tinydb", "path": str(Path(folder) / "complaints.json")},
    }
    return parse_config(data, {}, source="demo config")


def free_port() -> int:
    """A port nothing listens on now, for the bot's own endpoint."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Demo:
    """Bot, fake Slack and page, started and stopped together."""

    def __init__(
        self,
        folder: str,
        *,
        language: str = "en",
        port: int = 3001,
        build_app: AppBuilder | None = None,
        tuning: Tuning | None = None,
    ) -> None:
        self.language = language
        self.manifest = AppManifest.load(language)
        workspace = demo_workspace(language, self.manifest.name)
        self.fake = FakeSlack(
            workspace=workspace,
            bot_user_id=BOT_USER,
            team=workspace.team.name,
            real_clock=True,
            bot_scopes=self.manifest.bot_scopes,  # installed from the manifest: its scopes, no more
        )
        self.config = demo_config(folder, language, company=workspace.team.name)
        self.secret = secrets.token_hex(16)  # the bot checks every request's signature, as with real Slack
        self.port = port
        self._build_app = build_app
        self.tuning = tuning
        self.runtime: Runtime | None = None
        self.page: PageServer | None = None

    def start(self) -> Self:
        """Fake Slack first (the bot asks it auth.test at start), then the bot, then the page."""
        if self._build_app is None:
            from app import build_app  # the wiring `python app.py` uses

            self._build_app = build_app
        self.fake.start()
        settings = Settings(
            bot_token="xoxb-sandbox",
            app_token=None,
            signing_secret=self.secret,
            api_url=self.fake.url,
            host="127.0.0.1",
            port=free_port(),
            log_level="WARNING",
        )
        self.runtime = Runtime(settings, self.config, self._build_app, tuning=self.tuning)
        self.runtime.start()
        sender = SlackSender(self.runtime.http.port, secret=self.secret, shared=self.fake.is_ext_shared)
        self.page = PageServer(SandboxClient(self.fake, sender, self.manifest), self.port).start()
        return self

    @property
    def client(self) -> SandboxClient:
        """The people's side: what the page shows and sends."""
        if self.page is None:
            raise RuntimeError("the demo is not started")
        return self.page.client

    @property
    def url(self) -> str:
        """The page's address."""
        if self.page is None:
            raise RuntimeError("the demo is not started")
        return self.page.url

    def stop(self) -> None:
        """Page, bot, fake Slack: the reverse order."""
        if self.page is not None:
            self.page.stop()
        if self.runtime is not None:
            self.runtime.stop()
        self.fake.stop()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
