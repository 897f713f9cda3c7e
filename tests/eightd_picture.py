"""Makes the README's picture of an 8D report: `python -m tests.eightd_picture docs/8d-report.png [en|de]`.

A worked, closed complaint is rendered to PDF as the bot sends it, and its first page is photographed in
headless Chromium's own PDF viewer, so the picture is the real file and not a mock-up of it.
"""

from __future__ import annotations

import sys
import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from playwright.sync_api import ViewportSize, sync_playwright

from bot.catalog import Catalog
from bot.config import parse_config
from bot.eightd.pdf import render_pdf
from bot.model import Complaint, Status
from bot.rendering import Renderer
from bot.rendering.eightd import EightDRenderer
from tests.browser import launch

FILED = datetime(2026, 11, 23, 8, 40, tzinfo=UTC)
ISSUED = datetime(2026, 12, 2, 16, 45, tzinfo=UTC)
PEOPLE = {"UBEN": "Ben Weber", "UANA": "Ana Schäfer", "UCARL": "Carl Dvořák", "UDORA": "Dora Łukasiewicz"}
A4: ViewportSize = {"width": 794, "height": 1123}  # one A4 page at 96 dpi


def closed_complaint() -> Complaint:
    """A high-severity complaint worked through all eight disciplines, resolved and confirmed."""
    c = Complaint(
        number=112,
        channel="CQUALITY",
        reporter="UANA",
        summary="Housings 4711-A delivered with bore Ø 12.4 mm instead of Ø 12.0 mm",
        details="Found at the customer's incoming inspection („Wareneingangsprüfung“); line 3 stopped for 2 "
        "hours. Customer asks for a credit of €1,850 for the sorting.",
        category="product",
        filed_at=FILED,
        severity="high",
        customer="Müller Fahrzeugtechnik GmbH & Co. KG",
    )
    e = c.eight_d
    e.team = ["UBEN", "UCARL", "UDORA", "UANA"]
    e.claim_number, e.part_number = "8D-2026-0815", "4711-A (drawing rev. C)"
    e.batch, e.quantity = "L-2211, L-2212", "120 pcs of 2,000 delivered"
    e.containment = (
        "Customer stock (1,880 pcs) and our warehouse (640 pcs) blocked and sorted 100% with a go/no-go gauge; "
        "120 parts out of tolerance scrapped. Replacement parts sent by express."
    )
    e.contained_at = FILED + timedelta(hours=6)
    e.occurrence = "Boring tool worn after 40,000 cycles; the tool change interval was not enforced on line 3."
    e.escape = "The bore was gauged every 500 parts only; the drift stayed between two checks."
    e.corrective, e.corrective_date = "Tool life limited to 30,000 cycles in the machine control", date(2026, 12, 10)
    e.verification = "Three batches measured 100%: Cpk 1.67, no part out of tolerance."
    e.preventive = "FMEA and control plan updated for every bore of the 4711 family; gauge check every 100 parts."
    c.owner, c.status, c.first_claimed_at = "UBEN", Status.RESOLVED, FILED + timedelta(minutes=12)
    c.resolved_at, c.resolution, c.confirmed = ISSUED - timedelta(hours=5), "Replacement parts delivered", True
    c.record("resolved", c.resolved_at, "UBEN", c.resolution)
    c.record("confirmed", ISSUED - timedelta(minutes=5), "UANA")
    return c


def report_pdf(language: str) -> bytes:
    """The closed complaint's 8D report, revision 2, as the bot would send it."""
    config = parse_config({"language": language, "timezone": "Europe/Berlin"}, {})
    renderer = EightDRenderer(Renderer(Catalog(language, config.tz), config))
    c = closed_complaint()
    content = renderer.report(
        c, 2, ISSUED, "Muster Metallbau GmbH", lambda user: PEOPLE.get(user, user), FILED + timedelta(days=1)
    )
    return render_pdf(content)


def main(target: str, language: str = "en") -> None:
    """Writes the report's first page, as Chromium shows it, to `target`."""
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        pdf = Path(folder) / "8d-report.pdf"
        pdf.write_bytes(report_pdf(language))
        browser = launch(playwright)
        page = browser.new_page(viewport=A4, device_scale_factor=1)
        page.goto(f"{pdf.as_uri()}#toolbar=0&navpanes=0&view=FitH")
        page.wait_for_timeout(2000)  # the viewer draws the page after the load event; nothing to wait on instead
        page.screenshot(path=target)
        browser.close()


if __name__ == "__main__":
    main(*sys.argv[1:3])
