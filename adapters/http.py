"""Slack's HTTP requests on a production WSGI server (waitress): verified, parsed safely, dispatched to bolt."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import parse_qsl

from slack_bolt import App, BoltRequest
from waitress.server import create_server

from adapters.library_internals import serve_one_turn
from adapters.payloads import malformed

log = logging.getLogger("complaints.http")
Health = Callable[[], tuple[bool, dict[str, Any]]]
StartResponse = Callable[..., Any]
MAX_BODY = 1_000_000
SIGNATURE_WINDOW = 300  # seconds, as Slack documents: 299 s old passes, 301 s fails


def parse_body(raw: bytes, content_type: str) -> dict[str, Any] | None:
    """Parse a Slack request body ourselves.

    bolt's own parser takes any form body that merely contains the word "payload" for an interactivity
    payload, so `/complaint the payload was damaged` would be lost. Here only a real `payload` field is.
    """
    text = raw.decode("utf-8")
    if "application/json" in content_type:
        data = json.loads(text)
        return data if isinstance(data, dict) else None
    form = dict(parse_qsl(text, keep_blank_values=True))
    if "payload" in form:
        data = json.loads(form["payload"])
        return data if isinstance(data, dict) else None
    return form


def signed(secret: bytes, raw: bytes, headers: dict[str, str], now: float) -> bool:
    """Slack's v0 signature over the exact bytes, from at most five minutes ago (or ahead).

    Checked on the raw bytes here rather than with slack_sdk's verifier, which decodes the body first and
    raises on bytes that are not UTF-8 instead of saying no.
    """
    stamp = headers.get("x-slack-request-timestamp", "")
    signature = headers.get("x-slack-signature", "")
    if not stamp.isascii() or not stamp.isdigit() or abs(now - int(stamp)) > SIGNATURE_WINDOW:
        return False
    expected = hmac.new(secret, b"v0:" + stamp.encode() + b":" + raw, hashlib.sha256).hexdigest()
    return hmac.compare_digest(f"v0={expected}".encode(), signature.encode("utf-8", "replace"))


class SlackEndpoint:
    """The WSGI application: POST /slack/events, GET /healthz, and extra GET routes (metrics)."""

    def __init__(
        self,
        signing_secret: str | None,
        health: Health,
        routes: dict[str, Callable[[], tuple[str, str]]] | None = None,
        on_request: Callable[[str, float], None] | None = None,
    ) -> None:
        self.secret = signing_secret.encode("utf-8") if signing_secret else None
        self.health = health
        self.app: App | None = None  # set once the app is built: until then Slack's requests get 503 "starting"
        self.routes = routes or {}  # further GET pages, e.g. /metrics
        self.on_request = on_request or (lambda kind, seconds: None)  # told how long each Slack request took

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Route one request."""
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method == "GET":
            ok, body = self.health()
            return self._reply(start_response, 200 if ok else 503, json.dumps(body), "application/json")
        if method == "GET" and path in self.routes:
            content_type, page = self.routes[path]()
            return self._reply(start_response, 200, page, content_type)
        if path == "/slack/events" and method == "POST":
            return self._slack(environ, start_response)
        return self._reply(start_response, 404, '{"error":"not found"}', "application/json")

    def _slack(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        """Verify, parse, dispatch; 401 for a bad signature, 503 while starting, 400 for garbage."""
        started = time.perf_counter()
        raw = _read(environ)
        headers = _headers(environ)
        if self.secret is None or not signed(self.secret, raw, headers, time.time()):
            return self._reply(start_response, 401, '{"error":"invalid request"}', "application/json")
        try:
            body = parse_body(raw, environ.get("CONTENT_TYPE", ""))
        except (ValueError, UnicodeDecodeError):
            body = None
        if body is None:
            return self._reply(start_response, 400, '{"error":"bad request"}', "application/json")
        if body.get("ssl_check") == "1":
            return self._reply(start_response, 200, "", "text/plain")
        if body.get("type") == "url_verification":
            return self._reply(
                start_response, 200, json.dumps({"challenge": body.get("challenge")}), "application/json"
            )
        problem = malformed(body)
        if problem is not None:
            log.warning("ignored a signed request that Slack would never send: %s", problem)
            return self._reply(start_response, 400, '{"error":"bad request"}', "application/json")
        if self.app is None:
            return self._reply(start_response, 503, '{"error":"starting"}', "application/json")
        try:
            bolt_headers: dict[str, str | Sequence[str]] = dict(headers)
            response = self.app.dispatch(BoltRequest(body=body, headers=bolt_headers, mode="socket_mode"))
        except Exception:  # a bug, not the request's fault: logged once, and Slack gets a plain 500
            log.exception("could not handle a %s request", _kind(body))
            return self._reply(start_response, 500, '{"error":"internal"}', "application/json")
        self.on_request(_kind(body), time.perf_counter() - started)
        out_headers = [
            (k, v) for k, values in response.headers.items() for v in values if k.lower() != "content-length"
        ]
        payload = (response.body or "").encode("utf-8")
        start_response(
            f"{response.status} {_reason(response.status)}", [*out_headers, ("Content-Length", str(len(payload)))]
        )
        return [payload]

    @staticmethod
    def _reply(start_response: StartResponse, status: int, body: str, content_type: str) -> Iterable[bytes]:
        """A plain response."""
        payload = body.encode("utf-8")
        start_response(
            f"{status} {_reason(status)}",
            [("Content-Type", f"{content_type}; charset=utf-8"), ("Content-Length", str(len(payload)))],
        )
        return [payload]


def _read(environ: dict[str, Any]) -> bytes:
    """The raw body, exactly as signed, bounded in size."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(min(max(length, 0), MAX_BODY)) if length else b""


def _headers(environ: dict[str, Any]) -> dict[str, str]:
    """HTTP headers in the lower-case form bolt and the signature verifier expect."""
    headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
    if environ.get("CONTENT_TYPE"):
        headers["content-type"] = environ["CONTENT_TYPE"]
    return headers


def _kind(body: dict[str, Any]) -> str:
    """command / event / interactive, for metrics."""
    if "command" in body:
        return "command"
    return "event" if body.get("type") in ("event_callback", "app_rate_limited") else "interactive"


def _reason(status: int) -> str:
    """The reason phrase for a status line."""
    return {200: "OK", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found", 503: "Service Unavailable"}.get(
        status, "Status"
    )


class HttpServer:
    """waitress with a few threads, serving requests in the order they came.

    No request thread waits for Slack (the outbox posts, modals open from bolt's executor), so an ack is
    CPU work in one Python process: more threads than that work needs only made them take the interpreter
    from each other, and made the slowest acks slower (with 16 threads, the p99 ack under 20 clients
    sending back to back was twice the p50; with 8 it is about 1.5 times).
    """

    def __init__(self, endpoint: SlackEndpoint, host: str, port: int, threads: int = 8) -> None:
        self.server = create_server(
            endpoint,
            host=host,
            port=port,
            threads=threads,
            ident="complaint-desk",
            channel_timeout=30,
            clear_untrusted_proxy_headers=True,
        )
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()

    @property
    def port(self) -> int:
        """The port actually bound (useful with port 0)."""
        return int(self.server.effective_port)  # type: ignore[union-attr]

    def start(self) -> None:
        """Serve in a background thread."""
        self._thread = threading.Thread(target=self._serve, name="http", daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        """waitress's loop in short turns, so that stop() can end it without closing sockets under it."""
        server = self.server
        while not self._stopping.is_set():
            serve_one_turn(server, 0.1)
        server.close()
        server.task_dispatcher.shutdown()

    def stop(self) -> None:
        """Stop accepting, finish the loop, close the listening socket."""
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
