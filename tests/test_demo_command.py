"""`make demo` (`python -m sandbox`): the page on DEMO_PORT (default 3001), the bot in DEMO_LANGUAGE, no tokens."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from sandbox.__main__ import demo_options
from tests.robustness import free_port, wait_until

ROOT = Path(__file__).resolve().parent.parent


def sandbox_env(**values: str) -> dict[str, str]:
    """The caller's environment without any Slack token or config, as on a fresh machine, plus `values`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "DEMO_")) and k != "ESCALATION_CONFIG"}
    return {**env, "PYTHONUNBUFFERED": "1", **values}


def get(url: str) -> tuple[int, bytes]:
    """A GET's status and body."""
    with urllib.request.urlopen(url, timeout=5) as answer:
        return int(answer.status), bytes(answer.read())


def answers(url: str) -> bool:
    """Whether something serves the address yet."""
    try:
        return get(url)[0] == 200
    except OSError:
        return False


def test_the_defaults_are_port_3001_and_english() -> None:
    assert demo_options({}) == (3001, "en")
    assert demo_options({"DEMO_PORT": " 8080 ", "DEMO_LANGUAGE": "DE"}) == (8080, "de")


@pytest.mark.parametrize(("name", "value"), [("DEMO_PORT", "http"), ("DEMO_PORT", "70000"), ("DEMO_LANGUAGE", "fr")])
def test_a_wrong_value_exits_2_with_one_line_naming_it(name: str, value: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "sandbox"], cwd=ROOT, env=sandbox_env(**{name: value}), capture_output=True, timeout=30
    )
    lines = [line for line in done.stderr.decode().splitlines() if line.strip()]
    assert done.returncode == 2 and len(lines) == 1 and lines[0].startswith(f"error: {name}: "), done.stderr


def test_python_m_sandbox_serves_the_page_on_demo_port_in_demo_language() -> None:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "sandbox"],
        cwd=ROOT,
        env=sandbox_env(DEMO_PORT=str(port), DEMO_LANGUAGE="de"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until(lambda: answers(url), "the page", timeout=30)
        status, page = get(url + "/")
        assert status == 200 and b'id="act-as"' in page
        state: dict[str, Any] = json.loads(get(url + "/api/state?user=UANA")[1])
        assert state["app"]["name"] == "Complaint Desk" and state["team"]["name"] == "Muster Maschinenbau"
        assert [s["name"] for s in state["app"]["shortcuts"]] == ["Als Reklamation erfassen"]  # manifest.de.yml
    finally:
        process.send_signal(signal.SIGINT)
        output, _ = process.communicate(timeout=30)
    assert process.returncode == 0, output
    assert f"open {url} in your browser" in output.decode()
