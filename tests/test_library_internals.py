"""The private parts of slack_bolt, waitress and slack_sdk the bot relies on still work as it uses them.

Each check goes through adapters/library_internals.py against the installed version: after an upgrade that
renamed or changed one of them, this file fails by name.
"""

from __future__ import annotations

import logging
import threading
import urllib.request
from collections.abc import Callable

from slack_bolt import App
from slack_bolt.middleware.authorization.single_team_authorization import SingleTeamAuthorization
from slack_sdk import WebClient
from slack_sdk.web import SlackResponse
from waitress.server import BaseWSGIServer, create_server

from adapters.library_internals import prime_authorization, serve_one_turn, upload_to_url
from sandbox.fake_slack import UPLOAD, FakeSlack


def test_bolt_takes_the_auth_test_answer_the_runtime_primes_it_with() -> None:
    client = WebClient(token="xoxb-test", base_url="http://127.0.0.1:9/api/")
    app = App(client=client, signing_secret="secret", token_verification_enabled=False)
    answer = SlackResponse(
        client=client,
        http_verb="POST",
        api_url="http://127.0.0.1:9/api/auth.test",
        req_args={},
        data={"ok": True, "user_id": "UBOT", "bot_id": "BBOT", "team_id": "T1"},
        headers={},
        status_code=200,
    )
    prime_authorization(app, answer)
    primed = [m for m in app._middleware_list if isinstance(m, SingleTeamAuthorization)]
    assert len(primed) == 1 and primed[0].auth_test_result is answer


def test_turns_of_waitress_loop_serve_a_request() -> None:
    def hello(environ: dict[str, object], start_response: Callable[..., object]) -> list[bytes]:
        start_response("200 OK", [("Content-Length", "5")])
        return [b"hello"]

    server = create_server(hello, host="127.0.0.1", port=0)
    assert isinstance(server, BaseWSGIServer)
    assert server.socket is not None
    port = server.socket.getsockname()[1]
    answers: list[bytes] = []
    client = threading.Thread(target=lambda: answers.append(urllib.request.urlopen(f"http://127.0.0.1:{port}/").read()))
    client.start()
    try:
        for _ in range(200):  # accept, read, answer: a few turns of 50 ms at most each
            serve_one_turn(server, 0.05)
            if answers:
                break
    finally:
        client.join(timeout=5)
        server.close()
        server.task_dispatcher.shutdown()
    assert answers == [b"hello"]


def test_bytes_reach_the_upload_url_slack_gave() -> None:
    with FakeSlack() as fake:
        client = WebClient(token="xoxb-test", base_url=fake.url)
        answer = client.files_getUploadURLExternal(filename="chart.png", length=4)
        result = upload_to_url(client, str(answer["upload_url"]), b"\x89PNG", logging.getLogger("test"))
        assert result.status == 200
        assert [call.method for call in fake.calls_to(UPLOAD)] == [UPLOAD]
