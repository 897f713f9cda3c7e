"""The 8D in Slack and on paper: the card's progress line, the 8D form, thread notes and the report's words.

The form sends back what it showed (a short fingerprint of each value, in `private_metadata`), so that a
save changes only what this person changed: two people working on the same 8D at once do not overwrite
each other's disciplines.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.eightd.pdf import ReportContent, Section
from bot.eightd.record import TEXTS, EightD
from bot.model import Complaint, Status
from bot.mrkdwn import cut, escape, one_line
from bot.rendering import INPUT_LIMIT, Block, Renderer, context, plain, section

# The id Slack sends back with the form; the handlers bind a listener to exactly this.
VIEW_EIGHT_D = "complaint_eight_d_view"

SHORT_TEXTS = ("claim_number", "part_number", "batch", "quantity")
SHORT_LIMIT = 150
# Every value the form edits, in the order of the fingerprints in its metadata.
FORM_FIELDS = ("team", *TEXTS, "contained_at", "corrective_date")
NOTE_LIMIT = 300  # how much of one changed text the thread note shows
_MENTION = re.compile(r"<@([UW][A-Z0-9]{2,})(?:\|[^<>]*)?>")


@dataclass(frozen=True)
class Submitted:
    """What the 8D form sent back, as the core reads it."""

    team: tuple[str, ...]
    texts: dict[str, str]
    contained_at: int | None  # seconds since the epoch, as the datetime picker gives it
    corrective_date: str  # YYYY-MM-DD, or ""


def form_values(eight_d: EightD) -> dict[str, str]:
    """Each form field's value as the form shows it and sends it back."""
    values = {name: getattr(eight_d, name) for name in TEXTS}
    values["team"] = ",".join(sorted(eight_d.team))
    values["contained_at"] = str(int(eight_d.contained_at.timestamp())) if eight_d.contained_at else ""
    values["corrective_date"] = eight_d.corrective_date.isoformat() if eight_d.corrective_date else ""
    return values


def submitted_values(form: Submitted) -> dict[str, str]:
    """The same, for what came back."""
    values = {name: form.texts.get(name, "") for name in TEXTS}
    values["team"] = ",".join(sorted(form.team))
    values["contained_at"] = "" if form.contained_at is None else str(form.contained_at)
    values["corrective_date"] = form.corrective_date
    return values


def fingerprint(value: str) -> str:
    """Six hex digits that change when the value does."""
    return hashlib.sha256(value.encode("utf-8")).hexdigest()[:6]


def form_metadata(number: int, eight_d: EightD) -> str:
    """`12:ab12cd.…`: the complaint and what the form showed."""
    values = form_values(eight_d)
    return f"{number}:" + ".".join(fingerprint(values[name]) for name in FORM_FIELDS)


def parse_metadata(metadata: str) -> tuple[int, dict[str, str]]:
    """The complaint number and the shown fingerprints (empty when the metadata is not ours)."""
    number, _, prints = metadata.partition(":")
    shown = prints.split(".") if prints else []
    if not number.isdigit():
        return 0, {}
    return int(number), dict(zip(FORM_FIELDS, shown, strict=False)) if len(shown) == len(FORM_FIELDS) else {}


