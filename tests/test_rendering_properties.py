"""Properties of rendering: any typed text gives Block Kit Slack accepts, and never a broadcast."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.catalog import Catalog
from bot.config import Config
from bot.model import Complaint, Status
from bot.mrkdwn import clean, clip, cut, escape, one_line
from bot.rendering import Renderer
from sandbox.fake_slack import MAX_TEXT, block_kit_problems, view_problems

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
# Unescaped, these would ping a whole channel, a workspace or a user group.
BROADCAST = re.compile(r"<!(channel|here|everyone|subteam)|(?<![\w\u200b])@(channel|here|everyone)\b", re.I)
NASTY = [
    "<!channel>",
    "<!here|here>",
    "<!everyone>",
    "<!subteam^S0LEADS|@leads>",
    "@channel",
    "@here",
    "@Everyone",
    "<@U0123ABC>",
    "<@U0123ABC|ana>",
    "<#C0123|general>",
    "<https://evil.example|click>",
    "&amp;",
    "&lt;",
    "&",
    "<",
    ">",
    "*",
    "_",
    "~",
    "`",
    "```",
    "\x00",
    "\u202e",
    "\u200b",
    "😡",
    "👨‍👩‍👧",
    "\n",
    "\r\n",
    "\t",
    " ",
]

any_text = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(NASTY) | st.text(max_size=5), max_size=60).map("".join),
    st.builds(lambda chunk, times: chunk * times, st.sampled_from([*NASTY, "ab", "ü "]), st.integers(0, 12_000)),
)
settle = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def renderers() -> list[Renderer]:
    """English and German, so both catalogs' templates are exercised."""
    return [Renderer(Catalog(language, Config().tz), Config(language=language)) for language in ("en", "de")]


RENDERERS = renderers()


def complaint(summary: str, customer: str, details: str, note: str, status: Status) -> Complaint:
    """A complaint whose every typed field is the given text, with a card and an owner."""
    filed = NOW - timedelta(hours=30)
    made = Complaint(
        number=4711,
        channel="CSUPPORT",
        reporter="UANA",
        summary=summary,
        filed_at=filed,
        severity="high",
        customer=customer,
        details=details,
        origin_channel="CSUPPORT",
        status=status,
        owner="UBEN",
        card_ts="1700000000.000100",
        first_claimed_at=filed + timedelta(minutes=5),
        unclaimed_since=filed,
        owned_since=filed,
        last_activity_at=filed,
        category="billing",
    )
    if status is Status.RESOLVED:
        made.resolved_at, made.resolution = NOW, note
    made.record("filed", filed, "UANA", note)
    return made


def assert_message_ok(text: str, blocks: list[dict[str, object]]) -> None:
    """What chat.postMessage would accept, without a broadcast anywhere."""
    assert block_kit_problems(blocks, "message") == []
    assert 0 < len(text) <= MAX_TEXT
    shown = str(blocks) + text
    assert not BROADCAST.search(shown), BROADCAST.search(shown)


@settle
@given(any_text, any_text, any_text, any_text, st.sampled_from(list(Status)), st.sampled_from(RENDERERS))
def test_any_text_gives_a_valid_card(
    summary: str, customer: str, details: str, note: str, status: Status, render: Renderer
) -> None:
    text, blocks = render.card(complaint(clean(summary) or "x", clean(customer), clean(details), clean(note), status))
    assert_message_ok(text, blocks)


@settle
@given(any_text, any_text, any_text, st.sampled_from(RENDERERS))
def test_any_text_gives_a_valid_summary_and_escalations(
    summary: str, customer: str, note: str, render: Renderer
) -> None:
    resolved = complaint(clean(summary) or "x", clean(customer), "", clean(note) or "done", Status.RESOLVED)
    assert_message_ok(*render.resolved_summary(resolved, NOW))
    open_one = complaint(clean(summary) or "x", clean(customer), "", "", Status.OWNED)
    for reason in ("unclaimed", "quiet", "overdue"):
        assert_message_ok(*render.escalation(open_one, reason, NOW))


