"""Delivering queued Slack effects: in order per lane, retried with backoff, never shown twice."""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any, Protocol

from bot.model import Effect
from bot.rendering import Renderer
from bot.services import post
from bot.store import Store

log = logging.getLogger("complaints.outbox")

# Slack answers with these when the channel is not one the bot can post in: the card goes to the fallback.
CANNOT_POST = {"not_in_channel", "channel_not_found", "is_archived", "restricted_action", "cannot_dm_bot"}
MAX_BACKOFF = timedelta(minutes=5)


class DeliveryError(Exception):
    """Slack did not take an effect. `transient` ones are retried; the others never will succeed."""

    def __init__(self, code: str, *, transient: bool, retry_after: float | None = None, maybe_done: bool = False):
        super().__init__(code)
        self.code = code
        self.transient = transient
        self.retry_after = retry_after
        self.maybe_done = maybe_done


class SlackGateway(Protocol):
    """The few Slack Web API operations the outbox needs, raising DeliveryError on failure."""

    def post(self, channel: str, text: str, blocks: list[dict[str, Any]] | None, thread_ts: str | None,
             marker: str) -> tuple[str, str]:
        """Post a message carrying `marker` in its metadata; returns (channel, ts)."""

    def find_marker(self, channel: str, thread_ts: str | None, marker: str) -> str | None:
        """The ts of a message already posted with `marker`, so a retry does not post it twice."""

    def update(self, channel: str, ts: str, text: str, blocks: list[dict[str, Any]] | None) -> None:
        """Replace a message's content."""

    def ephemeral(self, channel: str, user: str, text: str) -> None:
        """A message only `user` sees."""

    def publish_home(self, user: str, view: dict[str, Any]) -> None:
        """Replace a person's App Home."""

    def upload(self, channel: str, filename: str, content: bytes, title: str, comment: str) -> None:
        """Share a file in a channel or DM."""


