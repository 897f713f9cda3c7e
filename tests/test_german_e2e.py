"""A whole complaint's life in German through the real endpoint and the fake Slack: not one English word shows."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from typing import Any

from bot import rendering
from bot.catalog import CATALOGS
from bot.rendering import reporter
from sandbox.sender import Response
from tests.harness import Bot

FAST = {
    "normal": {
        "remind_unclaimed": "1s",
        "escalate_unclaimed": "2s",
        "ask_update": "1s",
        "escalate_quiet": "2s",
        "resolve_within": "1w",
    }
}

# Words the bot says in English; none of them may show in German. Words German shares with English
# (Status, Details, normal, Service, Thread, Export, Link, Meeting, App, Huddle, Pause, Minute) are left out.
ENGLISH_TEXT = """
complaint complaints customer customers owner owners severity resolved resolve resolution unclaimed owned
reported reporter filed file over handover history reopen reopened nobody hour hours day days minutes second
seconds week weeks month months ago reminder management manager managers quiet overdue digest open summary report
the and of is are has with your you please by for from this it no yes not yet taken claim claimed waiting since
replies reply channel category time to on talk talked satisfied next mine updated nothing none more cancel save
propose reason why until who what when let's list help
"""
ENGLISH = ENGLISH_TEXT.split()
ENGLISH_WORD = re.compile(r"\b(" + "|".join(re.escape(w) for w in ENGLISH) + r")\b", re.IGNORECASE)
TEXT_KEYS = {"text", "title", "initial_comment", "alt_text", "filename"}
TECHNICAL = re.compile(r"<[^<>]*>|:[a-z0-9_+'-]+:|`[^`]*`|/complaint\b")

# What people type in this test; it is theirs, not the bot's, and stays out of the check.
SUMMARY = "Müller GmbH hat falsche Teile bekommen"
FORM_SUMMARY = "Lieferung kam zwei Wochen zu spät"
CUSTOMER = "Schulz AG"
DETAILS = "Auftrag 4711, zugesagt für Montag"
HANDOVER_NOTE = "kennt den Kunden seit Jahren"
RESOLUTION = "Ersatzteile per Express verschickt"
FILES = ("Schaden.jpg", "Lieferschein.pdf", "Angebot.pdf")
TYPED = (SUMMARY, FORM_SUMMARY, CUSTOMER, DETAILS, HANDOVER_NOTE, RESOLUTION, *FILES)


def english_in(text: str) -> list[str]:
    """The English words in a text, after typed content, mentions, links, emoji codes and code are taken out."""
    for typed in TYPED:
        text = text.replace(typed, " ")
    return ENGLISH_WORD.findall(TECHNICAL.sub(" ", text))


def texts_in(value: Any) -> Iterator[str]:
    """Every text in a Slack API argument or answer: all "text" fields at any depth, titles and comments."""
    if isinstance(value, dict):
        for key, inner in value.items():
            if key in TEXT_KEYS and isinstance(inner, str):
                yield inner
            elif key == "errors" and isinstance(inner, dict):
                yield from (v for v in inner.values() if isinstance(v, str))
            yield from texts_in(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from texts_in(inner)


class Shown:
    """Everything the bot showed people in the test: what Slack received, and the direct answers over HTTP."""

    def __init__(self, bot: Bot) -> None:
        self.bot = bot
        self.answers: list[str] = []

    def answer(self, response: Response) -> str:
        """Keep an HTTP answer (a command's private reply or a form's errors) and return its text."""
        assert response.status == 200, response.text
        try:
            body = response.json()
        except ValueError:
            body = response.text
        found = [body] if isinstance(body, str) else list(texts_in(body))
        self.answers += found
        return "\n".join(found)

    def all(self) -> list[str]:
        """Every text the fake Slack received or people were answered with, and the files' text."""
        texts = list(self.answers)
        for call in self.bot.fake.calls:
            texts += texts_in(call.args)
        for upload in self.bot.fake.files.values():
            texts += [upload.title, upload.filename, upload.initial_comment or ""]
            if upload.filename.endswith(".csv"):
                texts.append(upload.content.decode("utf-8-sig"))
        return [t for t in texts if t]

    def english(self) -> dict[str, list[str]]:
        """Each text that holds English words, with the words."""
        return {text[:160]: words for text in self.all() if (words := english_in(text))}


def open_home(bot: Bot, user: str) -> Response:
    """The person opens the app's Home tab."""
    event = {
        "type": "app_home_opened",
        "user": user,
        "channel": f"D{user}",
        "tab": "home",
        "event_ts": f"{time.time():.6f}",
    }
    return bot.slack.event(event)


