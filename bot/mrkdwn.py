"""Making typed text safe for Slack: no broadcasts, no control characters, no broken blocks."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

_USER_MENTION = re.compile(r"<@([UW][A-Z0-9]{2,})(?:\|[^<>]*)?>")
_BROADCAST_WORD = re.compile(r"@(channel|here|everyone)\b", re.IGNORECASE)
_BROADCAST_AT_END = re.compile(r"@(channel|here|everyone)$", re.IGNORECASE)
_ZERO_WIDTH = "\u200b"


def clean(text: str) -> str:
    """Drop NUL and control characters (keeping line breaks and tabs) and trim the ends."""
    kept = (ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return "".join(kept).replace("\r", "").strip()


def one_line(text: str) -> str:
    """Fold a text onto one line, for titles and list rows."""
    return " ".join(clean(text).split())


def escape(text: str) -> str:
    """Show typed text as typed: special sequences such as <!channel> become plain text.

    Slack only treats `<…>` sequences and `&` entities specially, so escaping `&`, `<` and `>` makes every
    `<!here>`, `<!subteam^…>` or link shown as text. A plain mention of a colleague (`<@U…>`) is kept, as
    people expect. The words `@channel`, `@here`, `@everyone` get a zero-width space so that no client or
    `link_names` setting can turn them into a broadcast.
    """
    kept: list[str] = []
    start = 0
    for mention in _USER_MENTION.finditer(text):
        kept.append(_escape_plain(text[start : mention.start()]))
        kept.append(f"<@{mention.group(1)}>")
        start = mention.end()
    kept.append(_escape_plain(text[start:]))
    return "".join(kept)


def _escape_plain(text: str) -> str:
    """Escape a stretch of text without mentions; no mark is put in that typed text could imitate."""
    held = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _BROADCAST_WORD.sub(lambda m: f"@{_ZERO_WIDTH}{m.group(1)}", held)


def cut(text: str, limit: int, marker: str = "…") -> str:
    """Shorten to at most `limit` characters without splitting an escape sequence or a mention.

    A cut that would end in a broadcast word ("@here0000" cut after "@here") drops that word, as the cut
    would make a broadcast of it.
    """
    if len(text) <= limit:
        return text
    room = max(0, limit - len(marker))
    head = text[:room]
    for opener, closer in (("&", ";"), ("<", ">")):
        start = head.rfind(opener)
        if start != -1 and closer not in head[start:]:
            head = head[:start]
    broadcast = _BROADCAST_AT_END.search(head)
    if broadcast is not None:
        head = head[: broadcast.start()]
    return head + marker


def clip(text: str, limit: int) -> str:
    """Shorten a title with an ellipsis that follows a word, never a stop, a comma or a space ("bore.…")."""
    if len(text) <= limit:
        return text
    return cut(text, limit - 1, "").rstrip(" .,;:…") + "…"


_MARKUP = re.compile(r"<([^<>|]*)(?:\|([^<>]*))?>")


def as_plain(text: str, *, urls: bool = False, names: Callable[[str], str] | None = None) -> str:
    """A message's text as a person reads it: links, mentions and channels as their words, entities undone.

    `<https://x|order 4711>` becomes "order 4711" (with `urls`: "order 4711 (https://x)"), `<@U1|ana>` "@ana",
    `<@U1>` "@" and the name `names` gives for U1 (without it "@U1"), `<#C1|sales>` "#sales", `<!here>` "@here".
    The result is typed text again: shown on a card it is escaped like any other, so it pings nobody.
    """

    def word(match: re.Match[str]) -> str:
        target, label = match.group(1), match.group(2) or ""
        if target[:1] == "@" and not label and names is not None:
            return "@" + names(target[1:])
        if target[:1] in "@#":
            return target[:1] + (label.lstrip("@#") or target[1:])
        if target.startswith("!"):
            return label or "@" + target[1:].split("^", 1)[0]
        if target.startswith("mailto:"):
            return label or target.removeprefix("mailto:")
        if not label or label == target:
            return target
        return f"{label} ({target})" if urls else label

    shown = _MARKUP.sub(word, text)
    return shown.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