class Outbox:
    """Takes effects from the store and delivers them; one in flight per lane keeps each channel in order."""

    def __init__(self, store: Store, gateway: SlackGateway, render: Renderer, now: Callable[[], datetime],
                 workers: int = 4, extra: dict[str, Callable[[Effect], None]] | None = None,
                 fallback_channel: str | None = None) -> None:
        self.store = store
        self.gateway = gateway
        self.render = render
        self.now = now
        self.fallback_channel = fallback_channel
        self._kinds: dict[str, Callable[[Effect], None]] = {
            "card": self._card, "thread": self._thread, "post": self._post, "ephemeral": self._ephemeral,
            **(extra or {}),
        }
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="outbox")
        self._busy: set[str] = set()
        self._wake = threading.Condition()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self.delivered = 0
        self.failures: dict[str, int] = {}
        self._inherited: set[str] = set()

    def register(self, kind: str, deliver: Callable[[Effect], None]) -> None:
        """Teach the outbox a further kind of effect (uploads, App Home)."""
        self._kinds[kind] = deliver

    def start(self) -> None:
        """Deliver in the background, starting with whatever a previous run left pending.

        An effect queued before this start may have been in flight when the previous process died, so each
        of those is looked for in Slack before it is posted again.
        """
        self._inherited = {effect.id for effect in self.store.pending_effects()}
        self._thread = threading.Thread(target=self._run, name="outbox", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Finish what is in flight and stop."""
        self._stopped.set()
        self.wake()
        if self._thread:
            self._thread.join(timeout=5)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def wake(self) -> None:
        """Something new was queued: look now instead of at the next tick."""
        with self._wake:
            self._wake.notify_all()

    def _run(self) -> None:
        """Dispatch loop: hand each lane's oldest due effect to a worker."""
        while not self._stopped.is_set():
            try:
                wait = self._dispatch()
            except Exception:  # the loop must survive a store hiccup; it tries again shortly
                log.exception("outbox dispatch failed")
                wait = 1.0
            with self._wake:
                self._wake.wait(timeout=wait)

    def _dispatch(self) -> float:
        """Start deliveries that may go now; returns how long to sleep until the next one is due."""
        now = self.now()
        pending = self.store.pending_effects()
        seen_lanes: set[str] = set()
        wait = 1.0
        for effect in pending:
            if effect.lane in seen_lanes:
                continue
            seen_lanes.add(effect.lane)
            if effect.not_before and effect.not_before > now:
                wait = min(wait, max(0.05, (effect.not_before - now).total_seconds()))
                continue
            with self._wake:
                if effect.lane in self._busy:
                    continue
                self._busy.add(effect.lane)
            self._pool.submit(self._attempt, effect)
        return wait

    def _attempt(self, effect: Effect) -> None:
        """Deliver one effect and record the result, whatever happens."""
        try:
            self._kinds[effect.kind](effect)
            self.store.finish_effect(effect.id)
            self.delivered += 1
        except DeliveryError as exc:
            self._failed(effect, exc)
        except Exception as exc:  # a bug in one effect must not stop the others; it is retried later
            log.exception("effect %s (%s) for #%s failed", effect.id, effect.kind, effect.complaint)
            self._failed(effect, DeliveryError(type(exc).__name__, transient=True))
        finally:
            with self._wake:
                self._busy.discard(effect.lane)
                self._wake.notify_all()

    def _failed(self, effect: Effect, exc: DeliveryError) -> None:
        """Retry a transient failure with backoff; give up on a permanent one and say so in the log."""
        self.failures[exc.code] = self.failures.get(exc.code, 0) + 1
        if not exc.transient:
            log.error("giving up on %s for #%s: %s", effect.kind, effect.complaint, exc.code)
            self.store.finish_effect(effect.id)
            return
        delay = exc.retry_after if exc.retry_after is not None else self._backoff(effect.attempts)
        log.warning("%s for #%s failed (%s); retrying in %.1fs", effect.kind, effect.complaint, exc.code, delay)
        self.store.retry_effect(effect.id, self.now() + timedelta(seconds=delay), exc.code)

    @staticmethod
    def _backoff(attempts: int) -> float:
        """1 s, 2 s, 4 s … up to five minutes, with jitter so retries do not arrive together."""
        base = min(MAX_BACKOFF.total_seconds(), 2.0**attempts)
        return base * (0.75 + random.random() / 2)

    # Kinds of effect.

    def _card(self, effect: Effect) -> None:
        """Post the card the first time, update it afterwards."""
        complaint = self.store.get(effect.complaint or 0)
        if complaint is None:
            return
        text, blocks = self.render.card(complaint)
        if complaint.card_ts:
            try:
                self.gateway.update(complaint.channel, complaint.card_ts, text, blocks)
                return
            except DeliveryError as exc:
                if exc.code != "message_not_found":
                    raise
                log.warning("card of #%s was deleted; posting it again", complaint.number)
        self._post_card(effect, complaint.channel, text, blocks)

    def _post_card(self, effect: Effect, channel: str, text: str, blocks: list[dict[str, Any]]) -> None:
        """Post a card once, going to the fallback channel when the bot cannot post where it was filed."""
        try:
            _, ts = self._post_once(effect, channel, text, blocks, None)
        except DeliveryError as exc:
            fallback = self.fallback_channel
            if exc.code not in CANNOT_POST or not fallback or fallback == channel:
                raise
            self._move_card(effect, fallback)
            raise DeliveryError("moved_to_fallback", transient=True, retry_after=0) from exc
        with self.store.transaction() as tx:
            complaint = tx.get(effect.complaint or 0)
            if complaint is not None:
                complaint.card_ts = ts
                tx.save(complaint)
            tx.finish_effect(effect.id)

    def _move_card(self, effect: Effect, fallback: str) -> None:
        """The card goes to the fallback channel, and the reporter hears where it went."""
        with self.store.transaction() as tx:
            complaint = tx.get(effect.complaint or 0)
            if complaint is None:
                return
            wanted, complaint.channel = complaint.channel, fallback
            tx.save(complaint)
            text = self.render.t("file.redirected", wanted=wanted, number=complaint.number, channel=fallback)
            tx.enqueue(post(complaint.reporter, text, complaint=complaint.number))

    def _post_once(self, effect: Effect, channel: str, text: str, blocks: list[dict[str, Any]] | None,
                   thread_ts: str | None) -> tuple[str, str]:
        """Post, but first look whether an earlier attempt that seemed to fail did reach Slack."""
        if (effect.attempts or effect.id in self._inherited) and effect.last_error not in CANNOT_POST:
            found = self.gateway.find_marker(channel, thread_ts, effect.id)
            if found:
                return channel, found
        return self.gateway.post(channel, text, blocks, thread_ts, effect.id)

    def _thread(self, effect: Effect) -> None:
        """A reply in the card's thread; waits until the card exists."""
        complaint = self.store.get(effect.complaint or 0)
        if complaint is None:
            return
        if not complaint.card_ts:
            raise DeliveryError("card_not_posted_yet", transient=True)
        self._post_once(effect, complaint.channel, effect.text, effect.blocks, complaint.card_ts)

    def _post(self, effect: Effect) -> None:
        """A top-level message or DM."""
        assert effect.channel
        self._post_once(effect, effect.channel, effect.text, effect.blocks, None)

    def _ephemeral(self, effect: Effect) -> None:
        """A private note; if the person cannot get it (left the channel), there is nothing to retry."""
        assert effect.channel and effect.user
        self.gateway.ephemeral(effect.channel, effect.user, effect.text)
