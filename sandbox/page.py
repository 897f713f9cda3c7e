"""The sandbox's web page: static files, each person's view as JSON, live updates as server-sent events, and
the endpoints the page's clicks go to. Plain HTML, CSS and JavaScript from sandbox/static: no build step."""

from __future__ import annotations

import base64
import binascii
import json
import mimetypes
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs, unquote, urlsplit

from sandbox.client import ActionRefused, SandboxClient

STATIC = Path(__file__).parent / "static"
HEARTBEAT = 15.0  # seconds between keep-alive comments on the event stream
Json = dict[str, Any]


class _Server(ThreadingHTTPServer):
    """A threading server that knows the sandbox client and when it is stopping."""

    daemon_threads = True
    client: SandboxClient
    stopping: threading.Event


class _Handler(BaseHTTPRequestHandler):
    """Routes the page's requests."""

    server: _Server

    def do_GET(self) -> None:
        """Page, static files, state, event stream, uploaded files."""
        parts = urlsplit(self.path)
        path, query = parts.path, parse_qs(parts.query)
        if path == "/":
            self._file(STATIC / "index.html")
        elif path.startswith("/static/"):
            self._static(path.removeprefix("/static/"))
        elif path == "/api/state":
            one = {key: values[0] for key, values in query.items()}
            state = self.server.client.state(one.get("user", ""), one.get("conversation"), one.get("thread"))
            self._json(200, state)
        elif path == "/api/events":
            self._events()
        elif path.startswith("/files/"):
            self._uploaded(path.removeprefix("/files/").split("/", 1)[0])
        else:
            self._send(404, b"not found", "text/plain")

    def do_POST(self) -> None:
        """One of the page's actions, as JSON."""
        length = int(self.headers.get("Content-Length") or 0)
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
            result = _ACTIONS[urlsplit(self.path).path.removeprefix("/api/")](self.server.client, body)
        except KeyError as error:
            self._json(400, {"ok": False, "error": f"missing {error}"})
            return
        except (ValueError, ActionRefused) as error:
            self._json(400, {"ok": False, "error": str(error)})
            return
        self._json(200, result or {"ok": True})

    def _static(self, name: str) -> None:
        """A file from sandbox/static, never outside it."""
        target = (STATIC / unquote(name)).resolve()
        if STATIC.resolve() not in target.parents or not target.is_file():
            self._send(404, b"not found", "text/plain")
            return
        self._file(target)

    def _file(self, path: Path) -> None:
        """Sends one static file with its type."""
        kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        self._send(200, path.read_bytes(), f"{kind}; charset=utf-8" if kind.startswith("text/") else kind)

    def _uploaded(self, file_id: str) -> None:
        """A file the app uploaded: images inline, anything else as a download."""
        uploaded = self.server.client.fake.files.get(file_id)
        if uploaded is None:
            self._send(404, b"not found", "text/plain")
            return
        kind = mimetypes.guess_type(uploaded.filename)[0] or "application/octet-stream"
        disposition = "inline" if kind.startswith("image/") else "attachment"
        headers = {"Content-Disposition": f'{disposition}; filename="{uploaded.filename}"'}
        self._send(200, uploaded.content, kind, headers)

    def _events(self) -> None:
        """Server-sent events: the state's version whenever it changes, so every page fetches what is new."""
        client, stopping = self.server.client, self.server.stopping
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        seen = -1
        try:
            while not stopping.is_set():
                version = client.wait_change(seen, HEARTBEAT)
                line = f"data: {version}\n\n" if version != seen else ": still here\n\n"
                self.wfile.write(line.encode())
                self.wfile.flush()
                seen = version
        except (BrokenPipeError, ConnectionResetError):
            return

    def _json(self, status: int, body: Json) -> None:
        """Sends JSON."""
        self._send(status, json.dumps(body).encode(), "application/json")

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        """Writes one whole answer; a page that went away meanwhile is no error."""
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, format: str, *args: Any) -> None:
        """No access log: the terminal shows the bot's own lines."""


def _send(client: SandboxClient, body: Json) -> Json | None:
    files = [(str(item["name"]), _decoded(item["content"])) for item in body.get("files") or []]
    client.send(body["user"], body["channel"], body["text"], body.get("thread_ts"), files=files)
    return None


def _decoded(content: str) -> bytes:
    """A file's bytes as the page sends them, base64."""
    try:
        return base64.b64decode(content, validate=True)
    except binascii.Error as error:
        raise ValueError("content is not base64") from error


def _react(client: SandboxClient, body: Json) -> Json | None:
    client.react(body["user"], body["channel"], body["ts"], body["name"])
    return None


def _act(client: SandboxClient, body: Json) -> Json | None:
    answer = client.act(body["user"], body["action"], body["where"])
    return {"ok": answer.status == 200}


def _shortcut(client: SandboxClient, body: Json) -> Json | None:
    client.shortcut(body["user"], body["channel"], body["ts"], body["callback_id"])
    return None


def _submit(client: SandboxClient, body: Json) -> Json | None:
    return client.submit(body["user"], body["view_id"], body.get("values") or {})


def _close(client: SandboxClient, body: Json) -> Json | None:
    client.close(body["user"], body["view_id"])
    return None


def _upload(client: SandboxClient, body: Json) -> Json | None:
    return {"ok": True, "file": client.upload(body["user"], str(body["name"]), _decoded(body["content"]))}


def _home(client: SandboxClient, body: Json) -> Json | None:
    client.open_home(body["user"])
    return None


_ACTIONS = {
    "send": _send,
    "react": _react,
    "act": _act,
    "shortcut": _shortcut,
    "submit": _submit,
    "close": _close,
    "home": _home,
    "upload": _upload,
}


class PageServer:
    """Serves the page on 127.0.0.1 in a daemon thread."""

    def __init__(self, client: SandboxClient, port: int = 0, host: str = "127.0.0.1") -> None:
        self.client = client
        self._server = _Server((host, port), _Handler)
        self._server.client = client
        self._server.stopping = threading.Event()
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The page's address."""
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> Self:
        """Starts serving."""
        self._thread = threading.Thread(target=self._server.serve_forever, name="sandbox-page", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Ends the event streams and stops serving."""
        self._server.stopping.set()
        self.client.touch()  # wakes the event streams so they see the stop
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()
