"""The PostgreSQL backend, for several replicas sharing one workspace (see `store` for how it stays correct)."""

from __future__ import annotations

from bot.store.postgres.leader import Leadership
from bot.store.postgres.store import PostgresStore

__all__ = ["Leadership", "PostgresStore"]
