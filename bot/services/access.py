"""Who is a manager: listed users, or members of listed user groups (looked up in Slack, cached)."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger("complaints.access")
GROUP_CACHE_SECONDS = 300.0


class Access:
    """Answers "is this person a manager?" without asking Slack on every request."""

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
        self._lock = threading.Lock()

    def is_manager(self, user: str) -> bool:
        """Listed directly, or in one of the listed user groups; fails closed when Slack cannot say."""
        if not user:
            return False
        if user in self.users:
            return True
        return any(user in self._members(group) for group in self.groups)

    def _members(self, group: str) -> frozenset[str]:
        """A group's members, from the cache when fresh; the stale list (or nobody) when Slack fails."""
        now = self.clock()
        with self._lock:
            cached = self._cache.get(group)
        if cached and now - cached[0] < GROUP_CACHE_SECONDS:
            return cached[1]
        try:
            members = frozenset(self.members_of(group))
        except Exception as exc:  # Slack's answer decides access; without one, nobody is let in by it
            log.warning("could not list user group %s: %s", group, exc)
            return cached[1] if cached else frozenset()
        with self._lock:
            self._cache[group] = (now, members)
        return members
