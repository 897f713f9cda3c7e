"""The few places the bot reaches into a library's private parts, in one module, each saying why.

No public API does these jobs. tests/test_library_internals.py checks each against the installed
versions, so a library upgrade that changes one fails there, by name, rather than in a request.
"""

from __future__ import annotations

import logging

from slack_bolt import App
from slack_bolt.middleware.authorization.single_team_authorization import SingleTeamAuthorization
from slack_sdk import WebClient
from slack_sdk.web import SlackResponse
from slack_sdk.web.file_upload_v2_result import FileUploadV2Result
from waitress.server import BaseWSGIServer, MultiSocketServer


def prime_authorization(app: App, auth_test: SlackResponse | None) -> None:
    """Hand bolt's single-team authorization the auth.test answer the runtime already has (from Slack now, or
    as stored at an earlier start).

    Otherwise bolt asks Slack again on the first request it sees, and while Slack is down it would answer
    that request (a `/complaint` that needs no Slack at all) with "this app is no longer installed". bolt
    offers no public way in: the middleware sits in `App._middleware_list`.
    """
    for middleware in app._middleware_list:
        if isinstance(middleware, SingleTeamAuthorization) and middleware.auth_test_result is None:
            middleware.auth_test_result = auth_test


def serve_one_turn(server: BaseWSGIServer | MultiSocketServer, timeout: float) -> None:
    """One turn of waitress's loop over its own sockets (its private `_map`), so a stop is never waited for.

    waitress's public `run()` loops until the sockets are closed under it; poll() costs less per turn than
    select() and has no limit of 1,024 file descriptors.
    """
    socket_map = server._map  # type: ignore[union-attr]  # not in waitress's type stubs: it is private
    server.asyncore.loop(timeout=timeout, map=socket_map, use_poll=True, count=1)


def upload_to_url(client: WebClient, url: str, data: bytes, logger: logging.Logger) -> FileUploadV2Result:
    """Send bytes to the URL files.getUploadURLExternal gave, as files_upload_v2 does in between its steps.

    The outbox runs the three steps of files_upload_v2 one by one, so that a retry repeats only the step
    that failed; slack_sdk exposes the middle one only as `WebClient._upload_file`.
    """
    return client._upload_file(
        url=url, data=data, logger=logger, timeout=client.timeout, proxy=client.proxy, ssl=client.ssl
    )
