"""The database schema, created at start and versioned.

`schema_version` records the migration steps applied; a later release adds steps to `MIGRATIONS` that run
once, in order, without touching existing data. Replicas starting together migrate one at a time.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable
from datetime import datetime
from typing import Any

import psycopg

from bot.customers import customer_key
from bot.store.contract import StoreError

log = logging.getLogger("complaints.store")

MIGRATION_LOCK = 1_129_530_002  # first key of the transaction lock that serialises schema migrations

# Each customer's complaints and open ones, counted by the database in the transaction that changes a complaint,
# so a card's customer line reads one row (and the few complaints filed after the one it shows).
_COUNT_CUSTOMERS = """
    CREATE FUNCTION count_customer_complaints() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP <> 'INSERT' AND OLD.customer_key <> '' THEN
            UPDATE customer_counts
            SET total = total - 1, open = open - CASE WHEN OLD.status <> 'resolved' THEN 1 ELSE 0 END
            WHERE customer_key = OLD.customer_key;
        END IF;
        IF TG_OP <> 'DELETE' AND NEW.customer_key <> '' THEN
            INSERT INTO customer_counts (customer_key, total, open)
            VALUES (NEW.customer_key, 1, CASE WHEN NEW.status <> 'resolved' THEN 1 ELSE 0 END)
            ON CONFLICT (customer_key) DO UPDATE
            SET total = customer_counts.total + 1, open = customer_counts.open + EXCLUDED.open;
        END IF;
        RETURN NULL;
    END $$
"""

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
    (
        3,
        "each customer's and each person's complaints indexed, so a card and an App Home read only those",
        (
            "ALTER TABLE complaints ADD COLUMN customer_key text NOT NULL DEFAULT ''",
            "ALTER TABLE complaints ADD COLUMN owner text NOT NULL DEFAULT ''",
            "UPDATE complaints SET owner = coalesce(data->>'owner', '')",
            "CREATE INDEX complaints_customer ON complaints (customer_key, number) WHERE customer_key <> ''",
            "CREATE INDEX complaints_open_owner ON complaints (owner, number) WHERE status <> 'resolved'",
            "CREATE INDEX complaints_unclaimed ON complaints (number) WHERE status = 'unclaimed'",
            "CREATE INDEX complaints_resolved_owner ON complaints (owner, resolved_at) WHERE status = 'resolved'",
            "CREATE TABLE customer_counts ("
            "customer_key text PRIMARY KEY, total integer NOT NULL, open integer NOT NULL)",
            _COUNT_CUSTOMERS,
            "CREATE TRIGGER complaints_counted_insert AFTER INSERT ON complaints FOR EACH ROW "
            "WHEN (NEW.customer_key <> '') EXECUTE FUNCTION count_customer_complaints()",
            "CREATE TRIGGER complaints_counted_update AFTER UPDATE ON complaints FOR EACH ROW "
            "WHEN (OLD.customer_key IS DISTINCT FROM NEW.customer_key "
            "OR (OLD.status = 'resolved') IS DISTINCT FROM (NEW.status = 'resolved')) "
            "EXECUTE FUNCTION count_customer_complaints()",
            "CREATE TRIGGER complaints_counted_delete AFTER DELETE ON complaints FOR EACH ROW "
            "WHEN (OLD.customer_key <> '') EXECUTE FUNCTION count_customer_complaints()",
        ),
    ),
    (
        4,
        "each reporter's open complaints indexed, so an App Home lists what a person reported without reading all",
        (
            # Taken from the complaint itself by the database, so it is right for every row already stored and for
            # every row a replica of an earlier release writes while replicas are upgraded one after the other.
            "ALTER TABLE complaints ADD COLUMN reporter text NOT NULL "
            "GENERATED ALWAYS AS (coalesce(data->>'reporter', '')) STORED",
            "CREATE INDEX complaints_open_reporter ON complaints (reporter, number) WHERE status <> 'resolved'",
        ),
    ),
)
LATEST = MIGRATIONS[-1][0]


def _customer_keys(conn: psycopg.Connection[Any]) -> None:
    """Fill in the forgiving customer key of complaints stored before it had a column (Python computes it)."""
    rows = conn.execute("SELECT number, data->>'customer' FROM complaints WHERE data->>'customer' <> ''").fetchall()
    keys = [(customer_key(str(name)), int(number)) for number, name in rows]
    with conn.cursor() as cursor:
        cursor.executemany("UPDATE complaints SET customer_key = %s WHERE number = %s", keys)


# Steps whose data needs Python after their statements ran, in the same transaction.
BACKFILLS: dict[int, Callable[[psycopg.Connection[Any]], None]] = {3: _customer_keys}


def migrate(conn: psycopg.Connection[Any], where: str, now: Callable[[], datetime]) -> str:
    """Create or upgrade the schema in one transaction, one replica at a time; returns the schema's name."""
    with conn.transaction():
        schema = conn.execute("SELECT current_schema()").fetchone()
        if schema is None or schema[0] is None:
            raise StoreError(
                f"PostgreSQL at {where}: no schema in search_path exists; create it "
                "or fix the search_path option of the URL"
            )
        conn.execute(
            "SELECT pg_advisory_xact_lock(%s, %s)",
            (MIGRATION_LOCK, zlib.crc32(str(schema[0]).encode()) & 0x7FFFFFFF),
        )
        conn.execute("""CREATE TABLE IF NOT EXISTS schema_version (
            version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL)""")
        current = schema_version(conn)
        if current > LATEST:
            raise StoreError(
                f"PostgreSQL at {where}: the schema is at version {current}, newer than "
                f"this release knows ({LATEST}); run the newer release"
            )
        for version, description, statements in MIGRATIONS:
            if version <= current:
                continue
            for statement in statements:
                conn.execute(statement)
            if version in BACKFILLS:
                BACKFILLS[version](conn)
            conn.execute(
                "INSERT INTO schema_version (version, description, applied_at) VALUES (%s, %s, %s)",
                (version, description, now()),
            )
            log.info("database schema migrated to version %s (%s)", version, description)
        return str(schema[0])


def schema_version(conn: psycopg.Connection[Any]) -> int:
    """The migration step the schema is at (0 for none)."""
    row = conn.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0
