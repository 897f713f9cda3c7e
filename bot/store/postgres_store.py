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
- only the leader (see `Leadership`) runs the outbox and the timers; a commit that queued effects or changed
  complaints sends a NOTIFY, so the leader wakes at once when a follower queued something.

The schema is created at start and versioned: `schema_version` records the migration steps applied, and a
later release adds steps to `MIGRATIONS` that run once, in order, without touching existing data.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
import time
import uuid
import weakref
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg import ClientCursor, sql
from psycopg.conninfo import conninfo_to_dict
from psycopg.pq import TransactionStatus
from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from bot.model import Complaint, Effect, Status
from bot.store import WAITING_COUNTED, AlreadySeen, CommitListener, StoreError, StoreUnavailable

log = logging.getLogger("complaints.store")

SEEN_KEEP = timedelta(days=2)
SEEN_SWEEP_EVERY = 500
LEADER_LOCK = 1_129_530_001  # first key of the session advisory lock the leader holds
MIGRATION_LOCK = 1_129_530_002  # first key of the transaction lock that serialises schema migrations
PAGE = 500
MAX_NOTIFIED = 500  # complaint numbers named in one NOTIFY (its payload must stay under 8,000 bytes)
MAX_CARDS_REMEMBERED = 100_000
MAX_LANES_NOTIFIED = 100  # lanes named in one; more, and the leader looks at every lane
META_FRESH = 2.0  # seconds a bookkeeping value read outside a transaction is used again without asking
CHECK_IDLE = 2.0  # seconds a pooled connection may rest before it is checked again on checkout

# Ordered, append-only: a release that changes the schema adds a step; steps already applied never change.
MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (
        1,
        "complaints, counters, outbox, idempotency keys, bookkeeping",
        (
            """CREATE TABLE complaints (
                number integer PRIMARY KEY,
                status text NOT NULL,
                channel text NOT NULL,
                card_ts text,
                version integer NOT NULL,
                filed_at timestamptz NOT NULL,
                resolved_at timestamptz,
                data jsonb NOT NULL
            )""",
            "CREATE INDEX complaints_card ON complaints (channel, card_ts) WHERE card_ts IS NOT NULL",
            "CREATE INDEX complaints_open ON complaints (number) WHERE status <> 'resolved'",
            "CREATE TABLE counters (name text PRIMARY KEY, value bigint NOT NULL)",
            "INSERT INTO counters (name, value) VALUES ('complaint', 1)",
            """CREATE TABLE outbox (
                id text PRIMARY KEY,
                seq bigserial NOT NULL UNIQUE,
                lane text NOT NULL,
                attempts integer NOT NULL DEFAULT 0,
                not_before timestamptz,
                last_error text NOT NULL DEFAULT '',
                data jsonb NOT NULL
            )""",
            "CREATE TABLE seen (key text PRIMARY KEY, at timestamptz NOT NULL)",
            "CREATE INDEX seen_at ON seen (at)",
            "CREATE TABLE meta (key text PRIMARY KEY, value jsonb)",
        ),
    ),
    (
        2,
        "outbox lanes indexed, so the head of each lane is found without reading the whole outbox",
        ("CREATE INDEX outbox_lane ON outbox (lane, seq)",),
    ),
)
LATEST = MIGRATIONS[-1][0]

