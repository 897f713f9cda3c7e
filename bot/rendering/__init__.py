"""Block Kit for everything the bot shows, built from the catalog; always with a text fallback.

One concept, though long: the Renderer of a complaint's own messages and modals (card, thread notes,
management summaries, the forms of each step). Digests, App Home, talks, the reporter's notes and the 8D
have modules of their own beside it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from bot.catalog import Catalog
from bot.config import Config
from bot.customers import CustomerHistory
from bot.eightd.record import EightD
from bot.eightd.rules import EightDRules, progress
from bot.model import Complaint, Status
from bot.mrkdwn import clip, cut, escape, one_line

Block = dict[str, Any]

# Ids Slack sends back to us; the handlers bind listeners to exactly these.
ACTION_RESOLVE = "complaint_resolve"
ACTION_HANDOVER = "complaint_handover"
ACTION_HISTORY = "complaint_history"
ACTION_REOPEN = "complaint_reopen"
ACTION_OPEN_THREAD = "complaint_open_thread"
VIEW_NEW = "complaint_new"
VIEW_RESOLVE = "complaint_resolve_view"
VIEW_HANDOVER = "complaint_handover_view"
VIEW_REOPEN = "complaint_reopen_view"
ACTION_SNOOZE = "complaint_snooze"
VIEW_SNOOZE = "complaint_snooze_view"
ACTION_SEVERITY = "complaint_severity"
ACTION_FILE_TEXT = "complaint_file_text"
ACTION_EIGHT_D = "complaint_eight_d"

SECTION_LIMIT = 3000
FIELD_LIMIT = 2000
HEADER_LIMIT = 150
INPUT_LIMIT = 3000
SUMMARY_INPUT_LIMIT = 300
FALLBACK_SUMMARY = 2000  # a message's text may hold 40,000 characters; a notification needs far fewer
MAX_FILES = 10  # Slack's file field takes at most ten
MAX_FILE_BYTES = 10 * 1024 * 1024  # the most Slack lets a form's file field take, and the most the bot passes on
FILE_TYPES = (  # what a complaint comes with: photos of the damage, the customer's mail, scans, spreadsheets
    "jpg", "jpeg", "png", "gif", "heic", "webp", "tif", "tiff", "pdf", "doc", "docx", "xls", "xlsx", "ppt",
    "pptx", "odt", "ods", "csv", "txt", "eml", "msg",
)  # fmt: skip
BLOCK_FILES = "attachments"  # the filing form's file field


def plain(text: str) -> dict[str, Any]:
    """A plain_text object (emoji allowed)."""
    return {"type": "plain_text", "text": text, "emoji": True}


def md(text: str) -> dict[str, Any]:
    """A mrkdwn text object."""
    return {"type": "mrkdwn", "text": text}


def section(text: str, limit: int = SECTION_LIMIT) -> Block:
    """A section holding already-safe mrkdwn, cut to what a block allows."""
    return {"type": "section", "text": md(cut(text, limit))}


def fields(pairs: list[tuple[str, str]]) -> Block:
    """Up to ten label/value fields, the way Slack shows facts at a glance."""
    return {"type": "section", "fields": [md(cut(f"*{k}*\n{v}", FIELD_LIMIT)) for k, v in pairs[:10]]}


def header(text: str) -> Block:
    """A header block, cut to its 150 characters."""
    return {"type": "header", "text": plain(cut(text, HEADER_LIMIT))}


def context(text: str) -> Block:
    """Small grey print under a message."""
    return {"type": "context", "elements": [md(cut(text, SECTION_LIMIT))]}


def button(text: str, action_id: str, value: str = "", style: str | None = None) -> dict[str, Any]:
    """A button whose click comes back as `action_id` with `value`."""
    element: dict[str, Any] = {"type": "button", "text": plain(cut(text, 75)), "action_id": action_id}
    if value:
        element["value"] = value
    if style:
        element["style"] = style
    return element


def link_button(text: str, url: str, action_id: str) -> dict[str, Any]:
    """A button that opens a link."""
    return {"type": "button", "text": plain(cut(text, 75)), "url": url, "action_id": action_id}


class Renderer:
    """Turns complaints and results into Slack messages and modals in the configured language."""

    def __init__(
        self,
        catalog: Catalog,
        config: Config,
        team_url: str = "https://slack.com/",
        customer_context: Callable[[Complaint], CustomerHistory | None] | None = None,
        eight_d: EightDRules | None = None,
    ) -> None:
        self.catalog = catalog
        self.config = config
        self.team_url = team_url
        self.eight_d = eight_d
        self.t = catalog.t
        # A customer's earlier complaints, for the line on a card that names the customer (None: no such line).
        self.customer_context = customer_context

    def user_text(self, text: str) -> str:
        """Typed text, safe to show: it pings nobody and breaks no markup."""
        return escape(text)

    def thread_link(self, complaint: Complaint) -> str | None:
        """The card's permalink, built the way Slack builds it, without an API call."""
        if not complaint.card_ts:
            return None
        return f"{self.team_url}archives/{complaint.channel}/p{complaint.card_ts.replace('.', '')}"

    def message_link(self, channel: str, ts: str, thread_ts: str = "") -> str:
        """A message's permalink built the way Slack builds it (a reply's names its thread), without an API call."""
        link = f"{self.team_url}archives/{channel}/p{ts.replace('.', '')}"
        if not thread_ts or thread_ts == ts:
            return link
        return link + "?" + urlencode({"thread_ts": thread_ts, "cid": channel})

    def ref(self, complaint: Complaint) -> str:
        """`#12 summary` as a link to the card when there is one.

        A summary may end in a full stop or an ellipsis, so the messages put a reference where nothing follows it
        but the end of a line (or a list row's " · "): never inside a sentence.
        """
        title = escape(clip(one_line(complaint.summary), 80))
        link = self.thread_link(complaint)
        return f"<{link}|#{complaint.number}> {title}" if link else f"#{complaint.number} {title}"

    def person(self, user: str | None) -> str:
        """A mention, or 'nobody'."""
        return f"<@{user}>" if user else self.t("nobody")

    def status(self, complaint: Complaint) -> str:
        """The status word."""
        return self.t(f"status.{complaint.status.value}")

    def card(self, complaint: Complaint, extra: list[Block] | None = None) -> tuple[str, list[Block]]:
        """The complaint's card: what, who, how urgent, who owns it, and what to do next."""
        t = self.t
        summary = escape(complaint.summary)
        blocks: list[Block] = [
            header(t("card.title", number=complaint.number)),
            section(cut(summary, SECTION_LIMIT - 80, " " + t("card.cut"))),
            fields(self._card_fields(complaint)),
        ]
        if complaint.details:
            details = escape(complaint.details)
            blocks.append(section(f"*{t('card.details')}*\n" + cut(details, SECTION_LIMIT - 100, " " + t("card.cut"))))
        if complaint.status is Status.RESOLVED and complaint.resolution:
            blocks.append(section(f"*{t('card.resolution')}*\n" + escape(complaint.resolution)))
        blocks.extend(self._eight_d_lines(complaint))
        blocks.extend(extra or [])
        history = self._customer_history(complaint)
        if history:
            blocks.append(context(history))
        if complaint.source.get("channel") and complaint.source.get("ts"):
            blocks.append(context(self._source_line(complaint.source)))
        if complaint.attachments:
            blocks.append(context(self._attachments_line(len(complaint.attachments))))
        blocks.append(context(self._card_hint(complaint)))
        blocks.append(
            {"type": "actions", "block_id": f"card_{complaint.number}", "elements": self._card_buttons(complaint)}
        )
        fallback = t(
            "card.fallback",
            number=complaint.number,
            status=self.status(complaint),
            summary=cut(escape(one_line(complaint.summary)), 2000),
        )
        return fallback, blocks

    def _customer_history(self, complaint: Complaint) -> str:
        """One line on how often this customer complained before, with a link to the latest; "" when never."""
        found = self.customer_context(complaint) if self.customer_context and complaint.customer else None
        if found is None:
            return ""
        if found.earlier == 1:
            key = "card.history_customer_one_open" if found.open else "card.history_customer_one_resolved"
            return self.t(key, link=self.ref(found.latest))
        number = self.catalog.number
        return self.t(
            "card.history_customer", earlier=number(found.earlier), open=number(found.open), link=self.ref(found.latest)
        )

    def _source_line(self, source: dict[str, str]) -> str:
        """Where a complaint filed from a message came from: its author, and a link back to it."""
        link = source.get("permalink") or self.message_link(
            source["channel"], source["ts"], source.get("thread_ts", "")
        )
        author = self.person(source["author"]) if source.get("author") else self.t("capture.someone")
        return self.t("card.from_message", link=link, author=author)

    def _attachments_line(self, count: int) -> str:
        """How many files are in the card's thread: "3 attachments"."""
        if count == 1:
            return self.t("card.attachments.one")
        return self.t("card.attachments", count=self.catalog.number(count))

    def _card_fields(self, complaint: Complaint) -> list[tuple[str, str]]:
        """The facts shown on the card."""
        t = self.t
        pairs = [
            (t("card.customer"), escape(complaint.customer) or t("none")),
            (t("card.reporter"), self.person(complaint.reporter)),
            (t("card.severity"), self.catalog.word("severity", complaint.severity)),
            (t("card.status"), self.status(complaint)),
            (t("card.owner"), self.person(complaint.owner)),
            (t("card.filed"), self.catalog.when(complaint.filed_at)),
        ]
        if complaint.category:
            pairs.append((t("card.category"), self.catalog.word("category", complaint.category)))
        return pairs

    def eight_d_progress(self, eight_d: EightD) -> str:
        """`8D: D3 ✓ D4 ✓ D5 – D6 – D7 –`."""
        marks = " ".join(f"{d} {'✓' if done else '–'}" for d, done in progress(eight_d))
        return self.t("eightd.progress", marks=marks)

    def eight_d_missing(self, missing: list[str]) -> str:
        """`8D required: D4, D5 missing`."""
        key = "eightd.required_one" if len(missing) == 1 else "eightd.required_many"
        return self.t(key, missing=", ".join(missing))

    def _eight_d_lines(self, complaint: Complaint) -> list[Block]:
        """The card's 8D line, once the 8D has begun or when the severity requires one; with what a resolve needs."""
        rules = self.eight_d
        required = rules is not None and rules.required(complaint)
        if not (complaint.eight_d.started or required):
            return []
        lines = [self.eight_d_progress(complaint.eight_d)]
        missing = rules.missing_for_resolve(complaint) if rules is not None else []
        if missing and complaint.is_open:
            lines.append(self.eight_d_missing(missing))
        return [context("  ·  ".join(lines))]

    def _card_hint(self, complaint: Complaint) -> str:
        """The one line that tells people what to do next."""
        emoji = {"emoji": self.config.claim_emoji, "resolve_emoji": self.config.resolve_emoji}
        if complaint.proposed_to and complaint.status is Status.OWNED:
            return self.t("card.handover_proposed", user=complaint.proposed_to, **emoji)
        if complaint.status is Status.OWNED:  # claiming is done: what the owner does next
            return self.t("card.hint.owned", **emoji)
        if complaint.status is Status.RESOLVED:
            return self.t("card.hint.resolved", **emoji)
        return self.t("card.how_to_claim", **emoji)

    def _card_buttons(self, complaint: Complaint) -> list[dict[str, Any]]:
        """Resolve and hand over while open; reopen once resolved; the 8D and the history always."""
        value = str(complaint.number)
        history = button(self.t("button.history"), ACTION_HISTORY, value)
        eight_d = button(self.t("button.eight_d"), ACTION_EIGHT_D, value)
        if complaint.status is Status.RESOLVED:
            return [button(self.t("button.reopen"), ACTION_REOPEN, value), eight_d, history]
        return [
            button(self.t("button.resolve"), ACTION_RESOLVE, value, "primary"),
            button(self.t("button.handover"), ACTION_HANDOVER, value),
            eight_d,
            history,
            self._severity_menu(complaint),
        ]

    def _severity_menu(self, complaint: Complaint) -> dict[str, Any]:
        """A menu on the card to change the severity, which re-plans the follow-ups."""
        options: list[dict[str, Any]] = [
            {"text": plain(cut(self.catalog.word("severity", name), 75)), "value": f"{complaint.number}:{name}"}
            for name in list(self.config.severities)[:100]
        ]
        menu: dict[str, Any] = {
            "type": "static_select",
            "action_id": ACTION_SEVERITY,
            "placeholder": plain(self.t("button.severity")),
            "options": options,
        }
        current = [o for o in options if o["value"].endswith(f":{complaint.severity}")]
        if current:
            menu["initial_option"] = current[0]
        return menu

    def resolved_summary(self, complaint: Complaint, now: datetime) -> tuple[str, list[Block]]:
        """What management reads when a complaint is resolved."""
        t = self.t
        claim_time = (
            self.catalog.duration(complaint.first_claimed_at - complaint.filed_at)
            if complaint.first_claimed_at
            else t("summary.not_claimed")
        )
        resolve_time = self.catalog.duration((complaint.resolved_at or now) - complaint.filed_at)
        facts = [
            (t("summary.time_to_claim"), claim_time),
            (t("summary.time_to_resolve"), resolve_time),
            (t("summary.replies"), self.catalog.number(complaint.replies)),
            (t("card.severity"), self.catalog.word("severity", complaint.severity)),
        ]
        resolution = section(f"*{t('card.resolution')}*\n" + escape(complaint.resolution))
        blocks = self._for_management(
            complaint, t("summary.resolved.title", number=complaint.number), facts, [resolution]
        )
        fallback = t(
            "summary.resolved.fallback",
            number=complaint.number,
            owner=complaint.owner,
            summary=cut(escape(one_line(complaint.summary)), FALLBACK_SUMMARY),
        )
        return fallback, blocks

    def _for_management(
        self, complaint: Complaint, title: str, facts: list[tuple[str, str]], extra: list[Block]
    ) -> list[Block]:
        """One look for everything management reads about a complaint: title, link, who and where, facts."""
        t = self.t
        blocks = [
            header(title),
            section(self.ref(complaint)),
            fields(
                [
                    (t("card.customer"), escape(complaint.customer) or t("none")),
                    (t("summary.channel"), f"<#{complaint.origin_channel or complaint.channel}>"),
                    (t("card.reporter"), self.person(complaint.reporter)),
                    (t("card.owner"), self.person(complaint.owner)),
                    *facts,
                ]
            ),
            *extra,
        ]
        link = self.thread_link(complaint)
        if link:
            blocks.append(
                {"type": "actions", "elements": [link_button(t("button.open_thread"), link, ACTION_OPEN_THREAD)]}
            )
        return blocks

    def escalation(
        self, complaint: Complaint, reason: str, now: datetime, since: datetime | None = None
    ) -> tuple[str, list[Block]]:
        """What management reads when nobody owns a complaint, its owner went quiet, it is overdue, or it has no
        containment in time (then `since` is when containment was due)."""
        t = self.t
        title = t(f"escalation.{reason}.title", number=complaint.number)
        since = since or {"unclaimed": complaint.unclaimed_since, "quiet": complaint.last_activity_at}.get(reason)
        label = {
            "unclaimed": "escalation.waiting",
            "quiet": "escalation.quiet_for",
            "containment": "escalation.containment_due",
        }.get(reason, "escalation.open_for")
        when = self.catalog.when(since) if reason == "containment" and since else None
        facts = [
            (t(label), when or self.catalog.duration(now - (since or complaint.filed_at))),
            (t("card.severity"), self.catalog.word("severity", complaint.severity)),
        ]
        blocks = self._for_management(complaint, title, facts, [])
        summary = cut(escape(one_line(complaint.summary)), FALLBACK_SUMMARY)
        return t("escalation.fallback", title=title, summary=summary), blocks

    def ask_update(self, complaint: Complaint, quiet_for: str) -> tuple[str, list[Block]]:
        """The question to a quiet owner, with buttons to pause the follow-ups."""
        text = self.t("ask_update.text", owner=complaint.owner, reporter=complaint.reporter, age=quiet_for)
        value = str(complaint.number)
        buttons = [
            button(self.t("button.snooze_1d"), ACTION_SNOOZE, f"{value}:1d"),
            button(self.t("button.snooze_3d"), ACTION_SNOOZE, f"{value}:3d"),
            button(self.t("button.snooze_date"), ACTION_SNOOZE, f"{value}:date"),
        ]
        return text, [
            section(text),
            context(self.t("ask_update.snooze_hint")),
            {"type": "actions", "elements": buttons},
        ]

    def snooze_modal(self, complaint: Complaint, choice: str, today: str) -> dict[str, Any]:
        """Asks for the one-line reason (and the day, for "until…") before pausing follow-ups."""
        t = self.t
        blocks: list[Block] = [section(self.ref(complaint))]
        if choice == "date":
            blocks.append(
                {
                    "type": "input",
                    "block_id": "until",
                    "label": plain(t("modal.snooze.until")),
                    "element": {"type": "datepicker", "action_id": "value", "initial_date": today},
                }
            )
        blocks.append(self.text_input("reason", t("modal.snooze.reason"), max_length=SUMMARY_INPUT_LIMIT))
        return self._modal(
            VIEW_SNOOZE, t("modal.snooze.title"), t("modal.snooze.submit"), blocks, f"{complaint.number}:{choice}"
        )

    def open_list(self, channel: str, complaints: list[Complaint], now: datetime) -> str:
        """The private `/complaint list` answer: open complaints, oldest first, with owner and age."""
        if not complaints:
            return self.t("list.empty", channel=channel)
        lines = [self.t("list.title", channel=channel)]
        for complaint in complaints[:40]:
            owner = self.person(complaint.owner) if complaint.owner else self.t("list.unclaimed")
            line = self.t(
                "list.line",
                number=complaint.number,
                summary=self.ref(complaint).split(" ", 1)[1],
                owner=owner,
                age=self.catalog.ago(complaint.filed_at, now),
            )
            if complaint.channel != channel:  # filed here, its card went to the team that must act
                line += " · " + self.t("list.card_in", channel=complaint.channel)
            lines.append(line)
        if len(complaints) > 40:
            lines.append(self.t("and_more", count=self.catalog.number(len(complaints) - 40)))
        return cut("\n".join(lines), SECTION_LIMIT)

    def offer_to_file(self, text: str) -> list[Block]:
        """When a lookup word began a complaint's text: one click files the whole text instead."""
        return [
            context(self.t("customer.file_instead")),
            {
                "type": "actions",
                "elements": [button(self.t("button.file_instead"), ACTION_FILE_TEXT, cut(text, 2000, ""))],
            },
        ]

    def history(self, complaint: Complaint) -> str:
        """The timeline in words, for the History button."""
        lines = [self.t("history.title", number=complaint.number)]
        for entry in complaint.timeline[-60:]:
            values = {
                "actor": self.person(entry.actor),
                "note": escape(one_line(entry.note)),
                "to": "",
                "until": "",
                "severity": "",
            }
            values["to"] = self.person(entry.data.get("to")) if entry.data.get("to") else ""
            if entry.data.get("until"):
                values["until"] = self.catalog.when(datetime.fromisoformat(entry.data["until"]))
            values["severity"] = self.catalog.word("severity", str(entry.data.get("severity", "")))
            what = (
                self.t(f"timeline.{entry.kind}", **values) if self.catalog.has(f"timeline.{entry.kind}") else entry.kind
            )
            lines.append(self.t("history.line", when=self.catalog.when(entry.at), what=what))
        return cut("\n".join(lines), SECTION_LIMIT)

    def help(self) -> str:
        """The private `/complaint help` answer."""
        return self.t("help.text", emoji=self.config.claim_emoji, resolve_emoji=self.config.resolve_emoji)

    # Modals.

    def _modal(self, callback_id: str, title: str, submit: str, blocks: list[Block], metadata: str) -> dict[str, Any]:
        """A modal with our title, buttons and the context we need back on submit."""
        return {
            "type": "modal",
            "callback_id": callback_id,
            "title": plain(cut(title, 24)),
            "submit": plain(cut(submit, 24)),
            "close": plain(cut(self.t("modal.close"), 24)),
            "private_metadata": metadata,
            "blocks": blocks,
        }

    @staticmethod
    def text_input(
        block_id: str,
        label: str,
        *,
        multiline: bool = False,
        optional: bool = False,
        placeholder: str = "",
        max_length: int = INPUT_LIMIT,
        initial: str = "",
    ) -> Block:
        """A plain text input with a label (and a value already filled in, when there is one)."""
        element: dict[str, Any] = {
            "type": "plain_text_input",
            "action_id": "value",
            "multiline": multiline,
            "max_length": max_length,
        }
        if placeholder:
            element["placeholder"] = plain(cut(placeholder, 150))
        if initial:
            element["initial_value"] = initial[:max_length]  # plain text: nothing to keep whole but characters
        return {"type": "input", "block_id": block_id, "label": plain(label), "optional": optional, "element": element}

    def _select(self, block_id: str, label: str, prefix: str, values: list[str], initial: str | None) -> Block:
        """A static select of configured values, shown in the language."""
        options = [{"text": plain(cut(self.catalog.word(prefix, v), 75)), "value": v} for v in values[:100]]
        element: dict[str, Any] = {"type": "static_select", "action_id": "value", "options": options}
        chosen = [o for o in options if o["value"] == initial]
        if chosen:
            element["initial_option"] = chosen[0]
        return {
            "type": "input",
            "block_id": block_id,
            "label": plain(label),
            "optional": initial is None,
            "element": element,
        }

    def new_complaint_modal(
        self, metadata: str, *, customer: str = "", summary: str = "", details: str = "", intro: str = ""
    ) -> dict[str, Any]:
        """The filing form: customer, summary (required), details, severity, category; filled in where known.

        `metadata` comes back on submit (where it was filed); `intro` is a line above the form (mrkdwn).
        """
        t = self.t
        blocks = [context(intro)] if intro else []
        blocks += [
            self.text_input(
                "customer",
                t("modal.customer"),
                optional=True,
                placeholder=t("modal.customer.placeholder"),
                max_length=SUMMARY_INPUT_LIMIT,
                initial=customer,
            ),
            self.text_input(
                "summary",
                t("modal.summary"),
                placeholder=t("modal.summary.placeholder"),
                max_length=SUMMARY_INPUT_LIMIT,
                initial=summary,
            ),
            self.text_input(
                "details",
                t("modal.details"),
                multiline=True,
                optional=True,
                placeholder=t("modal.details.placeholder"),
                initial=details,
            ),
            self._select(
                "severity", t("modal.severity"), "severity", list(self.config.severities), self.config.default_severity
            ),
            self._select("category", t("modal.category"), "category", list(self.config.categories), None),
            self._file_field(),
        ]
        return self._modal(VIEW_NEW, t("modal.new.title"), t("modal.new.submit"), blocks, metadata)

    def _file_field(self) -> Block:
        """The filing form's optional file field: photos of the damage, the customer's mail, delivery notes."""
        return {
            "type": "input",
            "block_id": BLOCK_FILES,
            "optional": True,
            "label": plain(self.t("modal.attachments")),
            "hint": plain(self.t("modal.attachments.hint")),
            "element": {
                "type": "file_input",
                "action_id": "value",
                "filetypes": list(FILE_TYPES),
                "max_files": MAX_FILES,
            },
        }

    def resolve_modal(self, complaint: Complaint) -> dict[str, Any]:
        """Asks the owner for the resolution note."""
        t = self.t
        blocks = [
            section(self.ref(complaint)),
            self.text_input(
                "resolution", t("modal.resolve.note"), multiline=True, placeholder=t("modal.resolve.note.placeholder")
            ),
        ]
        return self._modal(
            VIEW_RESOLVE,
            t("modal.resolve.title", number=complaint.number),
            t("modal.resolve.submit"),
            blocks,
            str(complaint.number),
        )

    def handover_modal(self, complaint: Complaint) -> dict[str, Any]:
        """Lets the owner propose a person, who then claims it themselves."""
        t = self.t
        picker = {
            "type": "input",
            "block_id": "handover_to",
            "label": plain(t("modal.handover.user")),
            "element": {"type": "users_select", "action_id": "value"},
        }
        blocks = [
            section(self.ref(complaint)),
            picker,
            self.text_input("note", t("modal.handover.note"), optional=True, max_length=SUMMARY_INPUT_LIMIT),
        ]
        return self._modal(
            VIEW_HANDOVER,
            t("modal.handover.title", number=complaint.number),
            t("modal.handover.submit"),
            blocks,
            str(complaint.number),
        )

    def reopen_modal(self, complaint: Complaint) -> dict[str, Any]:
        """Asks why a resolved complaint needs more work."""
        t = self.t
        blocks = [
            section(self.ref(complaint)),
            self.text_input("reason", t("modal.reopen.reason"), multiline=True, max_length=SUMMARY_INPUT_LIMIT),
        ]
        return self._modal(
            VIEW_REOPEN,
            t("modal.reopen.title", number=complaint.number),
            t("modal.reopen.submit"),
            blocks,
            str(complaint.number),
        )
