"""Load generation: signed Slack requests over fresh HTTP connections, timed, with errors counted."""

from __future__ import annotations

import http.client
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sandbox.fake_slack import FakeSlack
from sandbox.sender import SlackSender

SECRET = "bench-signing-secret"
TIMEOUT = 15.0
TOKEN = re.compile(r"\bbench-\d+-\d+-\d+\b")


@dataclass
class Timings:
    """Latencies of one kind of request, and how many failed (reset, refused, timed out, not 200)."""

    seconds: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def add(self, seconds: float, error: str | None) -> None:
        """Record one request."""
        with self._lock:
            if error is None:
                self.seconds.append(seconds)
            else:
                self.errors[error] = self.errors.get(error, 0) + 1

    def pct(self, p: float) -> float | None:
        """The p-th percentile in milliseconds (nearest rank), None without samples."""
        if not self.seconds:
            return None
        ordered = sorted(self.seconds)
        rank = max(1, min(len(ordered), int(-(-p * len(ordered) // 100))))
        return ordered[rank - 1] * 1000

    @property
    def count(self) -> int:
        """Successful requests."""
        return len(self.seconds)

    @property
    def failed(self) -> int:
        """Failed requests."""
        return sum(self.errors.values())


class Target(SlackSender):
    """An app under test, reached on 127.0.0.1 the way Slack reaches it (signed like the tests' requests)."""

    def __init__(self, port: int) -> None:
        super().__init__(port, SECRET, TIMEOUT)

    def command(self, text: str, user: str, channel: str) -> tuple[int, str]:  # type: ignore[override]
        """`/complaint <text>`; (status, body)."""
        answer = super().command(text, user=user, channel=channel)
        return answer.status, answer.text

    def reaction(self, channel: str, ts: str, user: str, emoji: str = "raising_hand") -> tuple[int, str]:  # type: ignore[override]
        """reaction_added on a message; (status, body)."""
        answer = super().reaction(channel, ts, user, emoji)
        return answer.status, answer.text

    def get(self, path: str, timeout: float = 2.0) -> tuple[int, str]:  # type: ignore[override]
        """A GET, e.g. /healthz."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request("GET", path)
            answer = connection.getresponse()
            return answer.status, answer.read().decode("utf-8", "replace")
        finally:
            connection.close()


def timed(timings: Timings, request: Callable[[], tuple[int, str]]) -> tuple[int, str] | None:
    """Run one request, record its latency or why it failed; the answer, or None when it failed."""
    started = time.perf_counter()
    try:
        status, body = request()
    except (ConnectionResetError, BrokenPipeError, http.client.RemoteDisconnected):
        timings.add(0, "connection reset")
        return None
    except ConnectionRefusedError:
        timings.add(0, "connection refused")
        return None
    except TimeoutError:
        timings.add(0, "timed out")
        return None
    elapsed = time.perf_counter() - started
    timings.add(elapsed, None if status == 200 else f"HTTP {status}")
    return (status, body) if status == 200 else None


def run_clients(count: int, work: Callable[[int], None], limit: float) -> float:
    """Run `work(i)` in `count` threads at once; returns the wall time. Threads are daemons joined with a limit."""
    threads = [threading.Thread(target=work, args=(i,), daemon=True, name=f"client-{i}") for i in range(count)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + limit
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    return time.perf_counter() - started


class CardWatcher:
    """Watches the fake Slack for top-level posts that carry a benchmark token: the card (or the baseline's post)."""

    def __init__(self, fake: FakeSlack) -> None:
        self.fake = fake
        self.posted: dict[str, tuple[str, str, float]] = {}
        self._changed = threading.Condition()
        self._cursor = 0
        self._waiting: list[Any] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="card-watcher", daemon=True)

    def start(self) -> CardWatcher:
        """Poll in the background."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop polling."""
        self._stop.set()
        self._thread.join(timeout=2)

    def _run(self) -> None:
        """Every 2 ms: look at calls answered since the last look."""
        while not self._stop.wait(0.002):
            calls = self.fake.calls
            self._waiting.extend(calls[self._cursor :])
            self._cursor = len(calls)
            still = []
            for call in self._waiting:
                if not call.answered:
                    still.append(call)
                elif call.method == "chat.postMessage" and call.ok and not call.args.get("thread_ts"):
                    self._found(call)
            self._waiting = still

    def _found(self, call: Any) -> None:
        """Remember where and when a token's post landed."""
        match = TOKEN.search(str(call.args.get("text") or ""))
        if match is None or call.response is None:
            return
        with self._changed:
            self.posted.setdefault(
                match.group(0), (str(call.response["channel"]), str(call.response["ts"]), time.perf_counter())
            )
            self._changed.notify_all()

    def wait(self, token: str, timeout: float) -> tuple[str, str, float] | None:
        """(channel, ts, when seen) of the post carrying `token`, or None if it did not come in time."""
        with self._changed:
            self._changed.wait_for(lambda: token in self.posted, timeout)
            return self.posted.get(token)
