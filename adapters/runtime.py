"""Starting and stopping the whole bot in the right order, and knowing whether it is healthy."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Protocol

from slack_bolt import App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from adapters.channel_check import ChannelCheck
from adapters.garbage import QuietCollector
from adapters.http import HttpServer, SlackEndpoint
from adapters.library_internals import prime_authorization
from adapters.lookups import SlackLookups
from adapters.metrics import Metrics
from adapters.routes import RouteCheck
from adapters.scopes import report_missing
from adapters.slack_web import WebGateway, make_client
from bot.attachments import Attachments
from bot.config import Config, Settings
from bot.filing_notes import FilingNotes
from bot.identity import META_KEY, Identity, stored_identity
from bot.leadership import Role
from bot.outbox import Outbox
from bot.rendering.attachments import AttachmentsRenderer
from bot.rendering.reporter import ReporterRenderer
from bot.reporter_thread import ReporterThreads
from bot.scheduler import Timers
from bot.services import ATTACH, REPORTER_NOTE, REPORTER_ROOT
from bot.services.bundle import Services, build_services
from bot.services.capture import SOURCE_LINK, SOURCE_REPLY
from bot.services.placement import ANNOUNCE
from bot.slack_gateway import SlackStatus
from bot.store import Store, StoreError, open_store

log = logging.getLogger("complaints")

# auth.test answers that no waiting will fix: the operator must change the token.
FATAL_AUTH = {"invalid_auth", "token_revoked", "not_authed", "account_inactive", "token_expired", "no_permission"}
AppBuilder = Callable[[Settings, Services, WebClient], App]
NAME_CACHE_SECONDS = 3600.0  # names on reports may lag a renamed profile by this much


class Part(Protocol):
    """A running part the runtime stops when it stops."""

    def stop(self) -> None:
        """Stop, finishing what is in flight."""


class StartupFailed(Exception):
    """The bot cannot run with this setup; the message is the one line the operator reads."""


class Stopped(Exception):
    """Asked to stop (SIGTERM) before the start was complete: a clean exit, not a failure."""


@dataclass(frozen=True)
class Tuning:
    """Waiting times, production values by default; tests shorten them instead of sleeping for minutes."""

    slack_timeout: float = 10.0  # seconds one Web API call may take before it counts as failed
    retry_base: float = 1.0  # the outbox's first retry delay; it doubles per attempt
    retry_max: float = 300.0  # ... up to this
    auth_retry_first: float = 1.0  # auth.test at start-up: the first wait, doubling
    auth_retry_max: float = 30.0  # ... up to this
    socket_check: float = 10.0  # Socket Mode: how often the connection is checked (and reopened when dead)
    probe_max: float = 3.0  # while Slack is down: the longest wait between two probes of the outbox


def utc_now() -> datetime:
    """The real clock."""
    return datetime.now(UTC)


class Runtime:
    """Owns every running part: store, HTTP or Socket Mode, outbox, timers."""

    def __init__(
        self,
        settings: Settings,
        config: Config,
        build_app: AppBuilder,
        now: Callable[[], datetime] = utc_now,
        client: WebClient | None = None,
        tuning: Tuning | None = None,
    ) -> None:
        self.settings = settings
        self.config = config
        self.build_app = build_app
        self.now = now
        self.tuning = tuning or Tuning()
        self.client = client or make_client(settings.bot_token, settings.api_url, self.tuning.slack_timeout)
        # The outbox posts without the client's own retries: it looks for an earlier attempt before repeating.
        self.outbox_client = make_client(settings.bot_token, settings.api_url, self.tuning.slack_timeout, retries=False)
        self.stopped = threading.Event()
        self.ready = False
        self.store: Store | None = None
        self.services: Services | None = None
        self.outbox: Outbox | None = None
        self.app: App | None = None
        self.metrics = Metrics()  # a registry per Runtime, so several bots can share a process
        self.endpoint = SlackEndpoint(
            None if settings.socket_mode else settings.signing_secret,
            self.health,
            routes={"/metrics": self.metrics.render},
            on_request=self.metrics.on_request,
        )
        self.http = HttpServer(self.endpoint, settings.host, settings.port)
        self.leadership: Role | None = None
        self.socket: Any = None
        self.auth_test: SlackResponse | None = None
        self.fatal: str | None = None  # set when Slack refused the token after a start on a stored identity
        self.timers: Timers | None = None
        self.channel_check: ChannelCheck | None = None
        self.slack: SlackStatus | None = None
        self.routes: RouteCheck | None = None
        self.parts: list[Part] = []  # stopped in reverse order
        self.collector = QuietCollector()
        self._names: dict[str, tuple[float, str]] = {}  # user -> (when looked up, name)

    def health(self) -> tuple[bool, dict[str, Any]]:
        """What /healthz says: 503 "starting" until every part is up, then 200 with the store's state."""
        if not self.ready or self.store is None:
            return False, {"status": "starting"}
        store_ok = self.store.ping()
        body = {
            "status": "ok" if store_ok else "degraded",
            "backend": self.store.backend,
            "database": store_ok,
            "outbox": self.store.outbox_depth(),
            "mode": "socket" if self.settings.socket_mode else "http",
            "slack": "down" if self.slack is not None and self.slack.down_since else "ok",
            "oldest_waiting_seconds": round(self.outbox.oldest_waiting_seconds(), 1) if self.outbox else 0.0,
        }
        if self.leadership is not None:
            body.update(self.leadership.health_fields())
        if self.routes is not None:
            body.update(self.routes.health_fields())
        # Still 200 when the database is down: the replica keeps answering Slack ("could not be saved"), and a
        # load balancer that dropped every replica would leave people with no answer at all.
        return True, body

    def start(self) -> None:
        """Bring everything up; /healthz answers "starting" until it is all there."""
        try:
            self.store = open_store(self.config, self.settings, self.now)
        except Exception as exc:
            raise StartupFailed(str(exc)) from exc
        self.http.start()
        known = stored_identity(self.store)
        # Known from an earlier start: take requests at once (their messages wait in the outbox while Slack is
        # down) and confirm with Slack meanwhile. A first start ever must hear from Slack who it is.
        identity = known if known.known else self._wait_for_slack()
        lookups = SlackLookups(
            self.client, self.outbox_client, lambda: self.services.deps.identity if self.services else identity
        )
        self.services = build_services(
            self.config,
            self.store,
            self.now,
            lookups,
            name_of=self._user_name,
            on_rate_limited=self.metrics.on_rate_limited,
        )
        self.services.identify(identity)
        self.timers = Timers(self.store, self.services.followups.planner, self.services.followups, self.now)
        self.services.deps.changes.subscribe(self.timers.plan)
        reports = self.services.reports  # digests on their crons, in the configured zone
        self.timers.add_cron(
            "digest-management", self.config.management_digest_cron, self.config.timezone, reports.scheduled_management
        )
        self.timers.add_cron(
            "digest-channels", self.config.channel_digest_cron, self.config.timezone, reports.scheduled_channels
        )
        self.slack = SlackStatus(self.now, probe_first=min(1.0, self.tuning.probe_max), probe_max=self.tuning.probe_max)
        gateway = WebGateway(self.outbox_client, on_call=self.metrics.on_call, slack=self.slack)
        self.outbox = Outbox(
            self.store,
            gateway,
            self.services.render,
            self.now,
            fallback_channel=self.config.fallback_channel,
            claim_emoji=self.config.claim_emoji,
            door=self.services.channels.door,
            base_delay=self.tuning.retry_base,
            max_delay=self.tuning.retry_max,
            slack=self.slack,
        )
        self.store.add_commit_listener(self.outbox.wake)
        notes = FilingNotes(  # where a filing came from
            self.store, gateway, self.services.capture.words, self.services.channels.is_shared
        )
        self.outbox.register(SOURCE_LINK, notes.link)
        self.outbox.register(SOURCE_REPLY, notes.reply)
        self.outbox.register(ANNOUNCE, notes.announce)
        threads = ReporterThreads(self.store, gateway, self.outbox, ReporterRenderer(self.services.render))
        self.outbox.register(REPORTER_NOTE, threads.note)  # the reporter's news, one thread per complaint
        self.outbox.register(REPORTER_ROOT, threads.refresh)
        files = Attachments(self.store, gateway, self.outbox, AttachmentsRenderer(self.services.render), self.now)
        self.outbox.register(ATTACH, files.deliver)  # files brought at filing, shared into the card's thread
        home = self.services.home  # App Homes are rendered when they are published
        self.outbox.register("home", lambda e: gateway.publish_home(e.user or "", home.view(e.user or "")))
        self.outbox.register("prepare", self.services.reports.prepare)  # reports and exports, made after the ack
        self.app = self.build_app(self.settings, self.services, self.client)
        prime_authorization(self.app, self.auth_test or self._as_auth_test(identity))
        self.store.add_change_listener(self.timers.plan)  # other replicas' changes re-plan this one's timers
        self.store.add_change_listener(self.services.customers.learn)  # and teach it the customers they named
        leadership = self.store.leadership(self._lead, self._follow)
        self.leadership = leadership
        self.parts.append(leadership)
        self.metrics.watch(self.store, self.timers, leadership, self.outbox)
        leadership.start()
        self.endpoint.app = self.app
        if self.settings.socket_mode:
            self._connect_socket_mode()
        # Everything built so far lives as long as the process: keep it out of the garbage collector's way,
        # so a full collection never scans it in the middle of someone's request.
        gc.collect()
        gc.freeze()
        self.collector.start()
        self.parts.append(self.collector)
        self.routes = RouteCheck(self.client, self.services.placement, self.config.fallback_channel)
        self.parts.append(self.routes)
        self.routes.start()  # joins the routing's public channels in the background
        self.ready = True
        if self.auth_test is None:
            threading.Thread(target=self._confirm_identity, args=(identity,), name="auth-test", daemon=True).start()
        log.info(
            "ready (%s mode, %s store, port %s)",
            "socket" if self.settings.socket_mode else "http",
            self.store.backend,
            self.http.port,
        )

    def _lead(self) -> None:
        """This process runs the timers and delivers the outbox (the only process, or the elected replica).

        It also looks at the channels holding open cards, once, in the background (see ChannelCheck).
        """
        assert self.outbox is not None and self.timers is not None and self.services is not None
        self.outbox.start()
        self.timers.start()
        self.channel_check = ChannelCheck(
            self.services.relocation, self.stopped, self.tuning.auth_retry_first, self.tuning.auth_retry_max
        )
        self.channel_check.start()

    def _follow(self) -> None:
        """Another replica leads (or this one stops): nothing fires or is delivered here, requests still are."""
        if self.timers is not None:
            self.timers.standby()
        if self.outbox is not None:
            self.outbox.stop()

    def _wait_for_slack(self) -> Identity:
        """auth.test until Slack answers: a bad token stops the bot, an outage is waited out with backoff.

        What Slack says is stored with the data, so that the next start can take requests before Slack answers.
        """
        delay = self.tuning.auth_retry_first
        while not self.stopped.is_set():
            try:
                self.auth_test = self.client.auth_test()
                report_missing(self.auth_test.headers)  # a release that needs a new scope says so at once
                identity = Identity.from_auth_test(self.auth_test.data)  # type: ignore[arg-type]
                self._remember(identity)
                return identity
            except SlackApiError as exc:
                code = str(exc.response.get("error") or exc.response.status_code)
                if code in FATAL_AUTH:
                    raise StartupFailed(
                        f"SLACK_BOT_TOKEN: Slack refused it ({code}); "
                        "reinstall the app and copy its Bot User OAuth Token"
                    ) from exc
                log.warning("Slack is not answering auth.test (%s); trying again in %.0fs", code, delay)
            except Exception as exc:  # connection refused, DNS, timeouts: Slack is unreachable for now
                log.warning("Slack is unreachable (%s); trying again in %.0fs", type(exc).__name__, delay)
            self.stopped.wait(delay)
            delay = min(delay * 2, self.tuning.auth_retry_max)
        raise Stopped("stopped before Slack answered")

    def _remember(self, identity: Identity) -> None:
        """Store the identity with the data when it is new or changed; a store that cannot take it is no reason
        to stop (the next start asks Slack again)."""
        assert self.store is not None
        try:
            if stored_identity(self.store) != identity:
                with self.store.transaction() as tx:
                    tx.set_meta(META_KEY, identity.to_dict())
        except StoreError as exc:
            log.warning("could not store who the bot is in Slack (%s); the next start asks Slack first", exc)

    def _confirm_identity(self, known: Identity) -> None:
        """After a start on the stored identity: ask Slack in the background, take what it says, or stop on a
        token it refuses (the process then exits 2 with the reason as its one last line, so it is not logged here
        too)."""
        try:
            identity = self._wait_for_slack()
        except Stopped:
            return
        except StartupFailed as exc:
            self.fatal = str(exc)
            self.stopped.set()
            return
        if identity != known and self.services is not None:
            log.info("Slack says the bot is now %s in %s", identity.user_id, identity.team_id)
            self.services.identify(identity)

    def _as_auth_test(self, identity: Identity) -> SlackResponse:
        """The stored identity in the shape of auth.test's answer, for bolt's authorization."""
        return SlackResponse(
            client=self.client,
            http_verb="POST",
            api_url=f"{self.settings.api_url}auth.test",
            req_args={},
            data=identity.to_auth_test(),
            headers={},
            status_code=200,
        )

    def _connect_socket_mode(self) -> None:
        """Open the Socket Mode connection; the client reconnects by itself after drops."""
        from slack_bolt.adapter.socket_mode import SocketModeHandler

        assert self.app is not None
        self.socket = SocketModeHandler(self.app, self.settings.app_token, ping_interval=self.tuning.socket_check)
        if self.auth_test is not None:  # Slack answered a moment ago
            self.socket.connect()
            return
        # Started on the stored identity, perhaps during an outage: connect as soon as Slack lets us.
        threading.Thread(target=self._connect_when_slack_answers, name="socket-connect", daemon=True).start()

    def _connect_when_slack_answers(self) -> None:
        """Open the Socket Mode connection, trying again with backoff while Slack does not give one."""
        delay = self.tuning.auth_retry_first
        while not self.stopped.is_set():
            try:
                self.socket.connect()
                return
            except Exception as exc:  # Slack down or unreachable: Socket Mode has nothing to receive meanwhile
                log.warning("Socket Mode cannot connect yet (%s); trying again in %.0fs", type(exc).__name__, delay)
            self.stopped.wait(delay)
            delay = min(delay * 2, self.tuning.auth_retry_max)

    def _user_name(self, user: str) -> str:
        """A person's name as colleagues know it (users.info), for the 8D report; the id when Slack cannot say."""
        known = self._names.get(user)
        if known is not None and time.monotonic() - known[0] < NAME_CACHE_SECONDS:
            return known[1]
        try:
            profile = self.client.users_info(user=user).get("user") or {}
        except Exception as exc:  # the report is still made, with the id, rather than not at all
            log.warning("could not look up %s: %s", user, exc)
            return known[1] if known else user
        details = profile.get("profile") or {}
        name = str(details.get("real_name") or profile.get("real_name") or details.get("display_name") or user)
        self._names[user] = (time.monotonic(), name)
        return name

    def run_forever(self) -> None:
        """Block until asked to stop."""
        while not self.stopped.wait(1.0):
            pass

    def stop(self) -> None:
        """Stop taking requests, let the outbox finish what is in flight, close the store."""
        self.stopped.set()
        if self.socket is not None:
            self.socket.close()
        self.http.stop()
        for part in reversed(self.parts):
            part.stop()
        if self.timers is not None:
            self.timers.stop()
        if self.outbox is not None:
            self.outbox.stop()
        if self.store is not None:
            self.store.close()
