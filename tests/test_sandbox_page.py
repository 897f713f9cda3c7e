"""The sandbox page in a real browser: a complaint's whole life, clicked through as people would, in both
languages; and every Block Kit type the bot sends must be one the page can show."""

from __future__ import annotations

import ast
import io
import re
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pypdf
import pytest
from playwright.sync_api import Browser, FilePayload, Locator, Page, Route, expect, sync_playwright
from slack_sdk import WebClient

from bot.catalog import CATALOGS
from bot.model import Complaint
from bot.rendering import ACTION_HANDOVER, ACTION_RESOLVE, ACTION_SNOOZE
from bot.rendering.reporter import ACTION_NOT_YET
from sandbox.demo import Demo
from sandbox.workspace import MANAGEMENT, SALES
from tests.browser import launch

ROOT = Path(__file__).resolve().parent.parent
# Types that are not blocks or elements: text objects, view types, and what the renderer passes through as data.
NOT_SHOWN_ON_THEIR_OWN = {"plain_text", "mrkdwn", "modal", "home"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """One Chromium for the module; each test gets its own page."""
    with sync_playwright() as playwright:
        chromium = launch(playwright)
        yield chromium
        chromium.close()


def start_demo(tmp_path: Path, language: str) -> Demo:
    """The demo as `make demo` starts it, on free ports."""
    return Demo(str(tmp_path), language=language, port=0).start()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh browser tab of the size of a laptop screen."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(10_000)
    # What the page shows comes through the bot's outbox; beside three other test processes on two cores that
    # can take longer than the assertions' default 5 seconds.
    expect.set_options(timeout=10_000)
    yield tab
    context.close()


def say_in_sales(page: Page, words: str) -> Locator:
    """Ana types into #sales and sends it; the message box, for what she types next."""
    act_as(page, "Ana Berger")
    page.get_by_role("link", name="#sales").click()
    box = page.get_by_role("textbox", name="Message")
    box.fill(words)
    box.press("Enter")
    return box


def act_as(page: Page, name: str) -> None:
    """The "Act as" switch."""
    page.get_by_role("combobox", name="Act as").select_option(label=name)
    expect(page.get_by_role("combobox", name="Act as")).to_have_value(re.compile(".+"))


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_complaint_filed_claimed_and_resolved_in_the_browser(tmp_path: Path, page: Page, language: str) -> None:
    words = CATALOGS[language]
    with start_demo(tmp_path, language) as demo:
        page.goto(demo.url)
        say_in_sales(page, "/complaint Müller GmbH got flanges with the wrong bore")

        card = page.get_by_role("article").filter(has_text=words["card.title"].format(number=1))
        expect(card).to_have_count(1)
        private = page.get_by_role("article").filter(has_text="Only visible to you")
        expect(private).to_have_count(1)  # the confirmation, for Ana only

        act_as(page, "Ben Schulz")
        expect(page.get_by_role("article").filter(has_text="Only visible to you")).to_have_count(0)
        card.get_by_role("button", name="raising_hand 1").click()
        expect(card.get_by_role("button", name="raising_hand 2")).to_be_visible()
        expect(card).to_contain_text(words["status.owned"])
        expect(card).to_contain_text("@Ben Schulz")

        card.get_by_role("button", name=words["button.resolve"]).click()
        dialog = page.get_by_role("dialog", name=words["modal.resolve.title"].format(number=1))
        expect(dialog).to_be_visible()
        dialog.get_by_label(words["modal.resolve.note"]).fill("Replacement flanges sent by express")
        dialog.get_by_role("button", name=words["modal.resolve.submit"]).click()
        expect(dialog).to_have_count(0)
        expect(card).to_contain_text(words["status.resolved"])

        act_as(page, "Dora Brandt")
        page.get_by_role("link", name="#management").click()
        summary = page.get_by_role("article").filter(has_text=words["summary.resolved.title"].format(number=1))
        expect(summary).to_have_count(1)
        expect(summary).to_contain_text("Replacement flanges sent by express")
        summary.get_by_role("link", name="#1").first.click()  # the card's permalink opens its thread here
        expect(page.get_by_role("region", name="Thread")).to_contain_text(words["card.title"].format(number=1))


def test_switching_person_shows_nothing_of_the_last_ones_view(tmp_path: Path, page: Page) -> None:
    """Ben's page asks for #sales; before the answer comes, the person acting becomes Ana. Ben's late answer is
    not shown under her name (its links would lead her into his conversations); her own view is."""
    with start_demo(tmp_path, "en") as demo:
        page.goto(demo.url)
        act_as(page, "Ben Schulz")
        held: dict[str, list[Route]] = {"UBEN": [], "UANA": []}

        def hold(route: Route) -> None:
            user = "UBEN" if "user=UBEN" in route.request.url else "UANA"
            held[user].append(route)

        state = re.compile(r"/api/state\?")
        page.route(state, hold)
        page.get_by_role("link", name="#sales", exact=True).click()
        until(page, lambda: bool(held["UBEN"]))
        page.get_by_role("combobox", name="Act as").select_option(label="Ana Berger")
        held["UBEN"][0].fulfill(response=held["UBEN"][0].fetch())  # Ben's answer arrives only now
        until(page, lambda: bool(held["UANA"]))  # the page has had Ben's answer, and asks for Ana's view
        sidebar = page.get_by_role("navigation", name="Sidebar")
        expect(sidebar.get_by_role("link")).to_have_count(0)
        held["UANA"][0].fulfill(response=held["UANA"][0].fetch())
        page.unroute(state, hold)
        page.get_by_role("link", name="Complaint Desk", exact=True).click()
        expect(page.get_by_role("link", name="Complaint Desk", exact=True)).to_have_attribute("aria-current", "page")
        expect(page.get_by_role("combobox", name="Act as")).to_have_value("UANA")


def until(page: Page, condition: Callable[[], bool]) -> None:
    """Let the page run (and its routes be called) until the condition holds."""
    for _ in range(500):
        if condition():
            return
        page.wait_for_timeout(20)
    raise AssertionError("the page never asked")


def test_threads_home_and_private_answers(tmp_path: Path, page: Page) -> None:
    with start_demo(tmp_path, "en") as demo:
        page.goto(demo.url)
        box = say_in_sales(page, "/complaint Pallets arrived broken")
        card = page.get_by_role("article").filter(has_text="Complaint #1")
        expect(card).to_have_count(1)

        card.get_by_role("button", name="Reply in thread").click()
        thread = page.get_by_role("region", name="Thread")
        thread.get_by_role("textbox", name="Reply").fill("I called the customer, they need it by Friday")
        thread.get_by_role("textbox", name="Reply").press("Enter")
        expect(thread.get_by_role("article").filter(has_text="they need it by Friday")).to_have_count(1)
        expect(card.get_by_role("button", name=re.compile(r"\d+ repl"))).to_be_visible()

        box.fill("/nonsense")
        box.press("Enter")
        expect(page.get_by_role("article").filter(has_text="not a valid command")).to_have_count(1)

        page.get_by_role("link", name="Home").click()
        expect(page.get_by_role("main")).to_contain_text("#1")

        page.get_by_role("link", name="#sales").click()
        card.get_by_role("button", name="Add reaction").click()
        page.get_by_role("dialog", name="Emoji").get_by_role("button", name="eyes", exact=True).click()
        expect(card.get_by_role("button", name="eyes 1")).to_be_visible()
        card.get_by_role("button", name="More actions").click()
        expect(page.get_by_role("dialog", name="More actions")).to_be_visible()


PEOPLE = ["Ana Berger", "Ben Schulz", "Carla Wolf", "Dora Brandt", "Erik Lund"]


@pytest.mark.parametrize("language", ["en", "de"])
def test_every_role_and_name_of_the_interface(tmp_path: Path, page: Page, language: str) -> None:
    """Each row of the page's table in the interface, found by exactly the role and name it gives there: the page's
    own words are English in both languages; Block Kit and the shortcut are named as the bot and manifest name them."""
    words = CATALOGS[language]
    with start_demo(tmp_path, language) as demo:
        page.goto(demo.url)
        who = page.get_by_role("combobox", name="Act as", exact=True)
        expect(who.get_by_role("option")).to_have_text(PEOPLE)
        who.select_option(label="Ana Berger")
        for channel in ("#sales", "#production", "#ext-nordwind", "Complaint Desk", "Home"):
            expect(page.get_by_role("link", name=channel, exact=True)).to_have_count(1)
        page.get_by_role("link", name="#sales", exact=True).click()
        box = page.get_by_role("textbox", name="Message", exact=True)
        box.fill("/complaint help")
        box.press("Enter")
        private = page.get_by_role("article").filter(has_text="Only visible to you")
        expect(private).to_have_count(1)
        expect(private).to_contain_text("/complaint")

        # A message's shortcut, by its name in the manifest; the form it opens, by its title, labels and submit.
        box.fill("The flanges have the wrong bore")
        box.press("Enter")
        message = page.get_by_role("article").filter(has_text="The flanges have the wrong bore")
        message.get_by_role("button", name="More actions", exact=True).click()
        page.get_by_role("button", name=words["shortcut.file"], exact=True).click()
        form = page.get_by_role("dialog", name=words["modal.new.title"], exact=True)
        expect(form.get_by_label(words["modal.summary"], exact=True)).to_have_value("The flanges have the wrong bore")
        for label in ("modal.customer", "modal.details", "modal.severity", "modal.category", "modal.attachments"):
            expect(form.get_by_label(words[label], exact=True)).to_have_count(1)
        form.get_by_label(words["modal.customer"], exact=True).fill("Müller GmbH")
        form.get_by_role("button", name=words["modal.new.submit"], exact=True).click()
        expect(form).to_have_count(0)
        card = page.get_by_role("main").get_by_role("article").filter(has_text=words["card.title"].format(number=1))
        expect(card).to_have_count(1)

        # Reactions: named by emoji and count; pressing one adds or takes back your own.
        who.select_option(label="Ben Schulz")
        card.get_by_role("button", name="raising_hand 1", exact=True).click()
        expect(card.get_by_role("button", name="raising_hand 2", exact=True)).to_be_visible()
        expect(card).to_contain_text(words["status.owned"])
        card.get_by_role("button", name="raising_hand 2", exact=True).click()
        expect(card.get_by_role("button", name="raising_hand 1", exact=True)).to_be_visible()
        expect(card).to_contain_text(words["status.unclaimed"])
        card.get_by_role("button", name="raising_hand 1", exact=True).click()
        expect(card).to_contain_text(words["status.owned"])
        card.get_by_role("button", name="Add reaction", exact=True).click()
        page.get_by_role("dialog", name="Emoji", exact=True).get_by_role("button", name="eyes", exact=True).click()
        expect(card.get_by_role("button", name="eyes 1", exact=True)).to_be_visible()

        # The thread: its own region and box; the message then says how many replies it has.
        card.get_by_role("button", name="Reply in thread", exact=True).click()
        thread = page.get_by_role("region", name="Thread", exact=True)
        thread.get_by_role("textbox", name="Reply", exact=True).fill("Sorting the stock now")
        thread.get_by_role("textbox", name="Reply", exact=True).press("Enter")
        expect(thread.get_by_role("article").filter(has_text="Sorting the stock now")).to_have_count(1)
        expect(card.get_by_role("button", name=re.compile(r"^\d+ replies$"))).to_be_visible()

        # Block Kit on the card: a select named by its text, a button named by its text opening its form.
        card.get_by_role("combobox", name=words["button.severity"], exact=True).select_option(
            label=words["severity.low"]
        )
        wait(lambda: stored(demo, 1).severity == "low", "the new severity")
        card.get_by_role("button", name=words["button.eight_d"], exact=True).click()
        eight_d = page.get_by_role("dialog", name=words["eightd.form.title"].format(number=1), exact=True)
        eight_d.get_by_label(words["eightd.label.containment"], exact=True).fill("Stock blocked and sorted")
        eight_d.get_by_role("button", name=words["eightd.form.submit"], exact=True).click()
        expect(eight_d).to_have_count(0)
        wait(lambda: stored(demo, 1).eight_d.containment == "Stock blocked and sorted", "the 8D")
        card.get_by_role("button", name="Add reaction", exact=True).click()
        emoji = page.get_by_role("dialog", name="Emoji", exact=True)
        emoji.get_by_role("button", name="white_check_mark", exact=True).click()
        expect(card).to_contain_text(words["status.resolved"])

        # The app's Home tab, and the reporter's direct messages with the app.
        page.get_by_role("link", name="Home", exact=True).click()
        expect(page.get_by_role("main")).to_contain_text("#1")
        who.select_option(label="Ana Berger")
        page.get_by_role("link", name="Complaint Desk", exact=True).click()
        expect(page.get_by_role("main").get_by_role("article").first).to_contain_text("#1")
        who.select_option(label="Dora Brandt")
        expect(page.get_by_role("link", name="#management", exact=True)).to_have_count(1)


def test_a_long_conversation_scrolls_inside_and_keeps_the_message_box_in_view(tmp_path: Path, page: Page) -> None:
    """As in Slack, only the messages scroll: the top bar, the sidebar and the boxes to type in stay on screen."""
    with start_demo(tmp_path, "en") as demo:
        photo = (ROOT / "docs" / "sandbox.png").read_bytes()
        demo.client.send("UCARLA", SALES, "The pallets as they arrived", files=[("pallets.png", photo)])
        for n in range(1, 13):
            demo.client.send("UANA", SALES, f"/complaint Pallet {n} arrived broken")
        wait(lambda: len(demo.fake.messages(SALES)) == 13 and settled(demo), "the cards")
        page.goto(demo.url)
        act_as(page, "Ana Berger")
        page.get_by_role("link", name="#production").click()
        page.get_by_role("link", name="#sales").click()
        newest = page.get_by_role("article").filter(has_text="Pallet 12 arrived broken")
        expect(page.get_by_role("img").first).to_be_visible()
        expect(newest).to_be_in_viewport()  # opening a conversation shows its latest messages
        newest.get_by_role("button", name="Reply in thread").click()
        expect(page.get_by_role("region", name="Thread")).to_be_visible()
        height = page.viewport_size["height"] if page.viewport_size else 0
        assert page.evaluate("document.scrollingElement.scrollHeight") <= height, "the whole page scrolls"
        for box in (page.get_by_role("textbox", name="Message"), page.get_by_role("textbox", name="Reply")):
            found = box.bounding_box()
            assert found is not None and found["y"] + found["height"] <= height, "a box to type in is out of view"
        expect(page.get_by_role("combobox", name="Act as")).to_be_in_viewport()
        expect(page.get_by_role("link", name="#sales")).to_be_in_viewport()


def test_escape_closes_a_form_as_in_slack(tmp_path: Path, page: Page) -> None:
    words = CATALOGS["en"]
    with start_demo(tmp_path, "en") as demo:
        page.goto(demo.url)
        say_in_sales(page, "/complaint")
        dialog = page.get_by_role("dialog", name=words["modal.new.title"])
        dialog.get_by_label(words["modal.summary"], exact=True).fill("Flanges delivered with the wrong bore")
        dialog.get_by_label(words["modal.summary"], exact=True).press("Escape")
        expect(dialog).to_have_count(0)
        page.reload()  # closed for Slack too, not only on the page
        expect(page.get_by_role("textbox", name="Message")).to_be_visible()
        expect(page.get_by_role("dialog")).to_have_count(0)
        assert demo.runtime is not None and demo.runtime.store is not None
        assert list(demo.runtime.store.all_complaints()) == []


def test_a_file_field_uploads_to_slack_and_the_form_gets_the_file(tmp_path: Path, page: Page) -> None:
    with start_demo(tmp_path, "en") as demo:
        page.goto(demo.url)
        act_as(page, "Carla Wolf")
        field = {"type": "file_input", "action_id": "files", "filetypes": ["txt", "png"]}
        view = {
            "type": "modal",
            "callback_id": "sandbox_upload_check",
            "title": {"type": "plain_text", "text": "Attach"},
            "submit": {"type": "plain_text", "text": "Send"},
            "blocks": [
                {
                    "type": "input",
                    "block_id": "proof",
                    "label": {"type": "plain_text", "text": "Photo"},
                    "element": field,
                }
            ],
        }
        web = WebClient(token="xoxb-sandbox", base_url=demo.fake.url)
        web.views_open(trigger_id=demo.client.trigger_for("UCARLA"), view=view)
        demo.client.touch()
        dialog = page.get_by_role("dialog", name="Attach")
        photo = FilePayload(name="bore.txt", mimeType="text/plain", buffer=b"40 mm instead of 42 mm")
        dialog.get_by_label("Photo").set_input_files(files=[photo])
        dialog.get_by_role("button", name="Send").click()
        expect(dialog).to_have_count(0)
        uploaded = [f for f in demo.fake.files.values() if f.filename == "bore.txt"]
        assert [(f.user, f.content) for f in uploaded] == [("UCARLA", b"40 mm instead of 42 mm")]


def test_photos_go_with_the_form_and_into_the_thread(tmp_path: Path, page: Page) -> None:
    with start_demo(tmp_path, "en") as demo:
        page.goto(demo.url)
        say_in_sales(page, "/complaint")
        dialog = page.get_by_role("dialog", name="New complaint")
        dialog.get_by_label("Summary").fill("Pallets arrived broken")
        photo = FilePayload(name="pallet.png", mimeType="image/png", buffer=b"\x89PNG\r\n\x1a\n a photo")
        dialog.get_by_label("Photos and documents").set_input_files(files=[photo])
        dialog.get_by_role("button", name="File").click()
        expect(dialog).to_have_count(0)
        card = page.get_by_role("main").get_by_role("article").filter(has_text="Complaint #1")
        expect(card).to_contain_text("1 attachment in the thread")

        act_as(page, "Ben Schulz")
        card.get_by_role("button", name=re.compile(r"\d+ repl")).click()
        thread = page.get_by_role("region", name="Thread")
        expect(thread.get_by_role("article").filter(has_text="1 file attached to #1")).to_have_count(1)
        expect(thread.get_by_role("link", name="pallet.png")).to_be_visible()
        note = FilePayload(name="delivery-note.pdf", mimeType="application/pdf", buffer=b"%PDF-1.4 note")
        thread.get_by_label("Attach files").set_input_files(files=[note])
        expect(thread.get_by_role("link", name=re.compile("delivery-note.pdf"))).to_be_visible()
        expect(card).to_contain_text("2 attachments in the thread")


def test_the_demos_8d_reports_carry_the_workspaces_company(tmp_path: Path) -> None:
    """Trying the 8D in the demo gives a report as a customer would get it: with the company's name on top."""
    with start_demo(tmp_path, "de") as demo:
        demo.client.send("UANA", SALES, "/complaint Bohrung falsch an 40 Flanschen")
        wait(lambda: bool(demo.fake.messages(SALES)) and settled(demo), "the card")
        demo.client.send("UANA", SALES, "/complaint 8d 1")
        wait(lambda: any(f.filename.endswith(".pdf") for f in demo.fake.files.values()), "the report")
        report = next(f for f in demo.fake.files.values() if f.filename.endswith(".pdf"))
        text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(report.content)).pages)
        assert "Muster Maschinenbau" in text and "8D-Zwischenbericht" in text
        assert demo.config.eight_d.required_for == ("high",)


