"""Photos and documents with a complaint, end to end through the fake Slack: the form's file field, the files of
the message a complaint is filed from, files posted in its thread; a file too large, a download that fails."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

from slack_sdk import WebClient

from bot import rendering
from bot.rendering.capture import SHORTCUT_FILE
from sandbox.fake_slack import FakeSlack
from tests.harness import Bot
from tests.pg import fresh_schema
from tests.test_german_e2e import Shown

SAMPLES = Path(__file__).parent / "fixtures" / "java-slack-sdk-samples"
PHOTO = b"\xff\xd8\xff\xe0 a photo of the broken pallet " * 2000
SCAN = b"%PDF-1.4 the delivery note " * 500
BIG = 11 * 1024 * 1024


def picked(fake: FakeSlack, name: str, content: bytes, user: str = "UANA") -> dict[str, Any]:
    """A file someone picked in the form's file field: Slack stores it and hands the app its file object."""
    return fake.add_file(name, content, user=user)


def file_form(
    bot: Bot, files: list[dict[str, Any]], summary: str = "Pallets arrived broken", user: str = "UANA"
) -> Any:
    """Submit the filing form with these files in its file field, as Slack sends the view's state."""
    values: dict[str, dict[str, Any]] = {
        "summary": {"value": summary},
        rendering.BLOCK_FILES: {"type": "file_input", "files": files},
    }
    return bot.slack.submit(rendering.VIEW_NEW, values, user, "CSUPPORT")


def shared(bot: Bot, number: int) -> list[dict[str, Any]]:
    """The messages in the card's thread that carry files."""
    return [m for m in bot.thread(number) if m.get("files")]


def card_text(bot: Bot, number: int) -> str:
    """Everything the card shows."""
    return json.dumps(bot.card(number)["blocks"], ensure_ascii=False)


def private_to(bot: Bot, user: str) -> list[str]:
    """The private notes a person got."""
    return [e["text"] for e in bot.fake.ephemerals if e["user"] == user]


def test_the_form_offers_a_file_field(bot: Bot) -> None:
    bot.slack.command("")
    view = bot.fake.wait_for("views.open")[0].args["view"]
    field = next(b for b in view["blocks"] if b.get("block_id") == rendering.BLOCK_FILES)
    assert field["optional"] is True and field["label"]["text"] == "Photos and documents"
    element = field["element"]
    assert element["type"] == "file_input" and element["max_files"] == 10
    assert {"jpg", "png", "heic", "pdf", "docx", "xlsx", "eml"} <= set(element["filetypes"])


def test_files_from_the_form_are_shared_in_the_thread_as_one_message_and_counted_on_the_card(bot: Bot) -> None:
    fake = bot.fake
    files = [
        picked(fake, "pallet-1.jpg", PHOTO),
        picked(fake, "pallet-2.jpg", PHOTO[::-1]),
        picked(fake, "note.pdf", SCAN),
    ]
    answer = file_form(bot, files)
    assert answer.status == 200 and answer.text == ""
    bot.settle()
    (message,) = shared(bot, 1)
    assert message["text"] == ":paperclip: 3 files attached to #1 when it was filed."
    copies = [fake.files[f["id"]] for f in message["files"]]
    assert [(c.filename, c.content) for c in copies] == [
        ("pallet-1.jpg", PHOTO),
        ("pallet-2.jpg", PHOTO[::-1]),
        ("note.pdf", SCAN),
    ]
    assert all(c.thread_ts == bot.complaint(1).card_ts for c in copies)
    downloads = fake.calls_to("download")
    assert [d.args["file"] for d in downloads] == [f["id"] for f in files]
    assert all(d.headers["Authorization"] == "Bearer xoxb-test" for d in downloads)  # the bot token, only there
    assert ":paperclip: 3 attachments in the thread" in card_text(bot, 1)
    kept = bot.complaint(1).attachments
    assert [(a["name"], a["origin"], a["by"], a["source"]) for a in kept] == [
        ("pallet-1.jpg", "form", "UANA", files[0]["id"]),
        ("pallet-2.jpg", "form", "UANA", files[1]["id"]),
        ("note.pdf", "form", "UANA", files[2]["id"]),
    ]
    assert [a["id"] for a in kept] == [f["id"] for f in message["files"]]
    assert any("Filed as #1" in text for text in private_to(bot, "UANA"))
    assert not any("could not attach" in text for text in private_to(bot, "UANA"))


