"""Thin Slack listeners, one module per surface; each exposes register(app, services)."""

from __future__ import annotations

from slack_bolt import App

from bot.services.bundle import Services
from handlers import actions, commands, errors, events, gate, home, shortcuts, views

# bolt runs the first listener that matches, so event listeners go before the catch-all in `events`. The gate is a
# middleware every request passes before any listener (people from another organisation act on nothing).
SURFACES = (gate, commands, home, events, actions, shortcuts, views, errors)


def register_all(app: App, services: Services) -> None:
    """Bind every surface's listeners; the catch-alls in events come last so specific ones win."""
    for surface in SURFACES:
        surface.register(app, services)