def messages_with(bot: Bot, channel: str, marker: str) -> list[dict[str, Any]]:
    """Messages the fake holds in a channel (threads included) whose text or blocks contain `marker`."""
    everything = {m["ts"]: m for m in bot.fake.messages(channel)}
    for message in list(everything.values()):
        everything.update((m["ts"], m) for m in bot.fake.messages(channel, message["ts"]))
    return [
        m
        for m in everything.values()
        if marker in m.get("text", "") + json.dumps(m.get("blocks") or [], ensure_ascii=False)
    ]


def test_the_detector_finds_english_and_the_german_catalog_has_none() -> None:
    assert english_in(CATALOGS["en"]["thread.claimed"].format(user="UBEN")) == ["this", "on", "and", "it"]
    assert "Complaint" in english_in(CATALOGS["en"]["card.title"].format(number=1))
    assert english_in("Reklamation #1 ist erledigt, <@UBEN> :tada: `/complaint liste`") == []
    german = {key: re.sub(r"{\w+}", " ", text) for key, text in CATALOGS["de"].items()}  # placeholders are code
    leaks = {key: english_in(text) for key, text in german.items() if english_in(text)}
    assert not leaks, leaks


def test_a_whole_complaint_in_german_shows_no_english(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(language="de", timezone="Europe/Berlin", managers=["UBOSS"], severities=FAST)
    shown = Shown(bot)
    fake = bot.fake

    # Help and an empty list, in German words.
    assert "So funktioniert" in shown.answer(bot.slack.command("hilfe"))
    assert "Keine offenen Reklamationen" in shown.answer(bot.slack.command("liste"))

    # Filed by command, claimed, refused to a second claimer, handed over, claimed by the new person.
    answer = bot.slack.command(SUMMARY)
    assert shown.answer(answer).startswith("Als #1 erfasst.")
    bot.wait(lambda: bot.complaint(1).card_ts is not None, "card of #1")
    card = json.dumps(bot.card(1)["blocks"], ensure_ascii=False)
    for word in ("Reklamation #1", "Kunde", "Dringlichkeit", "Zuständig", "nicht übernommen", "Erledigen", "Übergeben"):
        assert word in card, word
    bot.react(1, "UBEN")
    bot.react(1, "UCAY")
    bot.settle()
    refusals = [e["text"] for e in fake.ephemerals if e.get("user") == "UCAY"]
    assert refusals and "ist schon <@UBEN> zuständig" in refusals[0]
    bot.slack.button(rendering.ACTION_HANDOVER, "1", "UBEN")
    fake.wait_for("views.open")
    answer = bot.slack.submit(
        rendering.VIEW_HANDOVER,
        {"handover_to": {"selected_user": "UBEN"}},
        "UBEN",
        "1",
    )
    assert "Du bist schon zuständig" in shown.answer(answer)
    values = {"handover_to": {"selected_user": "UDAN"}, "note": {"value": HANDOVER_NOTE}}
    shown.answer(bot.slack.submit(rendering.VIEW_HANDOVER, values, "UBEN", "1"))
    bot.react(1, "UDAN")
    assert bot.complaint(1).owner == "UDAN"

    # Resolved with a note: management summary, the reporter's DM and the customer question.
    bot.slack.button(rendering.ACTION_RESOLVE, "1", "UDAN")
    fake.wait_for("views.open", 2)
    shown.answer(bot.slack.submit(rendering.VIEW_RESOLVE, {"resolution": {"value": RESOLUTION}}, "UDAN", "1"))
    assert bot.complaint(1).status == "resolved"
    bot.settle()
    assert messages_with(bot, "CMGMT", "Erledigt: Reklamation #1")
    assert messages_with(bot, "CMGMT", "Zeit bis zur Übernahme")
    dm = fake.dm_channel("UANA")
    [asked] = messages_with(bot, "UANA", reporter.ACTION_SATISFIED)
    assert asked["text"].startswith("<@UANA>: <@UDAN> hat deine Reklamation")  # a reply that mentions her
    assert asked["subtype"] == "thread_broadcast"
    [root] = [m for m in fake.messages("UANA") if m.get("subtype") != "thread_broadcast"]  # one thread for #1
    assert root["ts"] == asked["thread_ts"] == bot.complaint(1).reporter_thread["ts"]
    assert "<@UBEN> hat deine Reklamation" in root["text"]
    assert "*Stand* · Deine Reklamation" in json.dumps(root["blocks"], ensure_ascii=False)
    value = next(
        e["value"]
        for b in asked["blocks"]
        for e in b.get("elements", [])
        if e.get("action_id") == reporter.ACTION_SATISFIED
    )
    bot.slack.button(reporter.ACTION_SATISFIED, value, "UANA", channel=dm, message_ts=asked["ts"])
    bot.wait(lambda: bot.complaint(1).confirmed is True, "customer satisfied")
    bot.slack.button(rendering.ACTION_HISTORY, "1", "UCAY")

    # Filed through the form, left alone: a reminder in its thread, then management and the reporter are told.
    shown.answer(bot.slack.command(""))
    fake.wait_for("views.open", 3)
    assert "Kurzbeschreibung" in shown.answer(
        bot.slack.submit(rendering.VIEW_NEW, {"summary": {"value": " "}}, "UANA", "CSUPPORT")
    )
    photo = fake.add_file("Schaden.jpg", b"\xff\xd8 Foto", user="UANA")
    too_large = {**fake.add_file("Lieferschein.pdf", b"%PDF", user="UANA"), "size": 12 * 1024 * 1024}
    deleted = fake.add_file("Angebot.pdf", b"%PDF", user="UANA")
    fake.delete_file(deleted["id"])  # its download fails
    form: dict[str, dict[str, Any]] = {
        "summary": {"value": FORM_SUMMARY},
        "customer": {"value": CUSTOMER},
        "details": {"value": DETAILS},
        "severity": {"selected_option": {"value": "normal"}},
        "category": {"selected_option": {"value": "delivery"}},
        rendering.BLOCK_FILES: {"type": "file_input", "files": [photo, too_large, deleted]},
    }
    shown.answer(bot.slack.submit(rendering.VIEW_NEW, form, "UANA", "CSUPPORT"))
    bot.wait(lambda: bot.store.get(2) is not None and bot.complaint(2).card_ts is not None, "card of #2")
    bot.wait(lambda: len(bot.complaint(2).attachments) == 1, "the photo in the thread of #2")
    bot.settle()
    [with_files] = [m for m in bot.thread(2) if m.get("files")]
    assert with_files["text"] == ":paperclip: 1 Datei beim Erfassen von #2 angehängt."
    assert ":paperclip: 1 Anhang im Thread" in json.dumps(bot.card(2)["blocks"], ensure_ascii=False)
    [note] = [e["text"] for e in fake.ephemerals if "nicht alles anhängen" in e["text"]]
    assert "• Lieferschein.pdf (12 MB) ist größer als die 10 MB, die ich weitergeben kann." in note
    assert "• Angebot.pdf: Slack lässt mich die Datei nicht lesen" in note
    bot.wait(lambda: any("niemand übernommen" in m["text"] for m in bot.thread(2)), "the reminder", 6)
    bot.wait(lambda: bool(messages_with(bot, "CMGMT", "Für Reklamation #2 ist niemand zuständig")), "escalation", 6)
    bot.wait(lambda: bool(messages_with(bot, "UANA", "Geschäftsleitung")), "the reporter told of it", 6)
    assert "_noch niemand zuständig_" in shown.answer(bot.slack.command("liste"))
    assert "Schulz AG" in shown.answer(bot.slack.command("kunde Schulz"))
    bot.react(2, "UBEN")  # taken on, then left quiet: the owner is asked for news
    bot.wait(lambda: any("gibt es etwas Neues" in m["text"] for m in bot.thread(2)), "the question to the owner", 6)

    # The App Home, the channel's digest, the management report and the export.
    for user in ("UDAN", "UANA"):
        assert open_home(bot, user).status == 200
    assert "Geschäftsleitung vorbehalten" in shown.answer(bot.slack.command("bericht", user="UANA"))
    shown.answer(bot.slack.command("übersicht"))
    assert shown.answer(bot.slack.command("bericht", user="UBOSS")) == "Der Bericht steht in <#CMGMT>."
    assert "CSV-Datei" in shown.answer(bot.slack.command("export", user="UBOSS"))
    fake.wait_for("files.completeUploadExternal", 2, timeout=15)
    bot.settle(10)
    assert "Deine Reklamationen" in json.dumps(fake.home_views["UDAN"]["blocks"], ensure_ascii=False)
    reported = json.dumps(fake.home_views["UANA"]["blocks"], ensure_ascii=False)  # #2 is hers, Ben has it
    assert "*Von dir gemeldet (1)*" in reported and f"{CUSTOMER} · <@UBEN> kümmert sich · seit " in reported
    assert messages_with(bot, "CSUPPORT", "Reklamationsübersicht")
    assert messages_with(bot, "CMGMT", "Reklamationsbericht")
    [export] = [f for f in fake.files.values() if f.filename.endswith(".csv")]
    assert export.content.decode("utf-8-sig").startswith("Nummer,Eingegangen am")

    leaks = shown.english()
    assert not leaks, json.dumps(leaks, ensure_ascii=False, indent=1)
    assert len(shown.all()) > 60  # the check looked at the whole conversation, not a handful of texts
