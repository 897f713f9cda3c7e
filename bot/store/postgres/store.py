"""The shared store: PostgreSQL, so several replicas of the bot can serve one workspace.

Every replica talks to the same schema. What keeps them correct is the database, not the processes:

- complaint numbers come from a counter row updated inside the filing transaction, so a number is taken
  only when the filing commits, and concurrent filings (from any replica) queue on that row: unique,
  gap-free and in the order the filings were stored;
- `tx.get` / `tx.by_card` lock the complaint row (SELECT … FOR UPDATE), so a claim, release, resolve or
  reopen from two replicas runs one after the other and the second sees what the first did;
- idempotency keys sit under a primary key, so when two replicas handle the same redelivered event, one
  waits for the other: a key inserted at once (INSERT … ON CONFLICT DO NOTHING) is then seen as taken, and
  one recorded with the commit (`once`) fails that transaction as a whole;
- only the leader (see `leader.Leadership`) runs the outbox and the timers; a commit that queued effects or
  changed complaints sends a NOTIFY (`notify`), so the leader wakes at once when a follower queued something.

The parts: `connections` (pool), `schema` (migrations), `transaction` (units of work sent as one message),
`caches` (what is remembered between reads), `notify` and `leader`.
"""

from __future__ import annotations

import hashlib
import time
import uuid
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta
from typing import Any

import psycopg
from psycopg.pq import TransactionStatus
from psycopg.types.json import Jsonb

from bot.model import Complaint, CustomerCounts, Effect, Status
from bot.store.contract import AlreadySeen, ChangeListener, CommitListener, StoreError, StoreUnavailable
from bot.store.postgres.caches import (
    MAX_COMPLAINTS_REMEMBERED,
    CardMemory,
    ComplaintMemory,
    EffectMemory,
    MetaMemory,
)
from bot.store.postgres.connections import Connections
from bot.store.postgres.leader import Leadership
from bot.store.postgres.notify import Notifications
from bot.store.postgres.schema import migrate, schema_version
from bot.store.postgres.transaction import COMPLAINT_UPSERT, PostgresTransaction, complaint_row
from bot.store.seen import SweepSchedule

PAGE = 500
_EFFECT_STATE = "id, seq, attempts, not_before, last_error"
# The first effect of each lane, one index probe per lane (a "loose index scan" over outbox_lane).
_LANE_HEADS = f"""
    WITH RECURSIVE heads (lane, seq) AS (
        (SELECT lane, seq FROM outbox ORDER BY lane, seq LIMIT 1)
        UNION ALL
        SELECT next.lane, next.seq FROM heads,
            LATERAL (SELECT lane, seq FROM outbox WHERE lane > heads.lane ORDER BY lane, seq LIMIT 1) AS next
    )
    SELECT {_EFFECT_STATE} FROM outbox WHERE seq IN (SELECT seq FROM heads) ORDER BY seq
"""


# The kept counts of a customer less its complaints numbered `before` or later (for a new card: none or a few),
# and the latest one before; each part reads index entries of that customer only.
_CUSTOMER_COUNTS = """
    SELECT coalesce(kept.total, 0) - later.n, coalesce(kept.open, 0) - later.o,
        (SELECT max(number) FROM complaints WHERE customer_key = %(key)s AND number < %(before)s)
    FROM (
        SELECT count(*) AS n, count(*) FILTER (WHERE status <> 'resolved') AS o
        FROM complaints WHERE customer_key = %(key)s AND number >= %(before)s
    ) AS later
    LEFT JOIN customer_counts AS kept ON kept.customer_key = %(key)s
"""


