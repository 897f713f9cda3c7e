"""Which process runs the timers and the outbox: exactly one, whichever store backs the bot.

Each store says how (`Store.leadership`): with the file store there is only one process, so it always leads
(role "single"); with PostgreSQL the replicas elect a leader through the database
(`bot.store.postgres.Leadership`); the others only serve requests and queue effects until they are elected.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol


class Role(Protocol):
    """What the runtime needs from an election."""

    role: str

    def start(self) -> None:
        """Begin: lead now, or follow until elected."""

    def stop(self) -> None:
        """Stop leading (if leading) and stop trying."""

    def health_fields(self) -> dict[str, Any]:
        """This process's role for /healthz."""


class SingleLeader:
    """The only process there is: it leads from start to stop."""

    role = "single"

    def __init__(self, on_elected: Callable[[], None], on_demoted: Callable[[], None]) -> None:
        self.on_elected = on_elected
        self.on_demoted = on_demoted

    def start(self) -> None:
        """Lead at once."""
        self.on_elected()

    def stop(self) -> None:
        """Stop the timers and the outbox."""
        self.on_demoted()

    def health_fields(self) -> dict[str, Any]:
        """Role "single" for /healthz."""
        return {"role": self.role}
