"""Who belongs to the organisation that installed the bot, and the private word for those who do not.

Complaints are internal. In a channel shared with another company (Slack Connect) its people see what the bot
posts there, can react to it and press its buttons; none of that may change a complaint. A person belongs to
us when their team is the workspace the bot was installed in, or, on Enterprise Grid, when they belong to the
same organisation (its other workspaces included).

What a request itself says decides where it can: a slash command names the installation it came through, a
button press or form names the person's team, an event says whether its channel is shared with another
organisation (in a channel that is not, everyone is one of us). Otherwise the person is looked up with
users.info after the acknowledgement (NeedsSlack) and remembered for a day.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from bot.lookups import Member, NeedsSlack
from bot.services import Deps, ephemeral, post
from bot.store import StoreError

log = logging.getLogger("complaints.organisation")

PERSON_CACHE_SECONDS = 24 * 3600.0  # a person's team does not change; a day keeps the cache small


@dataclass(frozen=True)
class Actor:
    """Who acts, with what the request itself says about their organisation."""

    user: str
    team: str = ""  # the person's team (or the installation's, for a slash command) as the request names it
    enterprise: str = ""  # the Enterprise Grid organisation the request names for them
    in_shared_channel: bool | None = None  # an event's channel is shared with another organisation (None: unsaid)


class Organisation:
    """Decides whether a person may act at all, and tells those who may not, politely and privately."""

    def __init__(
        self, deps: Deps, lookup: Callable[[str], Member], clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.deps = deps
        self.lookup = lookup
        self.clock = clock
        self._people: dict[str, tuple[float, Member]] = {}
        self._lock = threading.Lock()

    def admits(self, actor: Actor) -> bool:
        """Whether this person is one of us; raises NeedsSlack when only users.info can tell."""
        identity = self.deps.identity
        if not actor.user or actor.user == identity.user_id:
            return True
        known = self._known(actor.user)
        if known is not None:
            return self._ours(known)
        if identity.enterprise_id and actor.enterprise == identity.enterprise_id:
            return True
        if identity.team_id and actor.team == identity.team_id:
            return True
        if actor.in_shared_channel is False:  # a channel shared with nobody holds only our own people
            return True
        if actor.team and identity.team_id and not identity.enterprise_id:
            return False  # another team, and no Enterprise Grid that could make it one of ours
        raise NeedsSlack(f"the organisation of {actor.user}", lambda: self.learn(actor.user))

    def learn(self, user: str) -> None:
        """users.info, remembered; when Slack does not answer, nothing is remembered (and nobody let in)."""
        member = self.lookup(user)
        with self._lock:
            self._people[user] = (self.clock(), member)
        if not self._ours(member):
            log.info("%s belongs to another organisation (team %s)", user, member.team)

    def refused(self, user: str, where: str) -> None:
        """Someone from another organisation tried to act: nothing happens; noted in the log."""
        log.info("%s from another organisation tried to act in %s; told privately that they cannot", user, where)

    def refusal(self) -> str:
        """What someone from another organisation is told."""
        return self.deps.catalog.t("outsider.refused")

    def tell(self, user: str, channel: str, text: str) -> None:
        """A private note to one person: only for them in the channel, or a direct message without one."""
        note = ephemeral(channel, user, text) if channel and not channel.startswith("D") else post(user, text)
        try:
            with self.deps.store.transaction() as tx:
                tx.enqueue(note)
        except StoreError as exc:  # a note about nothing that happened; the person can simply try again
            log.warning("could not queue a private note for %s: %s", user, exc)

    def _known(self, user: str) -> Member | None:
        """What users.info said about this person within the last day."""
        with self._lock:
            cached = self._people.get(user)
        if cached is None or self.clock() - cached[0] >= PERSON_CACHE_SECONDS:
            return None
        return cached[1]

    def _ours(self, member: Member) -> bool:
        """Our workspace, or our Enterprise Grid organisation."""
        identity = self.deps.identity
        if identity.enterprise_id and member.enterprise == identity.enterprise_id:
            return True
        return bool(member.team) and member.team == identity.team_id
