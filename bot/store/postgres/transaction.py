"""A unit of work on PostgreSQL: locking reads as it goes, then every staged write and the COMMIT as one message.

A filing takes its complaint number from the counter row in the statement that stores it, the last before
COMMIT, so the row that every filing queues on stays locked only while the commit itself runs; until then
the complaint carries a stand-in number (negative), replaced by the real one once committed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

import psycopg
from psycopg import ClientCursor
from psycopg.types.json import Jsonb

from bot.customers import customer_key
from bot.model import Complaint, Effect
from bot.store.contract import WAITING_COUNTED, StoreError
from bot.store.postgres.notify import Notifications
from bot.store.seen import SEEN_KEEP, SweepSchedule

COMPLAINT_UPSERT = """
    INSERT INTO complaints (number, status, channel, card_ts, version, filed_at, resolved_at, customer_key, owner, data)
    VALUES (%(number)s, %(status)s, %(channel)s, %(card_ts)s, %(version)s, %(filed_at)s, %(resolved_at)s,
        %(customer_key)s, %(owner)s, %(data)s)
    ON CONFLICT (number) DO UPDATE SET status = EXCLUDED.status, channel = EXCLUDED.channel,
        card_ts = EXCLUDED.card_ts, version = EXCLUDED.version, filed_at = EXCLUDED.filed_at,
        resolved_at = EXCLUDED.resolved_at, customer_key = EXCLUDED.customer_key, owner = EXCLUDED.owner,
        data = EXCLUDED.data
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
    INSERT INTO complaints (number, status, channel, card_ts, version, filed_at, resolved_at, customer_key, owner, data)
    SELECT number, %(status)s, %(channel)s, %(card_ts)s, %(version)s, %(filed_at)s, %(resolved_at)s,
        %(customer_key)s, %(owner)s, jsonb_set(%(data)s, '{number}', to_jsonb(number))
    FROM kept
    RETURNING number
"""
_EFFECT_INSERT = "INSERT INTO outbox (id, lane, attempts, not_before, last_error, data) VALUES (%s, %s, %s, %s, %s, %s)"
_EFFECT_INSERT_FILED = """
    INSERT INTO outbox (id, lane, attempts, not_before, last_error, data)
    VALUES (%s, %s, %s, %s, %s, jsonb_set(%s, '{complaint}', to_jsonb(current_setting(%s)::integer)))
"""
_META_UPSERT = "INSERT INTO meta (key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"
_SEEN_INSERT = "INSERT INTO seen (key, at) VALUES (%s, %s) ON CONFLICT DO NOTHING RETURNING 1"
_SEEN_ONCE = "INSERT INTO seen (key, at) VALUES (%s, %s)"  # a key there already fails the transaction
_SEEN_SWEEP = "DELETE FROM seen WHERE at < %s"
_WAITING = "SELECT count(*) FROM (SELECT 1 FROM outbox LIMIT %s) AS head"


def complaint_row(complaint: Complaint) -> dict[str, Any]:
    """The columns of one complaint; the whole complaint (timeline included) is kept as JSON."""
    return {
        "number": complaint.number,
        "status": complaint.status.value,
        "channel": complaint.channel,
        "card_ts": complaint.card_ts,
        "version": complaint.version,
        "filed_at": complaint.filed_at,
        "resolved_at": complaint.resolved_at,
        # Kept beside the JSON, indexed: a card counts its customer's complaints, an App Home lists a person's.
        "customer_key": customer_key(complaint.customer) if complaint.customer else "",
        "owner": complaint.owner or "",
        "data": Jsonb(complaint.to_dict()),
    }


class PostgresTransaction:
    """One PostgreSQL transaction; complaint rows read through it are locked until it ends."""

    def __init__(
        self,
        conn: psycopg.Connection[Any],
        now: Callable[[], datetime],
        sweeps: SweepSchedule,
        notifications: Notifications,
    ) -> None:
        self._conn = conn
        self._now = now
        self._sweeps = sweeps
        self._notifications = notifications
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
        row, first = self._rows([(query, params), (_SEEN_INSERT, (once, self._now()))])
        if first is None:
            return None
        self._sweep_seen()
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
        row = self._one(_SEEN_INSERT, (key, self._now()))
        if row is None:
            return False
        self._sweep_seen()
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
            statements.append((bind(_SEEN_ONCE, (key, self._now())), ""))
        if self.keys and self._sweeps.due(len(self.keys)):
            statements.append((bind(_SEEN_SWEEP, (self._now() - SEEN_KEEP,)), ""))
        for key, value in self.meta.items():
            statements.append((bind(_META_UPSERT, (key, Jsonb(value))), ""))
        if self.finished:
            statements.append((bind("DELETE FROM outbox WHERE id = ANY(%s)", (self.finished,)), ""))
        for complaint in self.staged.values():
            complaint.version += 1
            if complaint.number >= 0:
                statements.append((bind(COMPLAINT_UPSERT, complaint_row(complaint)), ""))
            else:  # filed here: the number is taken now, the row locked only until the COMMIT right after
                row = {**complaint_row(complaint), "slot": _slot(complaint.number)}
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
        numbers = [n for n in self.staged if n >= 0]
        stand_ins = [_slot(n) for n in sorted(self.staged, reverse=True) if n < 0]
        return self._notifications.statement(self.effects, numbers, stand_ins)

    def _sweep_seen(self) -> None:
        """Now and then, forget idempotency keys older than any redelivery Slack makes."""
        if self._sweeps.due(1):
            self._conn.execute(_SEEN_SWEEP, (self._now() - SEEN_KEEP,))

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
