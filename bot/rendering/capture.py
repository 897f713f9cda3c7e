"""Block Kit for filing from a message: the note that it was filed before, and the replies about the filing."""

from __future__ import annotations

from typing import Any

from bot.model import Complaint
from bot.mrkdwn import clip, escape, one_line
from bot.rendering import Renderer, button, plain, section

# Ids Slack sends back to us; the handlers bind listeners to exactly these.
SHORTCUT_FILE = "complaint_from_message"
ACTION_FILE_ANYWAY = "complaint_file_anyway"
VIEW_FILED_BEFORE = "complaint_filed_before"
TITLE_LIMIT = 24


class CaptureRenderer:
    """Texts and views for a complaint filed from a message, in the configured language."""

    def __init__(self, render: Renderer) -> None:
        self.render = render
        self.t = render.t

    def intro(self, channel: str, ts: str, thread_ts: str, author: str) -> str:
        """The line above the prefilled form: which message it comes from, with a link to it."""
        who = self.render.person(author) if author else self.t("capture.someone")
        return self.t("capture.intro", link=self.render.message_link(channel, ts, thread_ts), author=who)

    def filed_before(self, complaint: Complaint, metadata: str) -> dict[str, Any]:
        """The message was filed already: that complaint as it stands, and a button to file a new one anyway."""
        text = self.t(
            "capture.filed_before",
            ref=self.render.ref(complaint),
            status=self.render.status(complaint),
            owner=self.render.person(complaint.owner),
        )
        file_anyway = button(self.t("capture.button.file_anyway"), ACTION_FILE_ANYWAY, str(complaint.number))
        return {
            "type": "modal",
            "callback_id": VIEW_FILED_BEFORE,
            "title": plain(self.t("capture.filed_before.title")[:TITLE_LIMIT]),
            "close": plain(self.t("modal.close")[:TITLE_LIMIT]),
            "private_metadata": metadata,
            "blocks": [section(text), {"type": "actions", "elements": [file_anyway]}],
        }

    def _numbered(self, complaint: Complaint) -> str:
        """`#12`, linked to the card once it is posted."""
        link = self.render.thread_link(complaint)
        return f"<{link}|#{complaint.number}>" if link else f"#{complaint.number}"

    def reply(self, complaint: Complaint, filer: str) -> str:
        """The reply in the message's thread: filed, by whom, and where its card is."""
        return self.t("capture.reply", ref=self._numbered(complaint), user=filer, channel=complaint.channel)

    def announcement(self, complaint: Complaint) -> str:
        """The line in the filing channel when the card went to another channel."""
        summary = escape(clip(one_line(complaint.summary), 150))
        return self.t(
            "routing.announce",
            ref=self._numbered(complaint),
            user=complaint.reporter,
            summary=summary,
            channel=complaint.channel,
        )

    def private(self, complaint: Complaint) -> str:
        """The same for the filer alone, where the bot cannot (or must not) reply under the message."""
        return self.t("capture.private", ref=self._numbered(complaint), channel=complaint.channel)
