"""Block Kit for talking a complaint through: the nudge in a long thread, the group intro, the outcome."""

from __future__ import annotations

from typing import Any

from bot.model import Complaint
from bot.mrkdwn import escape, one_line
from bot.rendering import (
    ACTION_OPEN_THREAD,
    SUMMARY_INPUT_LIMIT,
    Block,
    Renderer,
    button,
    context,
    link_button,
    section,
)

# Ids Slack sends back to us; the handlers bind listeners to exactly these.
ACTION_TALK = "complaint_talk"
ACTION_TALK_MEETING = "complaint_talk_meeting"
ACTION_TALKED = "complaint_talked"
VIEW_TALKED = "complaint_talked_view"


class TalkRenderer:
    """Turns the talk steps into messages and the outcome form, in the configured language."""

    def __init__(self, render: Renderer) -> None:
        self.render = render
        self.t = render.t

    def _meeting(self) -> list[dict[str, Any]]:
        """The configured meeting link as a button, when there is one."""
        url = self.render.config.talk_meeting_url
        return [link_button(self.t("talk.button.meeting"), url, ACTION_TALK_MEETING)] if url else []

    def _people(self, members: list[str]) -> str:
        """`<@A>, <@B> and <@C>` in the language's own way of listing."""
        names = [self.render.person(m) for m in members]
        if len(names) < 2:
            return "".join(names)
        return self.t("talk.list", head=", ".join(names[:-1]), last=names[-1])

    def nudge(self, complaint: Complaint) -> tuple[str, list[Block]]:
        """The friendly suggestion in a long thread to talk it through, with the Let's talk button."""
        number = self.render.catalog.number
        text = self.t("talk.nudge", replies=number(complaint.replies), people=number(len(complaint.repliers)))
        buttons = [button(self.t("talk.button.start"), ACTION_TALK, str(complaint.number), "primary"), *self._meeting()]
        return text, [section(text), {"type": "actions", "elements": buttons}]

    def intro(self, complaint: Complaint, starter: str, members: list[str]) -> tuple[str, list[Block]]:
        """What the group conversation opens with: which complaint, where its thread is, and to start a huddle."""
        summary = escape(one_line(complaint.summary))
        text = self.t("talk.intro", starter=starter, number=complaint.number, summary=summary)
        blocks: list[Block] = [section(text)]
        if complaint.customer:
            blocks.append(context(self.t("talk.intro.customer", customer=escape(one_line(complaint.customer)))))
        blocks.append(section(self.t("talk.intro.huddle", people=self._people(members))))
        elements: list[dict[str, Any]] = []
        link = self.render.thread_link(complaint)
        if link:
            elements.append(link_button(self.t("button.open_thread"), link, ACTION_OPEN_THREAD))
        elements += [*self._meeting(), button(self.t("talk.button.talked"), ACTION_TALKED, str(complaint.number))]
        blocks.append({"type": "actions", "elements": elements})
        return text, blocks

    def started(self, complaint: Complaint, starter: str, members: list[str]) -> tuple[str, list[Block]]:
        """The thread's record that a talk began, with the button to note how it went."""
        others = [m for m in members if m != starter]
        text = self.t("talk.started", starter=starter, people=self._people(others))
        done = button(self.t("talk.button.talked"), ACTION_TALKED, str(complaint.number))
        return text, [section(text), {"type": "actions", "elements": [done]}]

    def talked(self, user: str, outcome: str) -> str:
        """The outcome in the thread."""
        return self.t("talk.talked", user=user, outcome=escape(outcome))

    def talked_modal(self, complaint: Complaint) -> dict[str, Any]:
        """Asks for the talk's outcome in one line."""
        blocks = [
            section(self.render.ref(complaint)),
            self.render.text_input(
                "outcome",
                self.t("talk.modal.outcome"),
                max_length=SUMMARY_INPUT_LIMIT,
                placeholder=self.t("talk.modal.outcome.placeholder"),
            ),
        ]
        return self.render._modal(
            VIEW_TALKED, self.t("talk.modal.title"), self.t("talk.modal.submit"), blocks, str(complaint.number)
        )
