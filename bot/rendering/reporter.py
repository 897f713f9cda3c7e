"""Block Kit for the reporter's direct messages: what happened to their complaint, and the customer question."""

from __future__ import annotations

from typing import Any

from bot.model import Complaint
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

    def resolved(self, complaint: Complaint, owner: str) -> tuple[str, list[Block]]:
        """The resolution note, ready to pass on, and the one question about the customer."""
        text = self.t(
            "reporter.resolved", owner=owner, link=self.render.ref(complaint), note=escape(complaint.resolution)
        )
        value = answer_value(complaint)
        buttons = [
            button(self.t("reporter.button.satisfied"), ACTION_SATISFIED, value, "primary"),
            button(self.t("reporter.button.not_yet"), ACTION_NOT_YET, value),
        ]
        return text, [section(text), section(self.t("reporter.question")), {"type": "actions", "elements": buttons}]

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