class EightDRenderer:
    """Words and Block Kit for the 8D, in the configured language."""

    def __init__(self, render: Renderer) -> None:
        self.render = render
        self.catalog = render.catalog
        self.t = render.t

    # The form.

    def form(self, complaint: Complaint, team: list[str]) -> dict[str, Any]:
        """The 8D form, filled with what is stored (and the suggested team while D1 is empty)."""
        t, eight_d = self.t, complaint.eight_d
        blocks: list[Block] = [section(self.render.ref(complaint)), context(t("eightd.form.intro"))]
        picker: dict[str, Any] = {"type": "multi_users_select", "action_id": "value"}
        if team:
            picker["initial_users"] = team[:100]
        blocks.append(self._input("team", t("eightd.label.team"), picker, hint=t("eightd.hint.team")))
        blocks.append(context(t("eightd.form.d2")))
        for name in SHORT_TEXTS:
            blocks.append(self._text(name, getattr(eight_d, name), SHORT_LIMIT, multiline=False))
        blocks.append(self._text("containment", eight_d.containment))
        when: dict[str, Any] = {"type": "datetimepicker", "action_id": "value"}
        if eight_d.contained_at:
            when["initial_date_time"] = int(eight_d.contained_at.timestamp())
        blocks.append(
            self._input("contained_at", t("eightd.label.contained_at"), when, hint=t("eightd.hint.contained"))
        )
        blocks.append(self._text("occurrence", eight_d.occurrence))
        blocks.append(self._text("escape", eight_d.escape))
        blocks.append(self._text("corrective", eight_d.corrective))
        day: dict[str, Any] = {"type": "datepicker", "action_id": "value"}
        if eight_d.corrective_date:
            day["initial_date"] = eight_d.corrective_date.isoformat()
        blocks.append(self._input("corrective_date", t("eightd.label.corrective_date"), day))
        blocks.append(self._text("verification", eight_d.verification))
        blocks.append(self._text("preventive", eight_d.preventive))
        return self.render._modal(
            VIEW_EIGHT_D,
            t("eightd.form.title", number=complaint.number),
            t("eightd.form.submit"),
            blocks,
            form_metadata(complaint.number, eight_d),
        )

    def _text(self, name: str, value: str, limit: int = INPUT_LIMIT, *, multiline: bool = True) -> Block:
        """An optional text field of the form, with what is stored in it."""
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": "value",
            "multiline": multiline,
            "max_length": limit,
            "placeholder": plain(cut(self.t(f"eightd.placeholder.{name}"), 150)),
        }
        if value:
            element["initial_value"] = cut(value, limit, "")
        return self._input(name, self.t(f"eightd.label.{name}"), element)

    @staticmethod
    def _input(block_id: str, label: str, element: dict[str, Any], hint: str = "") -> Block:
        """An optional input block: every discipline may be filled in later."""
        block: Block = {
            "type": "input",
            "block_id": block_id,
            "label": plain(cut(label, 2000)),
            "optional": True,
            "element": element,
        }
        if hint:
            block["hint"] = plain(cut(hint, 2000))
        return block

    # Thread notes.

    def updated(self, user: str, complaint: Complaint, changed: list[str]) -> str:
        """The thread's note of a save: who, what changed (shortened), and the progress now."""
        lines = [self.t("eightd.thread.updated", user=user, progress=self.render.eight_d_progress(complaint.eight_d))]
        for name in changed:
            lines.append(f"*{self.t(f'eightd.label.{name}')}*: {self._shown(complaint.eight_d, name)}")
        return cut("\n".join(lines), 3000)

    def _shown(self, eight_d: EightD, name: str) -> str:
        """One changed value as the thread shows it."""
        if name == "team":
            return ", ".join(self.render.person(user) for user in eight_d.team) or self.t("eightd.emptied")
        if name == "contained_at":
            return self.catalog.when(eight_d.contained_at) if eight_d.contained_at else self.t("eightd.emptied")
        if name == "corrective_date":
            return self._day(eight_d.corrective_date) if eight_d.corrective_date else self.t("eightd.emptied")
        text = getattr(eight_d, name)
        return escape(cut(one_line(text), NOTE_LIMIT)) if text else self.t("eightd.emptied")

    def _day(self, value: date) -> str:
        """A date written out in the language."""
        return self.catalog.date(datetime(value.year, value.month, value.day, 12, tzinfo=self.catalog.tz))

    # The report.

    def report(
        self,
        complaint: Complaint,
        revision: int,
        now: datetime,
        company: str,
        name: Callable[[str], str],
        deadline: datetime | None,
    ) -> ReportContent:
        """What the PDF says: an interim report (D1–D3) before the root cause is known, the full 8D after."""
        t, eight_d = self.t, complaint.eight_d
        interim = eight_d.interim
        kind = "interim" if interim else "full"
        subtitle = t("eightd.pdf.subtitle", number=complaint.number, revision=revision, date=self.catalog.date(now))
        sections = [self._d1(complaint, name), self._d2(complaint, name), self._d3(complaint, name)]
        if interim:
            sections.append(Section(t("eightd.pdf.next"), (("", t("eightd.pdf.interim_note")),)))
        else:
            sections += [self._d4(complaint, name), *self._d5_to_d7(complaint, name), self._d8(complaint, name)]
        footer = t("eightd.pdf.footer", number=complaint.number, revision=revision)
        return ReportContent(
            company=company,
            title=t(f"eightd.pdf.title.{kind}"),
            subtitle=subtitle,
            facts=self._facts(complaint, name),
            dates_title=t("eightd.pdf.dates"),
            dates=self._dates(complaint, name, deadline),
            sections=tuple(sections),
            footer=(f"{company} · {footer}" if company else footer),
            language=self.catalog.language,
            author=company,
            created=now,
            keywords=("8D", f"#{complaint.number}", t("eightd.pdf.rev", revision=revision)),
        )

    def file_name(self, complaint: Complaint, revision: int) -> str:
        """`8D-12-rev2.pdf` (in the language)."""
        return self.t("eightd.pdf.filename", number=complaint.number, revision=revision)

    def _open(self, text: str, name: Callable[[str], str]) -> str:
        """A discipline's text, or that it is still open."""
        return self._paper(text, name) or self.t("eightd.pdf.open")

    def _paper(self, text: str, name: Callable[[str], str]) -> str:
        """Typed text for paper: mentions become names."""
        return _MENTION.sub(lambda m: "@" + name(m.group(1)), text).strip()

    def _facts(self, complaint: Complaint, name: Callable[[str], str]) -> tuple[tuple[str, str], ...]:
        """The header: whose complaint, which claim, who leads the 8D."""
        t, eight_d = self.t, complaint.eight_d
        pairs = [
            (t("eightd.pdf.complaint"), f"#{complaint.number}"),
            (t("card.customer"), self._paper(complaint.customer, name) or t("eightd.pdf.none")),
            (t("eightd.pdf.claim_number"), self._paper(eight_d.claim_number, name) or t("eightd.pdf.none")),
            (t("card.severity"), self.catalog.word("severity", complaint.severity)),
            (t("card.reporter"), name(complaint.reporter)),
            (t("eightd.pdf.leader"), name(complaint.owner) if complaint.owner else t("eightd.pdf.none")),
            (t("card.status"), t(f"eightd.pdf.status.{complaint.status.value}")),  # as a customer reads it
        ]
        return tuple(pairs)

    def _dates(
        self, complaint: Complaint, name: Callable[[str], str], deadline: datetime | None
    ) -> tuple[tuple[str, str], ...]:
        """Filed, claimed, contained, resolved, confirmed."""
        t, when, eight_d = self.t, self.catalog.when, complaint.eight_d
        contained = when(eight_d.contained_at) if eight_d.contained_at else t("eightd.pdf.not_yet")
        if deadline is not None:
            met = eight_d.contained_at is not None and eight_d.contained_at <= deadline
            key = "eightd.pdf.target_met" if met else "eightd.pdf.target"
            contained = t(key, value=contained, deadline=when(deadline))
        confirmed = self._confirmed_at(complaint)
        return (
            (t("eightd.pdf.filed"), when(complaint.filed_at)),
            (
                t("eightd.pdf.claimed"),
                when(complaint.first_claimed_at) if complaint.first_claimed_at else t("eightd.pdf.not_yet"),
            ),
            (t("eightd.pdf.contained"), contained),
            (
                t("eightd.pdf.resolved"),
                when(complaint.resolved_at) if complaint.resolved_at else t("eightd.pdf.not_yet"),
            ),
            (t("eightd.pdf.confirmed"), when(confirmed) if confirmed else t("eightd.pdf.not_yet")),
        )

    @staticmethod
    def _confirmed_at(complaint: Complaint) -> datetime | None:
        """When the reporter said the customer is satisfied (the latest time, if ever)."""
        if not complaint.confirmed:
            return None
        times = [entry.at for entry in complaint.timeline if entry.kind == "confirmed"]
        return times[-1] if times else None

    def _d1(self, complaint: Complaint, name: Callable[[str], str]) -> Section:
        """D1: who works on it."""
        t, team = self.t, complaint.eight_d.team
        members = ", ".join(name(user) for user in team) or t("eightd.pdf.open")
        leader = name(complaint.owner) if complaint.owner else t("eightd.pdf.none")
        facts = ((t("eightd.pdf.leader"), leader), (t("eightd.pdf.members"), members))
        return Section(t("eightd.label.team"), (), facts)

    def _d2(self, complaint: Complaint, name: Callable[[str], str]) -> Section:
        """D2: the complaint's own words and the facts the team added."""
        t, eight_d = self.t, complaint.eight_d
        entries = [(t("eightd.pdf.problem"), self._paper(complaint.summary, name))]
        if complaint.details:
            entries.append((t("card.details"), self._paper(complaint.details, name)))
        facts = [(t(f"eightd.pdf.{f}"), self._paper(getattr(eight_d, f), name)) for f in ("part_number", "batch")]
        facts.append((t("eightd.pdf.quantity"), self._paper(eight_d.quantity, name)))
        if complaint.category:
            facts.append((t("card.category"), self.catalog.word("category", complaint.category)))
        facts.append((t("eightd.pdf.attachments"), self.catalog.number(len(complaint.attachments))))
        return Section(t("eightd.pdf.d2"), tuple(entries), tuple(facts))

    def _d3(self, complaint: Complaint, name: Callable[[str], str]) -> Section:
        """D3: what keeps the customer safe until the cause is removed."""
        t, eight_d = self.t, complaint.eight_d
        since = self.catalog.when(eight_d.contained_at) if eight_d.contained_at else t("eightd.pdf.not_yet")
        return Section(
            t("eightd.label.containment"),
            (("", self._open(eight_d.containment, name)),),
            ((t("eightd.pdf.effective_since"), since),),
        )

    def _d4(self, complaint: Complaint, name: Callable[[str], str]) -> Section:
        """D4: occurrence and escape."""
        t, eight_d = self.t, complaint.eight_d
        return Section(
            t("eightd.pdf.d4"),
            (
                (t("eightd.pdf.occurrence"), self._open(eight_d.occurrence, name)),
                (t("eightd.pdf.escape"), self._open(eight_d.escape, name)),
            ),
        )

    def _d5_to_d7(self, complaint: Complaint, name: Callable[[str], str]) -> list[Section]:
        """D5 with its date, D6, D7."""
        t, eight_d = self.t, complaint.eight_d
        day = self._day(eight_d.corrective_date) if eight_d.corrective_date else t("eightd.pdf.not_yet")
        return [
            Section(
                t("eightd.label.corrective"),
                (("", self._open(eight_d.corrective, name)),),
                ((t("eightd.pdf.corrective_date"), day),),
            ),
            Section(t("eightd.label.verification"), (("", self._open(eight_d.verification, name)),)),
            Section(t("eightd.label.preventive"), (("", self._open(eight_d.preventive, name)),)),
        ]

    def _d8(self, complaint: Complaint, name: Callable[[str], str]) -> Section:
        """D8: how it was closed, by whom and when, and whether the customer is satisfied."""
        t = self.t
        if complaint.status is not Status.RESOLVED or complaint.resolved_at is None:
            return Section(t("eightd.pdf.d8"), (("", t("eightd.pdf.not_closed")),))
        closer = next((e.actor for e in reversed(complaint.timeline) if e.kind == "resolved"), complaint.owner)
        confirmed = self._confirmed_at(complaint)
        satisfied = (
            t("eightd.pdf.satisfied", person=name(complaint.reporter), when=self.catalog.when(confirmed))
            if confirmed
            else t("eightd.pdf.not_confirmed")
        )
        return Section(
            t("eightd.pdf.d8"),
            ((t("eightd.pdf.resolution"), self._paper(complaint.resolution, name)),),
            (
                (t("eightd.pdf.closed_by"), name(closer) if closer else t("eightd.pdf.none")),
                (t("eightd.pdf.closed_at"), self.catalog.when(complaint.resolved_at)),
                (t("eightd.pdf.customer_satisfied"), satisfied),
            ),
        )
