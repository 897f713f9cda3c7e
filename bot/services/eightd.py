"""Working the 8D on a complaint: who may, saving the form, and making the report after the ack.

The form is open to the owner, the people in the 8D's D1 team and managers; anyone else is told privately
who may. A save changes only what this person changed (see `bot/rendering/eightd.py`), shows the progress on
the card and notes the change in the thread and on the timeline. A report is only requested while acking
(it takes its revision number then); the outbox makes the PDF and queues it into the card's thread and to the
reporter. When D3 to D7 are first all filled, the full report is requested by itself.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from bot.eightd.pdf import render_pdf
from bot.eightd.record import TEXTS
from bot.eightd.rules import EightDRules
from bot.model import Complaint, Effect, EventKind, Status
from bot.mrkdwn import clean
from bot.rendering import INPUT_LIMIT
from bot.rendering.eightd import (
    FORM_FIELDS,
    SHORT_LIMIT,
    SHORT_TEXTS,
    EightDRenderer,
    Submitted,
    fingerprint,
    form_values,
    parse_metadata,
    submitted_values,
)
from bot.services import Deps, Outcome, card, ephemeral, prepared, thread, thread_upload
from bot.services.access import Access
from bot.services.commands import Reply, act_once
from bot.services.reporter_notes import ReporterNotes
from bot.store import AlreadySeen, Transaction

log = logging.getLogger("complaints.eightd")

EIGHT_D = "eight_d"  # what a "prepare" effect makes: the 8D report
DISCIPLINE_OF = {"team": "D1", **TEXTS, "contained_at": "D3", "corrective_date": "D5"}
CLOCK_SKEW = timedelta(minutes=5)  # a picked time this little ahead of ours still counts as now


class EightDWork:
    """The 8D's steps; every permission rule for them lives here."""

    def __init__(
        self,
        deps: Deps,
        render: EightDRenderer,
        access: Access,
        rules: EightDRules,
        reporter: ReporterNotes,
        company_name: str = "",
        name_of: Callable[[str], str] = str,
    ) -> None:
        self.deps = deps
        self.render = render
        self.access = access
        self.rules = rules
        self.reporter = reporter
        self.company_name = company_name  # printed at the top of every report
        self.name_of = name_of
        self.t = deps.catalog.t

    # Who may.

    def _edit_refusal(self, complaint: Complaint, user: str, manager: bool) -> str | None:
        """Why this person may not work the 8D, or None when they may."""
        if manager or user == complaint.owner or user in complaint.eight_d.team:
            return None
        if complaint.status is Status.UNCLAIMED and not complaint.eight_d.team:
            return self.t("eightd.unclaimed", number=complaint.number, emoji=self.deps.config.claim_emoji)
        people = self.render.render.person
        team = ", ".join(people(member) for member in complaint.eight_d.team) or self.t("eightd.nobody_yet")
        owner = people(complaint.owner) if complaint.owner else self.t("eightd.nobody_yet")
        return self.t("eightd.only_allowed", number=complaint.number, owner=owner, team=team)

    def _manager_if_needed(self, complaint: Complaint, user: str) -> bool:
        """Whether the person is a manager, asked only when nothing else lets them work the 8D (a manager group
        may have to be looked up in Slack first, after the ack)."""
        return self._edit_refusal(complaint, user, False) is not None and self.access.is_manager(user)

    def may_edit(self, number: int, user: str, channel: str) -> Outcome:
        """Before the form opens: yes, or a private answer saying who may."""
        complaint = self.deps.store.get(number)
        if complaint is None:
            return Outcome.refused(self.t("error.unknown_complaint"))
        refusal = self._edit_refusal(complaint, user, self._manager_if_needed(complaint, user))
        if refusal is None:
            return Outcome(True, complaint)
        with self.deps.store.transaction() as tx:
            tx.enqueue(ephemeral(channel or complaint.channel, user, refusal, number))
        log.info("#%s: %s may not work the 8D and was told why", number, user)
        return Outcome.refused(refusal, complaint)

    def form(self, complaint: Complaint) -> dict[str, object]:
        """The 8D form; while D1 is empty it suggests the owner, the reporter and whoever replied or talked."""
        team = list(complaint.eight_d.team)
        if not team:
            suggested = [complaint.owner, complaint.reporter, *complaint.repliers]
            team = [u for u in dict.fromkeys(suggested) if u and u != self.deps.bot_user_id]
        return self.render.form(complaint, team)

    # Saving the form.

    def save(self, metadata: str, user: str, form: Submitted) -> Outcome:
        """Store what this person changed; the card, the thread and the timeline follow."""
        number, shown = parse_metadata(metadata)
        now = self.deps.now()
        errors = self._errors(form, now)
        if errors:
            return Outcome.invalid(errors)
        known = self.deps.store.get(number)
        manager = known is not None and self._manager_if_needed(known, user)
        with self.deps.store.transaction() as tx:
            complaint = tx.get(number)
            if complaint is None:
                return Outcome(False)
            refusal = self._edit_refusal(complaint, user, manager)
            if refusal is not None:
                tx.enqueue(ephemeral(complaint.channel, user, refusal, number))
                log.info("#%s: %s may not work the 8D and was told why", number, user)
                return Outcome.refused(refusal, complaint)
            changed = self._apply(complaint, form, shown, now)
            if not changed:
                return Outcome(True, complaint)
            disciplines = sorted({DISCIPLINE_OF[name] for name in changed})
            complaint.record(EventKind.EIGHT_D_UPDATED, now, user, ", ".join(disciplines), fields=changed)
            complete_now = complaint.eight_d.complete and complaint.eight_d.completed_at is None
            if complete_now:
                complaint.eight_d.completed_at = now
            tx.save(complaint)
            tx.enqueue(card(complaint))
            tx.enqueue(thread(complaint, self.render.updated(user, complaint, changed)))
            if complete_now:
                self._request(tx, complaint, "")
        log.info("#%s: 8D %s updated by %s", number, ", ".join(disciplines), user)
        self.deps.changed(complaint)
        return Outcome(True, complaint, data={"changed": changed})

    def _errors(self, form: Submitted, now: datetime) -> dict[str, str]:
        """What to correct in the form before anything is stored."""
        errors: dict[str, str] = {}
        for name in TEXTS:
            limit = SHORT_LIMIT if name in SHORT_TEXTS else INPUT_LIMIT
            if len(form.texts.get(name, "")) > limit:
                errors[name] = self.t("eightd.error.too_long", limit=self.deps.catalog.number(limit))
        picked = _moment(form.contained_at)
        if picked is not None and picked > now + CLOCK_SKEW:
            errors["contained_at"] = self.t("eightd.error.contained_future")
        if picked is not None and not clean(form.texts.get("containment", "")):
            errors.setdefault("containment", self.t("eightd.error.contained_without_text"))
        if form.corrective_date and not clean(form.texts.get("corrective", "")):
            errors.setdefault("corrective", self.t("eightd.error.corrective_date_without_text"))
        return errors

    def _apply(self, complaint: Complaint, form: Submitted, shown: dict[str, str], now: datetime) -> list[str]:
        """Take over each value this person changed from what their form showed; returns what changed.

        A value they left as it was shown keeps what is stored now, which someone else may have saved meanwhile.
        Containment without a time entered counts from this save.
        """
        eight_d = complaint.eight_d
        before = form_values(eight_d)
        sent = submitted_values(form)
        for name in FORM_FIELDS:
            if sent[name] == before[name] or (shown and fingerprint(sent[name]) == shown.get(name)):
                continue
            if name == "team":
                eight_d.team = [u for u in dict.fromkeys(form.team) if u and u != self.deps.bot_user_id]
            elif name == "contained_at":
                eight_d.contained_at = _moment(form.contained_at)
            elif name == "corrective_date":
                eight_d.corrective_date = _day(form.corrective_date)
            else:
                setattr(eight_d, name, clean(form.texts.get(name, "")))
        if not eight_d.containment:
            eight_d.contained_at = None
        elif eight_d.contained_at is None:
            eight_d.contained_at = now
        if not eight_d.corrective:
            eight_d.corrective_date = None
        after = form_values(eight_d)
        return [name for name in FORM_FIELDS if after[name] != before[name]]

    # The report.

    def report(self, channel: str, user: str, argument: str, key: str = "") -> Reply:
        """`/complaint 8d <number>`: request the report now (interim before D4, else the full 8D).

        The same command delivered again (`key`, its trigger_id) makes no second report; it is answered with the
        latest revision, which is the first delivery's unless another request came in between.
        """
        number = int(argument.strip().lstrip("#"))
        known = self.deps.store.get(number)
        if known is None:
            return Reply(text=self.t("eightd.report.unknown", number=number))
        allowed = user in (known.owner, known.reporter) or user in known.eight_d.team or self.access.is_manager(user)
        if not allowed:
            return Reply(text=self.t("eightd.report.only_allowed", number=number))
        try:
            with self.deps.store.transaction() as tx:
                act_once(tx, key)
                complaint = tx.get(number)
                if complaint is None:
                    return Reply(text=self.t("eightd.report.unknown", number=number))
                revision = self._request(tx, complaint, user)
        except AlreadySeen:
            log.info("#%s: /complaint 8d from %s came again; no second report", number, user)
            complaint = self.deps.store.get(number) or known
            revision = complaint.eight_d.revisions
        kind = self.t("eightd.report.kind.interim" if complaint.eight_d.interim else "eightd.report.kind.full")
        key = "eightd.report.queued_reporter" if user == complaint.reporter else "eightd.report.queued"
        return Reply(text=self.t(key, kind=kind, number=number, revision=revision, reporter=complaint.reporter))

    def _request(self, tx: Transaction, complaint: Complaint, user: str) -> int:
        """Take the next revision number and queue the report's making (user "": the bot's own, when complete)."""
        complaint.eight_d.revisions += 1
        revision = complaint.eight_d.revisions
        tx.save(complaint)
        request = prepared(EIGHT_D, complaint.channel, number=str(complaint.number), revision=str(revision), user=user)
        tx.enqueue(request)
        return revision

    def prepare(self, effect: Effect) -> bool:
        """Make the PDF and queue it into the card's thread and to the reporter, in the request's place.

        The effect's id is kept as an idempotency key, so a second look at the same request queues nothing more.
        """
        data = effect.data
        number, revision, user = int(str(data["number"])), int(str(data["revision"])), str(data.get("user") or "")
        complaint = self.deps.store.get(number)
        made = self._pdf(complaint, revision) if complaint is not None else None
        now = self.deps.now()
        with self.deps.store.transaction() as tx:
            if tx.first_time(f"prepared:{effect.id}"):
                current = tx.get(number)
                if current is not None and made is not None:
                    self._deliver(tx, current, revision, user, made, now)
                elif current is not None and user:
                    tx.enqueue(ephemeral(current.channel, user, self.t("eightd.report.failed", number=number), number))
            tx.finish_effect(effect.id)
        return True

    def _pdf(self, complaint: Complaint, revision: int) -> bytes | None:
        """The report's bytes; None when it could not be made (said to the requester, logged for the admin)."""
        deadline = self.rules.containment_deadline(complaint) if self.rules.required(complaint) else None
        try:
            content = self.render.report(
                complaint, revision, self.deps.now(), self.company_name, self.name_of, deadline
            )
            return render_pdf(content)
        except Exception:  # a broken report must not hold up the channel's lane; the requester hears of it
            log.exception("#%s: could not make 8D report rev. %s", complaint.number, revision)
            return None

    def _deliver(
        self, tx: Transaction, complaint: Complaint, revision: int, user: str, pdf: bytes, now: datetime
    ) -> None:
        """Into the card's thread, to the reporter, and onto the timeline."""
        kind = self.t("eightd.report.kind.interim" if complaint.eight_d.interim else "eightd.report.kind.full")
        name = self.render.file_name(complaint, revision)
        title = self.t("eightd.report.title", kind=kind, number=complaint.number, revision=revision)
        if user:
            comment = self.t("eightd.report.thread", kind=kind, number=complaint.number, revision=revision, user=user)
        else:
            comment = self.t("eightd.report.thread_auto", number=complaint.number, revision=revision)
        tx.enqueue(thread_upload(complaint, name, pdf, title, comment))
        self.reporter.report_ready(tx, complaint, name, pdf, title, kind, revision)
        complaint.record(EventKind.EIGHT_D_REPORT, now, user or None, title, revision=revision)
        tx.save(complaint)
        log.info("#%s: 8D report rev. %s made", complaint.number, revision)


def _moment(seconds: int | None) -> datetime | None:
    """A datetime picker's value as a moment."""
    return None if seconds is None else datetime.fromtimestamp(seconds, UTC)


def _day(text: str) -> date | None:
    """A date picker's value as a day (None for empty or garbage)."""
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None
