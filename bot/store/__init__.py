"""Where complaints live: the contract every backend keeps (`bot.store.contract`) and the configured backend.

TinyDB (`tinydb_store`) is the default for one process; PostgreSQL (`postgres`) lets several replicas share
one workspace.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.config import Config, Settings
from bot.store.contract import (
    WAITING_COUNTED,
    AlreadySeen,
    ChangeListener,
    CommitListener,
    Store,
    StoreCorrupt,
    StoreError,
    StoreUnavailable,
    Transaction,
)
from bot.store.postgres import PostgresStore
from bot.store.tinydb_store import TinyDBStore

__all__ = [
    "WAITING_COUNTED",
    "AlreadySeen",
    "ChangeListener",
    "CommitListener",
    "Store",
    "StoreCorrupt",
    "StoreError",
    "StoreUnavailable",
    "Transaction",
    "open_store",
]


def open_store(config: Config, settings: Settings, now: Callable[[], datetime]) -> Store:
    """The configured backend: TinyDB by default, PostgreSQL for several replicas."""
    if config.storage_backend == "postgresql":
        return PostgresStore(settings.database_url or config.storage_url or "", now, takeover=config.storage_takeover)
    return TinyDBStore(config.storage_path, now)
