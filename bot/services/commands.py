"""What `/complaint …` means: a subcommand word, or the text of a new complaint."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.catalog import SUBCOMMANDS
from bot.model import Effect
from bot.rendering import Renderer
from bot.services import Deps, request_key
from bot.services.lifecycle import Draft, Lifecycle
from bot.store import AlreadySeen, Store, Transaction

# Subcommands that take the rest of the text as their argument; the others must stand alone.
WITH_ARGUMENT = {"customer", "eight_d"}
# `/complaint <customer>: <text>`: what stands before the first colon is a customer's name only when it is this
# short, and is none of the things people also put before a colon.
CUSTOMER_NAME_LIMIT = 60
# Pasted mail: reply and forward prefixes (English, German, French, Nordic) and header words.
MAIL_PREFIXES = frozenset({"re", "aw", "wg", "fw", "fwd", "tr", "sv", "vs", "antw"}) | frozenset(
    {"subject", "betreff", "from", "von", "to", "an", "cc", "bcc", "date", "datum", "sent", "gesendet"}
)
_LINK_OR_MENTION = re.compile(r"<[^<>]*>|@|://|\bwww\.", re.IGNORECASE)
_TIME = re.compile(r"\d{1,2}(?:[:.]\d{2})?\s*(?:uhr|h|am|pm)?", re.IGNORECASE)
# `/complaint 8d 12` makes a report; `/complaint 8D report missing` is a complaint about one.
BARE_NUMBER = re.compile(r"#?\d{1,9}")


def act_once(tx: Transaction, key: str) -> None:
    """Store `tx` only if no earlier delivery of this command was stored; else AlreadySeen is raised.

    `key` is Slack's id of the command (its trigger_id; "" when unknown: no check), see `request_key`.
    """
    if key:
        tx.once(request_key(key))


def queue_once(store: Store, key: str, *effects: Effect) -> bool:
    """Queue a command's effects in one commit with its key (see `act_once`); False when it was acted on before."""
    try:
        with store.transaction() as tx:
            act_once(tx, key)
            for effect in effects:
                tx.enqueue(effect)
    except AlreadySeen:
        return False
    return True


@dataclass
class Reply:
    """The private answer to a command, or a modal to open instead."""

    text: str = ""
    view: dict[str, Any] | None = None
    blocks: list[dict[str, Any]] | None = None
    found_nothing: bool = False


# A subcommand: (channel, user, argument, key) -> the private answer; `key` as for `act_once`.
Subcommand = Callable[[str, str, str, str], Reply]


def parse(text: str) -> tuple[str, str]:
    """Split into (subcommand, argument); ("file", text) when the text is a complaint.

    `customer Müller` looks the customer up; `Kunde Müller: Lieferung beschädigt` files a complaint for them.
    """
    words = text.strip().split(maxsplit=1)
    if not words:
        return "form", ""
    name = SUBCOMMANDS.get(words[0].lower())
    argument = words[1] if len(words) > 1 else ""
    if name in WITH_ARGUMENT and not argument:  # "/complaint 8d" without its number: say how, file nothing
        return "help", ""
    if name is None or (argument and name not in WITH_ARGUMENT):
        return "file", text
    if name == "customer" and split_customer(text)[0]:
        return "file", text
    if name == "eight_d" and not BARE_NUMBER.fullmatch(argument.strip()):
        return "file", text
    return name, argument


def split_customer(text: str) -> tuple[str, str]:
    """`Acme GmbH: delivery damaged` -> ("Acme GmbH", "delivery damaged"); ("", text) when no customer is named.

    `Customer Acme: …` and `Kunde Müller: …` name the customer too. The text after the colon may be empty
    (`Acme GmbH:`), which leaves the summary to be asked for.
    """
    head, colon, rest = text.partition(":")
    if not colon or rest.startswith("//"):  # no colon, or a link's scheme (https://…)
        return "", text
    name = _customer_name(head.strip(), rest)
    return (name, rest.strip()) if name else ("", text)


def _customer_name(head: str, rest: str) -> str:
    """The customer named by the text before the colon, or "" when it is something else."""
    if not head or len(head) > CUSTOMER_NAME_LIMIT or "\n" in head or _LINK_OR_MENTION.search(head):
        return ""
    lowered = head.lower()
    if lowered in MAIL_PREFIXES:
        return ""
    first, _, named = head.partition(" ")
    word = SUBCOMMANDS.get(first.lower())
    if word == "customer":  # "Customer Acme", "Kunde Müller"
        head = named.strip()
    elif word is not None:  # "8D: …", "8D report: …", "Hilfe: …" are about the command, not a customer
        return ""
    if not any(ch.isalpha() for ch in head) or _TIME.fullmatch(head) or (head.isdigit() and rest[:2].isdigit()):
        return ""  # a time (12:30, 9.15 Uhr), a date or a number
    return head


@dataclass
class Commands:
    """Runs `/complaint` for one person in one channel."""

    deps: Deps
    lifecycle: Lifecycle
    render: Renderer
    extra: dict[str, Subcommand] = field(default_factory=dict)

    def run(self, channel: str, user: str, text: str, key: str = "", response_url: str = "") -> Reply:
        """Do what the words say and return what only the caller sees (`key`: Slack's id of this command;
        `response_url`: where the caller can be told more later)."""
        name, argument = parse(text)
        if name == "form":
            return Reply(view=self.render.new_complaint_modal(channel))
        if name == "file":
            customer, summary = split_customer(text)
            if customer and not summary:  # "/complaint Acme GmbH:": the form asks for the rest
                return Reply(view=self.render.new_complaint_modal(channel, customer=customer))
            draft = Draft(
                channel=channel, reporter=user, summary=summary, customer=customer, key=key, response_url=response_url
            )
            return Reply(text=self.lifecycle.file(draft).reply or "")
        if name == "help":
            return Reply(text=self.render.help())
        if name == "list":
            complaints = self.lifecycle.open_in_channel(channel)
            return Reply(text=self.render.open_list(channel, complaints, self.deps.now()))
        run = self.extra.get(name)
        if run is None:  # a subcommand this installation does not offer: say what it does offer
            return Reply(text=self.render.help())
        reply = run(channel, user, argument, key)
        if reply.found_nothing:  # "/complaint Kunde Müller hat …" may be a complaint, not a search
            reply.blocks = [*(reply.blocks or []), *self.render.offer_to_file(text)]
        return reply
