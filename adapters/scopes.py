"""The bot-token scopes the bot needs, and a check at start that the installation granted them.

A release that calls a new Web API method may need a scope the workspace has not granted yet: Slack then answers
that call `missing_scope`, and a retried post that cannot read its channel back may even appear twice. The start
says so in one line, naming each missing scope, so an admin knows to reinstall the app (see README, Upgrading).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

log = logging.getLogger("complaints.slack")

# Each scope and what it is for; manifest.yml asks for exactly these (tests check both against the Web API methods
# the code calls and the scopes Slack's reference gives for each).
BOT_SCOPES: dict[str, str] = {
    "commands": "the /complaint command and the File as complaint shortcut",
    "chat:write": "cards, thread updates, digests, direct messages",
    "chat:write.public": "cards and digests in public channels the bot was not invited to",
    "channels:join": "joining a public channel before its first card (routing targets too), so its events arrive",
    "channels:read": "whether the bot is in a public channel and whether it is shared with another organisation; "
    "hearing that the bot was invited or removed",
    "groups:read": "the same for private channels",
    "reactions:read": "claim and resolve by emoji",
    "reactions:write": "the claim emoji under each new card",
    "channels:history": "thread replies in public channels, and reading back its own posts there",
    "groups:history": "the same in private channels",
    "im:history": "reading back its own direct messages after a failed post",
    "mpim:history": "reading back its own posts in the group conversation of a talk",
    "im:write": "direct messages",
    "mpim:write": "the group conversation of a talk",
    "usergroups:read": "managers given as a user group",
    "files:write": "exports, charts, 8D reports and the files brought at filing",
    "files:read": "fetching the files people attach",
    "users:read": "people's names on the 8D report, and which organisation someone belongs to",
}


def granted(headers: Mapping[str, object]) -> set[str] | None:
    """The scopes in a Web API answer's x-oauth-scopes header; None when the answer has no such header."""
    for name, value in headers.items():
        if name.lower() == "x-oauth-scopes":
            text = value[0] if isinstance(value, list) and value else value
            return {scope.strip() for scope in str(text).split(",") if scope.strip()}
    return None


def report_missing(headers: Mapping[str, object]) -> list[str]:
    """Log, in one line, the scopes the bot needs that the installation lacks; returns them."""
    have = granted(headers)
    if have is None:
        return []
    lacking = [scope for scope in BOT_SCOPES if scope not in have]
    if lacking:
        log.warning(
            "the app's installation lacks scopes the bot needs: %s; reinstall the app from manifest.yml "
            "(Slack asks an admin to approve them) and restart",
            ", ".join(lacking),
        )
    return lacking
