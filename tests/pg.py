"""The real PostgreSQL the tests use: every test works in a schema of its own that is dropped afterwards.

The server is found through TEST_DATABASE_URL (default postgresql://postgres@127.0.0.1:5432/test). When it
cannot be reached the tests fail with a message saying so; they are never skipped.
"""

from __future__ import annotations

import os
import socket
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
import pytest

TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/test")


def admin() -> psycopg.Connection:
    """An autocommit connection for creating and dropping schemas; fails the test if there is no server."""
    try:
        return psycopg.connect(TEST_DATABASE_URL, autocommit=True, connect_timeout=5)
    except psycopg.OperationalError as exc:
        pytest.fail(
            f"PostgreSQL is not reachable at TEST_DATABASE_URL={TEST_DATABASE_URL} ({exc}). These tests need a "
            "real server: start it (e.g. pg_ctlcluster --skip-systemctl-redirect <version> main start) or point "
            "TEST_DATABASE_URL at one.",
            pytrace=False,
        )


def schema_url(schema: str, base: str = TEST_DATABASE_URL) -> str:
    """The URL with the schema as search_path, the way an operator would put it in DATABASE_URL."""
    parts = urlsplit(base)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    query.append(("options", f"-csearch_path={schema}"))
    return urlunsplit(parts._replace(query=urlencode(query)))


def via(url: str, port: int) -> str:
    """The same URL, but connecting to 127.0.0.1:`port` (a proxy in front of the server)."""
    parts = urlsplit(url)
    user = f"{parts.username}@" if parts.username else ""
    return urlunsplit(parts._replace(netloc=f"{user}127.0.0.1:{port}"))


@contextmanager
def fresh_schema() -> Iterator[str]:
    """Create an empty schema, yield a URL that uses it, and drop it with everything in it."""
    name = f"test_{uuid.uuid4().hex[:12]}"
    with admin() as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    try:
        yield schema_url(name)
    finally:
        with admin() as conn:
            conn.execute(f"DROP SCHEMA {name} CASCADE")


def server_address() -> tuple[str, int]:
    """Host and port of the test server."""
    parts = urlsplit(TEST_DATABASE_URL)
    return parts.hostname or "127.0.0.1", parts.port or 5432


class TcpProxy:
    """A TCP relay in front of PostgreSQL that a test can cut (an outage) and restore."""

    def __init__(self) -> None:
        self.target = server_address()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.up = True
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._accept, name="pg-proxy", daemon=True).start()

    def _accept(self) -> None:
        """Relay every accepted connection while up; close new ones at once while cut."""
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            if not self.up:
                client.close()
                continue
            try:
                server = socket.create_connection(self.target, timeout=5)
            except OSError:
                client.close()
                continue
            server.settimeout(None)
            with self._lock:
                self._sockets += [client, server]
            for src, dst in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(src, dst), name="pg-proxy-pump", daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        """Copy bytes one way until either side goes away."""
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        for sock in (src, dst):
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def cut(self) -> None:
        """The database is gone: every connection drops and new ones are refused."""
        self.up = False
        with self._lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            with suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()

    def restore(self) -> None:
        """The database is back."""
        self.up = True

    def close(self) -> None:
        """Stop relaying."""
        self._closed = True
        self.cut()
        self.listener.close()
