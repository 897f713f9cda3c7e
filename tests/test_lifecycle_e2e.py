"""The life of a complaint through the real HTTP endpoint and the fake Slack."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from typing import Any

from bot import rendering
from sandbox.sender import sign
from sandbox.workspace import Channel
from tests.harness import Bot


def ephemerals_for(bot: Bot, user: str) -> list[str]:
    return [c.args["text"] for c in bot.fake.calls_to("chat.postEphemeral") if c.ok and c.args.get("user") == user]


def test_file_by_command_posts_card_and_confirms_privately(bot: Bot) -> None:
    answer = bot.slack.command("Müller GmbH received the wrong parts")
    assert answer.status == 200
    assert answer.text.startswith("Filed as #1.") and "<#CSUPPORT>" in answer.text
    post = bot.fake.wait_for("chat.postMessage")[0]
    assert post.args["channel"] == "CSUPPORT" and "thread_ts" not in post.args
    assert post.args["text"].startswith("Complaint #1 (unclaimed): Müller GmbH")
    blocks = json.dumps(post.args["blocks"])
    for expected in ("Complaint #1", "wrong parts", "unclaimed", "<@UANA>", ":raising_hand:", "normal"):
        assert expected in blocks
    assert post.response is not None
    posted = post.response["ts"]
    bot.wait(lambda: bot.complaint(1).card_ts == posted, "card ts stored")


def test_modal_filing_with_validation(bot: Bot) -> None:
    assert bot.slack.command("").status == 200
    view = bot.fake.wait_for("views.open")[0].args["view"]
    assert view["callback_id"] == rendering.VIEW_NEW and view["private_metadata"] == "CSUPPORT"
    assert {b["block_id"] for b in view["blocks"]} >= {"customer", "summary", "details", "severity", "category"}
    missing = bot.slack.submit(rendering.VIEW_NEW, {"summary": {"value": "   "}}, "UANA", "CSUPPORT")
    assert missing.json() == {"response_action": "errors", "errors": {"summary": "Please write a summary."}}
    assert bot.store.get(1) is None
    values: dict[str, dict[str, Any]] = {
        "summary": {"value": "Late delivery"},
        "customer": {"value": "Schulz AG"},
        "details": {"value": "Order 4711, promised for Monday"},
        "severity": {"selected_option": {"value": "high"}},
        "category": {"selected_option": {"value": "delivery"}},
    }
    answer = bot.slack.submit(rendering.VIEW_NEW, values, "UANA", "CSUPPORT")
    assert answer.status == 200 and answer.text == ""
    complaint = bot.complaint(1)
    assert (complaint.customer, complaint.severity, complaint.category) == ("Schulz AG", "high", "delivery")
    bot.settle()
    assert any("Filed as #1" in text for text in ephemerals_for(bot, "UANA"))
    assert "Order 4711" in json.dumps(bot.card(1)["blocks"])


def test_claim_second_claimer_release_and_reclaim(bot: Bot) -> None:
    number = bot.file()
    assert bot.react(number, "UBEN").status == 200
    assert bot.complaint(number).owner == "UBEN"
    bot.react(number, "UCAY")
    assert bot.complaint(number).owner == "UBEN"
    bot.settle()
    refusal = ephemerals_for(bot, "UCAY")
    assert refusal and "owned by <@UBEN>" in refusal[0] and "Hand over" in refusal[0]
    assert "<@UBEN>" in json.dumps(bot.card(number)["blocks"])
    assert any("<@UBEN> took this on" in m["text"] for m in bot.thread(number))
    bot.react(number, "UCAY", added=False)  # not the owner: nothing happens
    assert bot.complaint(number).owner == "UBEN"
    bot.react(number, "UBEN", added=False)
    assert bot.complaint(number).owner is None and bot.complaint(number).status == "unclaimed"
    bot.react(number, "UCAY", emoji="raising_hand::skin-tone-3")
    assert bot.complaint(number).owner == "UCAY"
    bot.settle()
    assert any("let go" in m["text"] for m in bot.thread(number))


def test_handover_only_proposes_and_the_new_person_claims(bot: Bot) -> None:
    number = bot.file()
    bot.react(number, "UBEN")
    bot.slack.button(rendering.ACTION_HANDOVER, str(number), "UCAY")  # not the owner
    bot.settle()
    assert any("Only the owner" in t for t in ephemerals_for(bot, "UCAY"))
    assert not bot.fake.calls_to("views.open")
    bot.slack.button(rendering.ACTION_HANDOVER, str(number), "UBEN")
    view = bot.fake.wait_for("views.open")[0].args["view"]
    assert view["callback_id"] == rendering.VIEW_HANDOVER
    to_self = bot.slack.submit(rendering.VIEW_HANDOVER, {"handover_to": {"selected_user": "UBEN"}}, "UBEN", str(number))
    assert to_self.json()["response_action"] == "errors"
    answer = bot.slack.submit(
        rendering.VIEW_HANDOVER,
        {"handover_to": {"selected_user": "UDAN"}, "note": {"value": "you know this customer"}},
        "UBEN",
        str(number),
    )
    assert answer.status == 200 and answer.text == ""
    assert bot.complaint(number).owner == "UBEN" and bot.complaint(number).proposed_to == "UDAN"
    bot.settle()
    assert any("<@UDAN>" in m["text"] and "you know this customer" in m["text"] for m in bot.thread(number))
    bot.react(number, "UDAN")
    assert bot.complaint(number).owner == "UDAN" and bot.complaint(number).proposed_to is None


def test_resolve_by_button_with_note_sends_summary(bot: Bot) -> None:
    number = bot.file()
    bot.react(number, "UBEN")
    bot.slack.button(rendering.ACTION_RESOLVE, str(number), "UCAY")
    bot.settle()
    assert any("Only the owner, <@UBEN>, resolves" in t for t in ephemerals_for(bot, "UCAY"))
    bot.react(number, "UCAY", emoji="white_check_mark")
    assert bot.complaint(number).status == "owned"
    bot.slack.button(rendering.ACTION_RESOLVE, str(number), "UBEN")
    view = bot.fake.wait_for("views.open")[0].args["view"]
    empty = bot.slack.submit(rendering.VIEW_RESOLVE, {"resolution": {"value": ""}}, "UBEN", view["private_metadata"])
    assert "resolution" in empty.json()["errors"]
    bot.slack.submit(
        rendering.VIEW_RESOLVE,
        {"resolution": {"value": "Sent replacement parts by express"}},
        "UBEN",
        view["private_metadata"],
    )
    complaint = bot.complaint(number)
    assert complaint.status == "resolved" and complaint.resolution == "Sent replacement parts by express"
    bot.settle()
    summary = [c for c in bot.fake.calls_to("chat.postMessage") if c.ok and c.args["channel"] == "CMGMT"]
    assert len(summary) == 1
    blocks = json.dumps(summary[0].args["blocks"], ensure_ascii=False)
    for expected in (
        "Resolved: complaint #1",
        "Müller GmbH",
        "<@UANA>",
        "<@UBEN>",
        "Time to claim",
        "Time to resolve",
        "Thread replies",
        "Sent replacement parts",
        "archives/CSUPPORT/p",
    ):
        assert expected in blocks
    assert "resolved" in json.dumps(bot.card(number)["blocks"])


def test_reopen_by_reporter_only(bot: Bot) -> None:
    number = bot.file()
    bot.react(number, "UBEN")
    bot.react(number, "UBEN", emoji="white_check_mark")
    bot.slack.button(rendering.ACTION_REOPEN, str(number), "UCAY")
    bot.settle()
    assert any("Only the reporter" in t for t in ephemerals_for(bot, "UCAY"))
    bot.slack.button(rendering.ACTION_REOPEN, str(number), "UANA")
    view = bot.fake.wait_for("views.open")[0].args["view"]
    bot.slack.submit(
        rendering.VIEW_REOPEN, {"reason": {"value": "customer called again"}}, "UANA", view["private_metadata"]
    )
    complaint = bot.complaint(number)
    assert complaint.status == "unclaimed" and complaint.owner is None
    bot.settle()
    assert any("customer called again" in m["text"] for m in bot.thread(number))
    bot.react(number, "UBEN", added=False)  # the old owner's reaction going away changes nothing
    bot.react(number, "UCAY")
    assert bot.complaint(number).owner == "UCAY"


def test_list_and_help_are_private(bot: Bot) -> None:
    assert "No open complaints" in bot.slack.command("list").text
    bot.file("first thing")
    second = bot.file("second thing")
    bot.react(second, "UBEN")
    listing = bot.slack.command("list").text
    assert listing.index("first thing") < listing.index("second thing")
    assert "<@UBEN>" in listing and "unclaimed" in listing
    assert "/complaint customer" in bot.slack.command("help").text
    assert bot.slack.command("hilfe").text == bot.slack.command("help").text  # German words work in any language
    assert "list of things" in bot.complaint(bot.file("list of things")).summary


def test_the_word_payload_files_normally(bot: Bot) -> None:
    answer = bot.slack.command("the payload was damaged in transit")
    assert answer.status == 200 and "#1" in answer.text
    assert bot.complaint(1).summary == "the payload was damaged in transit"


def test_broadcasts_never_ping(bot: Bot) -> None:
    number = bot.file("<!channel> <!here> <!everyone> <!subteam^S123|@sales> @channel ask <@UBEN>")
    post = bot.fake.calls_to("chat.postMessage")[0].args
    rendered = post["text"] + json.dumps(post["blocks"])
    for forbidden in ("<!channel>", "<!here>", "<!everyone>", "<!subteam"):
        assert forbidden not in rendered
    assert "<@UBEN>" in rendered
    assert "<!channel>" in bot.complaint(number).summary  # kept as typed in the store


def test_long_text_is_cut_on_card_and_kept_whole(bot: Bot) -> None:
    text = "x" * 10_000
    number = bot.file(text)
    assert bot.complaint(number).summary == text
    blocks = bot.card(number)["blocks"]
    assert all(len(b.get("text", {}).get("text", "")) <= 3000 for b in blocks)


def test_redelivered_event_acts_once(bot: Bot) -> None:
    number = bot.file()
    bot.react(number, "UBEN", event_id="EvSAME")
    bot.react(number, "UBEN", added=False, event_id="EvOTHER")
    bot.react(number, "UBEN", event_id="EvSAME", retry_num=1)  # Slack's retry of the first one
    assert bot.complaint(number).owner is None
    bot.settle()
    assert sum("took this on" in m["text"] for m in bot.thread(number)) == 1


def test_forged_and_stale_signatures_change_nothing(bot: Bot) -> None:
    body = b"command=%2Fcomplaint&text=forged&user_id=UANA&channel_id=CSUPPORT"
    forged = bot.slack.post(body, "application/x-www-form-urlencoded", signature="v0=" + "0" * 64)
    assert forged.status == 401
    old = int(time.time()) - 301
    stale = bot.slack.post(body, "application/x-www-form-urlencoded", ts=old, signature=sign(body, old))
    assert stale.status == 401
    recent = int(time.time()) - 290  # inside the five minutes, with a margin for a busy machine
    fresh = bot.slack.post(body, "application/x-www-form-urlencoded", ts=recent, signature=sign(body, recent))
    assert fresh.status == 200
    bot.settle()  # a command naming no team: its sender's organisation is looked up after the ack
    assert [c.summary for c in bot.store.all_complaints()] == ["forged"]


def test_thirty_simultaneous_filings_get_thirty_numbers(bot: Bot) -> None:
    answers: list[str] = []
    lock = threading.Lock()

    def file(i: int) -> None:
        text = bot.slack.command(f"complaint {i}", user=f"U{i:04d}").text
        with lock:
            answers.append(text)

    threads = [threading.Thread(target=file, args=(i,)) for i in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = sorted(int(a.split("#")[1].split(".")[0]) for a in answers)
    assert numbers == list(range(1, 31))
    bot.settle(10)
    cards = [c for c in bot.fake.calls_to("chat.postMessage") if c.ok and "thread_ts" not in c.args]
    assert len(cards) == 30


def test_rate_limited_card_is_retried_after_retry_after(bot: Bot) -> None:
    bot.fake.fail("chat.postMessage", status=429, retry_after=1, times=2)
    answer = bot.slack.command("slow day at Slack")
    assert answer.status == 200 and "#1" in answer.text
    bot.wait(lambda: bot.complaint(1).card_ts is not None, "card after 429", 8)
    cards = [c for c in bot.fake.calls_to("chat.postMessage") if c.ok]
    assert len(cards) == 1


def test_card_goes_to_fallback_when_bot_cannot_post(make_bot: Callable[..., Bot]) -> None:
    bot = make_bot()
    bot.fake.workspace.add_channel(Channel("CPRIVATE", "secret-project", ["UANA"], is_private=True))  # bot not in it
    url = bot.fake.response_url_for("CPRIVATE", "UANA")
    answer = bot.slack.command("secret project complaint", channel="CPRIVATE", response_url=url)
    assert answer.status == 200
    bot.wait(lambda: bot.complaint(1).card_ts is not None, "card in fallback")
    assert bot.complaint(1).channel == "CFALLBACK"
    bot.settle()
    [notice] = [e["text"] for e in bot.fake.ephemerals if e["user"] == "UANA"]  # through the command's response_url
    assert "<#CPRIVATE>" in notice and "<#CFALLBACK>" in notice and "/invite @Complaint Desk" in notice


def test_a_form_filed_where_the_bot_cannot_post_tells_the_reporter_in_their_thread(
    make_bot: Callable[..., Bot],
) -> None:
    bot = make_bot()
    bot.fake.workspace.add_channel(Channel("CPRIVATE", "secret-project", ["UANA"], is_private=True))  # bot not in it
    answer = bot.slack.submit(
        rendering.VIEW_NEW, {"summary": {"value": "secret project complaint"}}, "UANA", "CPRIVATE"
    )
    assert answer.status == 200
    bot.wait(lambda: bot.store.get(1) is not None and bot.complaint(1).card_ts is not None, "card in fallback")
    assert bot.complaint(1).channel == "CFALLBACK"
    bot.settle()
    notices = [c for c in bot.fake.calls_to("chat.postMessage") if c.ok and c.args["channel"] == "UANA"]
    assert len(notices) == 1 and "<#CPRIVATE>" in notices[0].args["text"] and "<#CFALLBACK>" in notices[0].args["text"]
    # The notice starts the reporter's thread about #1: what happens next is a reply there.
    thread = bot.complaint(1).reporter_thread
    assert notices[0].response is not None and thread["ts"] == notices[0].response["ts"]
    bot.react(1, "UBEN")
    bot.settle()
    (claimed,) = bot.fake.messages("UANA", thread["ts"])
    assert claimed["text"].startswith("<@UANA>: <@UBEN> has taken on your complaint")


def test_history_button_answers_privately(bot: Bot) -> None:
    number = bot.file()
    bot.react(number, "UBEN")
    bot.slack.button(rendering.ACTION_HISTORY, str(number), "UCAY")
    bot.settle()
    history = ephemerals_for(bot, "UCAY")[-1]
    assert "History of #1" in history and "filed by <@UANA>" in history and "taken on by <@UBEN>" in history


def test_a_complaint_starting_with_the_customer_word_can_be_filed_in_one_click(bot: Bot) -> None:
    text = "Kunde Müller hat falsche Teile bekommen"
    answer = bot.slack.command(text)
    assert answer.status == 200 and bot.store.get(1) is None
    offer = [e for b in answer.json()["blocks"] if b["type"] == "actions" for e in b["elements"]]
    assert offer and offer[0]["action_id"] == rendering.ACTION_FILE_TEXT and offer[0]["value"] == text
    for _ in range(2):  # a second click on the same offer files nothing more
        assert bot.slack.button(rendering.ACTION_FILE_TEXT, text, "UANA", message_ts="1700000099.000100").status == 200
    assert bot.complaint(1).summary == text and bot.store.get(2) is None
    bot.settle()
    assert any("Filed as #1" in t for t in ephemerals_for(bot, "UANA"))


def test_the_cards_hint_says_what_to_do_next_at_each_step(bot: Bot) -> None:
    """Only an unclaimed card invites people to take it on; an owned one says how it ends, a resolved one how it
    opens again."""

    def hint() -> str:
        contexts = [b for b in bot.card(number)["blocks"] if b["type"] == "context"]
        return str(contexts[-1]["elements"][0]["text"])

    number = bot.file()
    assert "React with :raising_hand: to take this on" in hint()
    bot.react(number, "UBEN")
    bot.settle()
    assert "take this on" not in hint() and "Hand over" in hint()
    bot.react(number, "UBEN", "white_check_mark")
    bot.settle()
    assert "take this on" not in hint() and "reopen" in hint()
