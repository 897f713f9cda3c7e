"""Who is a manager: listed users, or members of listed user groups (looked up in Slack after the ack, cached)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from bot.lookups import NeedsSlack

log = logging.getLogger("complaints.access")
GROUP_CACHE_SECONDS = 300.0


class Access:
    """Answers "is this person a manager?" without asking Slack while a request waits for its answer."""

    def __init__(
        self,
        managers: tuple[str, ...],
        members_of: Callable[[str], list[str]],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.users = {m for m in managers if not m.startswith("S")}
        self.groups = [m for m in managers if m.startswith("S")]
        self.members_of = members_of
        self.clock = clock
        self._cache: dict[str, tuple[float, frozenset[str]]] = {}
        self._lookups: dict[str, threading.Lock] = {}
        self._lock = threading.Lock()

    def is_manager(self, user: str) -> bool:
        """Listed directly, or in one of the listed user groups.

        A group whose members are not known from the last five minutes is looked up after the ack: this raises
        NeedsSlack. When Slack cannot answer, the group is still not known on the second try, so it lets
        nobody in (an old member list is never used).
        """
        if not user:
            return False
        if user in self.users:
            return True
        unknown = []
        for group in self.groups:
            members = self._fresh(group)
            if members is None:
                unknown.append(group)
            elif user in members:
                return True
        if unknown:
            raise NeedsSlack(f"members of {', '.join(unknown)}", lambda: self.refresh(unknown))
        return False

    def refresh(self, groups: Iterable[str]) -> None:
        """Ask Slack for these groups' members; a group Slack does not answer for is forgotten (lets nobody in).

        Requests that waited for the same group at the same time share one lookup: the others find it fresh.
        """
        for group in groups:
            with self._asking(group):
                if self._fresh(group) is not None:
                    continue
                try:
                    members = frozenset(self.members_of(group))
                except Exception as exc:  # Slack's answer decides access; without one, nobody is let in by it
                    log.warning("could not list user group %s: %s", group, exc)
                    with self._lock:
                        self._cache.pop(group, None)
                    continue
                with self._lock:
                    self._cache[group] = (self.clock(), members)

    def _asking(self, group: str) -> threading.Lock:
        """The lock held while Slack is asked about one group."""
        with self._lock:
            return self._lookups.setdefault(group, threading.Lock())

    def _fresh(self, group: str) -> frozenset[str] | None:
        """A group's members when known from the last five minutes, else None."""
        with self._lock:
            cached = self._cache.get(group)
        if cached is None or self.clock() - cached[0] >= GROUP_CACHE_SECONDS:
            return None
        return cached[1]
