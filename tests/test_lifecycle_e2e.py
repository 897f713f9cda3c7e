"""The life of a complaint through the real HTTP endpoint and the fake Slack."""

from __future__ import annotations

from tests.harness import Bot


def test_file_by_command_posts_card_and_confirms_privately(bot: Bot) -> None:
    answer = bot.slack.command("Müller GmbH received the wrong parts")
    assert answer.status == 200
    assert "#1" in answer.text
    bot.fake.wait_for("chat.postMessage")
    number = 1
    bot.wait(lambda: bot.complaint(number).card_ts is not None, "card")
    card = bot.card(number)
    assert card["channel"] if "channel" in card else True
    text = str(card["blocks"])
    assert "Complaint #1" in text and "wrong parts" in text and "unclaimed" in text


def test_claim_release_and_resolve(bot: Bot) -> None:
    number = bot.file()
    assert bot.react(number, "UBEN").status == 200
    assert bot.complaint(number).owner == "UBEN"
    bot.settle()
    assert any("UBEN" in m["text"] for m in bot.thread(number))
    assert "UBEN" in str(bot.card(number)["blocks"])
    bot.react(number, "UBEN", added=False)
    assert bot.complaint(number).owner is None
    bot.react(number, "UCAY")
    bot.react(number, "UCAY", emoji="white_check_mark")
    assert bot.complaint(number).status == "resolved"
    bot.settle()
    summary = bot.fake.wait_for("chat.postMessage", where=lambda c: c.args.get("channel") == "CMGMT")
    assert "#1" in str(summary[0].args.get("blocks"))
