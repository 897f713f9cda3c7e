"""NOTIFY between replicas: a follower's commit tells the leader what it queued and which complaints changed.

Only the leader LISTENs (see `leader.Leadership`), so only followers send; the leader's own commits tell
its listeners directly. The payload names the lanes (so the outbox looks only there) and the complaints
(so the timers re-plan them); a filing names its number, which is known only inside its commit.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Collection, Iterable
from typing import Any

from bot.model import Complaint, Effect
from bot.store.contract import ChangeListener, CommitListener

log = logging.getLogger("complaints.store")

MAX_NOTIFIED = 500  # complaint numbers named in one NOTIFY (its payload must stay under 8,000 bytes)
MAX_LANES_NOTIFIED = 100  # lanes named in one; more, and the leader looks at every lane
_NOTIFY_FILED = """
    SELECT pg_notify(%(channel)s, jsonb_set(%(payload)s::jsonb, '{numbers}', (%(payload)s::jsonb -> 'numbers')
        || to_jsonb(ARRAY(SELECT current_setting(slot)::integer FROM unnest(%(slots)s::text[]) AS slot)))::text)
"""


class Notifications:
    """Who is told of commits and changes, here and (while this replica leads) on the other replicas."""

    def __init__(self, channel: str, token: str, get: Callable[[int], Complaint | None]) -> None:
        self.channel = channel  # the NOTIFY channel of this schema
        self.token = token  # this process, so it ignores its own notifications
        self._get = get
        self._listeners: list[CommitListener] = []
        self._change_listeners: list[ChangeListener] = []
        # Whether this replica leads: its own commits need no NOTIFY, as only the leader listens. Should it lead
        # no longer without knowing yet, the new leader finds what it queued within a second (the outbox looks
        # at least that often) and plans its timers at the next sweep.
        self.leading = False

    def add_commit_listener(self, listener: CommitListener) -> None:
        """Be told after every commit that queued effects, here or (on the leader) on another replica."""
        self._listeners.append(listener)

    def add_change_listener(self, listener: ChangeListener) -> None:
        """Be told of complaints another replica changed (the leader's timers re-plan them)."""
        self._change_listeners.append(listener)

    def committed(self, lanes: frozenset[str] | None) -> None:
        """Effects were queued in these lanes (None: anywhere, e.g. by followers before this replica led)."""
        for listener in self._listeners:
            listener(lanes)

    def statement(
        self, effects: list[Effect], numbers: Iterable[int], stand_ins: Collection[str]
    ) -> tuple[str, Any] | None:
        """The NOTIFY for a commit (delivered only when it commits); None when nobody needs to hear of it.

        `numbers` are the complaints changed, `stand_ins` the settings that will hold the numbers of those
        filed in the commit.
        """
        if self.leading:
            return None
        named = sorted(numbers)[:MAX_NOTIFIED]
        if not (effects or named or stand_ins):
            return None
        lanes = sorted({effect.lane for effect in effects})
        payload = json.dumps(
            {
                "from": self.token,
                "effects": bool(effects),
                "lanes": lanes if len(lanes) <= MAX_LANES_NOTIFIED else None,
                "numbers": named,
            }
        )
        slots = list(stand_ins)[:MAX_NOTIFIED]
        if not slots:
            return "SELECT pg_notify(%s, %s)", (self.channel, payload)
        return _NOTIFY_FILED, {"channel": self.channel, "payload": payload, "slots": slots}

    def received(self, payload: str) -> None:
        """A NOTIFY from another replica's commit: wake the outbox, re-plan what it changed."""
        try:
            message = json.loads(payload)
        except ValueError:
            return
        if message.get("from") == self.token:
            return  # this process already told its listeners when it committed
        if message.get("effects"):
            lanes = message.get("lanes")
            self.committed(frozenset(map(str, lanes)) if isinstance(lanes, list) else None)
        if not self._change_listeners:
            return
        for number in message.get("numbers") or []:
            complaint = self._get(int(number))
            if complaint is None:
                continue
            for change in self._change_listeners:
                try:
                    change(complaint)
                except Exception:  # one listener's failure must not cost the leader its lead
                    log.exception("a change listener failed for #%s", number)
