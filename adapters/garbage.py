"""Full garbage collections in quiet moments, instead of in the middle of a burst of requests."""

from __future__ import annotations

import gc
import logging
import threading
import time
from collections.abc import Callable

log = logging.getLogger("complaints.gc")

CHECK_EVERY = 1.0  # seconds between looks at how busy the process is
QUIET_CPU = 0.05  # below this share of one core over the last look, the process counts as quiet
AT_MOST_EVERY = 60.0  # seconds between full collections when quiet moments come often
AT_LEAST_EVERY = 600.0  # a full collection after this long even without a quiet moment (a busy day)
PYTHON_DEFAULT = 10  # Python's own threshold for the oldest generation
NEVER = 1_000_000_000  # as threshold of the oldest generation: Python never starts a full collection itself
_running: list[QuietCollector] = []  # collectors started and not stopped (tests run several bots in a process)
_running_lock = threading.Lock()


class QuietCollector:
    """Runs Python's full (oldest-generation) collections when the process is idle.

    A full collection scans every object that lived through the younger ones; with a few thousand complaints
    in memory it took 20-30 ms, during which no request moves, and it came in the middle of bursts, where
    it decided the slowest acknowledgements. The young generations are still collected as usual (they are
    small); the full collection waits for a second with hardly any CPU used, or at most ten minutes.
    """

    def __init__(
        self,
        cpu_seconds: Callable[[], float] = time.process_time,
        clock: Callable[[], float] = time.monotonic,
        collect: Callable[[], object] = gc.collect,
    ) -> None:
        self._cpu = cpu_seconds
        self._clock = clock
        self._collect = collect
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._last_cpu = cpu_seconds()
        self._last_look = clock()
        self._last_full = clock()
        self.collections = 0

    def start(self) -> None:
        """Take full collections over from Python."""
        with _running_lock:
            if not _running:
                young, middle, _ = gc.get_threshold()
                gc.set_threshold(young, middle, NEVER)
            _running.append(self)
        self._thread = threading.Thread(target=self._run, name="quiet-gc", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Give full collections back to Python (once no other collector runs in this process)."""
        self._stopped.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
        with _running_lock:
            if self in _running:
                _running.remove(self)
                if not _running:
                    young, middle, _ = gc.get_threshold()
                    gc.set_threshold(young, middle, PYTHON_DEFAULT)

    def _run(self) -> None:
        """Look once a second."""
        while not self._stopped.wait(CHECK_EVERY):
            self.look()

    def look(self) -> bool:
        """Collect now if the process was quiet since the last look (or waited too long); True if it did."""
        now, cpu = self._clock(), self._cpu()
        busy = (cpu - self._last_cpu) / max(now - self._last_look, 1e-6)
        self._last_cpu, self._last_look = cpu, now
        since = now - self._last_full
        if not ((busy < QUIET_CPU and since >= AT_MOST_EVERY) or since >= AT_LEAST_EVERY):
            return False
        started = time.perf_counter()
        self._collect()
        self._last_full = self._clock()
        self._last_cpu, self._last_look = self._cpu(), self._last_full  # the collection's own CPU is not load
        self.collections += 1
        log.debug("full garbage collection in a quiet moment: %.1f ms", (time.perf_counter() - started) * 1000)
        return True
