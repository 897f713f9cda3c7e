"""Filing, claiming, releasing, handing over, resolving and reopening a complaint."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from bot.customers import KnownCustomers
from bot.eightd.rules import EightDRules
from bot.model import Complaint, Effect, EventKind, FollowUps, IncomingFile, Status
from bot.mrkdwn import clean
from bot.rendering import Renderer
from bot.services import Deps, Outcome, attach, card, ephemeral, post, refuse, thread
from bot.services.access import Access
from bot.services.placement import Placement
from bot.services.reporter_notes import ReporterNotes
from bot.store import AlreadySeen, StoreUnavailable, Transaction

log = logging.getLogger("complaints.lifecycle")


@dataclass
class Draft:
    """What someone typed or entered in the form to file a complaint."""

    channel: str
    reporter: str
    summary: str
    customer: str = ""
    details: str = ""
    severity: str = ""
    category: str = ""
    key: str = ""  # Slack's id of the request (trigger_id): one delivered twice files one complaint
    response_url: str = ""  # where the filer can be told privately, later, that the card went elsewhere
    source: dict[str, str] = field(default_factory=dict)  # the message it is filed from, if any
    files: tuple[IncomingFile, ...] = ()  # from the form's file field
    source_files: tuple[IncomingFile, ...] = ()  # those of the message it is filed from

    def brought(self) -> list[tuple[IncomingFile, str]]:
        """Every file that comes with the filing, once each, with where it came from."""
        seen: set[str] = set()
        found: list[tuple[IncomingFile, str]] = []
        for files, origin in ((self.files, "form"), (self.source_files, "message")):
            for file in files:
                if file.id not in seen:
                    seen.add(file.id)
                    found.append((file, origin))
        return found


# Effects a filing owes besides its card: (queued ahead of the card, queued after it).
Owed = tuple[list[Effect], list[Effect]]


class Lifecycle:
    """The steps of a complaint's life; every permission rule for them lives here."""

    def __init__(
        self,
        deps: Deps,
        render: Renderer,
        access: Access,
        reporter: ReporterNotes,
        customers: KnownCustomers | None = None,
        placement: Placement | None = None,
        eight_d: EightDRules | None = None,
    ) -> None:
        self.deps = deps
        self.render = render
        self.access = access
        self.customers = customers or KnownCustomers(deps.store.all_complaints)
        self.placement = placement or Placement(deps.config)
        self.eight_d = eight_d
        self.t = deps.catalog.t
        self.reporter = reporter

    @property
    def _emoji(self) -> dict[str, str]:
        """Emoji names for the texts that explain how to claim and resolve."""
        return {"emoji": self.deps.config.claim_emoji, "resolve_emoji": self.deps.config.resolve_emoji}

    def file(self, draft: Draft, owed: Callable[[Complaint], Owed] | None = None) -> Outcome:
        """Store a new complaint durably, then queue its card; the filer is told only once it is stored.

        `owed`: further effects of the filing, queued with it: those the card waits for (in its lane), and those
        that come after it (e.g. a reply under the message it was filed from).
        """
        summary = clean(draft.summary)
        if not summary:
            return Outcome.refused(self.t("file.empty"))
        category = draft.category if draft.category in self.deps.config.categories else ""
        channel = self.placement.card_channel(draft.channel, category)
        if channel is None:
            return Outcome.refused(self.t("file.nowhere"))
        now = self.deps.now()
        config = self.deps.config
        customer = self.customers.spelling(clean(draft.customer))  # read before the store is locked for writing
        try:
            with self.deps.store.transaction() as tx:
                if draft.key:  # recorded with the commit: the whole filing is one message to a database server
                    tx.once(f"file:{draft.key}")
                complaint = Complaint(
                    number=tx.next_number(),
                    channel=channel,
                    origin_channel=draft.channel,
                    reporter=draft.reporter,
                    summary=summary,
                    filed_at=now,
                    severity=draft.severity if draft.severity in config.severities else config.default_severity,
                    customer=customer,
                    details=clean(draft.details),
                    category=category,
                    unclaimed_since=now,
                    last_activity_at=now,
                    source=dict(draft.source),
                )
                complaint.record(EventKind.FILED, now, draft.reporter, **({"key": draft.key} if draft.key else {}))
                tx.save(complaint)
                ahead, behind = owed(complaint) if owed else ([], self.placement.announcement(complaint, draft.channel))
                brought = draft.brought()  # fetched after the answer to Slack, then shared into the thread
                files = [attach(complaint, brought, draft.reporter, draft.channel)] if brought else []
                posted = card(complaint)
                if not draft.source:  # told if it goes elsewhere (filed from a message: the note under it says so)
                    posted.data.update(filer=draft.reporter, response_url=draft.response_url)
                effects = [*ahead, posted, *files, *behind]
                for effect in effects:
                    tx.enqueue(effect)
        except AlreadySeen:
            return self._filed_before(draft.key)
        except StoreUnavailable:
            log.warning("a complaint from %s could not be stored; the reporter was told to try again", draft.reporter)
            return Outcome.refused(self.t("file.not_saved"))
        log.info("#%s filed by %s in %s", complaint.number, draft.reporter, channel)
        self.deps.changed(complaint)
        # More queued than this card: Slack is slow or down, so the card is not there yet; say so honestly.
        ack = "file.ack" if tx.waiting <= len(effects) else "file.ack_pending"
        return Outcome(True, complaint, self.t(ack, number=complaint.number, channel=channel))

    def _filed_before(self, key: str) -> Outcome:
        """The same request came again (Socket Mode re-sends what it saw no ack for): answer as the first time."""
        for complaint in reversed(self.deps.store.open_complaints()):
            if complaint.timeline and complaint.timeline[0].data.get("key") == key:
                log.info("#%s: the same filing came again; nothing new was filed", complaint.number)
                ack = self.t("file.ack", number=complaint.number, channel=complaint.channel)
                return Outcome(True, complaint, ack)
        return Outcome(False)

    def file_form(self, draft: Draft) -> Outcome:
        """File from the modal: a missing summary is shown in the form; the confirmation comes privately."""
        if not clean(draft.summary):
            return Outcome.invalid({"summary": self.t("modal.error.summary_required")})
        outcome = self.file(draft)
        if outcome.reply:
            with self.deps.store.transaction() as tx:
                number = outcome.complaint.number if outcome.complaint else None
                tx.enqueue(ephemeral(draft.channel, draft.reporter, outcome.reply, number))
        return outcome

    def react(self, channel: str, ts: str, user: str, emoji: str, event_id: str, added: bool) -> Outcome:
        """A reaction on a card: claim or resolve when added, release when the owner takes the claim back."""
        config = self.deps.config
        emoji = emoji.split("::", 1)[0]  # a skin tone (raising_hand::skin-tone-3) is the same emoji
        if user == self.deps.bot_user_id or self.deps.store.card_number(channel, ts) is None:
            return Outcome(False)
        if emoji == config.claim_emoji:
            step = self.claim if added else self.release
            return step(channel, ts, user, event_id)
        if emoji == config.resolve_emoji and added:
            return self.resolve_by_card(channel, ts, user, event_id)
        return Outcome(False)

    def claim(self, channel: str, ts: str, user: str, event_id: str) -> Outcome:
        """Make the reactor the owner, unless someone else owns it: then they are told who does."""
        now = self.deps.now()
        with self.deps.store.transaction() as tx:
            complaint = tx.by_card(channel, ts, once=f"event:{event_id}")
            if complaint is None:
                return Outcome(False)
            refusal = self._claim_refusal(complaint, user)
            if refusal:
                return refuse(tx, complaint, user, refusal, channel, "claim it now")
            if refusal is not None:  # nothing to say to them
                return Outcome.refused(refusal, complaint)
            previous = complaint.owner
            complaint.status, complaint.owner, complaint.proposed_to = Status.OWNED, user, None
            complaint.first_claimed_at = complaint.first_claimed_at or now
            complaint.owned_since = complaint.last_activity_at = now
            complaint.followups = FollowUps(
                overdue_notified=complaint.followups.overdue_notified,
                due_soon_notified=complaint.followups.due_soon_notified,
            )
            complaint.record(EventKind.CLAIMED, now, user, previous_owner=previous)
            tx.save(complaint)
            tx.enqueue(card(complaint))
            tx.enqueue(thread(complaint, self.t("thread.claimed", user=user)))
            self.reporter.claimed(tx, complaint, user)
        log.info("#%s claimed by %s%s", complaint.number, user, f" (from {previous})" if previous else "")
        self.deps.changed(complaint)
        return Outcome(True, complaint)

    def _claim_refusal(self, complaint: Complaint, user: str) -> str | None:
        """Why this person cannot claim it now ("" for a silent no-op), or None when they can."""
        if complaint.status is Status.RESOLVED:
            return self.t("claim.resolved", number=complaint.number)
        if complaint.owner == user:
            return ""
        if complaint.status is Status.OWNED and complaint.proposed_to != user:
            return self.t(
                "claim.owned_by_other",
                number=complaint.number,
                owner=complaint.owner,
                emoji=self.deps.config.claim_emoji,
            )
        return None

    def release(self, channel: str, ts: str, user: str, event_id: str) -> Outcome:
        """The owner took their claim reaction back: the complaint needs an owner again."""
        now = self.deps.now()
        with self.deps.store.transaction() as tx:
            complaint = tx.by_card(channel, ts, once=f"event:{event_id}")
            if complaint is None:
                return Outcome(False)
            if complaint.status is not Status.OWNED or complaint.owner != user:
                return Outcome(False, complaint)
            self._make_unclaimed(complaint, now)
            complaint.record(EventKind.RELEASED, now, user)
            tx.save(complaint)
            tx.enqueue(card(complaint))
            tx.enqueue(thread(complaint, self.t("thread.released", user=user, **self._emoji)))
            self.reporter.state_changed(tx, complaint)
        log.info("#%s released by %s", complaint.number, user)
        self.deps.changed(complaint)
        return Outcome(True, complaint)

    @staticmethod
    def _make_unclaimed(complaint: Complaint, now: datetime) -> None:
        """Back to unclaimed: the unclaimed reminders start again from now."""
        complaint.status, complaint.owner, complaint.proposed_to = Status.UNCLAIMED, None, None
        complaint.unclaimed_since = complaint.last_activity_at = now
        complaint.owned_since = None
        complaint.followups = FollowUps(
            overdue_notified=complaint.followups.overdue_notified,
            due_soon_notified=complaint.followups.due_soon_notified,
        )

    def may_hand_over(self, number: int, user: str, channel: str) -> Outcome:
        """Only the owner proposes a handover; anyone else is told why not."""
        return self._may(number, user, channel, self._handover_refusal)

    def _handover_refusal(self, complaint: Complaint, user: str) -> str | None:
        """Why this person cannot hand it over, or None when they can."""
        if complaint.status is Status.UNCLAIMED:
            return self.t("handover.unclaimed", number=complaint.number, emoji=self.deps.config.claim_emoji)
        if complaint.status is Status.RESOLVED:
            return self.t("resolve.already", number=complaint.number)
        if complaint.owner != user:
            return self.t("handover.only_owner", number=complaint.number)
        return None

    def propose_handover(self, number: int, user: str, to: str | None, note: str = "", once: str = "") -> Outcome:
        """Ask someone to take it over; they own it only once they claim it themselves (`once` as for `resolve`)."""
        errors = self._handover_errors(user, to)
        if errors:
            return Outcome.invalid(errors)
        assert to is not None
        now = self.deps.now()
        note = clean(note)
        with self.deps.store.transaction() as tx:
            complaint = tx.get(number, once=once)
            if complaint is None:
                return Outcome(False)
            refusal = self._handover_refusal(complaint, user)
            if refusal is not None:
                return refuse(tx, complaint, user, refusal, step="hand it over")
            complaint.proposed_to = to
            complaint.record(EventKind.HANDOVER_PROPOSED, now, user, note, to=to)
            tx.save(complaint)
            tx.enqueue(card(complaint))
            key = "thread.handover_note" if note else "thread.handover"
            shown = self.render.user_text(note)  # typed text pings nobody
            tx.enqueue(thread(complaint, self.t(key, owner=user, user=to, note=shown, **self._emoji)))
            self.reporter.handover(tx, complaint, user, to)
        log.info("#%s: %s proposes a handover to %s", complaint.number, user, to)
        self.deps.changed(complaint)
        return Outcome(True, complaint)

    def _handover_errors(self, user: str, to: str | None) -> dict[str, str]:
        """Form errors for a handover pick."""
        if not to:
            return {"handover_to": self.t("modal.error.pick_person")}
        if to == user:
            return {"handover_to": self.t("modal.error.handover_self")}
        if to == self.deps.bot_user_id:
            return {"handover_to": self.t("modal.error.handover_bot")}
        return {}

    def may_resolve(self, number: int, user: str, channel: str) -> Outcome:
        """Only the owner resolves; anyone else is told privately who does."""
        return self._may(number, user, channel, self._resolve_refusal)

    def _resolve_refusal(self, complaint: Complaint, user: str) -> str | None:
        """Why this person cannot resolve it, or None when they can."""
        if complaint.status is Status.RESOLVED:
            return self.t("resolve.already", number=complaint.number)
        if complaint.status is Status.UNCLAIMED:
            return self.t("resolve.unclaimed", number=complaint.number, emoji=self.deps.config.claim_emoji)
        if complaint.owner != user:
            return self.t("resolve.only_owner", number=complaint.number, owner=complaint.owner)
        missing = self.eight_d.missing_for_resolve(complaint) if self.eight_d is not None else []
        if missing:  # its severity needs containment, root cause and corrective actions on record first
            return self.t("resolve.eight_d_missing", number=complaint.number, missing=", ".join(missing))
        return None

    def _may(
        self, number: int, user: str, channel: str, refusal_for: Callable[[Complaint, str], str | None]
    ) -> Outcome:
        """Ask before opening a form: yes, or a private answer saying why not."""
        complaint = self.deps.store.get(number)
        if complaint is None:
            return Outcome.refused(self.t("error.unknown_complaint"))
        return self._answer(complaint, refusal_for(complaint, user), channel, user)

    def _answer(self, complaint: Complaint, refusal: str | None, channel: str, user: str) -> Outcome:
        """Turn a refusal into a private message for the person (queued), or say yes."""
        if refusal is None:
            return Outcome(True, complaint)
        with self.deps.store.transaction() as tx:
            return refuse(tx, complaint, user, refusal, channel)

    def resolve_by_card(self, channel: str, ts: str, user: str, event_id: str) -> Outcome:
        """The resolve emoji on the card: resolves for the owner, explains for anyone else."""
        number = self.deps.store.card_number(channel, ts)
        if number is None:
            return Outcome(False)
        note = self.t("resolve.default_note", emoji=self.deps.config.resolve_emoji)
        return self.resolve(number, user, note, once=f"event:{event_id}", channel=channel)

    def resolve(self, number: int, user: str, note: str, once: str = "", channel: str = "") -> Outcome:
        """Close the complaint with a resolution note; management gets a summary.

        `once`: the request's idempotency key (an event's, or `request_key`); seen before, nothing happens.
        """
        note = clean(note)
        if not note:
            return Outcome.invalid({"resolution": self.t("modal.error.note_required")})
        now = self.deps.now()
        with self.deps.store.transaction() as tx:
            complaint = tx.get(number, once=once)
            if complaint is None:
                return Outcome(False)
            refusal = self._resolve_refusal(complaint, user)
            if refusal is not None:
                return refuse(tx, complaint, user, refusal, channel, "resolve it")
            complaint.status, complaint.resolved_at, complaint.resolution = Status.RESOLVED, now, note
            complaint.proposed_to = None
            complaint.record(EventKind.RESOLVED, now, user, note)
            tx.save(complaint)
            tx.enqueue(card(complaint))
            shown = self.render.user_text(note)  # typed text pings nobody
            tx.enqueue(thread(complaint, self.t("thread.resolved", user=user, note=shown)))
            self.reporter.resolved(tx, complaint, user)
            self._summarise(tx, complaint)
        log.info("#%s resolved by %s", complaint.number, user)
        self.deps.changed(complaint)
        return Outcome(True, complaint)

    def _summarise(self, tx: Transaction, complaint: Complaint) -> None:
        """Queue the resolution summary for management, when a management channel is configured."""
        target = self.deps.config.management_channel
        if not target:
            return
        text, blocks = self.render.resolved_summary(complaint, self.deps.now())
        tx.enqueue(post(target, text, blocks, complaint.number))

    def may_reopen(self, number: int, user: str, channel: str) -> Outcome:
        """The reporter or the last owner may reopen a resolved complaint."""
        return self._may(number, user, channel, self._reopen_refusal)

    def _reopen_refusal(self, complaint: Complaint, user: str) -> str | None:
        """Why this person cannot reopen it, or None when they can."""
        if complaint.status is not Status.RESOLVED:
            return self.t("reopen.not_resolved", number=complaint.number)
        if user not in (complaint.reporter, complaint.owner):
            return self.t("reopen.not_allowed", number=complaint.number)
        return None

    def reopen(
        self,
        number: int,
        user: str,
        reason: str,
        once: str = "",
        channel: str = "",
        check: Callable[[Complaint], str | None] | None = None,
    ) -> Outcome:
        """Open a resolved complaint again; it needs an owner again and its timers restart (`once` as for `resolve`).

        `check`: a further refusal of the caller's (the reporter's "not yet" answers only its own question),
        decided on the locked complaint in this commit; a refusal goes to `channel` (default: the card's).
        """
        reason = clean(reason)
        if not reason:
            return Outcome.invalid({"reason": self.t("modal.error.reason_required")})
        now = self.deps.now()
        with self.deps.store.transaction() as tx:
            complaint = tx.get(number, once=once)
            if complaint is None:
                return Outcome(False)
            refusal = (check(complaint) if check else None) or self._reopen_refusal(complaint, user)
            if refusal is not None:
                return refuse(tx, complaint, user, refusal, channel, step="reopen it")
            self._make_unclaimed(complaint, now)
            complaint.resolved_at, complaint.confirmed = None, None
            complaint.record(EventKind.REOPENED, now, user, reason)
            tx.save(complaint)
            tx.enqueue(card(complaint))
            shown = self.render.user_text(reason)  # typed text pings nobody
            tx.enqueue(thread(complaint, self.t("thread.reopened", user=user, reason=shown, **self._emoji)))
            self.reporter.state_changed(tx, complaint)
        log.info("#%s reopened by %s", complaint.number, user)
        self.deps.changed(complaint)
        return Outcome(True, complaint)

    def change_severity(self, number: int, user: str, severity: str, channel: str) -> Outcome:
        """Owner, reporter or a manager sets the severity; the follow-ups re-plan on its timers."""
        if severity not in self.deps.config.severities:
            return Outcome(False)
        now = self.deps.now()
        known = self.deps.store.get(number)
        manager = known is not None and user not in (known.owner, known.reporter) and self.access.is_manager(user)
        with self.deps.store.transaction() as tx:
            complaint = tx.get(number)
            if complaint is None or not complaint.is_open or complaint.severity == severity:
                return Outcome(False, complaint)
            if user not in (complaint.owner, complaint.reporter) and not manager:
                refusal = self.t("severity.only_allowed", number=number)
                return refuse(tx, complaint, user, refusal, channel, "change the severity")
            complaint.severity = severity
            complaint.record(EventKind.SEVERITY_CHANGED, now, user, severity=severity)
            tx.save(complaint)
            tx.enqueue(card(complaint))
            word = self.deps.catalog.word("severity", severity)
            tx.enqueue(thread(complaint, self.t("thread.severity", user=user, severity=word)))
        log.info("#%s severity set to %s by %s", complaint.number, severity, user)
        self.deps.changed(complaint)
        return Outcome(True, complaint)

    def show_history(self, number: int, user: str, channel: str, once: str = "") -> Outcome:
        """The complaint's timeline, shown only to the person who asked.

        `once`: the press's idempotency key (`request_key`); the same press delivered again shows it no second time.
        """
        complaint = self.deps.store.get(number)
        if complaint is None:
            return Outcome(False)
        try:
            with self.deps.store.transaction() as tx:
                if once:
                    tx.once(once)
                tx.enqueue(ephemeral(channel or complaint.channel, user, self.render.history(complaint), number))
        except AlreadySeen:
            return Outcome(False, complaint)
        return Outcome(True, complaint)

    def open_in_channel(self, channel: str) -> list[Complaint]:
        """The open complaints filed in a channel or whose cards are there, oldest first."""
        return [c for c in self.deps.store.open_complaints() if channel in (c.channel, c.origin_channel)]
