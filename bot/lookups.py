"""Facts only Slack knows (who is in a user group, which organisation a person belongs to, what a channel is),
and what a step does when it needs one the bot has not learnt yet.

An acknowledgement never waits for Slack. A step that needs such a fact, and finds it neither in the request
nor in a cache, raises `NeedsSlack` before it has changed anything. The request is answered at once; the fact
is looked up after the answer (`learn`), and the step is run again with it, its answer going to the person
through the request's response_url or a private message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol


class NeedsSlack(Exception):
    """A step needs a fact from Slack first; `learn` asks Slack for it (and caches the answer)."""

    def __init__(self, what: str, learn: Callable[[], None]) -> None:
        super().__init__(what)
        self.what = what
        self.learn = learn


class LookupFailed(Exception):
    """Slack did not answer a lookup (down, rate limited, or the scope is missing); `code` is Slack's error."""

    def __init__(self, code: str, *, transient: bool = True) -> None:
        super().__init__(code)
        self.code = code
        self.transient = transient  # False: asking again will not help (the answer itself says no)


@dataclass(frozen=True)
class Member:
    """A person's organisation, as users.info says: their team, and their Enterprise Grid organisation."""

    team: str
    enterprise: str = ""


@dataclass(frozen=True)
class Conversation:
    """What conversations.info says about a channel, as far as the bot cares."""

    exists: bool = True  # False: no such channel for the bot (a private channel it is not in, or a DM)
    member: bool = False  # the bot is in it, so Slack sends its events
    private: bool = False
    shared: bool = False  # shared with another organisation (Slack Connect: is_ext_shared)
    archived: bool = False


class Lookups(Protocol):
    """The Web API lookups the services make, each only after an acknowledgement; LookupFailed when Slack fails."""

    def group_members(self, group: str) -> list[str]:
        """usergroups.users.list."""

    def member(self, user: str) -> Member:
        """users.info."""

    def conversation(self, channel: str) -> Conversation:
        """conversations.info."""

    def join(self, channel: str) -> None:
        """conversations.join: the bot joins a public channel (scope channels:join)."""


class NoSlack:
    """Lookups without a Slack to ask (tools and tests that never meet a stranger or a user group)."""

    def group_members(self, group: str) -> list[str]:
        """Nobody can be found in a group."""
        raise LookupFailed("no Slack to ask")

    def member(self, user: str) -> Member:
        """Nobody's organisation can be found."""
        raise LookupFailed("no Slack to ask")

    def conversation(self, channel: str) -> Conversation:
        """No channel can be looked at."""
        raise LookupFailed("no Slack to ask")

    def join(self, channel: str) -> None:
        """No channel can be joined."""
        raise LookupFailed("no Slack to ask")
