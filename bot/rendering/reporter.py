"""Block Kit for the reporter's direct messages: what happened to their complaint, and the customer question."""

from __future__ import annotations

from typing import Any

from bot.model import Complaint, Status
from bot.mrkdwn import escape
from bot.rendering import SUMMARY_INPUT_LIMIT, Block, Renderer, button, context, section

# Ids Slack sends back to us; the handlers bind listeners to exactly these.
ACTION_SATISFIED = "complaint_customer_satisfied"
ACTION_NOT_YET = "complaint_customer_not_yet"
VIEW_NOT_YET = "complaint_not_yet_view"


def answer_value(complaint: Complaint) -> str:
    """The buttons' value: the complaint and which resolution they ask about, so old buttons cannot answer."""
    stamp = int(complaint.resolved_at.timestamp()) if complaint.resolved_at else 0
    return f"{complaint.number}:{stamp}"


class ReporterRenderer:
    """The person facing the customer hears every turn of their complaint in plain words."""

    def __init__(self, render: Renderer) -> None:
        self.render = render
        self.t = render.t

    def claimed(self, complaint: Complaint, owner: str) -> str:
        """Someone took it on."""
        return self.t("reporter.claimed", owner=owner, link=self.render.ref(complaint))

    def handover(self, complaint: Complaint, owner: str, to: str) -> str:
        """The owner proposed someone else."""
        return self.t("reporter.handover", owner=owner, to=to, link=self.render.ref(complaint))

    def escalated(self, complaint: Complaint, reason: str, age: str) -> str:
        """Management was told."""
        key = f"reporter.escalated.{reason}"
        key = key if self.render.catalog.has(key) else "reporter.escalated.other"
        return self.t(key, link=self.render.ref(complaint), age=age)

    def report_ready(self, complaint: Complaint, kind: str, revision: int) -> str:
        """The 8D report's covering note."""
        return self.t("eightd.report.reporter", kind=kind, link=self.render.ref(complaint), revision=revision)

    def resolved(self, complaint: Complaint, owner: str) -> tuple[str, str, Block]:
        """The resolution note, ready to pass on, and the one question about the customer with its buttons."""
        text = self.t(
            "reporter.resolved", owner=owner, link=self.render.ref(complaint), note=escape(complaint.resolution)
        )
        value = answer_value(complaint)
        buttons = [
            button(self.t("reporter.button.satisfied"), ACTION_SATISFIED, value, "primary"),
            button(self.t("reporter.button.not_yet"), ACTION_NOT_YET, value),
        ]
        return text, self.t("reporter.question"), {"type": "actions", "elements": buttons}

    def root(self, complaint: Complaint, first: str) -> tuple[str, list[Block]]:
        """The start of the reporter's thread: the first news it was posted with, and where the complaint is now."""
        return first, [section(first), context(self.now(complaint))]

    def reply(
        self, complaint: Complaint, news: str, question: str = "", buttons: list[Block] | None = None
    ) -> tuple[str, list[Block]]:
        """Later news in the thread, mentioning the reporter: a reply notifies only those who follow the thread.

        Without `news` (the root was just posted with it) the reply holds the question alone.
        """
        said = news or question
        text = self.t("reporter.reply", reporter=complaint.reporter, news=said)
        blocks = [section(text)]
        if news and question:
            blocks.append(section(question))
        return text, [*blocks, *(buttons or [])]

    def now(self, complaint: Complaint) -> str:
        """One line on the complaint's current state, for the root of the reporter's thread."""
        link, owner = self.render.ref(complaint), self.render.person(complaint.owner)
        if complaint.status is Status.RESOLVED:
            key = "reporter.now.satisfied" if complaint.confirmed else "reporter.now.resolved"
            return self.t(key, link=link, owner=owner)
        if complaint.status is Status.OWNED and complaint.proposed_to:
            return self.t("reporter.now.handover", link=link, owner=owner, to=self.render.person(complaint.proposed_to))
        if complaint.status is Status.OWNED:
            return self.t("reporter.now.owned", link=link, owner=owner)
        return self.t("reporter.now.unclaimed", link=link)

    def answered(self, complaint: Complaint, owner: str, satisfied: bool, reason: str = "") -> tuple[str, list[Block]]:
        """The question's message once answered: the resolution note stays, the buttons go."""
        note = self.t(
            "reporter.resolved", owner=owner, link=self.render.ref(complaint), note=escape(complaint.resolution)
        )
        if satisfied:
            answer = self.t("reporter.answered.satisfied", number=complaint.number)
        else:
            answer = self.t("reporter.answered.not_yet", number=complaint.number, reason=escape(reason))
        return answer, [section(note), context(answer)]

    def not_yet_modal(self, complaint: Complaint, metadata: str) -> dict[str, Any]:
        """Asks what the customer still needs; it goes into the thread when the complaint reopens."""
        blocks = [
            section(self.render.ref(complaint)),
            self.render.text_input(
                "reason",
                self.t("reporter.modal.reason"),
                multiline=True,
                max_length=SUMMARY_INPUT_LIMIT,
                placeholder=self.t("reporter.modal.reason.placeholder"),
            ),
        ]
        return self.render._modal(
            VIEW_NOT_YET, self.t("reporter.modal.title"), self.t("reporter.modal.submit"), blocks, metadata
        )