@settle
@given(any_text, any_text, st.sampled_from(RENDERERS))
def test_any_text_gives_valid_modals(summary: str, channel_text: str, render: Renderer) -> None:
    made = complaint(clean(summary) or "x", "", "", "", Status.OWNED)
    views = [
        render.new_complaint_modal("CSUPPORT"),
        render.resolve_modal(made),
        render.handover_modal(made),
        render.reopen_modal(made),
    ]
    views += [render.snooze_modal(made, choice, "2026-03-02") for choice in ("1d", "3d", "date")]
    for view in views:
        assert view_problems(view) == [], (view["callback_id"], view_problems(view))
        assert not BROADCAST.search(str(view["blocks"]))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_text, st.sampled_from(RENDERERS))
def test_any_text_gives_valid_history_and_list(note: str, render: Renderer) -> None:
    made = complaint(clean(note) or "x", "", "", clean(note), Status.OWNED)
    for _ in range(70):
        made.record("reopened", NOW, "UCAY", clean(note))
    history = render.history(made)
    listing = render.open_list("CSUPPORT", [made] * 45, NOW)
    for text in (history, listing):
        assert block_kit_problems([{"type": "section", "text": {"type": "mrkdwn", "text": text}}]) == []
        assert not BROADCAST.search(text)


@given(any_text)
def test_escape_leaves_no_broadcast_and_no_raw_markup(text: str) -> None:
    escaped = escape(text)
    assert not BROADCAST.search(escaped)
    without_mentions = re.sub(r"<@[UW][A-Z0-9]{2,}>", "", escaped)
    assert "<" not in without_mentions and ">" not in without_mentions
    assert re.fullmatch(r"([^&]|&(amp|lt|gt);)*", without_mentions, re.S)


@given(any_text)
def test_escape_keeps_plain_text_and_colleague_mentions(text: str) -> None:
    plain = re.sub(r"[<>&@]", "", text)
    assert escape(plain) == plain
    assert escape("ask <@U0123ABC> now") == "ask <@U0123ABC> now"


@given(any_text, st.integers(1, 5000), st.sampled_from(["…", " (cut)", ""]))
def test_cut_respects_the_limit_and_never_splits_an_escape(text: str, limit: int, marker: str) -> None:
    escaped = escape(text)
    shortened = cut(escaped, limit, marker)
    assert len(shortened) <= max(limit, len(marker))
    if len(escaped) <= limit:
        assert shortened == escaped
    else:
        assert shortened.endswith(marker)
        body = shortened[: len(shortened) - len(marker)] if marker else shortened
        assert escaped.startswith(body)
        assert not re.search(r"&[a-z]*$", body), body[-10:]
        assert body.count("<") == body.count(">")
        assert not BROADCAST.search(shortened)


@given(st.text(alphabet="ab .,;:…!", max_size=60) | any_text, st.integers(1, 80))
def test_a_clipped_title_ends_its_ellipsis_after_a_word(text: str, limit: int) -> None:
    """A summary cut for a reference never reads "bore.…" or "bore …"."""
    clipped = clip(text, limit)
    assert len(clipped) <= limit
    if len(text) <= limit:
        assert clipped == text
    else:
        assert clipped.endswith("…") and text.startswith(clipped[:-1])
        assert not re.search(r"[ .,;:…]…$", clipped), clipped


@given(any_text)
def test_clean_and_one_line_drop_control_characters(text: str) -> None:
    cleaned = clean(text)
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f]", cleaned)
    assert cleaned == cleaned.strip()
    folded = one_line(text)
    assert "\n" not in folded and "\t" not in folded and "  " not in folded


def test_escape_placeholders_cannot_be_forged_by_input() -> None:
    """A typed text that looks like the marks escape() uses inside stays as typed."""
    assert escape("<@U123AB> and \x000\x00") == "<@U123AB> and \x000\x00"
    assert escape("\x000\x00") == "\x000\x00"
    assert escape("\x001\x00 <@U123AB> <!channel>") == "\x001\x00 <@U123AB> &lt;!channel&gt;"
