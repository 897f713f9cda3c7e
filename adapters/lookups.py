"""The Web API lookups the services make after an acknowledgement: user groups, people, channels (and joining
a public channel, which is how the bot comes to hear its events).

They run on the WebClient with its own retries (a lookup is safe to repeat), and turn any failure into
LookupFailed, which the services read as "Slack could not tell".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_sdk import WebClient

from adapters.slack_web import TRANSIENT_CODES
from bot.identity import Identity
from bot.lookups import Conversation, LookupFailed, Member

# conversations.info's answers for a channel the bot cannot see: a private channel it is not in, or a DM.
NO_SUCH_CHANNEL = {"channel_not_found", "method_not_supported_for_channel_type"}


class SlackLookups:
    """usergroups.users.list, users.info and conversations.info, as the services need them."""

    def __init__(self, client: WebClient, once: WebClient, identity: Callable[[], Identity]) -> None:
        self.client = client
        self.once = once  # without retries: the outbox asks about channels, and while Slack is down one call probes
        self.identity = identity

    def group_members(self, group: str) -> list[str]:
        """A user group's members (scope usergroups:read).

        An org-wide token (Enterprise Grid) must name the workspace the group belongs to: the one auth.test named.
        """
        identity = self.identity()
        team = identity.team_id if identity.org_wide and identity.team_id else None
        answer = self._call(lambda: self.client.usergroups_users_list(usergroup=group, team_id=team))
        return [str(user) for user in answer.get("users") or []]

    def member(self, user: str) -> Member:
        """A person's team and Enterprise Grid organisation (scope users:read)."""
        found = self._call(lambda: self.client.users_info(user=user)).get("user") or {}
        enterprise = (found.get("enterprise_user") or {}).get("enterprise_id") or found.get("enterprise_id") or ""
        return Member(team=str(found.get("team_id") or ""), enterprise=str(enterprise))

    def conversation(self, channel: str) -> Conversation:
        """Whether the bot is in a channel, and whether it is shared with another organisation (Slack Connect)."""
        try:
            found = self.once.conversations_info(channel=channel).get("channel") or {}
        except Exception as exc:
            code = _code(exc)
            if code in NO_SUCH_CHANNEL:
                return Conversation(exists=False, private=True)
            raise LookupFailed(code or type(exc).__name__, transient=_transient(exc, code)) from exc
        return Conversation(
            member=found.get("is_member") is True,
            private=found.get("is_private") is True,
            shared=found.get("is_ext_shared") is True,
            archived=found.get("is_archived") is True,
        )

    def join(self, channel: str) -> None:
        """conversations.join; Slack says `already_in_channel` as a warning, which is fine."""
        self._call(lambda: self.once.conversations_join(channel=channel))

    @staticmethod
    def _call(fn: Callable[[], Any]) -> Any:
        """One call; any failure is LookupFailed (final when Slack answered with an error code, not a 5xx)."""
        try:
            return fn()
        except Exception as exc:
            code = _code(exc)
            raise LookupFailed(code or type(exc).__name__, transient=_transient(exc, code)) from exc


def _code(exc: Exception) -> str:
    """Slack's error code in a failed call, if it got that far."""
    response = getattr(exc, "response", None)
    try:
        return str(response.get("error") or "") if response is not None else ""
    except Exception:
        return ""


def _status(exc: Exception) -> int:
    """The HTTP status of a failed call's answer (0 when there was none)."""
    response = getattr(exc, "response", None)
    return int(getattr(response, "status_code", 0) or 0)


def _transient(exc: Exception, code: str) -> bool:
    """Whether asking again later may get another answer: no answer at all, a 5xx, a 429 or a passing error."""
    return not code or _status(exc) >= 500 or _status(exc) == 429 or code in TRANSIENT_CODES