def test_files_are_fetched_after_the_answer_so_a_slow_slack_never_holds_up_filing(bot: Bot) -> None:
    fake = bot.fake
    fake.fail("download", status=503, times=-1)
    answer = file_form(bot, [picked(fake, "pallet.jpg", PHOTO)])
    assert answer.status == 200 and answer.text == ""  # filed, and the form closed
    bot.wait(lambda: bot.complaint(1).card_ts is not None, "the card")
    fake.wait_for("download", where=lambda call: call.status == 503)
    assert shared(bot, 1) == [] and bot.complaint(1).attachments == []
    fake.heal("download")
    bot.wait(lambda: len(bot.complaint(1).attachments) == 1, "the file, once Slack answers", 10)
    bot.settle()
    assert len(shared(bot, 1)) == 1 and ":paperclip: 1 attachment in the thread" in card_text(bot, 1)


def test_a_file_too_large_and_downloads_that_fail_are_told_privately_and_the_complaint_is_filed(bot: Bot) -> None:
    fake = bot.fake
    good = picked(fake, "pallet.jpg", PHOTO)
    declared = picked(fake, "video.mov", b"x" * 16)
    declared["size"] = BIG  # too large by what Slack says: never downloaded
    understated = picked(fake, "scan.tiff", b"y" * (BIG + 1))
    understated["size"] = 2048  # too large by what arrives: the download stops at 10 MB
    deleted = picked(fake, "old-quote.pdf", SCAN)
    fake.delete_file(deleted["id"])
    forbidden = picked(fake, "mail.eml", b"From: buyer@acme.example")
    fake.unreadable_files.add(forbidden["id"])
    answer = file_form(bot, [good, declared, understated, deleted, forbidden])
    assert answer.status == 200 and answer.text == ""
    bot.settle(10)
    assert bot.complaint(1).summary == "Pallets arrived broken"  # filed whatever happened to the files
    (message,) = shared(bot, 1)
    assert [f["name"] for f in message["files"]] == ["pallet.jpg"]
    assert message["text"] == ":paperclip: 1 file attached to #1 when it was filed."
    assert ":paperclip: 1 attachment in the thread" in card_text(bot, 1)
    assert [a["name"] for a in bot.complaint(1).attachments] == ["pallet.jpg"]
    assert declared["id"] not in [d.args["file"] for d in fake.calls_to("download")]
    statuses = {d.args["file"]: d.status for d in fake.calls_to("download")}
    assert statuses[deleted["id"]] == 404 and statuses[forbidden["id"]] == 403
    (note,) = [text for text in private_to(bot, "UANA") if "could not attach" in text]
    assert note.startswith("The complaint is filed, but I could not attach everything to it: <")
    assert "|#1> Pallets arrived broken\n" in note
    assert "• video.mov (11 MB) is larger than the 10 MB I can pass on." in note
    assert "• scan.tiff is larger than the 10 MB I can pass on." in note  # Slack said 2 KB; it was not
    assert "• old-quote.pdf: Slack would not let me read it" in note
    assert "• mail.eml: Slack would not let me read it" in note
    assert "post them in its thread yourself" in note
    assert "pallet.jpg" not in note


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Shows a redirect as the answer it is."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def test_a_download_needs_the_bot_token_and_a_file_that_is_there(fake: FakeSlack) -> None:
    record = fake.add_file("pallet.jpg", PHOTO, user="UANA")
    url = record["url_private_download"]
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Authorization": "Bearer xoxb-test"})) as got:
        assert got.read() == PHOTO and got.headers["Content-Type"] == "image/jpeg"
    opener = urllib.request.build_opener(NoRedirect)

    def status(token: str | None) -> int:
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        try:
            with opener.open(urllib.request.Request(url, headers=headers)) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return error.code

    assert status(None) == 302 and status("xoxb-invalid") == 302  # Slack sends them to sign in
    fake.unreadable_files.add(record["id"])
    assert status("xoxb-test") == 403
    fake.delete_file(record["id"])
    assert status("xoxb-test") == 404


def test_a_share_whose_answer_was_lost_is_not_shared_again(bot: Bot) -> None:
    fake = bot.fake
    fake.fail("files.completeUploadExternal", status=500, after_effect=True)  # shared, but the answer is lost
    file_form(bot, [picked(fake, "pallet.jpg", PHOTO), picked(fake, "note.pdf", SCAN)])
    bot.wait(lambda: len(bot.complaint(1).attachments) == 2, "the files recorded", 10)
    bot.settle()
    assert len(fake.calls_to("files.completeUploadExternal")) == 1  # files.info showed it was shared
    assert len(shared(bot, 1)) == 1 and len(fake.calls_to("download")) == 2
    assert ":paperclip: 2 attachments in the thread" in card_text(bot, 1)


