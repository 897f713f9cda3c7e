"""Filing from any message: the message shortcut, end to end through the fake Slack, in English and German."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from bot import rendering
from bot.rendering.capture import ACTION_FILE_ANYWAY, SHORTCUT_FILE, VIEW_FILED_BEFORE
from sandbox.fake_slack import FakeSlack
from sandbox.sender import SlackSender
from sandbox.workspace import Channel
from tests.harness import Bot
from tests.slack_samples import request_problems
from tests.test_german_e2e import Shown

MAIL = (
    "Acme GmbH says the pallets arrived broken, see <https://acme.example/o/4711|order 4711>\n"
    "They want a call today; <@UBEN> knows them. &lt;3 &amp; thanks"
)
NAMES = {"UBEN": "Ben Schulz", "UCARL": "Carl Dvořák"}


def shortcut(bot: Bot, message: dict[str, Any], user: str = "UANA", channel: str = "CSALES") -> None:
    """Someone uses "File as complaint" on a message, and the modal it opens is waited for."""
    before = len(bot.fake.calls_to("views.open"))
    fields: dict[str, Any] = {
        key: message[key] for key in ("ts", "text", "user", "thread_ts", "team") if key in message
    }
    answer = bot.slack.message_shortcut(
        SHORTCUT_FILE, fields, user, channel, response_url=bot.fake.response_url("shortcut")
    )
    assert answer.status == 200 and answer.text == ""
    bot.fake.wait_for("views.open", before + 1)


def opened(bot: Bot) -> dict[str, Any]:
    """The latest modal the bot opened."""
    return bot.fake.calls_to("views.open")[-1].args["view"]


def initial(view: dict[str, Any], block_id: str) -> str:
    """What an input of the form was filled in with."""
    block = next(b for b in view["blocks"] if b.get("block_id") == block_id)
    return str(block["element"].get("initial_value", ""))


def submit(bot: Bot, view: dict[str, Any], user: str = "UANA", **values: str) -> Any:
    """Submit the filled-in form as Slack would: what was filled in, changed by `values`."""
    fields = {name: initial(view, name) for name in ("customer", "summary", "details")}
    fields.update(values)
    state = {name: {"value": value} for name, value in fields.items() if value}
    return bot.slack.submit(rendering.VIEW_NEW, state, user, view["private_metadata"])


def replies_under(bot: Bot, channel: str, ts: str) -> list[str]:
    return [m.get("text", "") for m in bot.fake.messages(channel, ts)]


def test_filing_a_message_fills_in_the_form_and_replies_under_it(bot: Bot, fake: FakeSlack) -> None:
    fake.users.update({user: {"real_name": name} for user, name in NAMES.items()})
    message = fake.add_message("CSALES", MAIL, user="UCARL")
    shortcut(bot, message)
    view = opened(bot)
    assert view["callback_id"] == rendering.VIEW_NEW
    assert initial(view, "summary") == "Acme GmbH says the pallets arrived broken, see order 4711"
    details = initial(view, "details")
    assert "order 4711 (https://acme.example/o/4711)" in details and "@Ben Schulz knows them. <3 & thanks" in details
    assert initial(view, "customer") == ""  # Acme GmbH is no known customer: nothing is guessed
    intro = json.dumps(view["blocks"][0])
    assert "<@UCARL>" in intro and f"archives/CSALES/p{message['ts'].replace('.', '')}" in intro
    assert bot.store.get(1) is None  # nothing is filed before the form is sent

    answer = submit(bot, view, customer="Acme GmbH")
    assert answer.status == 200 and answer.text == ""
    complaint = bot.complaint(1)
    assert (complaint.reporter, complaint.channel, complaint.customer) == ("UANA", "CSALES", "Acme GmbH")
    assert complaint.source["author"] == "UCARL" and complaint.source["ts"] == message["ts"]
    bot.settle()
    permalink = fake.permalink("CSALES", message["ts"])
    assert [c.args["message_ts"] for c in fake.calls_to("chat.getPermalink")] == [message["ts"]]
    card = json.dumps(bot.card(1)["blocks"])
    assert f"From <{permalink}|a message> by <@UCARL>" in card
    card_link = f"archives/CSALES/p{(bot.complaint(1).card_ts or '').replace('.', '')}"
    [reply] = replies_under(bot, "CSALES", message["ts"])
    assert (
        reply.startswith("Filed as <") and card_link in reply and "|#1> by <@UANA>; its card is in <#CSALES>." in reply
    )
    assert not fake.ephemerals  # the reply under the message told everyone, the filer included


def test_the_same_message_again_shows_its_complaint_and_can_be_filed_anew(bot: Bot, fake: FakeSlack) -> None:
    message = fake.add_message("CSALES", "Müller GmbH: Lieferung beschädigt", user="UCARL")
    shortcut(bot, message)
    submit(bot, opened(bot), customer="Müller GmbH")
    bot.settle()

    shortcut(bot, message, user="UDAN")
    note = opened(bot)
    assert note["callback_id"] == VIEW_FILED_BEFORE
    text = json.dumps(note["blocks"], ensure_ascii=False)
    assert "This message was already filed (unclaimed; owner: nobody): <" in text
    assert "|#1> Müller GmbH: Lieferung beschädigt" in text
    bot.react(1, "UBEN")
    bot.slack.button(rendering.ACTION_RESOLVE, "1", "UBEN")
    bot.slack.submit(rendering.VIEW_RESOLVE, {"resolution": {"value": "new pallets sent"}}, "UBEN", "1")
    shortcut(bot, message, user="UDAN")
    note = opened(bot)
    assert "(resolved; owner: <@UBEN>)" in json.dumps(note["blocks"])

    button = note["blocks"][-1]["elements"][0]
    assert button["action_id"] == ACTION_FILE_ANYWAY
    shown = {**note, "id": "VNOTE1", "hash": "h"}
    answer = bot.slack.block_action(
        {"type": "button", "action_id": ACTION_FILE_ANYWAY, "block_id": "b", "value": "1"}, "UDAN", view=shown
    )
    assert answer.status == 200
    form = fake.wait_for("views.update")[0].args
    assert form["view_id"] == "VNOTE1" and form["view"]["callback_id"] == rendering.VIEW_NEW
    # Müller GmbH is a known customer now, and leads the message: the form names it and keeps the rest.
    assert (initial(form["view"], "customer"), initial(form["view"], "summary")) == (
        "Müller GmbH",
        "Lieferung beschädigt",
    )
    submit(bot, form["view"], user="UDAN")
    assert bot.complaint(2).source["ts"] == message["ts"] and bot.complaint(2).reporter == "UDAN"
    bot.settle()
    shortcut(bot, message)
    assert "#2>" in json.dumps(opened(bot)["blocks"])  # the latest one filed from it


def test_a_message_without_text_leaves_the_summary_to_the_filer(bot: Bot, fake: FakeSlack) -> None:
    message = fake.add_message("CSALES", "", user="UCARL")
    shortcut(bot, message)
    view = opened(bot)
    assert initial(view, "summary") == "" and initial(view, "details") == ""
    answer = submit(bot, view)
    assert answer.json() == {"response_action": "errors", "errors": {"summary": "Please write a summary."}}
    assert bot.store.get(1) is None
    assert submit(bot, view, summary="photo of the broken pallet").text == ""
    assert bot.complaint(1).summary == "photo of the broken pallet"


def test_where_the_bot_cannot_reply_the_filer_is_told_privately(bot: Bot, fake: FakeSlack) -> None:
    fake.workspace.add_channel(Channel("CPRIVATE", "billing", ["UANA", "UCARL"], is_private=True))  # bot not in it
    message = fake.add_message("CPRIVATE", "the invoice is wrong", user="UCARL")
    shortcut(bot, message, channel="CPRIVATE")
    submit(bot, opened(bot))
    bot.settle()
    assert bot.complaint(1).channel == "CFALLBACK"  # the card went where the bot may post
    [told] = [c.args for c in fake.calls_to("response_url") if c.ok]
    assert told["response_type"] == "ephemeral"
    assert "|#1>; its card is in <#CFALLBACK>. I cannot reply under the message, so only you see this." in told["text"]
    assert replies_under(bot, "CPRIVATE", message["ts"]) == []

    # Once the response_url has expired, the filer hears it as a direct message.
    fake.fail("response_url", status=404, error="expired_url", times=-1)
    second = fake.add_message("CPRIVATE", "and the delivery note too", user="UCARL")
    shortcut(bot, second, channel="CPRIVATE")
    submit(bot, opened(bot))
    bot.settle()
    dms = [m.get("text", "") for m in fake.messages("UANA")]
    assert any("|#2>; its card is in <#CFALLBACK>." in text for text in dms)


def test_in_german(make_bot: Callable[..., Bot], fake: FakeSlack) -> None:
    bot = make_bot(language="de")
    message = fake.add_message("CSALES", "Kunde ruft an: Lieferung kam beschädigt an", user="UCARL")
    shortcut(bot, message)
    view = opened(bot)
    assert view["title"]["text"] == "Neue Reklamation"
    assert "Aus <" in json.dumps(view["blocks"][0], ensure_ascii=False)
    submit(bot, view, customer="Schulz AG")
    bot.settle()
    card = json.dumps(bot.card(1)["blocks"], ensure_ascii=False)
    assert "|einer Nachricht> von <@UCARL>" in card
    [reply] = replies_under(bot, "CSALES", message["ts"])
    assert "|#1> erfasst von <@UANA>; die Karte ist in <#CSALES>." in reply
    shortcut(bot, message)
    note = opened(bot)
    assert note["title"]["text"] == "Schon erfasst"
    text = json.dumps(note["blocks"], ensure_ascii=False)
    assert "Diese Nachricht ist schon erfasst (" in text and "Trotzdem neu erfassen" in text
    assert not Shown(bot).english()  # not one English word in anything the bot showed


class RecordingSender(SlackSender):
    """The sender, keeping each interactivity payload it sends."""

    def __init__(self, port: int) -> None:
        super().__init__(port)
        self.payloads: list[dict[str, Any]] = []

    def interactive(self, payload: dict[str, Any]) -> Any:
        self.payloads.append(payload)
        return super().interactive(payload)


def test_the_shortcut_payload_is_shaped_as_slack_sends_it(bot: Bot, fake: FakeSlack) -> None:
    sender = RecordingSender(bot.runtime.http.port)
    message = fake.add_message("CSALES", "order 4711 is late", user="UCARL")
    sender.message_shortcut(SHORTCUT_FILE, message, "UANA", "CSALES")
    [payload] = sender.payloads
    assert request_problems("message_action", payload) == []
    fake.wait_for("views.open")


def test_a_reply_in_a_thread_is_answered_in_that_thread(bot: Bot, fake: FakeSlack) -> None:
    parent = fake.add_message("CSALES", "Acme called", user="UCARL")
    message = fake.add_message("CSALES", "they also got the wrong screws", user="UCARL", thread_ts=parent["ts"])
    shortcut(bot, {**message, "thread_ts": parent["ts"]})
    submit(bot, opened(bot))
    bot.settle()
    assert bot.complaint(1).source["thread_ts"] == parent["ts"]
    assert bot.complaint(1).source["permalink"] == fake.permalink("CSALES", message["ts"])
    replies = replies_under(bot, "CSALES", parent["ts"])
    assert len(replies) == 2 and "|#1> by <@UANA>" in replies[-1]


def test_people_mentioned_in_the_message_are_named_as_colleagues_know_them(bot: Bot, fake: FakeSlack) -> None:
    """Slack sends a mention as `<@U…>`; the form, the card and the 8D report show the person's name, not the id."""
    fake.users.update({user: {"real_name": name} for user, name in NAMES.items()})
    text = "<@UCARL> says 40 flanges have the wrong bore\nAsk <@UBEN> or <@UCARL>"
    message = fake.add_message("CSALES", text, user="UDAN")
    shortcut(bot, message)
    view = opened(bot)
    said = "@Carl Dvořák says 40 flanges have the wrong bore"
    assert initial(view, "summary") == said and initial(view, "details") == f"{said}\nAsk @Ben Schulz or @Carl Dvořák"
    assert [c.args["user"] for c in fake.calls_to("users.info")].count("UCARL") <= 1  # asked once per form
    submit(bot, view)
    bot.settle()
    assert bot.complaint(1).summary == said and "@Carl Dvořák says" in json.dumps(bot.card(1), ensure_ascii=False)


