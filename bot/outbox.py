"""Delivering queued Slack effects: in order per lane, retried with backoff, never shown twice.

What the outbox needs from Slack, and what it knows of Slack's state, is in `bot.slack_gateway`.
"""

from __future__ import annotations

import base64
import logging
import random
import threading
from collections.abc import Callable, Collection
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from typing import Any

from bot.model import Effect
from bot.rendering import Renderer
from bot.services import card, ephemeral, reporter_note, respond
from bot.services.channels import Door
from bot.slack_gateway import CANNOT_POST, FILE_GONE, THREAD_GONE, DeliveryError, SlackGateway, SlackStatus
from bot.store import Store

log = logging.getLogger("complaints.outbox")

# Slack's answers when a message to update is gone, or not the bot's to change.
GONE = {"message_not_found", "cant_update_message"}
BASE_DELAY = 1.0
MAX_DELAY = timedelta(minutes=5).total_seconds()
# A bug (not a Slack answer) in delivering one effect is retried this often, then given up, so one broken
# effect cannot hold up its channel's lane for ever.
MAX_BUG_ATTEMPTS = 5
# A response_url that keeps failing is given up after this many attempts, for a direct message.
RESPOND_ATTEMPTS = 2
# Delivers one effect; returns True when it removed the effect itself (in the transaction that stored what
# the delivery learnt, e.g. the card's ts), so it is not removed a second time.
Deliver = Callable[[Effect], bool | None]


def _about(effect: Effect) -> str:
    """Which complaint an effect is for, as every log line about a complaint names it: "#12"."""
    return f"#{effect.complaint}" if effect.complaint else f"no complaint (lane {effect.lane})"


