"""What `/complaint …` means: a subcommand word, or the text of a new complaint."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.catalog import SUBCOMMANDS
from bot.rendering import Renderer
from bot.services import Deps
from bot.services.lifecycle import Draft, Lifecycle

# Subcommands that take the rest of the text as their argument; the others must stand alone.
WITH_ARGUMENT = {"customer"}


@dataclass
class Reply:
    """The private answer to a command, or a modal to open instead."""

    text: str = ""
    view: dict[str, Any] | None = None
    blocks: list[dict[str, Any]] | None = None
    found_nothing: bool = False


def parse(text: str) -> tuple[str, str]:
    """Split into (subcommand, argument); ("file", text) when the text is a complaint."""
    words = text.strip().split(maxsplit=1)
    if not words:
        return "form", ""
    name = SUBCOMMANDS.get(words[0].lower())
    argument = words[1] if len(words) > 1 else ""
    if name is None or (argument and name not in WITH_ARGUMENT) or (name in WITH_ARGUMENT and not argument):
        return "file", text
    return name, argument


@dataclass
class Commands:
    """Runs `/complaint` for one person in one channel."""

    deps: Deps
    lifecycle: Lifecycle
    render: Renderer
    extra: dict[str, Callable[[str, str, str], Reply]] = field(default_factory=dict)

    def run(self, channel: str, user: str, text: str, key: str = "") -> Reply:
        """Do what the words say and return what only the caller sees (`key`: Slack's id of this command)."""
        name, argument = parse(text)
        if name == "form":
            return Reply(view=self.render.new_complaint_modal(channel))
        if name == "file":
            draft = Draft(channel=channel, reporter=user, summary=text, key=key)
            return Reply(text=self.lifecycle.file(draft).reply or "")
        if name == "help":
            return Reply(text=self.render.help())
        if name == "list":
            complaints = self.lifecycle.open_in_channel(channel)
            return Reply(text=self.render.open_list(channel, complaints, self.deps.now()))
        run = self.extra.get(name)
        if run is None:  # a subcommand this installation does not offer: say what it does offer
            return Reply(text=self.render.help())
        reply = run(channel, user, argument)
        if reply.found_nothing:  # "/complaint Kunde Müller hat …" may be a complaint, not a search
            reply.blocks = [*(reply.blocks or []), *self.render.offer_to_file(text)]
        return reply
