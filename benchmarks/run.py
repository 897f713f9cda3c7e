"""The benchmark: `python -m benchmarks.run` (or `make bench`). Prints one figure a line, beside the baseline's.

It starts the real bot (`python app.py`, HTTP mode) and a plain bolt app on bolt's development server, each
against a local fake Slack whose Web API answers after `--latency` seconds, drives them with signed requests
from concurrent clients and reads what they cost. Not part of the test suite: the figures depend on the machine.
"""

from __future__ import annotations

import argparse
import importlib
import os
import platform
import shutil
import statistics
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import quote

from benchmarks.load import CardWatcher, Timings, run_clients, timed
from benchmarks.procs import Process, start_baseline, start_bot
from benchmarks.seed import CHANNELS, channel_of, claimable, seed_store, utc_now
from sandbox.fake_slack import FakeSlack

TEXT = "Müller GmbH got the wrong parts, order 4711; they want a call back today"
CARD_WAIT = 60.0
PHASE_LIMIT = 120.0
DEFAULT_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/test"
HISTORY = 10_000
# A card and an App Home are timed over a small and a long history: they must cost the same on both.
VIEW_HISTORIES = (100, 100_000)
VIEW_OPEN = 100
_phases = iter(range(1, 1_000_000))
Card = tuple[str, str]


# --- figures -------------------------------------------------------------------------------------------------


@dataclass
class Figure:
    """One printed line: the bot's value, the baseline's, and the target it is held to."""

    label: str
    value: float | None
    unit: str
    baseline: float | None = None
    target: tuple[str, float] | None = None
    note: str = ""

    @property
    def verdict(self) -> str:
        """Whether the target is met: "ok" or "MISSED" ("" without a target)."""
        if self.target is None or self.value is None:
            return ""
        op, limit = self.target
        return "ok" if (self.value <= limit if op == "<=" else self.value >= limit) else "MISSED"

    @property
    def ratio(self) -> float | None:
        """The bot's value over the baseline's."""
        return self.value / self.baseline if self.value is not None and self.baseline else None

    def text(self) -> str:
        """The line as printed."""
        parts = [f"{self.label}: {_fmt(self.value, self.unit)}"]
        if self.baseline is not None:
            ratio = f", ratio {self.ratio:.2f}" if self.ratio is not None else ""
            parts.append(f"| baseline {_fmt(self.baseline, self.unit)}{ratio}")
        if self.target is not None:
            parts.append(f"| target {_target(self)}")
        if self.note:
            parts.append(f"| {self.note}")
        return " ".join(parts)


def _target(figure: Figure) -> str:
    """The target as printed, e.g. "≤ 50 ms: ok"."""
    assert figure.target is not None
    op = "≤" if figure.target[0] == "<=" else "≥"
    return f"{op} {_fmt(figure.target[1], figure.unit)}: {figure.verdict or 'n/a'}"


def _fmt(value: float | None, unit: str) -> str:
    """A number with its unit, or n/a."""
    if value is None:
        return "n/a"
    digits = 0 if unit == "MB" else 2 if unit in ("s", "x", "/s") else 1
    return f"{value:.{digits}f}{'' if unit == 'x' else ' ' + unit}"


@dataclass
class Report:
    """Every figure and note, printed as it comes and kept for the Markdown summary."""

    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add(self, figure: Figure) -> Figure:
        """Print and keep a figure."""
        self.figures.append(figure)
        print(figure.text(), flush=True)
        return figure

    def note(self, text: str) -> None:
        """Print and keep a line of explanation."""
        self.notes.append(text)
        print(text, flush=True)


# --- what one started app measured ------------------------------------------------------------------------------


@dataclass
class Run:
    """The measurements of one started app."""

    startup: float | None = None
    rss_start: float | None = None
    rss_after: float | None = None
    sequential: Timings = field(default_factory=Timings)
    commands: Timings = field(default_factory=Timings)
    claims: Timings = field(default_factory=Timings)
    end_to_end: Timings = field(default_factory=Timings)
    throughput: float | None = None
    cpu_command: float | None = None
    cpu_claim: float | None = None
    missing_cards: int = 0
    url: str | None = None


