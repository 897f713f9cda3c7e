"""Routing: cards go to the team that must act; the filer and the filing channel hear where. End to end."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from bot import rendering
from bot.config import Config, ConfigError, parse_config
from bot.rendering.capture import SHORTCUT_FILE
from bot.services.placement import Placement
from sandbox.fake_slack import FakeSlack
from sandbox.workspace import Channel
from tests.harness import Bot
from tests.test_german_e2e import Shown

ROUTING = {
    "by_category": {"product": "CPROD", "delivery": "CLOG"},
    "by_channel": {"CSALES": "CPROD"},
    "default": "CALL",
    "announce_in_filing_channel": True,
}


def routed(**changes: Any) -> dict[str, Any]:
    return {**ROUTING, **changes}


def config(**routing: Any) -> Config:
    return parse_config({"routing": routing, "channels": {"fallback": "CFALLBACK"}}, {})


def test_category_wins_over_channel_and_channel_over_default() -> None:
    placement = Placement(config(**ROUTING))
    assert placement.card_channel("CSALES", "delivery") == "CLOG"
    assert placement.card_channel("CSALES", "billing") == "CPROD"
    assert placement.card_channel("CSALES") == "CPROD"
    assert placement.card_channel("CSUPPORT") == "CALL"
    assert placement.card_channel("CSUPPORT", "product") == "CPROD"
    assert placement.card_channel("DUANA") == "CALL"
    without_default = Placement(config(by_channel={"CSALES": "CPROD"}))
    assert without_default.card_channel("CSUPPORT") == "CSUPPORT"
    assert without_default.card_channel("DUANA") == "CFALLBACK"
    assert Placement(parse_config({}, {})).card_channel("CSALES", "product") == "CSALES"  # no routing: stays


def test_no_card_link_or_reply_goes_into_a_shared_channel() -> None:
    placement = Placement(config(**ROUTING), shared=lambda channel: channel in ("CSHARED", "CPROD"))
    assert placement.card_channel("CSHARED", "delivery") == "CLOG"
    assert placement.card_channel("CSALES") == "CFALLBACK"  # routed into a shared channel: never
    assert not placement.may_speak_in("CSHARED") and placement.may_speak_in("CSALES")
    assert not placement.announces_in("CSHARED", "CLOG") and placement.announces_in("CSALES", "CLOG")
    assert not placement.announces_in("CLOG", "CLOG")


def test_an_unreachable_target_sends_cards_to_the_fallback() -> None:
    placement = Placement(config(**ROUTING))
    placement.unreachable("CLOG", "a private channel the bot is not in")
    assert placement.card_channel("CSALES", "delivery") == "CFALLBACK"
    assert placement.unreachable_targets() == {"CLOG": "a private channel the bot is not in"}
    placement.reachable("CLOG")
    assert placement.card_channel("CSALES", "delivery") == "CLOG"
    assert placement.targets() == ["CALL", "CLOG", "CPROD"]


@pytest.mark.parametrize(
    ("routing", "key", "words"),
    [
        ({"by_category": {"produkt": "CPROD"}}, "routing.by_category.produkt", "keys must be categories"),
        ({"by_category": {"product": "#production"}}, "routing.by_category.product", "not a channel id"),
        ({"by_channel": {"sales": "CPROD"}}, "routing.by_channel", "not a channel id"),
        ({"by_channel": {"CSALES": "production"}}, "routing.by_channel.CSALES", "not a channel id"),
        ({"default": 12}, "routing.default", ""),
        ({"announce_in_filing_channel": "yes"}, "routing.announce_in_filing_channel", "true or false"),
        ({"by_team": {}}, "routing.by_team", "unknown key"),
        ({"by_category": ["product"]}, "routing.by_category", ""),
    ],
)
def test_routing_mistakes_name_the_key(routing: dict[str, Any], key: str, words: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config({"routing": routing}, {})
    assert info.value.key == key and words in info.value.reason


def test_by_category_keys_follow_the_configured_categories() -> None:
    custom = parse_config(
        {"categories": ["Lieferung", "Rechnung"], "routing": {"by_category": {"Lieferung": "CLOG"}}}, {}
    )
    assert custom.routing is not None and dict(custom.routing.by_category) == {"Lieferung": "CLOG"}
    with pytest.raises(ConfigError) as info:
        parse_config({"categories": ["Lieferung"], "routing": {"by_category": {"delivery": "CLOG"}}}, {})
    assert "keys must be categories" in info.value.reason and "Lieferung" in info.value.reason


def ephemeral_texts(bot: Bot, user: str) -> list[str]:
    return [e["text"] for e in bot.fake.ephemerals if e.get("user") == user]


def test_cards_go_where_the_routing_says_and_the_filing_channel_gets_a_link(
    make_bot: Callable[..., Bot], fake: FakeSlack
) -> None:
    bot = make_bot(routing=ROUTING)
    form: dict[str, dict[str, Any]] = {
        "summary": {"value": "pallets broken"},
        "category": {"selected_option": {"value": "delivery"}},
    }
    assert bot.slack.submit(rendering.VIEW_NEW, form, "UANA", "CSALES").text == ""
    bot.settle()
    assert bot.slack.command("Acme GmbH: wrong parts", channel="CSALES").text.startswith(
        "Filed as #2. Its card goes to <#CPROD>"
    )
    bot.slack.command("invoice twice", channel="CSUPPORT")
    bot.settle()
    assert [bot.complaint(n).channel for n in (1, 2, 3)] == ["CLOG", "CPROD", "CALL"]
    assert [bot.complaint(n).origin_channel for n in (1, 2, 3)] == ["CSALES", "CSALES", "CSUPPORT"]
    assert any("Filed as #1. Its card goes to <#CLOG>" in text for text in ephemeral_texts(bot, "UANA"))
    lines = [m["text"] for m in fake.messages("CSALES")]
    assert (
        len(lines) == 2
        and "New complaint <" in lines[0]
        and lines[0].endswith("|#1> from <@UANA>, its card is in <#CLOG>: pallets broken")
    )
    assert lines[1].endswith("|#2> from <@UANA>, its card is in <#CPROD>: wrong parts")
    assert len(fake.messages("CSUPPORT")) == 1  # the line points to the card

    listed = bot.slack.command("list", channel="CSALES").text
    assert "*#1*" in listed and "card in <#CLOG>" in listed and "*#2*" in listed and "card in <#CPROD>" in listed
    listed = bot.slack.command("list", channel="CLOG").text
    assert "*#1*" in listed and "card in" not in listed and "*#2*" not in listed

    assert bot.react(1, "UBEN").status == 200  # the team where the card is takes it on
    assert bot.complaint(1).owner == "UBEN"


def test_without_announcing_only_the_filer_hears_where(make_bot: Callable[..., Bot], fake: FakeSlack) -> None:
    bot = make_bot(routing=routed(announce_in_filing_channel=False))
    assert "<#CPROD>" in bot.slack.command("wrong parts", channel="CSALES").text
    bot.settle()
    assert fake.messages("CSALES") == [] and len(fake.messages("CPROD")) == 1


def test_the_bot_joins_public_targets_and_warns_about_private_ones(
    make_bot: Callable[..., Bot], fake: FakeSlack, caplog: pytest.LogCaptureFixture
) -> None:
    fake.not_in_channel.update({"CPROD", "CLOG"})
    fake.workspace.add_channel(Channel("GQUALITY", "quality", members=["UANA"], is_private=True))
    caplog.set_level(logging.WARNING, "complaints.routing")
    bot = make_bot(routing=routed(by_category={"product": "CPROD", "delivery": "CLOG", "service": "GQUALITY"}))
    routes = bot.runtime.routes
    assert routes is not None
    bot.wait(routes.checked.is_set, "the routing check")
    joined = sorted(c.args["channel"] for c in fake.calls_to("conversations.join") if c.ok)
    assert joined == ["CLOG", "CPROD"]  # CALL had the bot already; GQUALITY is private
    assert not ({"CPROD", "CLOG"} & fake.not_in_channel)  # in them now: their reactions reach the bot
    health = bot.slack.get("/healthz").json()
    assert health["status"] == "ok" and list(health["routing_unreachable"]) == ["GQUALITY"]
    assert "private channel the bot is not in" in health["routing_unreachable"]["GQUALITY"]
    assert any(
        "GQUALITY" in r.getMessage() and "channels.fallback (CFALLBACK)" in r.getMessage() for r in caplog.records
    )

    form: dict[str, dict[str, Any]] = {
        "summary": {"value": "rude driver"},
        "category": {"selected_option": {"value": "service"}},
    }
    bot.slack.submit(rendering.VIEW_NEW, form, "UANA", "CSALES")
    bot.settle()
    assert bot.complaint(1).channel == "CFALLBACK"
    assert not [c for c in fake.calls_to("chat.postMessage") if c.args.get("channel") == "GQUALITY"]


def test_a_message_filed_by_shortcut_is_routed_too(make_bot: Callable[..., Bot], fake: FakeSlack) -> None:
    bot = make_bot(routing=ROUTING)
    message = fake.add_message("CSALES", "the pallets arrived broken", user="UCARL")
    bot.slack.message_shortcut(SHORTCUT_FILE, message, "UANA", "CSALES", response_url=fake.response_url())
    view = fake.wait_for("views.open")[0].args["view"]
    state: dict[str, dict[str, Any]] = {
        "summary": {"value": "the pallets arrived broken"},
        "category": {"selected_option": {"value": "delivery"}},
    }
    bot.slack.submit(rendering.VIEW_NEW, state, "UANA", view["private_metadata"])
    bot.settle()
    assert bot.complaint(1).channel == "CLOG"
    [reply] = [m["text"] for m in fake.messages("CSALES", message["ts"])]
    assert "|#1> by <@UANA>; its card is in <#CLOG>." in reply
    assert [m["ts"] for m in fake.messages("CSALES")] == [message["ts"]]  # the reply is the line: no second one


def test_in_german(make_bot: Callable[..., Bot], fake: FakeSlack) -> None:
    bot = make_bot(language="de", routing=ROUTING)
    assert bot.slack.command("Müller GmbH: falsche Teile", channel="CSALES").text.startswith("Als #1 erfasst.")
    bot.settle()
    [line] = [m["text"] for m in fake.messages("CSALES")]
    assert "Neue Reklamation <" in line and line.endswith("|#1> von <@UANA>, die Karte ist in <#CPROD>: falsche Teile")
    assert "Karte in <#CPROD>" in bot.slack.command("liste", channel="CSALES").text
    assert not Shown(bot).english()
