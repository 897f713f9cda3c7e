"""Headless Chromium for the page tests: Debian's browser, driven by Playwright, nothing downloaded."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Browser, Playwright

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def launch(playwright: Playwright) -> Browser:
    """The system's Chromium; its absence fails the test with the line that installs it."""
    assert CHROMIUM.exists(), (
        f"{CHROMIUM} is missing: the page tests need Debian's chromium (`apt-get install -y chromium`, "
        "which `make test` runs when it is root)"
    )
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
