"""The outbox's Slack gateway on slack_sdk's WebClient, turning Slack's errors into retry decisions."""

from __future__ import annotations

import logging
import urllib.error
import urllib.request
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError, SlackRequestError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler
from slack_sdk.webhook import WebhookClient

from adapters.library_internals import upload_to_url
from bot.slack_gateway import DeliveryError, SlackStatus

log = logging.getLogger("complaints.slack")
T = TypeVar("T")

# ok:false answers that mean Slack itself is in trouble, not the request: the outbox waits for it as a whole.
OUTAGE_CODES = {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}
# ok:false answers that can succeed later; every other error code is final for that request.
TRANSIENT_CODES = {
    "ratelimited",
    "rate_limited",
    "internal_error",
    "fatal_error",
    "service_unavailable",
    "request_timeout",
    "team_added_to_org",
}
# Hosts the bot sends its token to when it downloads a file: Slack's own (and the Web API's, e.g. a test's).
FILE_HOSTS = (".slack.com", ".slack-gov.com")
DOWNLOAD_CHUNK = 64 * 1024
MARKER_EVENT = "complaint_desk_effect"
# How far back a retry looks for its own earlier post: 5 pages of 200 messages (a busy channel after an outage).
MARKER_PAGES = 5


def make_client(token: str, base_url: str, timeout: float = 10, *, retries: bool = True) -> WebClient:
    """A WebClient aimed at SLACK_API_URL.

    With `retries` it itself retries brief outages and honours Retry-After once: right for calls that are safe
    to repeat (auth.test, views.open, lookups). The outbox's client has none: a post that timed out or got a
    5xx may have been applied, and only the outbox knows how to look for it before posting again.
    """
    handlers: list[RetryHandler] = []
    if retries:
        handlers = [
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=1),
            ServerErrorRetryHandler(max_retry_count=1),
        ]
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=timeout,  # type: ignore[arg-type]
        retry_handlers=handlers,
    )


def classify(exc: Exception) -> DeliveryError:
    """What an exception from slack_sdk means for the outbox."""
    if isinstance(exc, SlackApiError):
        status = exc.response.status_code
        code = str(exc.response.get("error") or f"http_{status}")
        retry_after = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after")
        if status == 429:
            return DeliveryError("ratelimited", transient=True, retry_after=float(retry_after or 1))
        if status >= 500:
            return DeliveryError(code, transient=True, maybe_done=True, outage=True)
        return DeliveryError(code, transient=code in TRANSIENT_CODES, outage=code in OUTAGE_CODES)
    if isinstance(exc, (SlackRequestError, SlackClientError, OSError, TimeoutError)):
        return DeliveryError(type(exc).__name__, transient=True, maybe_done=True, outage=True)
    raise exc


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Slack answers a download it does not accept with a redirect to its sign-in page; the token never follows."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


