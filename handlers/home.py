"""The App Home tab: opening it publishes the person's complaints, fresh from the store."""

from __future__ import annotations

from slack_bolt import Ack, App

from adapters.payloads import text
from bot.services.bundle import Services


def register(app: App, services: Services) -> None:
    """Bind app_home_opened; the Messages tab is left alone."""

    @app.event("app_home_opened")
    def home_opened(ack: Ack, event: dict) -> None:
        if text(event, "tab") in ("home", ""):
            services.home.opened(text(event, "user"))
        ack()
