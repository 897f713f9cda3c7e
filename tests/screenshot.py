"""Makes the README's picture of the sandbox: `python -m tests.screenshot docs/sandbox.png [en|de]`.

A complaint filed in #sales, claimed by someone else, with its thread open beside it.
"""

from __future__ import annotations

import sys
import tempfile

from playwright.sync_api import expect, sync_playwright

from sandbox.demo import Demo
from tests.browser import launch


def main(target: str, language: str = "en") -> None:
    """Clicks through the first steps of a complaint and saves the page as a PNG."""
    with (
        tempfile.TemporaryDirectory() as folder,
        Demo(folder, language=language, port=0) as demo,
        sync_playwright() as playwright,
    ):
        browser = launch(playwright)
        page = browser.new_page(viewport={"width": 1440, "height": 860}, device_scale_factor=1)
        page.goto(demo.url)
        page.get_by_role("combobox", name="Act as").select_option(label="Ana Berger")
        page.get_by_role("link", name="#sales").click()
        box = page.get_by_role("textbox", name="Message")
        box.fill("/complaint Nordwind Logistik: 40 flanges delivered with the wrong bore, their line is waiting")
        box.press("Enter")
        card = page.get_by_role("article").filter(has_text="Complaint #1")
        expect(card).to_have_count(1)
        page.get_by_role("combobox", name="Act as").select_option(label="Ben Schulz")
        card.get_by_role("button", name="raising_hand 1").click()
        expect(card.get_by_role("button", name="raising_hand 2")).to_be_visible()
        card.get_by_role("button", name="Reply in thread").click()
        reply = page.get_by_role("region", name="Thread").get_by_role("textbox", name="Reply")
        reply.fill("On it: replacement parts are on the 14:00 truck. I'll call their buyer.")
        reply.press("Enter")
        page.wait_for_timeout(500)
        page.mouse.move(0, 0)
        page.screenshot(path=target)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:])
