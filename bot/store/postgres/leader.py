"""The election of the one replica that runs the timers and the outbox, through a PostgreSQL advisory lock."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from contextlib import suppress
from typing import Any

import psycopg
from psycopg import sql

from bot.store.contract import StoreError
from bot.store.postgres.connections import Connections
from bot.store.postgres.notify import Notifications

log = logging.getLogger("complaints.store")

LEADER_LOCK = 1_129_530_001  # first key of the session advisory lock the leader holds


class Leadership:
    """Elects the one replica that runs timers and the outbox: whoever holds a session advisory lock.

    The lock lives on a dedicated connection. When the leader process dies its connection drops and
    PostgreSQL frees the lock; a follower retrying every few seconds takes it within `storage.takeover`.
    The leader checks its connection as often; when it breaks, it stops its timers and outbox at once.
    The leader's connection also LISTENs, so effects queued by followers are delivered promptly.
    """

    def __init__(
        self,
        connections: Connections,
        lock_key: int,
        notifications: Notifications,
        on_elected: Callable[[], None],
        on_demoted: Callable[[], None],
    ) -> None:
        self.connections = connections
        self.lock_key = lock_key
        self.notifications = notifications
        self.on_elected = on_elected
        self.on_demoted = on_demoted
        self.interval = max(0.2, min(5.0, connections.takeover.total_seconds() / 3))
        self.role = "follower"
        self._conn: psycopg.Connection[Any] | None = None
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._failing = False

    def start(self) -> None:
        """Every replica starts as a follower; the first try for the lead happens before this returns."""
        self.on_demoted()
        try:
            self._round()
        except Exception as exc:  # database down or a callback failed: stay a follower and keep trying
            log.warning("leader election failed (%s); retrying every %.1fs", type(exc).__name__, self.interval)
            self._lose()
        self._thread = threading.Thread(target=self._run, name="leadership", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Give up the lead (another replica takes over at its next try) and stop trying."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=self.interval + 10)
        self._lose()

    def health_fields(self) -> dict[str, Any]:
        """This replica's role for /healthz."""
        return {"role": self.role}

    def _run(self) -> None:
        """Try for the lead, or listen and check the connection while leading, until stopped."""
        while not self._stopped.is_set():
            try:
                self._round()
                self._failing = False
            except Exception as exc:  # connection lost or a callback failed: step down, try again later
                self.connections.noticed_failure()
                if not self._failing or self.role == "leader":
                    log.warning(
                        "leader election: lost the connection or failed to take over (%r); retrying every %.1fs",
                        exc,
                        self.interval,
                    )
                self._failing = True
                self._lose()
                self._stopped.wait(self.interval)
                continue
            if self.role != "leader":
                self._stopped.wait(self.interval)

    def _round(self) -> None:
        """One step: as a follower try the lock once; as the leader listen for one interval, then check."""
        if self._conn is None or self._conn.closed:
            self._conn = self.connections.dedicated()
        if self.role == "leader":
            self._listen(self._conn)
            self._conn.execute("SELECT 1")
            return
        row = self._conn.execute("SELECT pg_try_advisory_lock(%s, %s)", (LEADER_LOCK, self.lock_key)).fetchone()
        if not (row and row[0]):
            return
        self._conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.notifications.channel)))
        self.role = "leader"
        self.notifications.leading = True
        log.info("this replica leads now: it runs the timers and delivers the outbox")
        self.on_elected()
        self.notifications.committed(None)  # whatever followers queued before is delivered now

    def _listen(self, conn: psycopg.Connection[Any]) -> None:
        """Hand notifications to the store for one interval, in short waits so stop() is quick."""
        waited = 0.0
        while waited < self.interval and not self._stopped.is_set():
            step = min(0.5, self.interval)
            for notify in conn.notifies(timeout=step):
                try:
                    self.notifications.received(notify.payload)
                except StoreError:
                    log.warning("could not read a change another replica made; the next sweep picks it up")
            waited += step

    def _lose(self) -> None:
        """Stop leading if this replica led, then close the lock's connection, which frees the lock.

        In that order, so that on a planned hand-over the next leader starts only after this one's timers
        and outbox stopped (when the connection broke, the lock is already gone and they stop at once).
        """
        if self.role == "leader":
            self.role = "follower"
            self.notifications.leading = False
            log.warning("this replica no longer leads: timers and outbox stopped")
            self.on_demoted()
        conn, self._conn = self._conn, None
        if conn is not None:
            with suppress(psycopg.Error):
                conn.close()
