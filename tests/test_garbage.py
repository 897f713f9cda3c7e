"""Full garbage collections wait for a quiet moment (or ten minutes), never for Python's own timing."""

from __future__ import annotations

import gc

from adapters import garbage
from adapters.garbage import QuietCollector


class Machine:
    """A hand-driven clock and CPU meter."""

    def __init__(self) -> None:
        self.now = 0.0
        self.cpu = 0.0
        self.collections = 0

    def collect(self) -> None:
        """Count the collections."""
        self.collections += 1

    def second(self, busy: float) -> None:
        """One second passes, with this share of a core used."""
        self.now += 1.0
        self.cpu += busy


def collector(machine: Machine) -> QuietCollector:
    """A collector on the hand-driven machine."""
    return QuietCollector(cpu_seconds=lambda: machine.cpu, clock=lambda: machine.now, collect=machine.collect)


def test_a_full_collection_waits_for_a_quiet_second_and_comes_at_most_once_a_minute() -> None:
    machine = Machine()
    quiet = collector(machine)
    for _ in range(59):
        machine.second(busy=0.0)
        assert not quiet.look(), "collected before a minute had passed"
    for _ in range(30):
        machine.second(busy=0.9)  # a burst of requests
        assert not quiet.look(), "collected in the middle of a burst"
    machine.second(busy=0.01)
    assert quiet.look() and machine.collections == 1
    machine.second(busy=0.0)
    assert not quiet.look(), "collected again right after"


def test_without_a_quiet_moment_it_still_collects_every_ten_minutes() -> None:
    machine = Machine()
    quiet = collector(machine)
    for _ in range(int(garbage.AT_LEAST_EVERY) - 1):
        machine.second(busy=0.8)
        quiet.look()
    assert machine.collections == 0
    machine.second(busy=0.8)
    assert quiet.look() and machine.collections == 1


def test_python_no_longer_starts_full_collections_while_a_collector_runs() -> None:
    before = gc.get_threshold()
    first, second = QuietCollector(), QuietCollector()
    first.start()
    second.start()
    try:
        assert gc.get_threshold()[2] == garbage.NEVER
        first.stop()
        assert gc.get_threshold()[2] == garbage.NEVER, "one bot's stop gave collections back under another"
    finally:
        second.stop()
    assert gc.get_threshold() == (before[0], before[1], garbage.PYTHON_DEFAULT)