def token(phase: int, client: int, k: int) -> str:
    """The unique word each complaint carries, so its card can be found in the fake Slack."""
    return f"bench-{phase}-{client}-{k}"


def sequential(process: Process, run: Run, count: int) -> None:
    """One person filing one complaint after another: the time to file, without any queueing in front."""
    paired([(process, run)], count)


def paired(apps: list[tuple[Process, Run]], count: int) -> None:
    """File `count` complaints one at a time in each app, taking turns, so machine noise slows them alike."""
    phase = next(_phases)
    for k in range(count):
        text, channel = f"{token(phase, 0, k)} {TEXT}", CHANNELS[k % len(CHANNELS)]
        for process, run in apps if k % 2 == 0 else reversed(apps):
            timed(run.sequential, partial(process.target.command, text, "UANA", channel))


def file_phase(process: Process, run: Run, clients: int, per_client: int) -> None:
    """`clients` people file complaints at once, each the next as soon as the last was acknowledged."""
    phase = next(_phases)

    def work(i: int) -> None:
        """One person filing back to back."""
        channel, user = CHANNELS[i % len(CHANNELS)], f"UAGENT{i:02d}"
        for k in range(per_client):
            text = f"{token(phase, i, k)} {TEXT}"
            timed(run.commands, partial(process.target.command, text, user, channel))

    run.cpu_command = _cpu_per_request(process, lambda: run_clients(clients, work, PHASE_LIMIT), run.commands)


def claim_phase(process: Process, run: Run, cards: list[Card], clients: int) -> None:
    """`clients` people claim cards at once by reacting with the claim emoji, each card once."""
    shares = [cards[i::clients] for i in range(clients)]

    def work(i: int) -> None:
        """One person claiming their share of the cards."""
        for channel, ts in shares[i]:
            timed(run.claims, partial(process.target.reaction, channel, ts, f"UOWNER{i:02d}"))

    run.cpu_claim = _cpu_per_request(process, lambda: run_clients(clients, work, PHASE_LIMIT), run.claims)


def _cpu_per_request(process: Process, phase: Callable[[], float], timings: Timings) -> float | None:
    """Milliseconds of the app's CPU per request over a phase (background work it caused included)."""
    before = process.cpu_seconds()
    phase()
    after = process.cpu_seconds()
    if before is None or after is None or not timings.count:
        return None
    return (after - before) * 1000 / timings.count


def throughput(process: Process, watcher: CardWatcher, run: Run, clients: int, per_client: int) -> list[Card]:
    """Each client files, waits until the card is in Slack, files the next: complaints per second end to end.

    Returns the cards posted, for the claims.
    """
    phase = next(_phases)
    acks = Timings()
    seen: list[tuple[float, Card]] = []
    lock = threading.Lock()

    def work(i: int) -> None:
        """One person filing and waiting for each card."""
        channel, user = CHANNELS[i % len(CHANNELS)], f"UAGENT{i:02d}"
        for k in range(per_client):
            word, started = token(phase, i, k), time.perf_counter()
            if timed(acks, partial(process.target.command, f"{word} {TEXT}", user, channel)) is None:
                continue
            card = watcher.wait(word, CARD_WAIT)
            with lock:
                if card is None:
                    run.missing_cards += 1
                    continue
                run.end_to_end.add(card[2] - started, None)
                seen.append((card[2], (card[0], card[1])))

    started = time.perf_counter()
    run_clients(clients, work, PHASE_LIMIT)
    if seen:
        run.throughput = len(seen) / (max(at for at, _ in seen) - started)
    for error, count in acks.errors.items():
        run.end_to_end.errors[error] = run.end_to_end.errors.get(error, 0) + count
    return [card for _, card in sorted(seen)]


@contextmanager
def running(
    kind: str, fake: FakeSlack, folder: Path, backend: str = "tinydb", url: str | None = None
) -> Iterator[tuple[Process, CardWatcher]]:
    """The app (bot or baseline) started on the fake Slack, with a watcher for the cards; stopped afterwards."""
    watcher = CardWatcher(fake).start()
    try:
        process = start_baseline(folder, fake.url) if kind == "baseline" else start_bot(folder, fake.url, backend, url)
        try:
            process.wait_ready()
            yield process, watcher
        finally:
            process.stop()
    finally:
        watcher.stop()