class PostgresStore:
    """PostgreSQL behind the store contract; several processes may use one schema at once."""

    backend = "postgresql"

    def __init__(
        self,
        url: str,
        now: Callable[[], datetime],
        takeover: timedelta = timedelta(seconds=30),
        wait: float = 2.0,
        open_wait: float = 10.0,
        max_size: int = 12,
        remember_complaints: int = MAX_COMPLAINTS_REMEMBERED,
    ) -> None:
        self._now = now
        self._connections = Connections(url, wait, takeover, max_size)
        self.where = self._connections.where
        self._sweeps = SweepSchedule()
        self._last_depth = 0
        self._cards = CardMemory()
        self._meta = MetaMemory()
        self._complaints = ComplaintMemory(remember_complaints)
        self._effects = EffectMemory()
        try:
            self._connections.open(open_wait)
            with self._connections.raw() as conn:
                self.schema = migrate(conn, self.where, now)
        except psycopg.OperationalError as exc:
            self._connections.close()
            raise StoreUnavailable(
                f"PostgreSQL at {self.where} does not answer ({exc}); "
                "check DATABASE_URL (or storage.url) and that the server runs"
            ) from exc
        except BaseException:
            self._connections.close()
            raise
        digest = hashlib.sha256(self.schema.encode()).hexdigest()
        self.lock_key = zlib.crc32(self.schema.encode()) & 0x7FFFFFFF
        self._notifications = Notifications(f"complaint_desk_{digest[:16]}", uuid.uuid4().hex, self.get)
        self._remember_open_cards()

    @property
    def channel(self) -> str:
        """The NOTIFY channel of this schema."""
        return self._notifications.channel

    @property
    def token(self) -> str:
        """This process, as its notifications name it."""
        return self._notifications.token

    def _remember_open_cards(self) -> None:
        """Know the cards of open complaints from the start: they are the ones people react to."""
        with self._connections.connection() as conn:
            rows = conn.execute(
                "SELECT channel, card_ts, number FROM complaints WHERE card_ts IS NOT NULL AND status <> 'resolved'"
            ).fetchall()
        self._cards.remember_all(rows)

    def schema_version(self) -> int:
        """The migration step the schema is at."""
        with self._connections.connection() as conn:
            return schema_version(conn)

    # Listeners and the election.

    def add_commit_listener(self, listener: CommitListener) -> None:
        """Be told after every commit that queued effects, here or (on the leader) on another replica."""
        self._notifications.add_commit_listener(listener)

    def add_change_listener(self, listener: ChangeListener) -> None:
        """Be told of complaints another replica changed (the leader's timers re-plan them)."""
        self._notifications.add_change_listener(listener)

    def leadership(self, on_elected: Callable[[], None], on_demoted: Callable[[], None]) -> Leadership:
        """The election of the one replica that runs timers and the outbox."""
        return Leadership(self._connections, self.lock_key, self._notifications, on_elected, on_demoted)

    # Units of work.

    @contextmanager
    def transaction(self) -> Iterator[PostgresTransaction]:
        """One database transaction; leaving the block without an error commits it.

        BEGIN travels with the block's first query, and the staged writes, the NOTIFY and the COMMIT go to the
        server as one message (see `PostgresTransaction.commit`): a filing costs one round trip, a claim two.
        """
        with self._connections.connection() as conn:
            tx = PostgresTransaction(conn, self._now, self._sweeps, self._notifications)
            try:
                yield tx
                tx.commit()
            except BaseException as exc:
                if conn.info.transaction_status != TransactionStatus.IDLE:
                    with suppress(psycopg.Error):
                        conn.execute("ROLLBACK")
                if isinstance(exc, psycopg.errors.UniqueViolation) and exc.diag.table_name == "seen":
                    raise AlreadySeen(str(tx.keys)) from exc  # a key staged with `once` was there: nothing stored
                raise
        tx.settle()
        self._meta.wrote(tx.meta)
        for complaint in tx.staged.values():
            if complaint.card_ts:
                self._cards.remember(complaint.channel, complaint.card_ts, complaint.number)
        if tx.finished:
            self._effects.forget(tx.finished)
        if tx.effects:
            self._notifications.committed(frozenset(effect.lane for effect in tx.effects))

    # Reads: fresh objects, but callers treat them as read-only, as with every backend.

    def get(self, number: int) -> Complaint | None:
        """One complaint as stored now."""
        with self._connections.connection() as conn:
            row = conn.execute("SELECT data FROM complaints WHERE number = %s", (number,)).fetchone()
        return None if row is None else Complaint.from_dict(row[0])

    def by_card(self, channel: str, ts: str) -> Complaint | None:
        """The complaint whose card is this message."""
        with self._connections.connection() as conn:
            row = conn.execute(
                "SELECT data FROM complaints WHERE channel = %s AND card_ts = %s", (channel, ts)
            ).fetchone()
        return None if row is None else Complaint.from_dict(row[0])

    def card_number(self, channel: str, ts: str) -> int | None:
        """Which complaint this message is the card of; cards found once are remembered (a card stays one)."""
        known = self._cards.get(channel, ts)
        if known is not None:
            return known
        with self._connections.connection() as conn:
            row = conn.execute(
                "SELECT number FROM complaints WHERE channel = %s AND card_ts = %s", (channel, ts)
            ).fetchone()
        if row is None:
            return None
        self._cards.remember(channel, ts, int(row[0]))
        return int(row[0])

    def open_complaints(self) -> list[Complaint]:
        """Every open complaint in number order."""
        with self._connections.connection() as conn:
            rows = conn.execute("SELECT data FROM complaints WHERE status <> 'resolved' ORDER BY number").fetchall()
        return [Complaint.from_dict(row[0]) for row in rows]

    def all_complaints(self) -> Iterator[Complaint]:
        """Every complaint in number order; only rows whose version changed since the last call are read again."""
        with self._connections.connection() as conn:
            versions = conn.execute("SELECT number, version FROM complaints ORDER BY number").fetchall()
        stale, found = self._complaints.split(versions)
        for start in range(0, len(stale), PAGE):
            with self._connections.connection() as conn:
                rows = conn.execute(
                    "SELECT number, version, data FROM complaints WHERE number = ANY(%s)",
                    (stale[start : start + PAGE],),
                ).fetchall()
            found.update(self._complaints.update(rows))
        return iter([found[int(n)] for n, _ in versions if int(n) in found])

    # Kept where complaints change (indexed columns), so a card and an App Home never read every complaint.

    def customer_counts(self, key: str, before: int) -> CustomerCounts:
        """A customer's complaints numbered below `before`: the customer's kept counts less those filed since."""
        if not key:
            return CustomerCounts(0, 0, None)
        with self._connections.connection() as conn:
            row = conn.execute(_CUSTOMER_COUNTS, {"key": key, "before": before}).fetchone()
        earlier, still_open, latest = row if row else (0, 0, None)
        return CustomerCounts(int(earlier), int(still_open), None if latest is None else int(latest))

    def open_owned_by(self, user: str) -> list[Complaint]:
        """The open complaints this person owns, in number order."""
        return self._complaints_where(
            "SELECT data FROM complaints WHERE owner = %s AND status <> 'resolved' ORDER BY number", (user,)
        )

    def unclaimed_complaints(self) -> list[Complaint]:
        """The complaints waiting for an owner, in number order."""
        return self._complaints_where("SELECT data FROM complaints WHERE status = 'unclaimed' ORDER BY number", ())

    def open_reported_by(self, user: str, limit: int) -> tuple[int, list[Complaint]]:
        """How many open complaints this person reported and does not own, and the `limit` oldest: only those
        are decoded."""
        return self._counted(
            "reporter = %(user)s AND status <> 'resolved' AND owner <> %(user)s", "number", {"user": user}, limit
        )

    def resolved_by(self, user: str, since: datetime, limit: int) -> tuple[int, list[Complaint]]:
        """How many complaints this person resolved at or after `since`, and the `limit` latest, newest first:
        only those are decoded."""
        where = "owner = %(user)s AND status = 'resolved' AND resolved_at >= %(since)s"
        return self._counted(where, "resolved_at DESC, number DESC", {"user": user, "since": since}, limit)

    def _counted(self, where: str, order: str, params: dict[str, Any], limit: int) -> tuple[int, list[Complaint]]:
        """How many complaints match, and the first `limit` of them, read in one statement so that the count and
        the rows come from the same moment (a heading never says 0 above a row)."""
        query = f"SELECT data, count(*) OVER () FROM complaints WHERE {where} ORDER BY {order} LIMIT %(limit)s"
        with self._connections.connection() as conn:
            rows = conn.execute(query, {**params, "limit": max(limit, 1)}).fetchall()
        return (int(rows[0][1]) if rows else 0), [Complaint.from_dict(row[0]) for row in rows[:limit]]

    def _complaints_where(self, query: str, params: tuple[Any, ...]) -> list[Complaint]:
        """The complaints one indexed query finds."""
        with self._connections.connection() as conn:
            rows = conn.execute(query, params).fetchall()
        return [Complaint.from_dict(row[0]) for row in rows]

    def memory_sizes(self) -> dict[str, int]:
        """How much the store remembers between round trips (for tests: each memory is bounded)."""
        return {"complaints": self._complaints.size()}

    def count_by_status(self) -> dict[str, int]:
        """How many complaints are in each state, for metrics; the database counts them."""
        with self._connections.connection() as conn:
            rows = conn.execute("SELECT status, count(*) FROM complaints GROUP BY status").fetchall()
        counts = {status.value: 0 for status in Status}
        counts.update({str(status): int(count) for status, count in rows})
        return counts

    def get_meta(self, key: str) -> Any:
        """Read a bookkeeping value (read-only); one read in the last few seconds is used again.

        Every change to a complaint asks who uses the App Home, which was a round trip of its own. Reads that
        decide something go through `tx.get_meta`, which reads and locks the row.
        """
        hit, value = self._meta.fresh(key)
        if hit:
            return value
        read_at = time.monotonic()
        with self._connections.connection() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = %s", (key,)).fetchone()
        value = None if row is None else row[0]
        self._meta.read(key, value, read_at)
        return value

    def next_number(self) -> int:
        """The number the next filing will get (for the migration command and reports)."""
        with self._connections.connection() as conn:
            row = conn.execute("SELECT value FROM counters WHERE name = 'complaint'").fetchone()
        return int(row[0]) if row else 1

    # Outbox.

    def pending_effects(self, limit: int = 10_000) -> list[Effect]:
        """Effects not yet delivered, in the order they were queued (read-only objects, shared between calls).

        Only effects not seen yet are read and decoded from JSON; the others just get their changing columns
        (attempts, not_before, last_error) refreshed.
        """
        with self._connections.connection() as conn:
            rows = conn.execute(f"SELECT {_EFFECT_STATE} FROM outbox ORDER BY seq LIMIT %s", (limit,)).fetchall()
            found = self._decoded(conn, rows)
        if len(rows) < limit:  # the whole outbox was read: forget what is gone
            self._effects.only(found)
        return found

    def lane_heads(self) -> list[Effect]:
        """The oldest pending effect of each lane, oldest first; the outbox asks after every delivery."""
        with self._connections.connection() as conn:
            return self._decoded(conn, conn.execute(_LANE_HEADS).fetchall())

    def _decoded(self, conn: psycopg.Connection[Any], rows: list[tuple[Any, ...]]) -> list[Effect]:
        """Effects for outbox rows, decoding only those not decoded before."""
        missing = self._effects.missing(row[0] for row in rows)
        fresh = []
        if missing:
            fresh = conn.execute("SELECT id, data FROM outbox WHERE id = ANY(%s)", (missing,)).fetchall()
        decoded = {str(key): Effect.from_dict({**data, "not_before": None}) for key, data in fresh}
        return self._effects.refreshed(decoded, rows)

    def finish_effect(self, effect_id: str) -> None:
        """Remove a delivered or abandoned effect."""
        with self._connections.connection() as conn:
            conn.execute("DELETE FROM outbox WHERE id = %s", (effect_id,))
        self._effects.forget([effect_id])

    def retry_effect(self, effect_id: str, not_before: datetime, error: str) -> None:
        """Put an effect back with a later time and the reason it failed."""
        with self._connections.connection() as conn:
            conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, not_before = %s, last_error = %s WHERE id = %s",
                (not_before, error, effect_id),
            )

    def outbox_depth(self) -> int:
        """How many effects wait; the last known count while the database does not answer (ping says so)."""
        try:
            with self._connections.connection() as conn:
                row = conn.execute("SELECT count(*) FROM outbox").fetchone()
        except StoreUnavailable:
            return self._last_depth
        self._last_depth = int(row[0]) if row else 0
        return self._last_depth

    # Copying in (the migration command).

    def copy_in(self, complaint: Complaint) -> str:
        """Store a complaint from another backend as it is: "copied", "updated" (newer there) or "unchanged"."""
        with self._connections.connection() as conn, conn.transaction():
            row = conn.execute(
                "SELECT version, filed_at, data->>'reporter' FROM complaints WHERE number = %s FOR UPDATE",
                (complaint.number,),
            ).fetchone()
            if row is not None and (row[1], row[2]) != (complaint.filed_at, complaint.reporter):
                raise StoreError(
                    f"#{complaint.number} in the database is a different complaint than #{complaint.number} in the "
                    "file; nothing was overwritten (migrate into an empty database)"
                )
            if row is not None and int(row[0]) >= complaint.version:
                return "unchanged"
            conn.execute(COMPLAINT_UPSERT, complaint_row(complaint))
            conn.execute(
                "UPDATE counters SET value = greatest(value, %s) WHERE name = 'complaint'", (complaint.number + 1,)
            )
        return "copied" if row is None else "updated"

    def raise_next_number(self, at_least: int) -> int:
        """Make sure the counter does not hand out a number already used elsewhere; returns the next number."""
        with self._connections.connection() as conn:
            row = conn.execute(
                "UPDATE counters SET value = greatest(value, %s) WHERE name = 'complaint' RETURNING value", (at_least,)
            ).fetchone()
        return int(row[0]) if row else at_least

    def set_meta_if_missing(self, key: str, value: Any) -> bool:
        """Copy a bookkeeping value unless one is already there."""
        with self._connections.connection() as conn:
            cursor = conn.execute(
                "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT DO NOTHING", (key, Jsonb(value))
            )
        self._meta.wrote([key])
        return cursor.rowcount == 1

    # Health.

    def ping(self) -> bool:
        """Whether the database answers now."""
        try:
            with self._connections.connection() as conn:
                conn.execute("SELECT 1")
        except (StoreError, psycopg.Error):
            return False
        return True

    def close(self) -> None:
        """Close every pooled connection."""
        self._connections.close()