def test_uploads_slack_forgot_before_sharing_are_fetched_again(bot: Bot) -> None:
    fake = bot.fake
    fake.fail("files.completeUploadExternal", error="file_upload_expired")
    file_form(bot, [picked(fake, "pallet.jpg", PHOTO)])
    bot.wait(lambda: len(bot.complaint(1).attachments) == 1, "the file, fetched again", 10)
    bot.settle()
    assert len(fake.calls_to("download")) == 2 and len(fake.calls_to("files.completeUploadExternal")) == 2
    (message,) = shared(bot, 1)
    assert fake.files[message["files"][0]["id"]].content == PHOTO
    assert not any("could not attach" in text for text in private_to(bot, "UANA"))


def test_a_restart_goes_on_where_the_files_stopped(make_bot: Callable[..., Bot]) -> None:
    restart_midway(make_bot)


def test_a_restart_goes_on_where_the_files_stopped_on_postgresql(make_bot: Callable[..., Bot]) -> None:
    with fresh_schema() as url:
        restart_midway(make_bot, storage={"backend": "postgresql", "url": url})


def restart_midway(make_bot: Callable[..., Bot], **config: Any) -> None:
    """Files fetched and handed to Slack, Slack not sharing them, the bot stopped; a new one shares them."""
    bot = make_bot(**config)
    fake = bot.fake
    fake.fail("files.completeUploadExternal", status=503, times=-1)
    file_form(bot, [picked(fake, "pallet.jpg", PHOTO), picked(fake, "note.pdf", SCAN)])
    fake.wait_for("files.completeUploadExternal")
    assert len(fake.calls_to("download")) == 2 and len(fake.calls_to("upload")) == 2
    bot.stop()
    fake.heal()
    again = make_bot(**config)
    again.wait(lambda: len(again.complaint(1).attachments) == 2, "the files after the restart", 10)
    again.settle()
    assert len(fake.calls_to("download")) == 2  # fetched once: the restart shared what was uploaded
    assert len(shared(again, 1)) == 1


def test_the_files_of_a_message_come_along_when_it_is_filed_as_a_complaint(bot: Bot) -> None:
    fake = bot.fake
    mail = fake.add_file_message(
        "CSALES", [("pallet.jpg", PHOTO), ("delivery-note.pdf", SCAN)], user="UCARL", text="Acme: pallets broken"
    )
    fields = {key: mail[key] for key in ("ts", "text", "user", "team", "files", "subtype", "upload")}
    answer = bot.slack.message_shortcut(SHORTCUT_FILE, fields, "UANA", "CSALES")
    assert answer.status == 200
    view = fake.wait_for("views.open")[0].args["view"]
    assert "The message's files (2 files) come along into the complaint's thread." in json.dumps(view["blocks"])
    values: dict[str, dict[str, Any]] = {
        "summary": {"value": "pallets broken"},
        rendering.BLOCK_FILES: {"type": "file_input", "files": []},
    }
    assert bot.slack.submit(rendering.VIEW_NEW, values, "UANA", view["private_metadata"]).status == 200
    bot.settle()
    (message,) = shared(bot, 1)
    assert [f["name"] for f in message["files"]] == ["pallet.jpg", "delivery-note.pdf"]
    assert [fake.files[f["id"]].content for f in message["files"]] == [PHOTO, SCAN]
    assert [c.args["file"] for c in fake.calls_to("files.info")][:2] == [f["id"] for f in mail["files"]]
    assert [a["origin"] for a in bot.complaint(1).attachments] == ["message", "message"]
    assert ":paperclip: 2 attachments in the thread" in card_text(bot, 1)


def test_files_posted_in_the_thread_count_too(bot: Bot) -> None:
    number = bot.file()
    card_ts = bot.complaint(number).card_ts or ""
    posted = bot.fake.add_file_message(
        "CSUPPORT", [("crack.jpg", PHOTO), ("crack-2.jpg", PHOTO)], user="UBEN", thread_ts=card_ts
    )
    answer = bot.slack.message(
        "CSUPPORT", "UBEN", "", posted["ts"], thread_ts=card_ts, parent_user_id="UBOT", files=posted["files"]
    )
    assert answer.status == 200
    bot.settle()
    complaint = bot.complaint(number)
    assert complaint.replies == 1 and complaint.repliers == ["UBEN"]
    assert [(a["name"], a["origin"], a["by"]) for a in complaint.attachments] == [
        ("crack.jpg", "thread", "UBEN"),
        ("crack-2.jpg", "thread", "UBEN"),
    ]
    assert ":paperclip: 2 attachments in the thread" in card_text(bot, number)
    assert bot.fake.calls_to("download") == []  # in the thread already: nothing to fetch
    bot.slack.message("CSUPPORT", "UBEN", "", posted["ts"], thread_ts=card_ts, files=posted["files"])
    bot.settle()
    assert len(bot.complaint(number).attachments) == 2


