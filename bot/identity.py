"""Who the bot is in Slack, as auth.test says, kept with the data so that a restart need not ask Slack first.

The services read it to tell the bot's own messages and reactions apart, to link to the workspace, and to
know which organisation (team, Enterprise Grid) the bot belongs to.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Protocol

META_KEY = "slack_identity"


@dataclass(frozen=True)
class Identity:
    """The bot's ids in Slack; empty strings where Slack has not said (no Enterprise Grid: no enterprise id)."""

    user_id: str = ""  # the bot's own member id (U…), under which its messages and reactions appear
    bot_id: str = ""  # B…
    team_id: str = ""  # the workspace the token belongs to (T…)
    enterprise_id: str = ""  # the Enterprise Grid organisation (E…), if any
    url: str = ""  # the workspace's address, https://acme.slack.com/
    org_wide: bool = False  # installed on a whole Enterprise Grid organisation (auth.test's is_enterprise_install)

    @property
    def known(self) -> bool:
        """Whether Slack has told us who we are (at this start or an earlier one)."""
        return bool(self.user_id and self.team_id)

    @classmethod
    def from_auth_test(cls, answer: Mapping[str, Any]) -> Identity:
        """From auth.test's answer (user_id, bot_id, team_id, enterprise_id, url)."""
        return cls(
            user_id=_text(answer.get("user_id")),
            bot_id=_text(answer.get("bot_id")),
            team_id=_text(answer.get("team_id")),
            enterprise_id=_text(answer.get("enterprise_id")),
            url=_text(answer.get("url")),
            org_wide=answer.get("is_enterprise_install") is True,
        )

    def to_auth_test(self) -> dict[str, Any]:
        """The fields of an auth.test answer that this identity stands for (for bolt's authorization)."""
        answer: dict[str, Any] = {"ok": True, "user_id": self.user_id, "team_id": self.team_id, "url": self.url}
        if self.bot_id:
            answer["bot_id"] = self.bot_id
        if self.enterprise_id:
            answer["enterprise_id"] = self.enterprise_id
        answer["is_enterprise_install"] = self.org_wide
        return answer

    def to_dict(self) -> dict[str, Any]:
        """Plain data for the store."""
        return asdict(self)

    @classmethod
    def from_dict(cls, raw: Any) -> Identity:
        """From what `to_dict` stored; anything else is an unknown identity."""
        if not isinstance(raw, Mapping):
            return cls()
        names = ("user_id", "bot_id", "team_id", "enterprise_id", "url")
        return cls(**{name: _text(raw.get(name)) for name in names}, org_wide=raw.get("org_wide") is True)


class _Meta(Protocol):
    """The store's bookkeeping values, as far as the identity needs them."""

    def get_meta(self, key: str) -> Any:
        """Read a bookkeeping value."""


def stored_identity(store: _Meta) -> Identity:
    """The identity an earlier start stored (unknown on a first start ever)."""
    return Identity.from_dict(store.get_meta(META_KEY))


def _text(value: Any) -> str:
    """A field as a string; Slack sends null or leaves out what does not apply."""
    return value if isinstance(value, str) else ""