class Outbox:
    """Takes effects from the store and delivers them; one in flight per lane keeps each channel in order."""

    def __init__(
        self,
        store: Store,
        gateway: SlackGateway,
        render: Renderer,
        now: Callable[[], datetime],
        workers: int = 4,
        fallback_channel: str | None = None,
        base_delay: float = BASE_DELAY,
        max_delay: float = MAX_DELAY,
        claim_emoji: str = "",
        slack: SlackStatus | None = None,
        door: Callable[[str], Door] | None = None,
    ) -> None:
        self.store = store
        self.slack = slack or SlackStatus(now)
        self.base_delay = base_delay
        self.max_delay = max_delay
        self.gateway = gateway
        self.render = render
        self.now = now
        self.fallback_channel = fallback_channel
        self.claim_emoji = claim_emoji
        # Whether a card may go into a channel (joining a public one first); without it, every channel is open.
        self.door = door or (lambda channel: Door.UNKNOWN)
        self._kinds: dict[str, Deliver] = {
            "card": self._card,
            "thread": self._thread,
            "post": self._post,
            "ephemeral": self._ephemeral,
            "talk": self._talk,
            "update": self._update,
            "upload": self._upload,
            "respond": self._respond,
        }
        self._workers = workers
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="outbox")
        self._busy: set[str] = set()
        # Attempts ended per lane since the dispatcher last looked, to spot a stale list of lane heads; lanes that
        # are neither busy nor just ended are dropped, so a lane per conversation does not grow it for ever.
        self._lane_ended: dict[str, int] = {}
        self._wake = threading.Condition()
        self._stopped = threading.Event()
        self._dispatcher: threading.Thread | None = None
        self._counting = threading.Lock()  # four workers count at once
        self.delivered = 0
        self.failures: dict[str, int] = {}
        self._inherited: set[str] = set()
        self._probing = False  # while Slack is down: an attempt is out finding whether it answers again
        self._head_since: dict[str, datetime] = {}  # effect id -> when it was first seen at its lane's head
        self._running = False

    def register(self, kind: str, deliver: Deliver) -> None:
        """Teach the outbox a further kind of effect (uploads, App Home)."""
        self._kinds[kind] = deliver

    def start(self) -> None:
        """Deliver in the background, starting with whatever a previous run left pending.

        An effect queued before this start may have been in flight when the previous process died, so each
        of those is looked for in Slack before it is posted again.
        """
        if self._stopped.is_set():  # started again: this replica was elected leader once more
            self._stopped.clear()
            self._pool = ThreadPoolExecutor(max_workers=self._workers, thread_name_prefix="outbox")
        self._inherited = {effect.id for effect in self.store.pending_effects()}
        self._running = True
        self._dispatcher = threading.Thread(target=self._run, name="outbox", daemon=True)
        self._dispatcher.start()

    def stop(self) -> None:
        """Finish what is in flight and stop."""
        self._running = False
        self._stopped.set()
        self.wake()
        if self._dispatcher:
            self._dispatcher.join(timeout=5)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def wake(self, lanes: Collection[str] | None = None) -> None:
        """Something new was queued (in these lanes, when known): look now instead of at the next tick.

        A lane with a delivery in flight is looked at again when that delivery ends, so news for busy lanes
        only does not wake the dispatcher: with Slack answering slowly, most commits queue behind a busy lane,
        and reading the outbox after every one of them cost more than the commits themselves.
        """
        with self._wake:
            if lanes is not None and all(lane in self._busy for lane in lanes):
                return
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
        with self._wake:
            for lane in [lane for lane in self._lane_ended if lane not in self._busy]:
                del self._lane_ended[lane]  # an attempt ending from now on is seen as a change against `ended`
            ended = dict(self._lane_ended)
        heads = self.store.lane_heads()  # one per lane
        self._note_heads(heads, now)
        if self.slack.down_since is not None:
            return self._probe(heads, now)
        wait = 1.0
        for effect in heads:
            if effect.not_before and effect.not_before > now:
                wait = min(wait, max(0.05, (effect.not_before - now).total_seconds()))
                continue
            with self._wake:
                if effect.lane in self._busy:
                    continue
                if self._lane_ended.get(effect.lane) != ended.get(effect.lane):
                    wait = 0.0  # an attempt on this lane ended after the list was read: it may be stale
                    continue
                self._busy.add(effect.lane)
            self._submit(effect)
        return wait

    def _probe(self, heads: list[Effect], now: datetime) -> float:
        """While Slack is down, the oldest waiting message alone goes, as a probe, once its time has come."""
        wait = self.slack.probe_in()
        if wait > 0:
            return min(wait, 1.0)
        with self._wake:
            if self._probing:
                return 1.0  # its end wakes the dispatcher
            idle = [e for e in heads if e.lane not in self._busy]
            due = [e for e in idle if not (e.not_before and e.not_before > now)]
            if not due:  # wait for the first to fall due (a Retry-After), not a busy loop
                later = [(e.not_before - now).total_seconds() for e in idle if e.not_before]
                return min([1.0, *later]) if later else 1.0
            probe = min(due, key=lambda e: e.seq)
            self._probing = True
            self._busy.add(probe.lane)
        self._submit(probe, True)
        return 1.0

    def _note_heads(self, heads: list[Effect], now: datetime) -> None:
        """Remember since when each lane's first message waits (only the current heads: bounded by the lanes)."""
        with self._wake:
            self._head_since = {e.id: self._head_since.get(e.id, now) for e in heads}

    def oldest_waiting_seconds(self) -> float:
        """How long the longest-waiting message at the head of its lane has waited (0 when none waits)."""
        with self._wake:
            if not self._running or not self._head_since:
                return 0.0
            oldest = min(self._head_since.values())
        return max(0.0, (self.now() - oldest).total_seconds())

    def _submit(self, effect: Effect, probe: bool = False) -> None:
        """Hand an effect to a worker; the lane is free again if no worker will take it (the pool is stopping)."""
        try:
            self._pool.submit(self._attempt, effect, probe)
        except RuntimeError:  # shut down under us: the effect stays stored and goes with the next start
            with self._wake:
                self._probing = self._probing and not probe
                self._busy.discard(effect.lane)

    def _attempt(self, effect: Effect, probe: bool = False) -> None:
        """Deliver one effect and record the result, whatever happens; nothing raised here goes unlogged."""
        try:
            self._deliver(effect)
        except Exception:  # recording the result failed too (the store is down): the effect stays stored
            log.exception("%s %s for %s: its result could not be recorded", effect.kind, effect.id, _about(effect))
        finally:
            with self._wake:
                if probe:
                    self._probing = False
                self._inherited.discard(effect.id)  # attempted once: from now on its attempts say so
                self._busy.discard(effect.lane)
                self._lane_ended[effect.lane] = self._lane_ended.get(effect.lane, 0) + 1
                self._wake.notify_all()

    def _deliver(self, effect: Effect) -> None:
        """Deliver one effect; a failure is retried or given up as its kind says."""
        try:
            deliver = self._kinds.get(effect.kind)
            if deliver is None:
                raise DeliveryError(f"unknown_kind_{effect.kind}", transient=False)
            if not deliver(effect):  # True: the delivery already removed it, together with what it stored
                self.store.finish_effect(effect.id)
            with self._counting:
                self.delivered += 1
            log.debug("%s %s for %s delivered", effect.kind, effect.id, _about(effect))
        except DeliveryError as exc:
            self._failed(effect, exc)
        except Exception as exc:  # a bug in one effect must not stop the others; it is retried a few times
            log.exception("%s %s for %s failed", effect.kind, effect.id, _about(effect))
            self._failed(effect, DeliveryError(type(exc).__name__, transient=effect.attempts + 1 < MAX_BUG_ATTEMPTS))

    def sizes(self) -> dict[str, int]:
        """How much the outbox keeps per lane and per effect right now (all of it shrinks when lanes are done)."""
        with self._wake:
            return {
                "busy": len(self._busy),
                "lane_ended": len(self._lane_ended),
                "head_since": len(self._head_since),
                "inherited": len(self._inherited),
            }

    def _failed(self, effect: Effect, exc: DeliveryError) -> None:
        """Retry a transient failure with backoff; give up on a permanent one and say so in the log."""
        with self._counting:
            self.failures[exc.code] = self.failures.get(exc.code, 0) + 1
        if not exc.transient:
            log.error("giving up on %s %s for %s: %s", effect.kind, effect.id, _about(effect), exc.code)
            self.store.finish_effect(effect.id)
            return
        if exc.outage:  # not this message's fault: it goes again as soon as a probe finds Slack answering
            self.slack.unreachable()
            log.warning(
                "%s %s for %s failed (%s); retrying as soon as Slack answers",
                effect.kind,
                effect.id,
                _about(effect),
                exc.code,
            )
            self.store.retry_effect(effect.id, self.now(), exc.code)
            return
        delay = exc.retry_after if exc.retry_after is not None else self._backoff(effect.attempts)
        log.warning(
            "%s %s for %s failed (%s); retrying in %.1fs", effect.kind, effect.id, _about(effect), exc.code, delay
        )
        self.store.retry_effect(effect.id, self.now() + timedelta(seconds=delay), exc.code)

    def _backoff(self, attempts: int) -> float:
        """1 s, 2 s, 4 s … up to five minutes (by default), with jitter so retries do not arrive together."""
        base = min(self.max_delay, self.base_delay * 2.0 ** min(attempts, 32))
        return base * (0.75 + random.random() / 2)

    # Kinds of effect.

    def _card(self, effect: Effect) -> bool:
        """Post the card the first time, update it afterwards."""
        complaint = self.store.get(effect.complaint or 0)
        if complaint is None:
            return False
        text, blocks = self.render.card(complaint)
        if complaint.card_ts:
            try:
                self.gateway.update(complaint.channel, complaint.card_ts, text, blocks)
                return False
            except DeliveryError as exc:
                if exc.code != "message_not_found":
                    raise
                log.warning("card of #%s was deleted; posting it again", complaint.number)
        if effect.channel and effect.channel != complaint.channel:
            return False  # queued for a channel the complaint has left: its move queued the card for its new place
        return self._post_card(effect, complaint.channel, text, blocks)

    def _post_card(self, effect: Effect, channel: str, text: str, blocks: list[dict[str, Any]]) -> bool:
        """Post a card once, where the bot may: a public channel it is not in is joined first (so that claims and
        replies reach it); a private one it is not in, or one shared with another organisation, sends the card to
        the fallback channel (or leaves the complaint without a card until the bot is invited).

        The card's ts is stored in the same transaction that removes the effect (so it returns True).
        """
        door = self.door(channel)
        if door is Door.UNREACHABLE:
            raise DeliveryError("channel_not_looked_at", transient=True, outage=True)
        if door in (Door.SHARED, Door.CLOSED):
            return self._elsewhere(effect, channel, door)
        try:
            _, ts = self._post_once(effect, channel, text, blocks, None)
        except DeliveryError as exc:
            if exc.code not in CANNOT_POST:
                raise
            return self._elsewhere(effect, channel, Door.CLOSED)
        with self.store.transaction() as tx:
            complaint = tx.get(effect.complaint or 0)
            if complaint is not None:
                complaint.card_ts = ts
                tx.save(complaint)
            tx.finish_effect(effect.id)
        self._offer_claim(channel, ts)
        return True

    def _elsewhere(self, effect: Effect, wanted: str, door: Door) -> bool:
        """The card cannot go into `wanted`: to the fallback channel, or nowhere until the bot is invited there.

        The filer hears which, privately, when this is the card of a filing (see Lifecycle.file).
        """
        fallback = self.fallback_channel
        filer, url = str(effect.data.get("filer") or ""), str(effect.data.get("response_url") or "")
        with self.store.transaction() as tx:
            complaint = tx.get(effect.complaint or 0)
            if complaint is not None and fallback and fallback != wanted:
                complaint.channel = fallback
                tx.save(complaint)
                tx.enqueue(card(complaint))  # in the fallback's own lane
                key = "file.redirected_shared" if door is Door.SHARED else "file.redirected"
                note = self.render.t(key, wanted=wanted, number=complaint.number, channel=fallback)
                log.info("the card of #%s goes to <#%s>: <#%s> is %s", complaint.number, fallback, wanted, door.value)
            elif complaint is not None:
                key = "file.no_card_shared" if door is Door.SHARED else "file.no_card"
                note = self.render.t(key, wanted=wanted, number=complaint.number)
                log.warning("#%s has no card: the bot cannot post in <#%s> (%s)", complaint.number, wanted, door.value)
            if complaint is not None and filer and url:
                tx.enqueue(respond(filer, note, url, complaint.number))
            elif complaint is not None and filer:  # a filing from the form: its reporter's thread of news
                tx.enqueue(reporter_note(complaint, note))
            tx.finish_effect(effect.id)
        return True

    def _offer_claim(self, channel: str, ts: str) -> None:
        """Put the claim emoji under a new card so that taking it on is one click; a nicety, never retried."""
        if not self.claim_emoji:
            return
        try:
            self.gateway.add_reaction(channel, ts, self.claim_emoji)
        except DeliveryError as exc:
            log.info("could not add :%s: to a card: %s", self.claim_emoji, exc.code)

    def _post_once(
        self,
        effect: Effect,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]] | None,
        thread_ts: str | None,
        marker: str = "",
        broadcast: bool = False,
    ) -> tuple[str, str]:
        """Post, but first look whether an earlier attempt that seemed to fail did reach Slack.

        An earlier attempt may have been applied by Slack although its answer was lost (a timeout, a 5xx, or
        a crash of this process before the result was stored): then the message carrying this effect's
        marker is already there, and posting again would show it twice.
        """
        marker = marker or effect.id
        if (effect.attempts or effect.id in self._inherited) and effect.last_error not in CANNOT_POST:
            found = self.gateway.find_marker(channel, thread_ts, marker)
            if found:
                log.info("%s %s for %s was already in Slack (%s)", effect.kind, effect.id, _about(effect), found)
                return channel, found
        return self.gateway.post(channel, text, blocks, thread_ts, marker, broadcast=broadcast)

    def post_once(
        self,
        effect: Effect,
        channel: str,
        text: str,
        blocks: list[dict[str, Any]] | None,
        thread_ts: str | None,
        *,
        marker: str = "",
        broadcast: bool = False,
    ) -> tuple[str, str]:
        """The same look before posting, for deliveries registered from outside (the reporter's threads)."""
        return self._post_once(effect, channel, text, blocks, thread_ts, marker, broadcast)

    def card_thread(self, effect: Effect) -> tuple[str, str]:
        """The card (channel, ts) whose thread something is shared in, for deliveries registered from outside:
        waits for a card still queued, and posts a lost or deleted one again."""
        complaint = self.store.get(effect.complaint or 0)
        if complaint is None:
            raise DeliveryError("complaint_not_found", transient=False)
        if complaint.card_ts:
            return complaint.channel, complaint.card_ts
        if self._card_pending(complaint.number):
            wait = min(self._backoff(effect.attempts), self.slack.probe_max)
            raise DeliveryError("card_not_posted_yet", transient=True, retry_after=wait)
        return complaint.channel, self._repost_card(effect, complaint.number)

    def _thread(self, effect: Effect) -> None:
        """A reply in the card's thread; waits for the card, or posts it again when it was deleted or lost."""
        complaint = self.store.get(effect.complaint or 0)
        if complaint is None:
            return
        card_ts = complaint.card_ts
        if not card_ts:
            if self._card_pending(complaint.number):  # it goes as soon as the card is there, not minutes later
                wait = min(self._backoff(effect.attempts), self.slack.probe_max)
                raise DeliveryError("card_not_posted_yet", transient=True, retry_after=wait)
            card_ts = self._repost_card(effect, complaint.number)
        try:
            self._post_once(effect, complaint.channel, effect.text, effect.blocks, card_ts)
        except DeliveryError as exc:
            if exc.code not in THREAD_GONE:
                raise
            self._forget_card(complaint.number, card_ts)
            raise DeliveryError(exc.code, transient=True, retry_after=0) from exc

    def _card_pending(self, number: int) -> bool:
        """Whether the complaint's card is still queued (it may be waiting in another channel's lane)."""
        return any(e.kind == "card" and e.complaint == number for e in self.store.pending_effects())

    def _forget_card(self, number: int, card_ts: str) -> None:
        """The card is gone from Slack (deleted): the next thread message posts it again first."""
        log.warning("the card of #%s was deleted; it will be posted again", number)
        with self.store.transaction() as tx:
            complaint = tx.get(number)
            if complaint is not None and complaint.card_ts == card_ts:
                complaint.card_ts = None
                tx.save(complaint)

    def _repost_card(self, effect: Effect, number: int) -> str:
        """Post the card again for a thread message that needs it; marked so that a retry cannot post two."""
        complaint = self.store.get(number)
        assert complaint is not None
        door = self.door(complaint.channel)
        if door is Door.UNREACHABLE:
            raise DeliveryError("channel_not_looked_at", transient=True, outage=True)
        if door in (Door.SHARED, Door.CLOSED):
            raise DeliveryError("no_card_here", transient=False)  # waits for the bot to be invited, or moved
        text, blocks = self.render.card(complaint)
        _, ts = self._post_once(effect, complaint.channel, text, blocks, None, marker=f"{effect.id}-card")
        with self.store.transaction() as tx:
            current = tx.get(number)
            if current is not None:
                current.card_ts = ts
                tx.save(current)
        log.info("card of #%s posted again (%s)", number, ts)
        return ts

    def _post(self, effect: Effect) -> None:
        """A top-level message or DM."""
        assert effect.channel
        self._post_once(effect, effect.channel, effect.text, effect.blocks, None)

    def _respond(self, effect: Effect) -> None:
        """A private answer to someone who asked for something: through their request's response_url while it
        works (it expires after 30 minutes), else as a direct message."""
        url = str(effect.data.get("response_url") or "")
        if url:
            try:
                self.gateway.respond(url, effect.text)
                return
            except DeliveryError as exc:
                if exc.transient and effect.attempts + 1 < RESPOND_ATTEMPTS:
                    # Not the Web API: a response_url that fails says nothing about whether Slack answers.
                    raise DeliveryError(exc.code, transient=True) from exc
                log.info("%s: the response_url did not take it (%s); sending a DM", _about(effect), exc.code)
        self._post_once(effect, effect.user or "", effect.text, effect.blocks, None)

    def _ephemeral(self, effect: Effect) -> None:
        """A private note; if the person cannot get it (left the channel), there is nothing to retry."""
        assert effect.channel and effect.user
        self.gateway.ephemeral(effect.channel, effect.user, effect.text)

    def _talk(self, effect: Effect) -> None:
        """Open the complaint's group conversation once (stored on the complaint), then post the intro there."""
        complaint = self.store.get(effect.complaint or 0)
        if complaint is None:
            return
        channel = complaint.talk_channel
        if not channel:
            try:
                channel = self.gateway.open_conversation(list(effect.data.get("users") or []))
            except DeliveryError as exc:
                if exc.transient or not effect.user:
                    raise
                self._talk_failed(effect, complaint.channel, exc.code)
                return
            with self.store.transaction() as tx:
                current = tx.get(complaint.number)
                if current is not None and not current.talk_channel:
                    current.talk_channel = channel
                    tx.save(current)
                elif current is not None and current.talk_channel:
                    channel = current.talk_channel  # another delivery opened it first
        self._post_once(effect, channel, effect.text, effect.blocks, None)

    def _talk_failed(self, effect: Effect, channel: str, code: str) -> None:
        """Slack would not open the group: the person who asked for it hears so, instead of waiting in vain."""
        log.warning("could not open the talk for #%s: %s", effect.complaint, code)
        text = self.render.t("talk.open_failed", number=effect.complaint)
        with self.store.transaction() as tx:
            tx.enqueue(ephemeral(channel, effect.user or "", text, effect.complaint))

    def _update(self, effect: Effect) -> None:
        """Replace a message the bot posted (e.g. a question once it is answered, a card that moved away).

        Where the bot can no longer reach the message (removed from its channel, or it was deleted), there is
        nothing to replace.
        """
        assert effect.channel
        try:
            self.gateway.update(effect.channel, str(effect.data.get("ts") or ""), effect.text, effect.blocks)
        except DeliveryError as exc:
            if exc.code not in CANNOT_POST | GONE:
                raise
            log.info(
                "%s: the message to update in <#%s> is out of reach (%s)", _about(effect), effect.channel, exc.code
            )

    def _upload(self, effect: Effect) -> bool:
        """Share a file (digest chart, export) once, even when an attempt fails after Slack has taken it.

        The file id is stored as soon as Slack has the bytes; a later attempt first looks whether that file
        is already shared, and only shares it (or, if Slack has forgotten it, uploads it anew) when not.
        """
        assert effect.channel
        data = effect.data
        channel = effect.channel
        thread_ts = None
        if data.get("thread"):
            channel, thread_ts = self._upload_thread(effect, channel)
        if channel.startswith(("U", "W")):
            channel = self.gateway.open_conversation([channel])
        key = f"upload:{effect.id}"
        file_id = self.store.get_meta(key)
        if file_id and self._reshare(effect, str(file_id), channel, thread_ts):
            self._uploaded(effect, key)
            return True
        file_id = self.gateway.upload_bytes(str(data["filename"]), base64.b64decode(str(data["content"])))
        with self.store.transaction() as tx:
            tx.set_meta(key, file_id)
        title, comment = str(data.get("title") or ""), str(data.get("comment") or "")
        self.gateway.share_file(file_id, title, channel, comment, thread_ts)
        self._uploaded(effect, key)
        return True

    def _upload_thread(self, effect: Effect, channel: str) -> tuple[str, str | None]:
        """Where a file for a thread goes: the card's channel and ts (waiting for a card still queued, posting a
        lost one again), or the reporter's thread about the complaint (their DM when there is none)."""
        complaint = self.store.get(effect.complaint or 0)
        if complaint is None:
            return channel, None
        if effect.data.get("thread") == "reporter":
            thread = complaint.reporter_thread
            return (thread["channel"], thread["ts"]) if thread.get("ts") else (channel, None)
        if complaint.card_ts:
            return complaint.channel, complaint.card_ts
        if self._card_pending(complaint.number):
            raise DeliveryError("card_not_posted_yet", transient=True)
        return complaint.channel, self._repost_card(effect, complaint.number)

    def _reshare(self, effect: Effect, file_id: str, channel: str, thread_ts: str | None = None) -> bool:
        """Finish an earlier attempt's upload; False when Slack no longer has its bytes and it must start over."""
        shared = self.gateway.file_shared(channel, file_id, thread_ts)
        if shared:
            return True
        try:
            self.gateway.share_file(
                file_id, str(effect.data.get("title") or ""), channel, str(effect.data.get("comment") or ""), thread_ts
            )
        except DeliveryError as exc:
            if exc.transient or exc.code not in FILE_GONE:
                raise
            if shared is None:  # a DM we cannot read: the earlier attempt may have shared it; never twice
                log.warning("upload %s: Slack no longer knows file %s; assuming it was shared", effect.id, file_id)
                return True
            return False
        return True

    def _uploaded(self, effect: Effect, key: str) -> None:
        """Forget the upload's progress together with the effect."""
        with self.store.transaction() as tx:
            tx.set_meta(key, None)
            tx.finish_effect(effect.id)