def shape(value: Any) -> Any:
    """A JSON value's type, and for objects the types of their fields."""
    if isinstance(value, dict):
        return {key: shape(inner) for key, inner in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else "list"
    return type(value).__name__


def same(ours: Any, theirs: Any, where: str) -> None:
    """Every field we send is one Slack sends, with the same type (nulls aside)."""
    if isinstance(ours, dict) and isinstance(theirs, dict) and theirs and all(k[:2] == "C0" for k in theirs):
        for key, inner in ours.items():  # keyed by channel id (a file's shares)
            same(inner, next(iter(theirs.values())), f"{where}.{key}")
    elif isinstance(ours, dict) and theirs == {}:  # the sample blanked what the object holds
        pass
    elif isinstance(ours, dict):
        assert isinstance(theirs, dict), where
        for key, inner in ours.items():
            assert key in theirs, f"{where}.{key} is not in Slack's sample"
            same(inner, theirs[key], f"{where}.{key}")
    elif isinstance(ours, list):
        assert isinstance(theirs, list) or theirs == "list", where
        if ours and isinstance(theirs, list):
            same(ours[0], theirs[0], f"{where}[0]")
    elif ours == "list":  # an empty list: any list Slack sends
        assert isinstance(theirs, list) or theirs == "list", where
    else:
        assert ours == theirs or "NoneType" in (ours, theirs), f"{where}: {ours} where Slack sends {theirs}"


def test_file_objects_are_shaped_as_slack_sends_them(bot: Bot) -> None:
    fake = bot.fake
    upload = json.loads((SAMPLES / "api" / "files.completeUploadExternal.json").read_text(encoding="utf-8"))
    event = json.loads((SAMPLES / "events" / "MessageFileSharePayload.json").read_text(encoding="utf-8"))["event"]
    picked_file = picked(fake, "pallet.jpg", PHOTO)
    same(shape(picked_file), shape(upload["files"][0]), "form file")
    file_form(bot, [picked_file])
    bot.settle()
    shared_file = fake.last("files.completeUploadExternal").response
    assert shared_file is not None
    same(shape(shared_file["files"][0]), shape(upload["files"][0]), "completeUploadExternal file")
    info = WebClient(token="xoxb-test", base_url=fake.url).files_info(file=shared_file["files"][0]["id"])
    same(shape(info["file"]), shape(upload["files"][0]), "files.info file")
    url = fake.last("files.getUploadURLExternal").response
    sample_url = json.loads((SAMPLES / "api" / "files.getUploadURLExternal.json").read_text(encoding="utf-8"))
    same(shape(url), shape(sample_url), "getUploadURLExternal")
    posted = fake.add_file_message("CSUPPORT", [("crack.jpg", PHOTO)], user="UBEN", thread_ts=bot.complaint(1).card_ts)
    same(shape(posted["files"][0]), shape(event["files"][0]), "file_share file")
    message = {k: v for k, v in posted.items() if k not in ("team",)}
    same(shape(message), shape(event), "file_share message")


def test_in_german_the_files_of_a_message_come_along_and_a_failure_is_told(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot(language="de")
    fake = bot.fake
    mail = fake.add_file_message(
        "CSALES", [("Palette.jpg", PHOTO), ("Angebot.pdf", SCAN)], user="UCARL", text="Paletten kamen zerbrochen an"
    )
    fake.delete_file(mail["files"][1]["id"])  # deleted before it could be fetched
    fields = {key: mail[key] for key in ("ts", "text", "user", "team", "files", "subtype", "upload")}
    assert bot.slack.message_shortcut(SHORTCUT_FILE, fields, "UANA", "CSALES").status == 200
    view = fake.wait_for("views.open")[0].args["view"]
    intro = json.dumps(view["blocks"][0], ensure_ascii=False)
    assert "Die Dateien der Nachricht (2 Dateien) kommen mit in den Thread der Reklamation." in intro
    field = next(b for b in view["blocks"] if b.get("block_id") == rendering.BLOCK_FILES)
    assert field["label"]["text"] == "Fotos und Dokumente"
    values: dict[str, dict[str, Any]] = {"summary": {"value": "Paletten zerbrochen"}}
    assert bot.slack.submit(rendering.VIEW_NEW, values, "UANA", view["private_metadata"]).status == 200
    bot.settle()
    (message,) = shared(bot, 1)
    assert message["text"] == ":paperclip: 1 Datei beim Erfassen von #1 angehängt."
    assert ":paperclip: 1 Anhang im Thread" in card_text(bot, 1)
    (note,) = [text for text in private_to(bot, "UANA") if "nicht alles anhängen" in text]
    assert "• Angebot.pdf: Slack lässt mich die Datei nicht lesen" in note
    assert not Shown(bot).english()