def test_a_message_of_one_line_is_the_summary_and_not_repeated_as_details(bot: Bot, fake: FakeSlack) -> None:
    message = fake.add_message(
        "CSALES", "Pallets for <https://acme.example/o/1|order 4711> arrived broken", user="UDAN"
    )
    shortcut(bot, message)
    view = opened(bot)
    assert initial(view, "summary") == "Pallets for order 4711 arrived broken"
    assert initial(view, "details") == "Pallets for order 4711 (https://acme.example/o/1) arrived broken"  # the link
    one_line = fake.add_message("CSALES", "  Forty flanges have the wrong bore  ", user="UDAN")
    shortcut(bot, one_line)
    view = opened(bot)
    assert (initial(view, "summary"), initial(view, "details")) == ("Forty flanges have the wrong bore", "")
    submit(bot, view)
    bot.settle()
    assert bot.complaint(1).details == "" and "Details" not in json.dumps(bot.card(1)["blocks"])


def test_a_messages_markup_reads_as_words() -> None:
    from bot.mrkdwn import as_plain

    text = "see <https://a.example/1|order 1>, <https://a.example/2>, <mailto:x@y.example|x@y.example> <@U1|ana> <@U2>"
    assert as_plain(text) == "see order 1, https://a.example/2, x@y.example @ana @U2"
    assert as_plain("<https://a.example/1|order 1>", urls=True) == "order 1 (https://a.example/1)"
    assert as_plain("<@U1|ana> <@U2> <#C1>", names=lambda user: {"U2": "Ben Schulz"}[user]) == "@ana @Ben Schulz #C1"
    assert (
        as_plain("<#C1|sales> <!here> <!subteam^S1|@quality> a &lt;b&gt; &amp; c") == "#sales @here @quality a <b> & c"
    )
