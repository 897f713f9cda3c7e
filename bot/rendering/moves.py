"""What is left where a card moved away from: one line saying where it is now."""

from __future__ import annotations

from typing import Any

from bot.rendering import Renderer


def moved_card(render: Renderer, number: int, channel: str) -> tuple[str, list[dict[str, Any]]]:
    """The old card's new content: its text and a single section with the same line."""
    line = render.t("card.moved", number=number, channel=channel)
    return line, [{"type": "section", "text": {"type": "mrkdwn", "text": line}}]
