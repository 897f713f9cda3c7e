"""Store maintenance from the command line.

    python -m bot.store migrate --from tinydb data/complaints.json --to postgresql [--url URL]

copies every complaint (with its whole timeline) from the file store into PostgreSQL and moves the
numbering on past the highest number, so the next complaint filed gets the number it would have got.
Running it again changes nothing: a complaint already there is only replaced by a newer version of itself.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections import Counter
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from bot.store import StoreError
from bot.store.postgres import PostgresStore
from bot.store.tinydb_store import HOT, TinyDBStore

# Bookkeeping that belongs to the file store itself and means nothing in the database.
LOCAL_META = {"next_number", "effect_seq"}


def now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


class Progress:
    """A one-line progress bar on stderr, redrawn when the percentage changes."""

    def __init__(self, what: str, total: int, out: TextIO = sys.stderr) -> None:
        self.what = what
        self.total = total
        self.out = out
        self._shown = -1

    def __call__(self, done: int) -> None:
        """Show `done` of `total`."""
        percent = 100 if self.total == 0 else done * 100 // self.total
        if percent == self._shown and done != self.total:
            return
        self._shown = percent
        bar = "#" * (percent // 5)
        self.out.write(f"\r{self.what}: [{bar:<20}] {done}/{self.total} ({percent}%)")
        if done == self.total:
            self.out.write("\n")
        self.out.flush()


def migrate(source: TinyDBStore, target: PostgresStore, progress: Callable[[int], None]) -> dict[str, Any]:
    """Copy complaints, bookkeeping and the numbering; returns what was done."""
    complaints = list(source.all_complaints())
    tally: Counter[str] = Counter()
    for done, complaint in enumerate(complaints, 1):
        tally[target.copy_in(complaint)] += 1
        progress(done)
    highest = max((c.number for c in complaints), default=0)
    next_number = target.raise_next_number(max(int(source.get_meta("next_number") or 1), highest + 1))
    meta = 0
    for key, value in _file_meta(source).items():
        meta += target.set_meta_if_missing(key, value)
    return {"tally": tally, "next_number": next_number, "meta": meta, "pending": source.outbox_depth()}


def _file_meta(source: TinyDBStore) -> dict[str, Any]:
    """Every bookkeeping value of the file store (they live in one document of its hot file)."""
    document: Mapping[str, Any] = source._dbs[HOT].table("meta").get(doc_id=1) or {}
    return {key: value for key, value in dict(document).items() if key not in LOCAL_META}


def main(argv: list[str] | None = None) -> int:
    """Run one maintenance command; 0 when done, 2 with one line on stderr when it cannot be done."""
    args = _parser().parse_args(argv)
    backend, path = args.source
    if backend != "tinydb":
        return _fail(f"--from: only tinydb can be migrated from, not {backend!r}")
    if not Path(path).is_file():
        return _fail(f"--from: {path} does not exist (give the storage.path of the file store)")
    url = args.url or os.environ.get("DATABASE_URL")
    if not url:
        return _fail("--url: not given and DATABASE_URL is not set")
    try:
        source = TinyDBStore(path, now)
    except StoreError as exc:
        return _fail(str(exc))
    try:
        target = PostgresStore(url, now)
    except StoreError as exc:
        source.close()
        return _fail(str(exc))
    try:
        total = sum(1 for _ in source.all_complaints())
        result = migrate(source, target, Progress("copying complaints", total))
    except StoreError as exc:
        print(file=sys.stderr)  # end the progress line
        return _fail(str(exc))
    finally:
        target.close()
        source.close()
    tally = result["tally"]
    print(
        f"copied {tally['copied']}, updated {tally['updated']}, unchanged {tally['unchanged']} complaints; "
        f"{result['meta']} bookkeeping values copied; the next complaint gets #{result['next_number']}"
    )
    if result["pending"]:
        print(
            f"warning: {result['pending']} Slack messages were still waiting in the file store's outbox and "
            "were not copied; stop the bot only once /healthz shows an empty outbox",
            file=sys.stderr,
        )
    return 0


def _parser() -> argparse.ArgumentParser:
    """The command line."""
    parser = argparse.ArgumentParser(prog="python -m bot.store", description="Complaint Desk store maintenance")
    commands = parser.add_subparsers(dest="command", required=True)
    migrate_ = commands.add_parser("migrate", help="copy every complaint from the file store into PostgreSQL")
    migrate_.add_argument(
        "--from",
        dest="source",
        nargs=2,
        metavar=("BACKEND", "PATH"),
        required=True,
        help="the file store: tinydb and its storage.path",
    )
    migrate_.add_argument("--to", dest="target", choices=["postgresql"], required=True)
    migrate_.add_argument("--url", help="the database URL (default: DATABASE_URL)")
    return parser


def _fail(message: str) -> int:
    """One line for the operator, exit status 2."""
    print(f"error: {message}", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
