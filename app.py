"""Complaint Desk: wiring only. Load settings, build the bolt app on the services, start."""

from __future__ import annotations

import logging
import os
import signal
import sys

from slack_bolt import App
from slack_sdk import WebClient

from adapters.logs import quiet_library_noise
from adapters.runtime import Runtime, StartupFailed, Stopped
from bot.config import ConfigError, Settings, load_config, load_settings
from bot.services.bundle import Services
from handlers import register_all


def build_app(settings: Settings, services: Services, client: WebClient) -> App:
    """The bolt app: listeners run before the response, so an ack means the work is stored."""
    app = App(
        client=client,
        signing_secret=settings.signing_secret or "socket-mode",
        process_before_response=True,
        request_verification_enabled=False,  # the HTTP adapter verifies the raw body before parsing it
        token_verification_enabled=False,  # auth.test already ran, with retries, in Runtime.start
    )
    register_all(app, services)
    return app


def main() -> int:
    """Run until SIGTERM/SIGINT; exit 2 with one line when the setup is wrong."""
    try:
        settings = load_settings(os.environ)
        config = load_config(settings.config_path, os.environ)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    # A line per planned timer, or per request queued for a free thread, would drown everything else.
    logging.getLogger("apscheduler").setLevel(max(logging.WARNING, logging.getLogger().level))
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    quiet_library_noise()
    runtime = Runtime(settings, config, build_app)
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: runtime.stopped.set())
    try:
        runtime.start()
    except Stopped:  # SIGTERM while waiting for Slack: an orderly stop, as systemd and Kubernetes expect
        runtime.stop()
        return 0
    except StartupFailed as exc:
        print(f"error: {exc}", file=sys.stderr)
        runtime.stop()
        return 2
    runtime.run_forever()
    runtime.stop()
    if runtime.fatal:
        print(f"error: {runtime.fatal}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