_COMPLAINT_UPSERT = """
    INSERT INTO complaints (number, status, channel, card_ts, version, filed_at, resolved_at, data)
    VALUES (%(number)s, %(status)s, %(channel)s, %(card_ts)s, %(version)s, %(filed_at)s, %(resolved_at)s, %(data)s)
    ON CONFLICT (number) DO UPDATE SET status = EXCLUDED.status, channel = EXCLUDED.channel,
        card_ts = EXCLUDED.card_ts, version = EXCLUDED.version, filed_at = EXCLUDED.filed_at,
        resolved_at = EXCLUDED.resolved_at, data = EXCLUDED.data
"""
# A new complaint takes its number from the counter row in the statement that stores it, the last before COMMIT,
# so the row that every filing queues on stays locked only while the commit itself runs. The number is kept in
# a transaction-local setting for the effects and the NOTIFY that name the complaint in the same commit.
_FILE_INSERT = """
    WITH taken AS (
        UPDATE counters SET value = value + 1 WHERE name = 'complaint' RETURNING value - 1 AS number
    ), kept AS (
        SELECT number, set_config(%(slot)s, number::text, true) AS slot FROM taken
    )
    INSERT INTO complaints (number, status, channel, card_ts, version, filed_at, resolved_at, data)
    SELECT number, %(status)s, %(channel)s, %(card_ts)s, %(version)s, %(filed_at)s, %(resolved_at)s,
        jsonb_set(%(data)s, '{number}', to_jsonb(number))
    FROM kept
    RETURNING number
"""
_EFFECT_INSERT = "INSERT INTO outbox (id, lane, attempts, not_before, last_error, data) VALUES (%s, %s, %s, %s, %s, %s)"
_EFFECT_INSERT_FILED = """
    INSERT INTO outbox (id, lane, attempts, not_before, last_error, data)
    VALUES (%s, %s, %s, %s, %s, jsonb_set(%s, '{complaint}', to_jsonb(current_setting(%s)::integer)))
"""
_NOTIFY_FILED = """
    SELECT pg_notify(%(channel)s, jsonb_set(%(payload)s::jsonb, '{numbers}', (%(payload)s::jsonb -> 'numbers')
        || to_jsonb(ARRAY(SELECT current_setting(slot)::integer FROM unnest(%(slots)s::text[]) AS slot)))::text)
"""
_META_UPSERT = "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
_SEEN_INSERT = "INSERT INTO seen (key, at) VALUES (%s, %s) ON CONFLICT DO NOTHING RETURNING 1"
_SEEN_ONCE = "INSERT INTO seen (key, at) VALUES (%s, %s)"  # a key there already fails the transaction
_SEEN_SWEEP = "DELETE FROM seen WHERE at < %s"
_WAITING = "SELECT count(*) FROM (SELECT 1 FROM outbox LIMIT %s) AS head"
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


def describe(url: str) -> str:
    """Where a URL points, without user or password, for messages an operator reads."""
    try:
        parts = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "the configured database (the URL cannot be parsed)"
    host = parts.get("host") or "localhost"
    return f"{host}:{parts.get('port') or 5432}/{parts.get('dbname') or ''}"


def _complaint_row(complaint: Complaint) -> dict[str, Any]:
    """The columns of one complaint; the whole complaint (timeline included) is kept as JSON."""
    return {
        "number": complaint.number,
        "status": complaint.status.value,
        "channel": complaint.channel,
        "card_ts": complaint.card_ts,
        "version": complaint.version,
        "filed_at": complaint.filed_at,
        "resolved_at": complaint.resolved_at,
        "data": Jsonb(complaint.to_dict()),
    }


