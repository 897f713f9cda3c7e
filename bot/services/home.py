"""Each person's App Home: what they own, what they reported, what waits for an owner, what they resolved lately."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.model import Complaint, Effect, EventKind
from bot.rendering.home import REPORTED_ROWS, RESOLVED_ROWS, HomeRenderer
from bot.services import Deps, Outcome
from bot.services.followups import Planner

# People who have opened the Home at least once; only their Home is refreshed when a complaint changes.
HOME_USERS = "home_users"
RECENT = timedelta(days=14)


def home(user: str) -> Effect:
    """Publish a person's Home (rendered when it is delivered, so it is always current)."""
    return Effect(kind="home", lane=f"home:{user}", user=user)


class Home:
    """Keeps the Home tab of everyone who uses it in step with their complaints."""

    def __init__(self, deps: Deps, render: HomeRenderer, planner: Planner) -> None:
        self.deps = deps
        self.render = render
        self.planner = planner

    def opened(self, user: str) -> Outcome:
        """The Home tab was opened: remember the person and publish a fresh Home."""
        if not user or user == self.deps.bot_user_id:
            return Outcome(False)
        with self.deps.store.transaction() as tx:
            known = list(tx.get_meta(HOME_USERS) or [])
            if user not in known:
                tx.set_meta(HOME_USERS, [*known, user])
            tx.enqueue(home(user))
        return Outcome(True)

    @staticmethod
    def affected(complaint: Complaint) -> list[str]:
        """Whose Home shows this complaint: owner, reporter (under "reported by you" while someone else owns it or
        nobody does), a proposed owner, and everyone who owned it before (it left their list)."""
        people = [complaint.owner, complaint.reporter, complaint.proposed_to]
        people += [entry.actor for entry in complaint.timeline if entry.kind == EventKind.CLAIMED]
        unique: list[str] = []
        for person in people:
            if person and person not in unique:
                unique.append(person)
        return unique

    def refresh_for(self, complaint: Complaint | None) -> None:
        """After a complaint changed: queue a Home refresh for the affected people who use the Home."""
        if complaint is None:
            return
        users = set(self.deps.store.get_meta(HOME_USERS) or [])
        wanted = [person for person in self.affected(complaint) if person in users]
        if not wanted:
            return
        with self.deps.store.transaction() as tx:
            for person in wanted:
                tx.enqueue(home(person))

    def view(self, user: str) -> dict[str, Any]:
        """The Home view for one person, from the lists the store keeps (never a read of every complaint)."""
        now = self.deps.now()
        store = self.deps.store
        mine = [(c, self.planner.next_due(c)) for c in store.open_owned_by(user)]
        mine.sort(key=lambda pair: pair[0].filed_at)
        waiting = sorted(store.unclaimed_complaints(), key=lambda c: c.filed_at)
        reported_count, reported = store.open_reported_by(user, REPORTED_ROWS)
        resolved_count, resolved = store.resolved_by(user, now - RECENT, RESOLVED_ROWS)
        return self.render.view(
            mine, reported, waiting, resolved, now, reported_count=reported_count, resolved_count=resolved_count
        )
