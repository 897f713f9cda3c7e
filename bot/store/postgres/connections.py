"""Connections to PostgreSQL: the pool every unit of work borrows from, and dedicated ones for the election.

A database that does not answer is StoreUnavailable to callers, after at most `wait` seconds: a request
gets its "could not be saved" answer instead of hanging.
"""

from __future__ import annotations

import logging
import time
import weakref
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import timedelta
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict
from psycopg_pool import ConnectionPool

from bot.store.contract import StoreUnavailable

log = logging.getLogger("complaints.store")

# Sessions kept open while idle; the pool opens more, up to `max_size`, when work arrives at once. Few, so
# that several replicas (or test processes) beside each other stay far below the server's max_connections.
MIN_POOLED = 2
CHECK_IDLE = 2.0  # seconds a pooled connection may rest before it is checked again on checkout


def describe(url: str) -> str:
    """Where a URL points, without user or password, for messages an operator reads."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the configured database (the URL cannot be parsed)"
    host = parts.get("host") or "localhost"
    return f"{host}:{parts.get('port') or 5432}/{parts.get('dbname') or ''}"


class Connections:
    """The pool (MIN_POOLED to `max_size` sessions) and the dedicated connections of one store."""

    def __init__(self, url: str, wait: float, takeover: timedelta, max_size: int) -> None:
        self.url = url
        self.wait = wait
        self.takeover = takeover
        self.where = describe(url)
        self._returned: weakref.WeakKeyDictionary[psycopg.Connection[Any], float] = weakref.WeakKeyDictionary()
        self._failed_at = 0.0  # when a connection last failed: those that rested since are pinged before use
        self._pool = ConnectionPool(
            url,
            min_size=MIN_POOLED,
            max_size=max_size,
            timeout=wait,
            open=False,
            name="complaint-desk",
            # a connection that stops answering fails after `wait` instead of hanging a request
            kwargs={"connect_timeout": max(1, round(wait)), "tcp_user_timeout": int(max(wait, 1.0) * 1000)},
            configure=_configure,
            check=self._check,
            reconnect_timeout=5.0,
        )

    def open(self, timeout: float) -> None:
        """Open the pool's first sessions; psycopg.OperationalError when the server does not answer."""
        self._pool.open(wait=True, timeout=timeout)

    def raw(self) -> AbstractContextManager[psycopg.Connection[Any]]:
        """A pooled connection whose errors reach the caller as psycopg raised them (for start-up)."""
        return self._pool.connection()

    def _check(self, conn: psycopg.Connection[Any]) -> None:
        """Ping a connection on checkout only when it rested a while, or rested since a connection failed.

        A ping per request is a round trip. But after the database went away, every connection resting in the
        pool is broken; each is found out by its ping (and replaced) instead of by the next person filing.
        """
        returned = self._returned.get(conn, 0.0)
        if time.monotonic() - returned > CHECK_IDLE or returned <= self._failed_at:
            ConnectionPool.check_connection(conn)

    @contextmanager
    def connection(self) -> Iterator[psycopg.Connection[Any]]:
        """A pooled connection for one unit of work; a database that does not answer is StoreUnavailable."""
        try:
            with self._pool.connection(timeout=self.wait) as conn:
                try:
                    yield conn
                finally:  # it just worked (or failed and is discarded): no ping needed on the next checkout
                    self._returned[conn] = time.monotonic()
        except psycopg.OperationalError as exc:
            self.noticed_failure()
            raise StoreUnavailable(f"PostgreSQL at {self.where} does not answer ({type(exc).__name__})") from exc

    def noticed_failure(self) -> None:
        """A connection failed: every pooled connection that rested since is pinged before its next use."""
        self._failed_at = time.monotonic()

    def dedicated(self) -> psycopg.Connection[Any]:
        """A connection of its own (not pooled), for the leader lock and LISTEN; dead peers are noticed."""
        idle = max(1, round(self.takeover.total_seconds() / 3))
        conn = psycopg.connect(
            self.url,
            autocommit=True,
            connect_timeout=max(1, round(self.wait)),
            keepalives=1,
            keepalives_idle=idle,
            keepalives_interval=1,
            keepalives_count=3,
            tcp_user_timeout=int(self.takeover.total_seconds() * 500),
        )
        try:  # the server side too: a vanished leader's session (and lock) ends within the takeover time
            conn.execute(f"SET tcp_keepalives_idle = {idle}")
            conn.execute("SET tcp_keepalives_interval = 1")
            conn.execute("SET tcp_keepalives_count = 3")
        except psycopg.Error:
            log.debug("server-side keepalives not available on this connection")
        return conn

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.close()


def _configure(conn: psycopg.Connection[Any]) -> None:
    """Each pooled session gives up on a row lock after a few seconds instead of hanging a request.

    Sessions stay in autocommit: a read is one round trip (no BEGIN/COMMIT around it), and units of work
    that need a transaction open one explicitly.
    """
    conn.autocommit = True
    conn.execute("SET lock_timeout = '5s'")
    conn.execute("SET idle_in_transaction_session_timeout = '60s'")
