"""Fetching the files people bring at filing and sharing them into the complaint's thread, as one message.

This is the outbox's `attach` effect, delivered after the answer to Slack. Each file is downloaded from Slack
(url_private_download, with the bot token) and handed back to Slack (files.getUploadURLExternal and its
upload URL); the new file ids are kept in the store as they come, so a retry or a restart after a failure goes
on where it stopped. files.completeUploadExternal then shares them into the card's thread; before sharing again
after a lost answer, files.info tells whether that already happened, so nothing is shared twice. Files too large
or unreadable are left out, and the person who brought them hears privately which and why; the complaint is
filed whatever happens to its files.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from bot.model import Effect, IncomingFile, to_iso
from bot.rendering import MAX_FILE_BYTES, MAX_FILES
from bot.rendering.attachments import AttachmentsRenderer
from bot.services import card, ephemeral
from bot.slack_gateway import FILE_GONE, DeliveryError
from bot.store import Store

log = logging.getLogger("complaints.attachments")

TOO_LARGE, UNREADABLE, REFUSED = "too_large", "unreadable", "refused"  # why a file was left out
FETCH_AGAIN = 3  # attempts after which files Slack keeps forgetting before they are shared count as refused
Progress = dict[str, Any]


class FileGateway(Protocol):
    """The Slack operations for passing files on (the outbox's gateway has them), raising DeliveryError."""

    def download(self, url: str, limit: int) -> bytes:
        """A file's bytes from Slack (at most `limit`; more is the error `file_too_large`)."""

    def file_info(self, file_id: str) -> dict[str, Any]:
        """files.info: the file object."""

    def upload_bytes(self, filename: str, content: bytes) -> str:
        """Hand Slack a file's bytes (not yet shared anywhere); returns the new file's id."""

    def share_files(self, files: list[tuple[str, str]], channel: str, thread_ts: str, comment: str) -> None:
        """Share uploaded files (id, title) in a thread as one message, with a comment."""


class CardThreads(Protocol):
    """Where a complaint's thread is (the outbox knows, and posts a lost card again)."""

    def card_thread(self, effect: Effect) -> tuple[str, str]:
        """The card's channel and ts; DeliveryError while the card is still queued."""


class Attachments:
    """Delivers `attach` effects."""

    def __init__(
        self,
        store: Store,
        gateway: FileGateway,
        threads: CardThreads,
        words: AttachmentsRenderer,
        now: Callable[[], datetime],
    ) -> None:
        self.store = store
        self.gateway = gateway
        self.threads = threads
        self.words = words
        self.now = now

    def deliver(self, effect: Effect) -> bool:
        """Fetch what is not fetched yet, share what is not shared yet, then record it all with the complaint."""
        complaint = self.store.get(effect.complaint or 0)
        if complaint is None:
            return False
        files = [(IncomingFile.from_dict(raw), str(raw.get("origin") or "form")) for raw in effect.data["files"]]
        key = f"attach:{effect.id}"
        progress: Progress = dict(self.store.get_meta(key) or {})
        # Only an attempt that may follow an earlier one (a retry, a restart) looks whether it shared already.
        progress["resumed"] = bool(progress or effect.attempts)
        progress.setdefault("uploaded", {})
        progress.setdefault("failed", {})
        progress.setdefault("shared", [])
        channel, thread_ts = self.threads.card_thread(effect)
        for file, _ in files:
            if file.id not in progress["uploaded"] and file.id not in progress["failed"]:
                self._fetch(file, progress)
                self._keep(key, progress)
        uploaded = [progress["uploaded"][f.id] for f, _ in files if f.id in progress["uploaded"]]
        self._share(effect, uploaded, progress, channel, thread_ts)
        self._finish(effect, files, progress, channel)
        return True

    def _fetch(self, file: IncomingFile, progress: Progress) -> None:
        """Download one file and hand it back to Slack; a file that cannot be is noted with the reason."""
        name, size, mimetype, url = file.name, file.size, file.mimetype, file.url
        try:
            if size > MAX_FILE_BYTES:
                raise DeliveryError("file_too_large", transient=False)
            if not url:  # from a message: the form kept its id and name only
                info = self.gateway.file_info(file.id)
                name, mimetype = str(info.get("name") or name), str(info.get("mimetype") or mimetype)
                size = info["size"] if isinstance(info.get("size"), int) else size
                url = str(info.get("url_private_download") or info.get("url_private") or "")
                if size > MAX_FILE_BYTES:
                    raise DeliveryError("file_too_large", transient=False)
            content = self.gateway.download(url, MAX_FILE_BYTES)
        except DeliveryError as exc:
            if exc.transient:
                raise
            reason = TOO_LARGE if exc.code == "file_too_large" else UNREADABLE
            log.info("a file for the complaint could not be fetched (%s): %s", file.id, exc.code)
            known = size if size > MAX_FILE_BYTES else 0  # Slack understated it: its size is not known
            progress["failed"][file.id] = {
                "name": name,
                "size": known if reason == TOO_LARGE else size,
                "reason": reason,
            }
            return
        try:
            new_id = self.gateway.upload_bytes(name or file.id, content)
        except DeliveryError as exc:
            if exc.transient:
                raise
            log.warning("Slack would not take file %s: %s", file.id, exc.code)
            progress["failed"][file.id] = {"name": name, "size": len(content), "reason": REFUSED}
            return
        progress["uploaded"][file.id] = {"id": new_id, "name": name, "size": len(content), "mimetype": mimetype}

    def _share(
        self, effect: Effect, uploaded: list[dict[str, Any]], progress: Progress, channel: str, thread_ts: str
    ) -> None:
        """Share the uploaded files into the card's thread, ten to a message (one message for a form's files)."""
        complaint = self.store.get(effect.complaint or 0)
        assert complaint is not None
        for start in range(0, len(uploaded), MAX_FILES):
            group = uploaded[start : start + MAX_FILES]
            first = group[0]["id"]
            if first in progress["shared"]:
                continue
            if not (progress["resumed"] and self._shared_already(first, channel)):
                comment = self.words.comment(complaint, len(uploaded)) if start == 0 else ""
                try:
                    self.gateway.share_files([(f["id"], f["name"]) for f in group], channel, thread_ts, comment)
                except DeliveryError as exc:
                    if exc.transient:
                        raise
                    self._not_shared(effect, group, progress, exc.code)
                    continue
            progress["shared"].append(first)
            self._keep(f"attach:{effect.id}", progress)

    def _shared_already(self, file_id: str, channel: str) -> bool:
        """Whether an earlier attempt shared the file in the channel although its answer was lost (files.info)."""
        try:
            info = self.gateway.file_info(file_id)
        except DeliveryError as exc:
            if exc.transient:
                raise
            return False  # an upload that was never shared is not a file anyone can see yet
        shares = info.get("shares") or {}
        shared_in = {str(c) for kind in ("public", "private") for c in (shares.get(kind) or {})}
        shared_in |= {str(c) for kind in ("channels", "groups", "ims") for c in info.get(kind) or []}
        return channel in shared_in

    def _not_shared(self, effect: Effect, group: list[dict[str, Any]], progress: Progress, code: str) -> None:
        """Slack would not share them: uploads it forgot are fetched again; anything else is told to the person."""
        again = code in FILE_GONE and effect.attempts < FETCH_AGAIN
        by_new = {entry["id"]: source for source, entry in progress["uploaded"].items()}
        for entry in group:
            source = by_new.get(entry["id"], entry["id"])
            del progress["uploaded"][source]
            if not again:
                progress["failed"][source] = {"name": entry["name"], "size": entry["size"], "reason": REFUSED}
        self._keep(f"attach:{effect.id}", progress)
        if again:
            log.info("#%s: Slack forgot the uploaded files (%s); fetching them again", effect.complaint, code)
            raise DeliveryError(code, transient=True, retry_after=0)
        log.warning("#%s: Slack would not share the files: %s", effect.complaint, code)

    def _keep(self, key: str, progress: Progress) -> None:
        """Store how far the files got, so a retry or a restart goes on from there."""
        with self.store.transaction() as tx:
            tx.set_meta(key, progress)

    def _finish(
        self,
        effect: Effect,
        files: list[tuple[IncomingFile, str]],
        progress: Progress,
        channel: str,
    ) -> None:
        """Record the shared files with the complaint (the card counts them) and tell the person what is missing."""
        number = effect.complaint or 0
        failed = [(str(f["name"]), int(f["size"]), str(f["reason"])) for f in progress["failed"].values()]
        with self.store.transaction() as tx:
            complaint = tx.get(number)
            if complaint is not None:
                known = {str(item.get("source") or item.get("id")) for item in complaint.attachments}
                added = [
                    self._record(file, origin, progress["uploaded"][file.id], effect)
                    for file, origin in files
                    if file.id in progress["uploaded"] and file.id not in known
                ]
                if added:
                    complaint.attachments.extend(added)
                    tx.save(complaint)
                    tx.enqueue(card(complaint))
                if failed and effect.user:
                    text = self.words.problems(complaint, failed)
                    tx.enqueue(ephemeral(effect.channel or channel, effect.user, text, number))
            tx.set_meta(f"attach:{effect.id}", None)
            tx.finish_effect(effect.id)
        log.info("#%s: %s files shared in its thread, %s left out", number, len(progress["uploaded"]), len(failed))

    def _record(self, file: IncomingFile, origin: str, uploaded: dict[str, Any], effect: Effect) -> dict[str, Any]:
        """What the complaint keeps of a file in its thread."""
        return {
            "id": uploaded["id"],
            "source": file.id,
            "name": uploaded["name"],
            "size": uploaded["size"],
            "mimetype": uploaded["mimetype"] or file.mimetype,
            "by": effect.user or "",
            "origin": origin,
            "at": to_iso(self.now()),
        }