# --- stores ------------------------------------------------------------------------------------------------------


@dataclass
class Backend:
    """Where the bot keeps its data in one series of measurements: TinyDB files or a PostgreSQL schema."""

    name: str
    base_url: str = DEFAULT_DATABASE_URL
    schemas: list[str] = field(default_factory=list)

    def fresh(self, folder: Path) -> str | None:
        """An empty store for one run: a new folder (TinyDB) or a new schema (PostgreSQL); returns the URL."""
        folder.mkdir(parents=True, exist_ok=True)
        if self.name == "tinydb":
            return None
        import psycopg

        schema = f"bench_{os.getpid()}_{int(time.time())}_{len(self.schemas)}"
        with psycopg.connect(self.base_url, autocommit=True) as db:
            db.execute(f'CREATE SCHEMA "{schema}"')
        self.schemas.append(schema)
        joiner = "&" if "?" in self.base_url else "?"
        return f"{self.base_url}{joiner}options={quote(f'-csearch_path={schema}', safe='')}"

    def open(self, folder: Path, url: str | None) -> Any:
        """The project's own store on that place, for seeding and for the digest."""
        if self.name == "tinydb":
            from bot.store.tinydb_store import TinyDBStore

            return TinyDBStore(folder / "data" / "complaints.json", utc_now)
        from bot.config import Settings, parse_config
        from bot.store import open_store

        config = parse_config({"storage": {"backend": "postgresql", "url": url}}, {})
        settings = Settings(bot_token="xoxb-bench", app_token=None, signing_secret="bench", database_url=url)
        return open_store(config, settings, utc_now)

    def analyze(self, url: str | None) -> None:
        """After seeding: statistics for the new rows, as a database that has been running has them.

        Otherwise PostgreSQL's autovacuum analyses the freshly seeded tables at some moment of the next
        phase, on the same two cores, and that moment decides the phase's p99.
        """
        if self.name == "tinydb" or url is None:
            return
        import psycopg

        with psycopg.connect(url, autocommit=True) as db:
            db.execute("VACUUM ANALYZE complaints, outbox, seen, counters, meta")

    def drop(self) -> None:
        """Remove the schemas made for this run."""
        if not self.schemas:
            return
        import psycopg

        with psycopg.connect(self.base_url, autocommit=True) as db:
            for schema in self.schemas:
                db.execute(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        self.schemas.clear()


@dataclass
class Setup:
    """One bot run: which store, how much in it, and which phases to go through."""

    label: str
    total: int = 0
    open_count: int = 0
    flow: bool = False
    load: bool = True


def prepare(
    backend: Backend, folder: Path, setup: Setup, fake: FakeSlack, wanted: int
) -> tuple[str | None, list[Card]]:
    """Seed the store (with cards in the fake Slack for open complaints to claim); returns URL and those cards."""
    url = backend.fresh(folder)
    cards: dict[int, str] = {}
    if setup.load and setup.open_count:
        for number in claimable(setup.total, setup.open_count, wanted):
            cards[number] = fake.add_message(channel_of(number), f"Complaint #{number}", user="UBOT")["ts"]
    if setup.total:
        started = time.perf_counter()
        seed_store(lambda: backend.open(folder, url), setup.total, setup.open_count, cards)
        backend.analyze(url)
        print(
            f"  (seeded {setup.total:,} complaints, {setup.open_count:,} open, into {backend.name} "
            f"in {time.perf_counter() - started:.1f} s)",
            flush=True,
        )
    return url, [(channel_of(number), ts) for number, ts in cards.items()]


def measure_bot(opts: Options, backend: Backend, folder: Path, setup: Setup) -> Run:
    """Start the bot on a prepared store and put it through the chosen phases."""
    run = Run()
    fake = FakeSlack(latency=opts.latency).start()
    try:
        url, seeded_cards = prepare(backend, folder, setup, fake, opts.clients * opts.per_client)
        run.url = url
        with running("bot", fake, folder, backend.name, url) as (process, watcher):
            run.startup, run.rss_start = process.startup_seconds, process.rss_mb()
            posted = throughput(process, watcher, run, opts.clients, opts.flow) if setup.flow else []
            if setup.load:
                file_phase(process, run, opts.clients, opts.per_client)
                claim_phase(process, run, posted or seeded_cards, opts.clients)
            run.rss_after = process.rss_mb()
    finally:
        fake.stop()
    return run


def measure_growth(opts: Options, backend: Backend, folder: Path) -> tuple[Run, Run]:
    """Filing one at a time in an empty store and in one with 10,000 in history, both bots running, in turns."""
    empty, grown = Run(), Run()
    with ExitStack() as stack:
        apps = []
        for run, setup in ((empty, Setup("empty", load=False)), (grown, Setup("history", HISTORY, 100, load=False))):
            fake = FakeSlack(latency=opts.latency).start()
            stack.callback(fake.stop)
            where = folder / setup.label
            run.url, _ = prepare(backend, where, setup, fake, 0)
            process, _ = stack.enter_context(running("bot", fake, where, backend.name, run.url))
            apps.append((process, run))
        paired(apps, opts.sequential)
    return empty, grown


def measure_baseline(opts: Options, root: Path) -> Run:
    """The plain bolt app through the same phases as the bot on an empty store."""
    run = Run()
    fake = FakeSlack(latency=opts.latency).start()
    try:
        with running("baseline", fake, root / "baseline") as (process, watcher):
            run.startup, run.rss_start = process.startup_seconds, process.rss_mb()
            sequential(process, run, opts.sequential)
            posted = throughput(process, watcher, run, opts.clients, opts.flow)
            file_phase(process, run, opts.clients, opts.per_client)
            claim_phase(process, run, posted, opts.clients)
            run.rss_after = process.rss_mb()
    finally:
        fake.stop()
    return run


# --- digest ------------------------------------------------------------------------------------------------------


def time_digest(store: Any) -> tuple[float | None, str]:
    """Milliseconds to compute the management digest figures from the store (median of 3), and what ran."""
    try:
        reports = importlib.import_module("bot.reports")
    except ImportError:
        return None, "not available"
    figures = getattr(reports, "management_figures", None)
    if figures is None:
        return None, "not available (bot.reports has no management_figures)"
    from bot.config import parse_config
    from bot.services.followups import Planner, opening_hours

    config = parse_config({"channels": {"management": "CMGMT"}}, {})
    planner = Planner(config, opening_hours(config))
    reads, computes = [], []
    for _ in range(3):
        now = utc_now()
        started = time.perf_counter()
        complaints = list(store.all_complaints())
        read = time.perf_counter()
        figures(complaints, now, now - timedelta(days=7), planner)
        reads.append((read - started) * 1000)
        computes.append((time.perf_counter() - read) * 1000)
    read_ms, compute_ms = statistics.median(reads), statistics.median(computes)
    return read_ms + compute_ms, (
        f"bot.reports.management_figures over store.all_complaints() ({len(complaints):,}), a week's period: "
        f"reading the complaints {read_ms:.0f} ms, computing {compute_ms:.0f} ms"
    )


def time_report(store: Any) -> tuple[float | None, str]:
    """Milliseconds to make `/complaint report`'s messages without Slack: figures, message and chart (median of 3).

    The command itself only queues the request; the outbox makes the messages (`Reports.prepare`), which is
    what is timed here, with the command's own time in the note.
    """
    from bot.config import parse_config
    from bot.services.bundle import build_services

    config = parse_config({"channels": {"management": "CMGMT"}, "managers": ["UBOSS"]}, {})
    services = build_services(config, store, utc_now)
    commands, makes, made = [], [], 0
    for _ in range(3):
        known = {effect.id for effect in store.pending_effects()}
        started = time.perf_counter()
        reply = services.commands.run("CMGMT", "UBOSS", "report")
        commands.append((time.perf_counter() - started) * 1000)
        queued = [e for e in store.pending_effects() if e.id not in known]
        if [e.kind for e in queued] != ["prepare"]:
            return None, f"not available (the report queued no request: {reply.text!r})"
        started = time.perf_counter()
        services.reports.prepare(queued[0])
        makes.append((time.perf_counter() - started) * 1000)
        made = len([e for e in store.pending_effects() if e.id not in known])  # the request itself is gone
    return statistics.median(makes), (
        f"Reports.prepare through build_services: {made} message(s) queued each time; the /complaint report "
        f"command itself (queues the request): {statistics.median(commands):.1f} ms"
    )


def time_views(backend: Backend, folder: Path, total: int) -> tuple[float, float, str]:
    """Milliseconds to render the newest complaint's card and to make a person's App Home (median of 15), over a
    store seeded with `total` complaints (the newest VIEW_OPEN open); and how long seeding took."""
    from bot.config import parse_config
    from bot.services.bundle import build_services

    url = backend.fresh(folder)
    started = time.perf_counter()
    seed_store(lambda: backend.open(folder, url), total, min(VIEW_OPEN, total))
    backend.analyze(url)
    seeded = time.perf_counter() - started
    store = backend.open(folder, url)
    try:
        services = build_services(parse_config({"channels": {"management": "CMGMT"}}, {}), store, utc_now)
        newest = store.get(total)
        assert newest is not None and newest.customer, "the seeded history has no newest complaint"
        cards, homes = [], []
        for _ in range(15):
            began = time.perf_counter()
            services.render.card(newest)
            cards.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            services.home.view(newest.owner or newest.reporter)
            homes.append((time.perf_counter() - began) * 1000)
    finally:
        store.close()
    return statistics.median(cards), statistics.median(homes), f"seeded in {seeded:.0f} s"


def view_figures(backend: Backend, root: Path, report: Report) -> None:
    """ "render a card" and "refresh an App Home" over 100 and over 100,000 complaints in history."""
    tag = f"[{backend.name}]"
    for total in VIEW_HISTORIES:
        card, home, note = time_views(backend, root / backend.name / f"views{total}", total)
        where = f"{total:,} complaints in history, {min(VIEW_OPEN, total)} open, no Slack"
        report.add(Figure(f"render a card {tag} ({where})", card, "ms", target=("<=", 20), note=note))
        report.add(Figure(f"refresh an App Home {tag} ({where})", home, "ms", target=("<=", 50)))


# --- the whole benchmark -----------------------------------------------------------------------------------------


@dataclass
class Options:
    """Command line."""

    latency: float
    clients: int
    per_client: int
    flow: int
    sequential: int
    backends: list[str]
    database_url: str
    markdown: Path | None
    views_only: bool = False


def postgres_available() -> bool:
    """Whether the PostgreSQL backend exists in this tree."""
    try:
        importlib.import_module("bot.store.postgres")
    except ImportError:
        return False
    return True


def database_reachable(url: str) -> bool:
    """Whether the PostgreSQL server answers, so a missing server skips that backend instead of failing."""
    import psycopg

    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def parse(argv: list[str] | None) -> Options:
    """Read the command line."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.splitlines()[0])
    parser.add_argument("--latency", type=float, default=0.3, help="seconds every Slack Web API answer takes")
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument(
        "--per-client", type=int, default=25, help="complaints each client files in the ack phase (500 in all)"
    )
    parser.add_argument("--flow", type=int, default=6, help="complaints each client files in the throughput phase")
    parser.add_argument("--sequential", type=int, default=80, help="complaints filed one by one (growth)")
    parser.add_argument(
        "--backend",
        choices=("tinydb", "postgresql", "both"),
        default=None,
        help="store(s) to measure (default: both when the PostgreSQL backend exists)",
    )
    parser.add_argument(
        "--database-url",
        default=DEFAULT_DATABASE_URL,
        help=f"PostgreSQL server for that backend (default {DEFAULT_DATABASE_URL})",
    )
    parser.add_argument("--markdown", type=Path, default=None, help="also write the figures as Markdown here")
    parser.add_argument(
        "--views-only", action="store_true", help="only time rendering a card and an App Home over a long history"
    )
    args = parser.parse_args(argv)
    choice = args.backend or ("both" if postgres_available() else "tinydb")
    backends = ["tinydb", "postgresql"] if choice == "both" else [choice]
    return Options(
        args.latency,
        args.clients,
        args.per_client,
        args.flow,
        args.sequential,
        backends,
        args.database_url,
        args.markdown,
        args.views_only,
    )


def machine() -> list[str]:
    """The facts the figures depend on."""
    model = "unknown"
    with suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return [
        f"nproc {os.cpu_count()}",
        f"CPU {model}",
        f"Python {platform.python_version()}",
        f"{platform.system()} {platform.release()}",
    ]


def load_note(when: str) -> str:
    """The machine's load average: other processes running at the same time skew every figure."""
    one, five, _ = os.getloadavg()
    return f"machine load average {when}: {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} CPUs"


def errors_line(name: str, *timings: Timings) -> str:
    """How many requests failed, and how."""
    merged: dict[str, int] = {}
    for timing in timings:
        for error, count in timing.errors.items():
            merged[error] = merged.get(error, 0) + count
    detail = ", ".join(f"{error}: {count}" for error, count in sorted(merged.items()))
    return f"{name} failed requests: {sum(merged.values())}" + (f" ({detail})" if detail else "")


def _ratio(a: float | None, b: float | None) -> float | None:
    """a / b when both are known."""
    return a / b if a is not None and b else None


def ack_figures(report: Report, tag: str, where: str, run: Run, base: Run, limit: float) -> None:
    """Ack p50/p99 of /complaint and of a claim reaction, beside the baseline's, and the CPU they cost."""
    for what, timing, base_timing in (
        ("/complaint", run.commands, base.commands),
        ("claim reaction", run.claims, base.claims),
    ):
        for p in (50, 99):
            note = f"n={timing.count}, failed {timing.failed}" if p == 99 else ""
            report.add(
                Figure(
                    f"ack {what} p{p} {tag} ({where}, {len(CHANNELS)} channels)",
                    timing.pct(p),
                    "ms",
                    base_timing.pct(p),
                    ("<=", limit) if p == 99 else None,
                    note,
                )
            )
    report.add(
        Figure(
            f"app CPU per /complaint {tag} ({where})",
            run.cpu_command,
            "ms",
            base.cpu_command,
            note="background work included",
        )
    )
    report.add(Figure(f"app CPU per claim {tag} ({where})", run.cpu_claim, "ms", base.cpu_claim))
    if run.missing_cards:
        report.note(f"  cards that never appeared {tag} ({where}): {run.missing_cards}")


def growth_figures(report: Report, tag: str, empty: Run, grown: Run, base: Run) -> None:
    """Time to file one complaint with 10,000 in history against an empty store."""
    for p in (50, 99):
        for where, run in (("empty store", empty), ("10,000 in history, 100 open", grown)):
            label = f"file one complaint p{p} {tag} ({where}, 1 client)"
            report.add(Figure(label, run.sequential.pct(p), "ms", base.sequential.pct(p)))
    report.add(
        Figure(
            f"history growth ratio p50 {tag} (10,000 in history / empty)",
            _ratio(grown.sequential.pct(50), empty.sequential.pct(50)),
            "x",
            target=("<=", 1.5),
            note="the baseline keeps no history",
        )
    )
    report.add(
        Figure(
            f"history growth ratio p99 {tag} (10,000 in history / empty)",
            _ratio(grown.sequential.pct(99), empty.sequential.pct(99)),
            "x",
        )
    )


@dataclass
class Series:
    """The figures of one backend that are printed side by side when both run."""

    empty: Run
    crowded: Run
    alone: Run
    grown: Run
    digest: tuple[float | None, str]


def measure_backend(opts: Options, backend: Backend, root: Path, base: Run, report: Report) -> Series:
    """Ack latency, growth and digest on one store backend."""
    tag = f"[{backend.name}]"
    folder = root / backend.name
    report.note(f"--- bot on {backend.name} ---")
    empty = measure_bot(opts, backend, folder / "empty", Setup("empty store", flow=True))
    ack_figures(report, tag, "empty store", empty, base, 50)
    report.add(
        Figure(
            f"throughput {tag} (complaints/s, ack to card posted, {opts.clients} clients)",
            empty.throughput,
            "/s",
            base.throughput,
            note=f"failed {empty.end_to_end.failed}",
        )
    )
    for p in (50, 99):
        report.add(Figure(f"ack to card posted p{p} {tag}", empty.end_to_end.pct(p), "ms", base.end_to_end.pct(p)))
    crowded = measure_bot(opts, backend, folder / "open2000", Setup("2,000 open", 2000, 2000))
    ack_figures(report, tag, "2,000 open", crowded, base, 100)
    alone, grown = measure_growth(opts, backend, folder / "growth")
    growth_figures(report, tag, alone, grown, base)
    store = backend.open(folder / "growth" / "history", grown.url)
    try:
        digest = time_digest(store)
        whole = time_report(store)
    finally:
        store.close()
    report.add(
        Figure(
            f"digest {tag} (management digest figures over 10,000 complaints, no Slack)",
            digest[0],
            "ms",
            target=("<=", 300),
            note=digest[1],
        )
    )
    report.add(
        Figure(f"whole management digest {tag} (with its message and chart, no Slack)", whole[0], "ms", note=whole[1])
    )
    view_figures(backend, root, report)
    return Series(empty, crowded, alone, grown, digest)


def measure_startup(opts: Options, root: Path, base: Run, report: Report) -> None:
    """Start-up time and memory with 10,000 complaints of which 1,000 are open (TinyDB, the default store)."""
    run = measure_bot(opts, Backend("tinydb"), root / "startup", Setup("startup", HISTORY, 1000))
    where = "10,000 in history, 1,000 open"
    report.add(
        Figure(
            f"start-up until /healthz 200, every timer planned [tinydb] ({where})",
            run.startup,
            "s",
            base.startup,
            ("<=", 3.0),
            "baseline: until its port answers",
        )
    )
    report.add(
        Figure(f"resident memory after start-up [tinydb] ({where})", run.rss_start, "MB", base.rss_start, ("<=", 200))
    )
    report.add(
        Figure(f"resident memory after the load [tinydb] ({where})", run.rss_after, "MB", base.rss_after, ("<=", 200))
    )
    ack_figures(report, "[tinydb]", where, run, base, 100)


def side_by_side(series: dict[str, Series], report: Report) -> None:
    """The PostgreSQL figures next to the TinyDB ones."""
    if len(series) < 2:
        return
    report.note("--- " + " | ".join(series) + " ---")
    rows: list[tuple[str, Callable[[Series], float | None], str]] = [
        ("ack /complaint p99 (empty store)", lambda s: s.empty.commands.pct(99), "ms"),
        ("ack claim reaction p99 (empty store)", lambda s: s.empty.claims.pct(99), "ms"),
        ("ack /complaint p99 (2,000 open)", lambda s: s.crowded.commands.pct(99), "ms"),
        ("ack claim reaction p99 (2,000 open)", lambda s: s.crowded.claims.pct(99), "ms"),
        ("history growth ratio p50", lambda s: _ratio(s.grown.sequential.pct(50), s.alone.sequential.pct(50)), "x"),
        ("digest over 10,000 complaints", lambda s: s.digest[0], "ms"),
    ]
    for label, pick, unit in rows:
        report.note(f"{label}: " + " | ".join(_fmt(pick(s), unit) for s in series.values()))


def write_markdown(path: Path, facts: list[str], opts: Options, report: Report) -> None:
    """The figures as a Markdown section for the README."""
    lines = [
        "## Benchmark",
        "",
        f"`make bench` (`.venv/bin/python -m benchmarks.run`) on "
        f"{datetime.now(UTC):%Y-%m-%d}: fake Slack latency {opts.latency * 1000:.0f} ms, "
        f"{opts.clients} concurrent clients. Machine: {'; '.join(facts)}.",
        "",
        "| figure | bot | baseline | ratio | target |",
        "|---|---|---|---|---|",
    ]
    for figure in report.figures:
        baseline = _fmt(figure.baseline, figure.unit) if figure.baseline is not None else ""
        ratio = f"{figure.ratio:.2f}" if figure.ratio is not None else ""
        target = _target(figure) if figure.target else ""
        lines.append(f"| {figure.label} | {_fmt(figure.value, figure.unit)} | {baseline} | {ratio} | {target} |")
    lines += ["", *[f"- {note.strip()}" for note in report.notes if not note.startswith(("---", "  ("))]]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


OUTBOX_WORKERS = 4  # Outbox's default, which the runtime uses


def pacing(latency: float) -> str:
    """How the bot paces itself, and the card rate that pacing allows at this latency."""
    lanes = min(len(CHANNELS), OUTBOX_WORKERS)
    ceiling = lanes / (2 * latency)
    return (
        "pacing: the outbox keeps one message in flight per channel (lane), with 4 delivery workers in all, and a "
        "new card takes two Web API calls (chat.postMessage, then reactions.add for the claim emoji); with "
        f"{len(CHANNELS)} channels and {latency * 1000:.0f} ms per call that allows at most {lanes} / (2 x "
        f"{latency:.2f} s) = {ceiling:.2f} cards/s, which is what the throughput figure shows. A 429 is retried "
        "after its Retry-After. Slack itself allows chat.postMessage about once per second per channel, so in "
        "production Slack's rate limit, not the bot, is the ceiling. The baseline posts from bolt's 5 listener "
        "threads with no order per channel, no pacing and no retry."
    )


def main(argv: list[str] | None = None) -> int:
    """Run every phase and print the figures."""
    opts = parse(argv)
    report = Report()
    facts = machine()
    started = time.perf_counter()
    print("machine: " + "; ".join(facts), flush=True)
    report.note(load_note("at the start"))
    report.note(
        f"setup: fake Slack on 127.0.0.1 answering every Web API call after {opts.latency * 1000:.0f} ms; "
        f"{opts.clients} concurrent clients spread over {len(CHANNELS)} channels, a new connection per request"
    )
    report.note(
        "baseline: plain bolt app (benchmarks/baseline_app.py) on bolt's built-in development server "
        "(app.start: http.server, one request at a time, listen backlog 5); resets count as failed requests"
    )
    root = Path(tempfile.mkdtemp(prefix="complaint-bench-"))
    if opts.views_only:
        try:
            for name in opts.backends:
                backend = Backend(name, opts.database_url)
                try:
                    view_figures(backend, root, report)
                finally:
                    backend.drop()
        finally:
            shutil.rmtree(root, ignore_errors=True)
        return 0
    try:
        base = measure_baseline(opts, root)
        report.add(Figure("baseline start-up (until its port answers)", base.startup, "s"))
        report.note(errors_line("baseline", base.sequential, base.commands, base.claims, base.end_to_end))
        series: dict[str, Series] = {}
        for name in opts.backends:
            if name == "postgresql" and not postgres_available():
                report.note("postgresql: backend not available")
                continue
            if name == "postgresql" and not database_reachable(opts.database_url):
                report.note(f"postgresql: no server answers at {opts.database_url} (--database-url)")
                continue
            backend = Backend(name, opts.database_url)
            try:
                series[name] = measure_backend(opts, backend, root, base, report)
            finally:
                backend.drop()
            done = series[name]
            report.note(
                errors_line(
                    f"bot [{name}]",
                    done.empty.commands,
                    done.empty.claims,
                    done.empty.end_to_end,
                    done.crowded.commands,
                    done.crowded.claims,
                    done.alone.sequential,
                    done.grown.sequential,
                )
            )
        if "postgresql" not in opts.backends and not postgres_available():
            report.note("postgresql: backend not available")
        if "tinydb" in opts.backends:
            measure_startup(opts, root, base, report)
        side_by_side(series, report)
        report.note(pacing(opts.latency))
        report.note(load_note("at the end"))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    print(f"benchmark took {time.perf_counter() - started:.0f} s", flush=True)
    if opts.markdown:
        write_markdown(opts.markdown, facts, opts, report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
