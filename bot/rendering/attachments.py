"""Words about the files people bring to a complaint: the comment on those shared, and what went wrong."""

from __future__ import annotations

from bot.model import Complaint
from bot.mrkdwn import escape, one_line
from bot.rendering import Renderer


class AttachmentsRenderer:
    """The comment on the files shared into the thread, and the private note about those that could not be."""

    def __init__(self, render: Renderer) -> None:
        self.render = render
        self.t = render.t

    def files(self, count: int) -> str:
        """'1 file' / '3 files'."""
        if count == 1:
            return self.t("attach.files.one")
        return self.t("attach.files", count=self.render.catalog.number(count))

    def comment(self, complaint: Complaint, count: int) -> str:
        """The line above the files shared into the card's thread."""
        return self.t("attach.comment", files=self.files(count), number=complaint.number)

    def megabytes(self, size: int) -> str:
        """A file's size as people read it: '14.2 MB' / '14,2 MB'."""
        return self.t("attach.megabytes", count=self.render.catalog.number(round(size / (1024 * 1024), 1)))

    def problems(self, complaint: Complaint, failed: list[tuple[str, int, str]]) -> str:
        """Which files could not be attached and why, for the person who brought them; the complaint is filed."""
        lines = []
        for name, size, reason in failed:
            shown = escape(one_line(name)) or self.t("attach.unnamed")
            if reason == "too_large" and size:
                lines.append(self.t("attach.problem.too_large", name=shown, size=self.megabytes(size)))
            elif reason == "too_large":
                lines.append(self.t("attach.problem.too_large_unsized", name=shown))
            elif reason == "refused":
                lines.append(self.t("attach.problem.refused", name=shown))
            else:
                lines.append(self.t("attach.problem.unreadable", name=shown))
        return self.t("attach.problems", link=self.render.ref(complaint), lines="\n".join(lines))