def _refresh(effect: Effect, row: tuple[Any, ...]) -> Effect:
    """Bring an effect up to its row: the columns that change after queueing win over the JSON."""
    _, seq, attempts, not_before, last_error = row
    effect.seq, effect.attempts, effect.last_error = int(seq), int(attempts), last_error
    effect.not_before = None if not_before is None else not_before.astimezone(UTC)
    return effect


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
    ) -> None:
        self.url = url
        self.takeover = takeover
        self.wait = wait
        self._now = now
        self._token = uuid.uuid4().hex
        self._listeners: list[CommitListener] = []
        self._change_listeners: list[Callable[[Complaint], None]] = []
        self._seen_inserts = 0
        self._last_depth = 0
        self._cache: dict[int, tuple[int, Complaint]] = {}  # number -> (version, read-only complaint), for reports
        self._cache_lock = threading.Lock()
        # Whether this replica leads: its own commits need no NOTIFY, as only the leader listens. Should it lead
        # no longer without knowing yet, the new leader finds what it queued within a second (the outbox looks
        # at least that often) and plans its timers at the next sweep.
        self.leading = False
        self._cards: dict[tuple[str, str], int] = {}  # (channel, card ts) -> number, see card_number
        self._meta: dict[str, tuple[float, Any]] = {}  # key -> (when read, value), see get_meta
        self._meta_written: dict[str, float] = {}  # key -> when this replica last committed a new value
        self._effects: dict[str, Effect] = {}  # id -> pending effect, shared read-only, so JSON is decoded once
        self._returned: weakref.WeakKeyDictionary[psycopg.Connection[Any], float] = weakref.WeakKeyDictionary()
        self._failed_at = 0.0  # when a connection last failed: those that rested since are pinged before use
        self.where = describe(url)
        self._pool = ConnectionPool(
            url,
            min_size=8,
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
        try:
            self._pool.open(wait=True, timeout=open_wait)
            self.schema = self._migrate()
        except psycopg.OperationalError as exc:
            self._pool.close()
            raise StoreUnavailable(
                f"PostgreSQL at {self.where} does not answer ({exc}); "
                "check DATABASE_URL (or storage.url) and that the server runs"
            ) from exc
        except BaseException:
            self._pool.close()
            raise
        digest = hashlib.sha256(self.schema.encode()).hexdigest()
        self.channel = f"complaint_desk_{digest[:16]}"
        self.lock_key = zlib.crc32(self.schema.encode()) & 0x7FFFFFFF
        self._remember_open_cards()

    def _remember_open_cards(self) -> None:
        """Know the cards of open complaints from the start: they are the ones people react to."""
        with self._connection() as conn:
            rows = conn.execute(
                "SELECT channel, card_ts, number FROM complaints WHERE card_ts IS NOT NULL AND status <> 'resolved'"
            ).fetchall()
        for channel, ts, number in rows[:MAX_CARDS_REMEMBERED]:
            self._cards[(str(channel), str(ts))] = int(number)

    # Schema.

    def _migrate(self) -> str:
        """Create or upgrade the schema, one replica at a time; returns the schema's name."""
        with self._pool.connection() as conn, conn.transaction():
            schema = conn.execute("SELECT current_schema()").fetchone()
            if schema is None or schema[0] is None:
                raise StoreError(
                    f"PostgreSQL at {self.where}: no schema in search_path exists; create it "
                    "or fix the search_path option of the URL"
                )
            conn.execute(
                "SELECT pg_advisory_xact_lock(%s, %s)",
                (MIGRATION_LOCK, zlib.crc32(str(schema[0]).encode()) & 0x7FFFFFFF),
            )
            conn.execute("""CREATE TABLE IF NOT EXISTS schema_version (
                version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL)""")
            row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
            current = int(row[0]) if row else 0
            if current > LATEST:
                raise StoreError(
                    f"PostgreSQL at {self.where}: the schema is at version {current}, newer than "
                    f"this release knows ({LATEST}); run the newer release"
                )
            for version, description, statements in MIGRATIONS:
                if version <= current:
                    continue
                for statement in statements:
                    conn.execute(statement)
                conn.execute(
                    "INSERT INTO schema_version (version, description, applied_at) VALUES (%s, %s, %s)",
                    (version, description, self._now()),
                )
                log.info("database schema migrated to version %s (%s)", version, description)
            return str(schema[0])

    def schema_version(self) -> int:
        """The migration step the schema is at."""
        with self._connection() as conn:
            row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
        return int(row[0]) if row else 0

    # Connections.

    def _check(self, conn: psycopg.Connection[Any]) -> None:
        """Ping a connection on checkout only when it rested a while, or rested since a connection failed.

        A ping per request is a round trip. But after the database went away, every connection resting in the
        pool is broken; each is found out by its ping (and replaced) instead of by the next person filing.
        """
        returned = self._returned.get(conn, 0.0)
        if time.monotonic() - returned > CHECK_IDLE or returned <= self._failed_at:
            ConnectionPool.check_connection(conn)

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
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

    def dedicated_connection(self) -> psycopg.Connection[Any]:
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

    # Listeners.

    def add_commit_listener(self, listener: CommitListener) -> None:
        """Be told after every commit that queued effects, here or (on the leader) on another replica."""
        self._listeners.append(listener)

    def add_change_listener(self, listener: Callable[[Complaint], None]) -> None:
        """Be told of complaints another replica changed (the leader's timers re-plan them)."""
        self._change_listeners.append(listener)

    def notification(self, payload: str) -> None:
        """A NOTIFY from a committing transaction: wake the outbox, re-plan what another replica changed."""
        try:
            message = json.loads(payload)
        except ValueError:
            return
        if message.get("from") == self._token:
            return  # this process already told its listeners when it committed
        if message.get("effects"):
            lanes = message.get("lanes")
            for listener in self._listeners:
                listener(frozenset(map(str, lanes)) if isinstance(lanes, list) else None)
        if not self._change_listeners:
            return
        for number in message.get("numbers") or []:
            complaint = self.get(int(number))
            if complaint is None:
                continue
            for change in self._change_listeners:
                try:
                    change(complaint)
                except Exception:  # one listener's failure must not cost the leader its lead
                    log.exception("a change listener failed for #%s", number)

    # Units of work.

    @contextmanager
    def transaction(self) -> Iterator[_Transaction]:
        """One database transaction; leaving the block without an error commits it.

        BEGIN travels with the block's first query, and the staged writes, the NOTIFY and the COMMIT go to the
        server as one message (see `_Transaction.commit`): a filing costs one round trip, a claim two.
        """
        with self._connection() as conn:
            tx = _Transaction(self, conn)
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
        self._wrote_meta(tx.meta)
        for complaint in tx.staged.values():
            if complaint.card_ts:
                self._remember_card(complaint.channel, complaint.card_ts, complaint.number)
        if tx.finished:
            self._forget_effects(tx.finished)
        if tx.effects:
            lanes = frozenset(effect.lane for effect in tx.effects)
            for listener in self._listeners:
                listener(lanes)

    def leadership(self, on_elected: Callable[[], None], on_demoted: Callable[[], None]) -> Leadership:
        """The election of the one replica that runs timers and the outbox."""
        return Leadership(self, on_elected, on_demoted)

    # Reads: fresh objects, but callers treat them as read-only, as with every backend.

    def get(self, number: int) -> Complaint | None:
        """One complaint as stored now."""
        with self._connection() as conn:
            row = conn.execute("SELECT data FROM complaints WHERE number = %s", (number,)).fetchone()
        return None if row is None else Complaint.from_dict(row[0])

    def by_card(self, channel: str, ts: str) -> Complaint | None:
        """The complaint whose card is this message."""
        with self._connection() as conn:
            row = conn.execute(
                "SELECT data FROM complaints WHERE channel = %s AND card_ts = %s", (channel, ts)
            ).fetchone()
        return None if row is None else Complaint.from_dict(row[0])

    def card_number(self, channel: str, ts: str) -> int | None:
        """Which complaint this message is the card of; cards found once are remembered (a card stays one)."""
        known = self._cards.get((channel, ts))
        if known is not None:
            return known
        with self._connection() as conn:
            row = conn.execute(
                "SELECT number FROM complaints WHERE channel = %s AND card_ts = %s", (channel, ts)
            ).fetchone()
        if row is None:
            return None
        self._remember_card(channel, ts, int(row[0]))
        return int(row[0])

    def _remember_card(self, channel: str, ts: str, number: int) -> None:
        """Keep a card's number; the memory is emptied now and then so it cannot grow without bound."""
        if len(self._cards) >= MAX_CARDS_REMEMBERED:
            self._cards.clear()
        self._cards[(channel, ts)] = number

    def open_complaints(self) -> list[Complaint]:
        """Every open complaint in number order."""
        with self._connection() as conn:
            rows = conn.execute("SELECT data FROM complaints WHERE status <> 'resolved' ORDER BY number").fetchall()
        return [Complaint.from_dict(row[0]) for row in rows]

    def all_complaints(self) -> Iterator[Complaint]:
        """Every complaint in number order; only rows whose version changed since the last call are read again.

        Reports read every complaint, and rebuilding 10,000 of them from JSON took most of a second. Each row
        carries its version, so a cheap (number, version) scan tells which cached objects are still current.
        """
        with self._connection() as conn:
            versions = conn.execute("SELECT number, version FROM complaints ORDER BY number").fetchall()
        with self._cache_lock:
            stale = [n for n, v in versions if self._cache.get(n, (None, None))[0] != v]
        for start in range(0, len(stale), PAGE):
            with self._connection() as conn:
                rows = conn.execute(
                    "SELECT number, version, data FROM complaints WHERE number = ANY(%s)",
                    (stale[start : start + PAGE],),
                ).fetchall()
            fresh = {int(n): (int(v), Complaint.from_dict(data)) for n, v, data in rows}
            with self._cache_lock:
                self._cache.update(fresh)
        with self._cache_lock:
            current = {n for n, _ in versions}
            for gone in [n for n in self._cache if n not in current]:
                del self._cache[gone]
            snapshot = [self._cache[n][1] for n, _ in versions if n in self._cache]
        return iter(snapshot)

    def count_by_status(self) -> dict[str, int]:
        """How many complaints are in each state, for metrics."""
        with self._connection() as conn:
            rows = conn.execute("SELECT status, count(*) FROM complaints GROUP BY status").fetchall()
        counts = {status.value: 0 for status in Status}
        counts.update({str(status): int(count) for status, count in rows})
        return counts

    def get_meta(self, key: str) -> Any:
        """Read a bookkeeping value (read-only); one read in the last `META_FRESH` seconds is used again.

        Every change to a complaint asks who uses the App Home, which was a round trip of its own. A value this
        replica writes is read afresh at once; one another replica wrote may be seen up to two seconds late.
        Reads that decide something go through `tx.get_meta`, which reads and locks the row.
        """
        hit = self._meta.get(key)
        if hit is not None and time.monotonic() - hit[0] < META_FRESH:
            return hit[1]
        read_at = time.monotonic()
        with self._connection() as conn:
            row = conn.execute("SELECT value FROM meta WHERE key = %s", (key,)).fetchone()
        value = None if row is None else row[0]
        if self._meta_written.get(key, -1.0) < read_at:  # not overtaken by a commit of this replica's
            self._meta[key] = (read_at, value)
        return value

    def _wrote_meta(self, keys: Iterable[str]) -> None:
        """This replica committed new values: read them afresh next time."""
        stamp = time.monotonic()
        for key in keys:
            self._meta_written[key] = stamp
            self._meta.pop(key, None)

    def next_number(self) -> int:
        """The number the next filing will get (for the migration command and reports)."""
        with self._connection() as conn:
            row = conn.execute("SELECT value FROM counters WHERE name = 'complaint'").fetchone()
        return int(row[0]) if row else 1

    # Outbox.

    def pending_effects(self, limit: int = 10_000) -> list[Effect]:
        """Effects not yet delivered, in the order they were queued (read-only objects, shared between calls).

        Only effects not seen yet are read and decoded from JSON; the others just get their changing columns
        (attempts, not_before, last_error) refreshed.
        """
        with self._connection() as conn:
            rows = conn.execute(f"SELECT {_EFFECT_STATE} FROM outbox ORDER BY seq LIMIT %s", (limit,)).fetchall()
            found = self._decoded(conn, rows)
        if len(rows) < limit:  # the whole outbox was read: forget what is gone
            with self._cache_lock:
                self._effects = {effect.id: effect for effect in found}
        return found

    def lane_heads(self) -> list[Effect]:
        """The oldest pending effect of each lane, oldest first; the outbox asks after every delivery."""
        with self._connection() as conn:
            return self._decoded(conn, conn.execute(_LANE_HEADS).fetchall())

    def _decoded(self, conn: psycopg.Connection[Any], rows: list[tuple[Any, ...]]) -> list[Effect]:
        """Effects for outbox rows, decoding only those not decoded before."""
        with self._cache_lock:
            missing = [row[0] for row in rows if row[0] not in self._effects]
        fresh = []
        if missing:
            fresh = conn.execute("SELECT id, data FROM outbox WHERE id = ANY(%s)", (missing,)).fetchall()
        decoded = {str(key): Effect.from_dict({**data, "not_before": None}) for key, data in fresh}
        with self._cache_lock:
            self._effects.update(decoded)
            return [_refresh(self._effects[row[0]], row) for row in rows if row[0] in self._effects]

    def finish_effect(self, effect_id: str) -> None:
        """Remove a delivered or abandoned effect."""
        with self._connection() as conn:
            conn.execute("DELETE FROM outbox WHERE id = %s", (effect_id,))
        self._forget_effects([effect_id])

    def _forget_effects(self, effect_ids: list[str]) -> None:
        """Drop removed effects from the cache of decoded ones."""
        with self._cache_lock:
            for effect_id in effect_ids:
                self._effects.pop(effect_id, None)

    def retry_effect(self, effect_id: str, not_before: datetime, error: str) -> None:
        """Put an effect back with a later time and the reason it failed."""
        with self._connection() as conn:
            conn.execute(
                "UPDATE outbox SET attempts = attempts + 1, not_before = %s, last_error = %s WHERE id = %s",
                (not_before, error, effect_id),
            )

    def outbox_depth(self) -> int:
        """How many effects wait; the last known count while the database does not answer (ping says so)."""
        try:
            with self._connection() as conn:
                row = conn.execute("SELECT count(*) FROM outbox").fetchone()
        except StoreUnavailable:
            return self._last_depth
        self._last_depth = int(row[0]) if row else 0
        return self._last_depth

    # Copying in (the migration command).

    def copy_in(self, complaint: Complaint) -> str:
        """Store a complaint from another backend as it is: "copied", "updated" (newer there) or "unchanged"."""
        with self._connection() as conn, conn.transaction():
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
            conn.execute(_COMPLAINT_UPSERT, _complaint_row(complaint))
            conn.execute(
                "UPDATE counters SET value = greatest(value, %s) WHERE name = 'complaint'", (complaint.number + 1,)
            )
        return "copied" if row is None else "updated"

    def raise_next_number(self, at_least: int) -> int:
        """Make sure the counter does not hand out a number already used elsewhere; returns the next number."""
        with self._connection() as conn:
            row = conn.execute(
                "UPDATE counters SET value = greatest(value, %s) WHERE name = 'complaint' RETURNING value", (at_least,)
            ).fetchone()
        return int(row[0]) if row else at_least

    def set_meta_if_missing(self, key: str, value: Any) -> bool:
        """Copy a bookkeeping value unless one is already there."""
        with self._connection() as conn:
            cursor = conn.execute(
                "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT DO NOTHING", (key, Jsonb(value))
            )
        self._wrote_meta([key])
        return cursor.rowcount == 1

    # Health.

    def ping(self) -> bool:
        """Whether the database answers now."""
        try:
            with self._connection() as conn:
                conn.execute("SELECT 1")
        except (StoreError, psycopg.Error):
            return False
        return True

    def close(self) -> None:
        """Close every pooled connection."""
        self._pool.close()

    # Used by transactions.

    def _sweep_seen(self, conn: psycopg.Connection[Any]) -> None:
        """Now and then, forget idempotency keys older than any redelivery Slack makes."""
        if self._sweep_due(1):
            conn.execute(_SEEN_SWEEP, (self._now() - SEEN_KEEP,))

    def _sweep_due(self, inserted: int) -> bool:
        """Count inserted idempotency keys; True once every SEEN_SWEEP_EVERY of them."""
        before, self._seen_inserts = self._seen_inserts, self._seen_inserts + inserted
        return before // SEEN_SWEEP_EVERY != self._seen_inserts // SEEN_SWEEP_EVERY


def _configure(conn: psycopg.Connection[Any]) -> None:
    """Each pooled session gives up on a row lock after a few seconds instead of hanging a request.

    Sessions stay in autocommit: a read is one round trip (no BEGIN/COMMIT around it), and units of work
    that need a transaction open one explicitly.
    """
    conn.autocommit = True
    conn.execute("SET lock_timeout = '5s'")
    conn.execute("SET idle_in_transaction_session_timeout = '60s'")


class _Transaction:
    """One PostgreSQL transaction; complaint rows read through it are locked until it ends."""

    def __init__(self, store: PostgresStore, conn: psycopg.Connection[Any]) -> None:
        self._store = store
        self._conn = conn
        self.staged: dict[int, Complaint] = {}
        self.effects: list[Effect] = []
        self.meta: dict[str, Any] = {}
        self.finished: list[str] = []
        self.keys: list[str] = []  # idempotency keys recorded with the commit (see `once`)
        self.waiting = 0
        self._stand_ins = 0
        self._begun = False  # whether BEGIN was sent (with the first query)
        self._numbers: list[int | None] = []  # the numbers complaints filed here got, in the order staged

    def _one(self, query: str, params: tuple[Any, ...]) -> tuple[Any, ...] | None:
        """Run a query and return its first row; the transaction's first query takes BEGIN along."""
        if self._begun:
            return self._conn.execute(query, params).fetchone()
        return self._rows([(query, params)])[0]

    def _rows(self, queries: list[tuple[str, tuple[Any, ...]]]) -> list[tuple[Any, ...] | None]:
        """Run queries as one message to the server (with BEGIN first, if not sent yet); each one's first row."""
        bind = ClientCursor(self._conn).mogrify
        texts = [bind(query, params) for query, params in queries]
        if self._begun:
            return _first_rows(self._conn, texts)
        self._begun = True
        return _first_rows(self._conn, ["BEGIN", *texts])[1:]

    def _locked(self, query: str, params: tuple[Any, ...], once: str) -> tuple[Any, ...] | None:
        """The row a locking read finds; with `once`, the idempotency key goes along in the same message.

        The key is recorded after the row is locked, as `first_time` after `get` would: two replicas handling
        the same redelivered event queue on the row, and the second finds the key taken.
        """
        if not once:
            return self._one(query, params)
        row, first = self._rows([(query, params), (_SEEN_INSERT, (once, self._store._now()))])
        if first is None:
            return None
        self._store._sweep_seen(self._conn)
        return row

    def next_number(self) -> int:
        """A stand-in number (negative) for a complaint filed in this transaction; see `_FILE_INSERT`.

        The real one is taken from the counter row as the complaint is stored, just before COMMIT, and set on
        the complaint and on the effects that name it once committed: numbers are unique, gap-free and in
        commit order, while concurrent filings wait on the row only for each other's commit.
        """
        self._stand_ins += 1
        return -self._stand_ins

    def get(self, number: int, once: str = "") -> Complaint | None:
        """A private copy to change; the row is locked, so another replica's change waits for this one.

        None also when `once` (an idempotency key) was seen before.
        """
        if number in self.staged:
            return None if once and not self.first_time(once) else self.staged[number]
        row = self._locked("SELECT data FROM complaints WHERE number = %s FOR UPDATE", (number,), once)
        return None if row is None else Complaint.from_dict(row[0])

    def by_card(self, channel: str, ts: str, once: str = "") -> Complaint | None:
        """A private, locked copy of the complaint whose card is this message; `once` as for `get`."""
        row = self._locked(
            "SELECT number, data FROM complaints WHERE channel = %s AND card_ts = %s FOR UPDATE", (channel, ts), once
        )
        if row is None:
            return None
        return self.staged.get(int(row[0])) or Complaint.from_dict(row[1])

    def save(self, complaint: Complaint) -> None:
        """Stage a complaint's new state."""
        self.staged[complaint.number] = complaint

    def enqueue(self, effect: Effect) -> None:
        """Stage a Slack side effect."""
        self.effects.append(effect)

    def first_time(self, key: str) -> bool:
        """Record an idempotency key now: a concurrent holder of the same key makes this wait for its outcome."""
        row = self._one(_SEEN_INSERT, (key, self._store._now()))
        if row is None:
            return False
        self._store._sweep_seen(self._conn)
        return True

    def once(self, key: str) -> None:
        """Record the key with the commit, as its first statement: if it is there already, nothing is stored.

        A concurrent transaction with the same key makes that statement wait for its outcome, as with
        `first_time`; but a filing then needs no round trip before its commit.
        """
        self.keys.append(key)

    def get_meta(self, key: str) -> Any:
        """Read a bookkeeping value (locked, so a read-modify-write is safe), including one staged here."""
        if key in self.meta:
            return self.meta[key]
        row = self._one("SELECT value FROM meta WHERE key = %s FOR UPDATE", (key,))
        return None if row is None else row[0]

    def set_meta(self, key: str, value: Any) -> None:
        """Stage a bookkeeping value."""
        self.meta[key] = value

    def finish_effect(self, effect_id: str) -> None:
        """Stage the removal of a delivered effect, together with what its delivery changed."""
        self.finished.append(effect_id)

    def commit(self) -> None:
        """Write what was staged, tell the leader, and commit: all in one message to the server.

        A filing locks the counter row, which every other filing waits for, until its COMMIT is done. Sent
        statement by statement, the lock was also held while this thread waited for the interpreter between
        two statements, which under load took milliseconds; as one message, it is held only while the server
        works. The values are bound by psycopg on this side (ClientCursor.mogrify), as one message requires.
        """
        bind = ClientCursor(self._conn).mogrify
        statements: list[tuple[str, str]] = []  # (SQL with its values, what its first value is wanted for)
        if not self._begun:
            statements.append(("BEGIN", ""))
            self._begun = True
        for key in self.keys:  # a key seen before fails here, before anything else is written
            statements.append((bind(_SEEN_ONCE, (key, self._store._now())), ""))
        if self.keys and self._store._sweep_due(len(self.keys)):
            statements.append((bind(_SEEN_SWEEP, (self._store._now() - SEEN_KEEP,)), ""))
        for key, value in self.meta.items():
            statements.append((bind(_META_UPSERT, (key, Jsonb(value))), ""))
        if self.finished:
            statements.append((bind("DELETE FROM outbox WHERE id = ANY(%s)", (self.finished,)), ""))
        for complaint in self.staged.values():
            complaint.version += 1
            if complaint.number >= 0:
                statements.append((bind(_COMPLAINT_UPSERT, _complaint_row(complaint)), ""))
            else:  # filed here: the number is taken now, the row locked only until the COMMIT right after
                row = {**_complaint_row(complaint), "slot": _slot(complaint.number)}
                statements.append((bind(_FILE_INSERT, row), "number"))
        for effect in self.effects:  # no RETURNING of seq: readers get it from the row
            values = (effect.id, effect.lane, effect.attempts, effect.not_before, effect.last_error)
            data = Jsonb(effect.to_dict())
            if (effect.complaint or 0) < 0:  # names a complaint filed here, by the number it just got
                statements.append((bind(_EFFECT_INSERT_FILED, (*values, data, _slot(effect.complaint or 0))), ""))
            else:
                statements.append((bind(_EFFECT_INSERT, (*values, data)), ""))
        notify = self._notification()
        if notify is not None:
            statements.append((bind(*notify), ""))
        if self.effects:
            statements.append((bind(_WAITING, (WAITING_COUNTED,)), "waiting"))
        rows = _first_rows(self._conn, [*(text for text, _ in statements), "COMMIT"])
        for (_, purpose), first in zip(statements, rows, strict=False):  # COMMIT's own (empty) answer left out
            value = None if first is None else first[0]
            if purpose == "number":
                self._numbers.append(value)
            elif purpose == "waiting":
                self.waiting = int(value or 0)

    def _notification(self) -> tuple[str, Any] | None:
        """The NOTIFY that tells the leader what changed (delivered only on commit); None when not needed."""
        if not (self.effects or self.staged) or self._store.leading:
            return None
        lanes = sorted({effect.lane for effect in self.effects})
        payload = json.dumps(
            {
                "from": self._store._token,
                "effects": bool(self.effects),
                "lanes": lanes if len(lanes) <= MAX_LANES_NOTIFIED else None,
                "numbers": sorted(n for n in self.staged if n >= 0)[:MAX_NOTIFIED],
            }
        )
        slots = [_slot(n) for n in sorted(self.staged, reverse=True) if n < 0][:MAX_NOTIFIED]
        if not slots:
            return "SELECT pg_notify(%s, %s)", (self._store.channel, payload)
        return _NOTIFY_FILED, {"channel": self._store.channel, "payload": payload, "slots": slots}

    def settle(self) -> None:
        """After the commit: complaints filed here, and the effects naming them, get their real numbers."""
        filed = [complaint for complaint in self.staged.values() if complaint.number < 0]
        numbers = [number for number in self._numbers if number is not None]
        if len(numbers) != len(filed):  # the counter row is gone: no number was taken
            raise StoreError("the complaint counter is missing from the database")
        for complaint, number in zip(filed, numbers, strict=True):
            stand_in, complaint.number = complaint.number, int(number)
            for effect in self.effects:
                if effect.complaint == stand_in:
                    effect.complaint = number
        if filed:
            self.staged = {complaint.number: complaint for complaint in self.staged.values()}


def _first_rows(conn: psycopg.Connection[Any], texts: list[str]) -> list[tuple[Any, ...] | None]:
    """Send statements, their values already bound, as one message; the first row each returned (or None)."""
    cursor = conn.cursor()
    cursor.execute(";\n".join(texts))  # values bound by ClientCursor.mogrify
    found: list[tuple[Any, ...] | None] = []
    for index in range(len(texts)):
        if index and not cursor.nextset():
            raise StoreError("the database answered fewer statements than it was sent")
        found.append(cursor.fetchone() if cursor.description else None)
    return found


def _slot(stand_in: int) -> str:
    """The transaction-local setting that holds the number a stand-in got."""
    return f"complaint_desk.filed_{-stand_in}"


class Leadership:
    """Elects the one replica that runs timers and the outbox: whoever holds a session advisory lock.

    The lock lives on a dedicated connection. When the leader process dies its connection drops and
    PostgreSQL frees the lock; a follower retrying every few seconds takes it within `storage.takeover`.
    The leader checks its connection as often; when it breaks, it stops its timers and outbox at once.
    The leader's connection also LISTENs, so effects queued by followers are delivered promptly.
    """

    def __init__(self, store: PostgresStore, on_elected: Callable[[], None], on_demoted: Callable[[], None]) -> None:
        self.store = store
        self.on_elected = on_elected
        self.on_demoted = on_demoted
        self.interval = max(0.2, min(5.0, store.takeover.total_seconds() / 3))
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
                self.store.noticed_failure()
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
            self._conn = self.store.dedicated_connection()
        if self.role == "leader":
            self._listen(self._conn)
            self._conn.execute("SELECT 1")
            return
        row = self._conn.execute("SELECT pg_try_advisory_lock(%s, %s)", (LEADER_LOCK, self.store.lock_key)).fetchone()
        if not (row and row[0]):
            return
        self._conn.execute(sql.SQL("LISTEN {}").format(sql.Identifier(self.store.channel)))
        self.role = "leader"
        self.store.leading = True
        log.info("this replica leads now: it runs the timers and delivers the outbox")
        self.on_elected()
        for listener in self.store._listeners:  # whatever followers queued before is delivered now
            listener(None)

    def _listen(self, conn: psycopg.Connection[Any]) -> None:
        """Hand notifications to the store for one interval, in short waits so stop() is quick."""
        waited = 0.0
        while waited < self.interval and not self._stopped.is_set():
            step = min(0.5, self.interval)
            for notify in conn.notifies(timeout=step):
                try:
                    self.store.notification(notify.payload)
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
            self.store.leading = False
            log.warning("this replica no longer leads: timers and outbox stopped")
            self.on_demoted()
        conn, self._conn = self._conn, None
        if conn is not None:
            with suppress(psycopg.Error):
                conn.close()
