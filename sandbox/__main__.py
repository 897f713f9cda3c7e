"""`python -m sandbox` (`make demo`): the bot and a local Slack in the browser, without a workspace or a token."""

from __future__ import annotations

import logging
import os
import signal
import sys
import tempfile
import threading

from sandbox.demo import Demo

LANGUAGES = ("en", "de")


def main() -> int:
    """Runs until Ctrl-C; DEMO_PORT (default 3001) and DEMO_LANGUAGE (en or de) choose the port and language."""
    port_text = os.environ.get("DEMO_PORT", "").strip() or "3001"
    language = os.environ.get("DEMO_LANGUAGE", "").strip().lower() or "en"
    if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
        print(f"error: DEMO_PORT: expected a port number from 1 to 65535, got {port_text!r}", file=sys.stderr)
        return 2
    if language not in LANGUAGES:
        print(f"error: DEMO_LANGUAGE: choose one of {', '.join(LANGUAGES)}, got {language!r}", file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    stopped = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stopped.set())
    with tempfile.TemporaryDirectory(prefix="complaint-desk-demo-") as folder:
        try:
            demo = Demo(folder, language=language, port=int(port_text)).start()
        except OSError as error:
            print(f"error: DEMO_PORT {port_text}: {error.strerror or error}; choose another port", file=sys.stderr)
            return 2
        print(f"Complaint Desk sandbox: open {demo.url} in your browser (Ctrl-C stops it)", flush=True)
        stopped.wait()
        demo.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