def rendering_type_literals() -> set[str]:
    """Every `"type": "…"` the rendering code writes, so a type that no scenario reaches is still held to it."""
    found: set[str] = set()
    for path in (ROOT / "bot" / "rendering").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if (
                        isinstance(key, ast.Constant)
                        and key.value == "type"
                        and isinstance(value, ast.Constant)
                        and isinstance(value.value, str)
                    ):
                        found.add(value.value)
    return found


def types_in(data: Any) -> set[str]:
    """The `type` of every object nested in blocks or a view."""
    if isinstance(data, list):
        return set().union(*(types_in(item) for item in data)) if data else set()
    if not isinstance(data, dict):
        return set()
    own = {data["type"]} if isinstance(data.get("type"), str) else set()
    return own.union(*(types_in(value) for value in data.values()))


def button_in(blocks: list[dict[str, Any]], action_id: str) -> dict[str, Any]:
    """The element with this action_id, with the block_id of its block, as a click sends it."""
    for block in blocks:
        for element in block.get("elements", []):
            if isinstance(element, dict) and element.get("action_id") == action_id:
                return {**element, "block_id": block.get("block_id", "")}
    raise AssertionError(f"no {action_id} in {blocks}")


def wait(condition: Callable[[], bool], what: str, timeout: float = 10.0) -> None:
    """Polls what the bot does after its ack."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.02)


def settled(demo: Demo) -> bool:
    """Everything the bot queued for Slack is delivered."""
    assert demo.runtime is not None and demo.runtime.store is not None
    return bool(demo.runtime.store.outbox_depth() == 0)


def stored(demo: Demo, number: int) -> Complaint:
    """A complaint as the bot stored it."""
    assert demo.runtime is not None and demo.runtime.store is not None
    complaint = demo.runtime.store.get(number)
    assert complaint is not None
    return complaint


def everything_the_bot_showed(demo: Demo) -> list[list[dict[str, Any]]]:
    """Walks a complaint through filing, claiming, forms, reports and App Home; returns every block list sent."""
    client, fake = demo.client, demo.fake
    client.send("UANA", SALES, "/complaint help")
    client.send("UANA", SALES, "/complaint")  # the filing form
    client.send("UANA", SALES, "/complaint Wrong bore on 40 flanges")
    wait(lambda: bool(fake.messages(SALES)), "the card")
    card = fake.messages(SALES)[0]
    client.react("UBEN", SALES, card["ts"], "raising_hand")
    wait(lambda: settled(demo), "the claim")
    client.send("UANA", SALES, "/complaint list")
    client.send("UBEN", SALES, "a reply", thread_ts=card["ts"])
    where = {"channel": SALES, "ts": card["ts"]}
    for action in (ACTION_RESOLVE, ACTION_HANDOVER):
        client.act("UBEN", button_in((fake.message(SALES, card["ts"]) or {})["blocks"], action), where)
    client.act("UBEN", {"type": "button", "action_id": ACTION_SNOOZE, "block_id": "b", "value": "1:date"}, where)
    wait(lambda: len(fake.views) >= 4, "the forms")
    resolve = next(v for v in fake.views.values() if v["callback_id"] == "complaint_resolve_view")
    client.state("UBEN", None, None)  # Ben's page takes in the forms opened for his clicks
    client.submit("UBEN", resolve["id"], {"resolution": {"value": {"type": "plain_text_input", "value": "Sent new"}}})
    client.send("UDORA", MANAGEMENT, "/complaint report")
    client.send("UANA", SALES, "/complaint digest")
    client.open_home("UANA")
    wait(lambda: bool(fake.home_views) and settled(demo), "App Home and the outbox")
    reporter_dm = fake.messages(fake.dm_channel("UANA"))
    asks = [m for m in reporter_dm if ACTION_NOT_YET in str(m.get("blocks"))]
    if asks:
        where = {"channel": fake.dm_channel("UANA"), "ts": asks[-1]["ts"]}
        client.act("UANA", button_in(asks[-1]["blocks"], ACTION_NOT_YET), where)
    wait(lambda: settled(demo), "the outbox")
    shown: list[list[dict[str, Any]]] = []
    for channel in [SALES, MANAGEMENT, fake.dm_channel("UANA"), fake.dm_channel("UBEN")]:
        for message in fake.messages(channel):
            shown.append(message.get("blocks") or [])
            shown.extend(m.get("blocks") or [] for m in fake.messages(channel, message["ts"]))
    shown.extend(e.get("blocks") or [] for e in fake.ephemerals)
    shown.extend(view["blocks"] for view in [*fake.views.values(), *fake.home_views.values()])
    return [blocks for blocks in shown if blocks]


def test_the_page_shows_every_block_kit_type_the_bot_sends(tmp_path: Path, page: Page) -> None:
    with start_demo(tmp_path, "en") as demo:
        shown = everything_the_bot_showed(demo)
        sent = set().union(*(types_in(blocks) for blocks in shown))
        assert {"header", "section", "actions", "context", "input", "button", "static_select"} <= sent
        needed = (sent | rendering_type_literals()) - NOT_SHOWN_ON_THEIR_OWN
        page.goto(demo.url)
        page.wait_for_function("window.BlockKit !== undefined")
        supported = set(page.evaluate("window.BlockKit.types()"))
        assert needed <= supported, f"the page cannot show {sorted(needed - supported)}"
        unsupported = page.evaluate(
            """(all) => all.flatMap((blocks) => Array.from(
                   window.BlockKit.render(blocks, {people: {}, channelNames: {}}).querySelectorAll('.bk-unsupported')
               ).map((node) => node.dataset.type))""",
            shown,
        )
        assert unsupported == []
