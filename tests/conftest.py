"""Shared fixtures: a fake Slack per test and a way to start the real bot against it."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import settings

from sandbox.fake_slack import FakeSlack
from tests.harness import Bot, make_config, start_bot
from tests.slack_samples import answer_problems

# Tests never see the developer's or CI's Slack settings.
for _name in [n for n in os.environ if n.startswith("SLACK_") or n in ("DATABASE_URL", "ESCALATION_CONFIG")]:
    del os.environ[_name]

# CI (CI=true) runs the property tests reproducibly: the same examples on every run and no example database.
# A developer's run stays random and keeps its failures in .hypothesis/, which git ignores.
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)
if os.environ.get("CI") == "true":
    settings.load_profile("ci")


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    """A fresh fake Slack Web API on an ephemeral port; afterwards, each of its answers had Slack's shape."""
    with FakeSlack() as server:
        yield server
        problems = answer_problems(server.calls)
        assert not problems, f"the fake answered unlike Slack: {problems[:10]}"


@pytest.fixture(scope="module")
def shared_fake() -> Iterator[FakeSlack]:
    """One fake Slack with Socket Mode per test module (closing its WebSocket server takes a while)."""
    with FakeSlack(socket_mode=True) as server:
        yield server


@pytest.fixture
def socket_fake(shared_fake: FakeSlack) -> Iterator[FakeSlack]:
    """The shared fake, with no calls, messages or faults from an earlier test; its answers had Slack's shape."""
    shared_fake.reset()
    yield shared_fake
    problems = answer_problems(shared_fake.calls)
    assert not problems, f"the fake answered unlike Slack: {problems[:10]}"


@pytest.fixture
def make_bot(fake: FakeSlack, tmp_path: Any) -> Iterator[Callable[..., Bot]]:
    """Start bots (stopped after the test); keyword arguments become config keys."""
    bots: list[Bot] = []

    def make(**config: Any) -> Bot:
        config.setdefault("channels", {"management": "CMGMT", "fallback": "CFALLBACK"})
        bot = start_bot(fake, make_config(str(tmp_path / "data" / "complaints.json"), **config))
        bots.append(bot)
        return bot

    yield make
    for bot in bots:
        bot.stop()


@pytest.fixture
def bot(make_bot: Callable[..., Bot]) -> Bot:
    """A bot with the default config."""
    return make_bot()


@pytest.fixture
def free_port() -> int:
    """A TCP port nothing listens on right now."""
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])