class WebGateway:
    """Slack's Web API as the outbox sees it."""

    def __init__(
        self,
        client: WebClient,
        on_call: Callable[[str, bool], None] | None = None,
        slack: SlackStatus | None = None,
    ) -> None:
        self.client = client
        self.on_call = on_call or (lambda method, ok: None)
        self.slack = slack

    def _call(self, method: str, fn: Callable[[], T]) -> T:
        """Run one Web API call, counting it, translating its failure and noting whether Slack answered."""
        try:
            result = fn()
        except Exception as exc:
            self.on_call(method, False)
            error = classify(exc)
            if self.slack is not None and not error.outage:
                self.slack.answered()
            raise error from exc
        self.on_call(method, True)
        if self.slack is not None:
            self.slack.answered()
        return result

    def post(
        self,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]] | None,
        thread_ts: str | None,
        marker: str,
        *,
        broadcast: bool = False,
    ) -> tuple[str, str]:
        """chat.postMessage with our marker in the metadata; never unfurls, never expands names."""
        metadata = {"event_type": MARKER_EVENT, "event_payload": {"effect": marker}}
        response = self._call(
            "chat.postMessage",
            lambda: self.client.chat_postMessage(
                channel=channel,
                text=text,
                blocks=blocks,
                thread_ts=thread_ts,
                reply_broadcast=True if broadcast and thread_ts else None,
                metadata=metadata,
                unfurl_links=False,
                unfurl_media=False,
                link_names=False,
            ),
        )
        return str(response["channel"]), str(response["ts"])

    def find_marker(self, channel: str, thread_ts: str | None, marker: str) -> str | None:
        """Look at the latest messages for one we posted with this marker (in a DM too: scope im:history)."""
        if channel.startswith(("U", "W")):
            try:
                opened = self._call("conversations.open", lambda: self.client.conversations_open(users=channel))
            except DeliveryError as exc:
                if exc.transient:
                    raise
                return None
            channel = str((opened.get("channel") or {}).get("id") or "")
            if not channel:
                return None
        cursor = ""
        for _ in range(MARKER_PAGES):
            try:
                response = self._page(channel, thread_ts, cursor)
            except DeliveryError as exc:
                if exc.transient:
                    raise
                return None
            for message in response.get("messages") or []:
                payload = (message.get("metadata") or {}).get("event_payload") or {}
                if payload.get("effect") == marker:
                    return str(message["ts"])
            cursor = str((response.get("response_metadata") or {}).get("next_cursor") or "")
            if not cursor:
                return None
        return None

    def _page(self, channel: str, thread_ts: str | None, cursor: str) -> Any:
        """One page of a thread's replies or of a channel's latest messages, with their metadata."""
        after = cursor or None
        if thread_ts:
            return self._call(
                "conversations.replies",
                lambda: self.client.conversations_replies(
                    channel=channel, ts=thread_ts, limit=200, include_all_metadata=True, cursor=after
                ),
            )
        return self._call(
            "conversations.history",
            lambda: self.client.conversations_history(
                channel=channel, limit=200, include_all_metadata=True, cursor=after
            ),
        )

    def update(self, channel: str, ts: str, text: str, blocks: list[dict[str, Any]] | None) -> None:
        """chat.update."""
        self._call("chat.update", lambda: self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks))

    def ephemeral(self, channel: str, user: str, text: str) -> None:
        """chat.postEphemeral; to a DM target it becomes a direct message instead."""
        if channel.startswith("D"):
            self._call("chat.postMessage", lambda: self.client.chat_postMessage(channel=user, text=text))
            return
        self._call("chat.postEphemeral", lambda: self.client.chat_postEphemeral(channel=channel, user=user, text=text))

    def permalink(self, channel: str, ts: str) -> str:
        """chat.getPermalink: the link Slack itself gives for a message (a reply's names its thread)."""
        response = self._call(
            "chat.getPermalink", lambda: self.client.chat_getPermalink(channel=channel, message_ts=ts)
        )
        return str(response.get("permalink") or "")

    def respond(self, url: str, text: str) -> None:
        """A private answer through an interaction's response_url (valid for 30 minutes, five times)."""
        if not url:
            raise DeliveryError("no_response_url", transient=False)
        hook = WebhookClient(url, timeout=self.client.timeout)
        answer = self._call("response_url", lambda: hook.send(text=text, response_type="ephemeral"))
        if answer.status_code == 429 or answer.status_code >= 500:
            raise DeliveryError(f"http_{answer.status_code}", transient=True)
        if answer.status_code != 200:  # expired or used up: no use trying again
            raise DeliveryError(answer.body or f"http_{answer.status_code}", transient=False)

    def publish_home(self, user: str, view: dict[str, Any]) -> None:
        """views.publish."""
        self._call("views.publish", lambda: self.client.views_publish(user_id=user, view=view))

    def open_conversation(self, users: list[str]) -> str:
        """conversations.open: Slack gives the same DM or group DM back for the same people."""
        response = self._call("conversations.open", lambda: self.client.conversations_open(users=",".join(users)))
        channel = str((response.get("channel") or {}).get("id") or "")
        if not channel:
            raise DeliveryError("channel_not_found", transient=False)
        return channel

    def add_reaction(self, channel: str, ts: str, name: str) -> None:
        """reactions.add; an emoji that is already there is fine."""
        try:
            self._call("reactions.add", lambda: self.client.reactions_add(channel=channel, timestamp=ts, name=name))
        except DeliveryError as exc:
            if exc.code != "already_reacted":
                raise

    def upload_bytes(self, filename: str, content: bytes) -> str:
        """Steps one and two of files_upload_v2: get an upload URL, send the bytes there; returns the file id."""
        answer = self._call(
            "files.getUploadURLExternal",
            lambda: self.client.files_getUploadURLExternal(filename=filename, length=len(content)),
        )
        file_id, url = str(answer.get("file_id") or ""), str(answer.get("upload_url") or "")
        result = self._call("upload", lambda: upload_to_url(self.client, url, content, log))
        if result.status != 200:
            raise DeliveryError(f"upload_http_{result.status}", transient=True)
        return file_id

    def share_files(self, files: list[tuple[str, str]], channel: str, thread_ts: str, comment: str) -> None:
        """files.completeUploadExternal for several uploaded files: one message in the thread, with a comment."""
        self._call(
            "files.completeUploadExternal",
            lambda: self.client.files_completeUploadExternal(
                files=[{"id": file_id, "title": title} for file_id, title in files],
                channel_id=channel,
                thread_ts=thread_ts,
                initial_comment=comment or None,
            ),
        )

    def file_info(self, file_id: str) -> dict[str, Any]:
        """files.info (scope files:read): the file object."""
        answer = self._call("files.info", lambda: self.client.files_info(file=file_id))
        found = answer.get("file")
        return found if isinstance(found, dict) else {}

    def download(self, url: str, limit: int) -> bytes:
        """GET a file's url_private_download with the bot token (scope files:read); at most `limit` bytes.

        The token goes only to Slack's hosts. Slack answers a request it does not accept with a redirect to its
        sign-in page (or the page itself); that, a 404 and a 403 mean the file cannot be read, which no retry
        changes. A 5xx, a 429 or no answer in time are tried again later.
        """
        if not self._slack_host(url):
            raise DeliveryError("file_unreadable", transient=False)
        request = urllib.request.Request(url, headers={"Authorization": f"Bearer {self.client.token}"})
        opener = urllib.request.build_opener(_NoRedirect, urllib.request.HTTPSHandler(context=self.client.ssl))
        try:
            with opener.open(request, timeout=self.client.timeout) as answer:
                if "text/html" in str(answer.headers.get("Content-Type") or ""):
                    raise DeliveryError("file_unreadable", transient=False)
                content = self._read(answer, limit)
        except urllib.error.HTTPError as exc:
            self.on_call("download", False)
            raise self._download_error(exc) from exc
        except (urllib.error.URLError, OSError) as exc:
            self.on_call("download", False)
            raise DeliveryError(type(exc).__name__, transient=True) from exc
        self.on_call("download", True)
        return content

    def _slack_host(self, url: str) -> bool:
        """Whether a URL points at Slack (the token must never go anywhere else)."""
        parts, api = urlsplit(url), urlsplit(self.client.base_url)
        host = (parts.hostname or "").lower()
        if parts.scheme == api.scheme and parts.netloc == api.netloc:
            return True
        return parts.scheme == "https" and (host.endswith(FILE_HOSTS) or host in ("slack.com", "slack-gov.com"))

    @staticmethod
    def _read(answer: Any, limit: int) -> bytes:
        """The body, stopping as soon as it is larger than `limit`."""
        chunks: list[bytes] = []
        size = 0
        while chunk := answer.read(DOWNLOAD_CHUNK):
            size += len(chunk)
            if size > limit:
                raise DeliveryError("file_too_large", transient=False)
            chunks.append(chunk)
        return b"".join(chunks)

    @staticmethod
    def _download_error(exc: urllib.error.HTTPError) -> DeliveryError:
        """What a download's HTTP status means."""
        status = exc.code
        if status == 429:
            return DeliveryError("ratelimited", transient=True, retry_after=float(exc.headers.get("Retry-After") or 1))
        if status >= 500:
            return DeliveryError(f"download_http_{status}", transient=True)
        if status in (404, 410):
            return DeliveryError("file_not_found", transient=False)
        if status in (401, 403):
            return DeliveryError("file_forbidden", transient=False)
        return DeliveryError("file_unreadable", transient=False)  # a redirect to sign in, or anything else

    def share_file(self, file_id: str, title: str, channel: str, comment: str, thread_ts: str | None = None) -> None:
        """Step three of files_upload_v2: files.completeUploadExternal shares the file in the channel or thread."""
        self._call(
            "files.completeUploadExternal",
            lambda: self.client.files_completeUploadExternal(
                files=[{"id": file_id, "title": title}],
                channel_id=channel,
                initial_comment=comment or None,
                thread_ts=thread_ts,
            ),
        )

    def file_shared(self, channel: str, file_id: str, thread_ts: str | None = None) -> bool | None:
        """Whether the channel's (or thread's) latest messages show the file; None for DMs, which cannot be read."""
        if channel.startswith(("U", "W", "D")):
            return None
        try:
            response = self._page(channel, thread_ts, "")
        except DeliveryError as exc:
            if exc.transient:
                raise
            return None
        for message in response.get("messages") or []:
            if any(f.get("id") == file_id for f in message.get("files") or []):
                return True
        return False
