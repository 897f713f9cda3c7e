"""`python -m sandbox` (`make demo`): the bot and a local Slack in the browser, without a workspace or a token."""

from __future__ import annotations

import logging
import os
import signal
import sys
import tempfile
import threading
from collections.abc import Mapping

from sandbox.demo import Demo

LANGUAGES = ("en", "de")
DEFAULT_PORT = 3001


def demo_options(env: Mapping[str, str]) -> tuple[int, str]:
    """The page's port (DEMO_PORT, default 3001) and the bot's language (DEMO_LANGUAGE, en or de, default en);
    a ValueError names the variable, so a typo ends with one line instead of a traceback."""
    port_text = env.get("DEMO_PORT", "").strip() or str(DEFAULT_PORT)
    language = env.get("DEMO_LANGUAGE", "").strip().lower() or "en"
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        raise ValueError(f"DEMO_PORT: expected a port number from 1 to 65535, got {port_text!r}")
    if language not in LANGUAGES:
        raise ValueError(f"DEMO_LANGUAGE: choose one of {', '.join(LANGUAGES)}, got {language!r}")
    return int(port_text), language


def main() -> int:
    """Runs until Ctrl-C; exit code 2 with one line when DEMO_PORT or DEMO_LANGUAGE is wrong or the port is taken."""
    try:
        port, language = demo_options(os.environ)
    except ValueError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    stopped = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopped.set())
    with tempfile.TemporaryDirectory(prefix="complaint-desk-demo-") as folder:
        try:
            demo = Demo(folder, language=language, port=port).start()
        except OSError as error:
            print(f"error: DEMO_PORT {port}: {error.strerror or error}; choose another port", file=sys.stderr)
            return 2
        print(f"Complaint Desk sandbox: open {demo.url} in your browser (Ctrl-C stops it)", flush=True)
        stopped.wait()
        demo.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
