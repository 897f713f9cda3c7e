"""GET /metrics: Prometheus text an operator can graph, counted per bot."""

from __future__ import annotations

from pathlib import Path

from prometheus_client.parser import text_string_to_metric_families

from sandbox.fake_slack import FakeSlack
from tests.harness import Bot, make_config, start_bot


def scrape(bot: Bot) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of the bot's /metrics, by sample name and labels."""
    answer = bot.slack.get("/metrics")
    assert answer.status == 200, answer.text
    assert answer.headers["Content-Type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(answer.text)
        for sample in family.samples
    }


def test_metrics_show_complaints_acks_slack_calls_outbox_and_timers(bot: Bot) -> None:
    first = bot.file()
    bot.file("the invoice was wrong")
    bot.react(first, "UBEN")
    bot.wait(lambda: bot.complaint(first).owner == "UBEN", "the claim")
    bot.settle()
    samples = scrape(bot)
    assert samples[("complaint_desk_complaints", (("state", "unclaimed"),))] == 1
    assert samples[("complaint_desk_complaints", (("state", "owned"),))] == 1
    assert samples[("complaint_desk_complaints", (("state", "resolved"),))] == 0
    assert samples[("complaint_desk_ack_seconds_count", (("kind", "command"),))] == 2
    assert samples[("complaint_desk_ack_seconds_count", (("kind", "event"),))] == 1
    assert samples[("complaint_desk_ack_seconds_sum", (("kind", "command"),))] > 0
    assert samples[("complaint_desk_slack_calls_total", (("method", "chat.postMessage"),))] >= 3
    assert ("complaint_desk_slack_errors_total", (("method", "chat.postMessage"),)) not in samples
    assert samples[("complaint_desk_outbox_depth", ())] == 0
    assert samples[("complaint_desk_timer_lag_seconds", ())] >= 0
    assert samples[("complaint_desk_database_up", ())] == 1
    assert samples[("complaint_desk_leader", ())] == 1


def test_failed_slack_calls_are_counted_by_method(bot: Bot, fake: FakeSlack) -> None:
    fake.fail("chat.postMessage", error="channel_not_found")
    bot.slack.command("the parts were wrong")
    fake.wait_for("chat.postMessage", 1, where=lambda call: call.args.get("channel") == "CFALLBACK")
    bot.settle()
    samples = scrape(bot)
    assert samples[("complaint_desk_slack_errors_total", (("method", "chat.postMessage"),))] == 1
    assert samples[("complaint_desk_slack_calls_total", (("method", "chat.postMessage"),))] >= 2


def test_two_bots_in_one_process_keep_their_own_numbers(fake: FakeSlack, tmp_path: Path) -> None:
    bots = [start_bot(fake, make_config(str(tmp_path / name / "complaints.json"))) for name in ("one", "two")]
    try:
        bots[0].file()
        bots[0].settle()
        first, second = scrape(bots[0]), scrape(bots[1])
        assert first[("complaint_desk_ack_seconds_count", (("kind", "command"),))] == 1
        assert ("complaint_desk_ack_seconds_count", (("kind", "command"),)) not in second
        assert second[("complaint_desk_complaints", (("state", "unclaimed"),))] == 0
    finally:
        for bot in bots:
            bot.stop()
