"""Starting the bot (`python app.py`) and the baseline as real processes, and reading what they cost."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from benchmarks.load import SECRET, Target

ROOT = Path(__file__).resolve().parent.parent
READY_LIMIT = 60.0


def free_port() -> int:
    """A port on the loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_config(folder: Path, backend: str = "tinydb", url: str | None = None) -> Path:
    """The bot's YAML: store in the temp folder (or PostgreSQL), management channel CMGMT."""
    lines = [
        "channels:",
        "  management: CMGMT",
        "storage:",
        f"  backend: {backend}",
        f"  path: {folder / 'data' / 'complaints.json'}",
    ]
    if url:
        lines.append(f"  url: {url}")
    path = folder / "config.yml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def clean_env(**values: str) -> dict[str, str]:
    """This process's environment without any Slack or database settings, plus the given ones."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("SLACK_") and k not in ("DATABASE_URL", "ESCALATION_CONFIG", "PORT", "HOST")
    }
    env.update(values)
    return env


class Process:
    """One app under test: its process, its port, when it became ready and what memory it holds."""

    def __init__(self, name: str, argv: list[str], env: dict[str, str], port: int, log: Path, ready_path: str) -> None:
        self.name = name
        self.port = port
        self.target = Target(port)
        self.ready_path = ready_path
        self.log_path = log
        log.parent.mkdir(parents=True, exist_ok=True)
        self._log = log.open("wb")
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=self._log, stderr=subprocess.STDOUT)
        self.startup_seconds: float | None = None

    def wait_ready(self) -> float:
        """Poll until the app answers (the bot: /healthz 200); seconds since the process was started."""
        deadline = time.monotonic() + READY_LIMIT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see {self.log_path}")
            if self._answers():
                self.startup_seconds = time.perf_counter() - self.started
                return self.startup_seconds
            time.sleep(0.005)
        raise RuntimeError(f"{self.name} did not become ready in {READY_LIMIT:.0f}s; see {self.log_path}")

    def _answers(self) -> bool:
        """Whether the ready check passes now."""
        try:
            status, _ = self.target.get(self.ready_path, timeout=1.0)
        except OSError:
            return False
        return status == 200 if self.ready_path == "/healthz" else status > 0

    def rss_mb(self) -> float | None:
        """Resident memory now (VmRSS from /proc)."""
        try:
            for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        except OSError:
            return None
        return None

    def cpu_seconds(self) -> float | None:
        """CPU time the process used so far (user + system), from /proc."""
        try:
            fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """SIGTERM, then SIGKILL after ten seconds."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._log.close()


def start_bot(folder: Path, fake_url: str, backend: str = "tinydb", url: str | None = None) -> Process:
    """`python app.py` in HTTP mode against the fake Slack."""
    config = write_config(folder, backend, url)
    port = free_port()
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake_url,
        PORT=str(port),
        HOST="127.0.0.1",
        ESCALATION_CONFIG=str(config),
    )
    if url:
        env["DATABASE_URL"] = url
    return Process("bot", [sys.executable, "app.py"], env, port, folder / "bot.log", "/healthz")


def start_baseline(folder: Path, fake_url: str) -> Process:
    """The plain bolt app on bolt's built-in development server."""
    port = free_port()
    env = clean_env(SLACK_BOT_TOKEN="xoxb-bench", SLACK_SIGNING_SECRET=SECRET, SLACK_API_URL=fake_url, PORT=str(port))
    return Process(
        "baseline",
        [sys.executable, "-m", "benchmarks.baseline_app"],
        env,
        port,
        folder / "baseline.log",
        "/slack/events",
    )
