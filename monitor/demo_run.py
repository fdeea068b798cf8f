"""`xxgk demo`: the main job end to end on the demo colleges, with weeks of history: serve, crawl, judge,
report, email.

This is what `make demo` runs on a fresh machine. It serves the three demo colleges (demo.colleges) on the
loopback hosts and port that config.toml's [[sites]] name, and replays HISTORY_WEEKS weekly crawls: the
colleges as they were 8 weeks before `as_of`, then a week later each time (the demo server's days_later),
each crawl recorded on its day (`--observed-at`; the last one now when `as_of` is today), exactly as the
scheduler would have crawled them. Only the last crawl's summary is printed. Then it prints the report,
writes the HTML report next to the database (`report/index.html`: the heat map shows the weeks, a news
column going stale and recovering, a column taken off its site, an item deleted and one edited), and writes
the week's email to the outbox instead of sending it. The history needs a database of its own: an existing
file is moved aside (`*.previous`).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import storage
from demo import COLLEGES, CollegeSpec, DemoCollege, DemoServer, serve_demo
from monitor.config import Config, ConfigError
from monitor.crawl_runner import run_crawl
from monitor.errors import Failure
from monitor.judge import judge
from monitor.mail.weekly import send_weekly
from monitor.report import render
from monitor.report.html import build_report, write_report

HISTORY_WEEKS = 9  # weekly crawls replayed, the last one on as_of
DEMO_SITES = tuple(site.name for college in COLLEGES for site in college.sites)


class DemoError(Failure):
    """The demo cannot run as configured (a port in use, a site missing from the config)."""


@dataclass(slots=True)
class DemoResult:
    returncode: int
    report: str
    ground_truth: Path
    emails: list[str]
    html: Path | None = None


def demo_address(config: Config) -> tuple[int, list[tuple[CollegeSpec, tuple[str, ...]]]]:
    """The port, and each demo college with the hosts of its sites, read from the configured start URLs."""
    ports: set[int] = set()
    colleges = []
    for college in COLLEGES:
        hosts: list[str] = []
        for spec in college.sites:
            try:
                site = config.site(spec.name)
            except ConfigError:
                raise DemoError(
                    f"{config.path}: the demo needs a [[sites]] entry named {spec.name!r}"
                ) from None
            parts = urlsplit(site.start_urls[0])
            hosts.append(parts.hostname or "")
            ports.add(parts.port or 80)
        colleges.append((college, tuple(hosts)))
    if len(ports) != 1:
        raise DemoError(f"{config.path}: the demo sites must share one port, found {sorted(ports)}")
    return ports.pop(), colleges


def observed_at(config: Config, as_of: date) -> str | None:
    """When a demo crawl is recorded: now when `as_of` is the college's today, else the same time of day
    on `as_of` (naive: college time), so a crawl replayed for DATE is judged as made on that day."""
    now = datetime.now(config.zone)
    if as_of == now.date():
        return None
    return datetime.combine(as_of, now.time()).isoformat(timespec="seconds")


def _serve(config: Config, base: date, scale: float) -> list[DemoServer]:
    port, colleges = demo_address(config)
    servers: list[DemoServer] = []
    try:
        for spec, hosts in colleges:
            servers.append(
                serve_demo(DemoCollege(as_of=base, scale=scale, spec=spec), port=port, hosts=hosts)
            )
    except OSError as exc:
        for server in servers:
            server.stop()
        raise DemoError(
            f"cannot serve the demo colleges on port {port} ({exc.strerror or exc}): stop what uses it, or "
            f"change the port of every demo site in {config.path}"
        ) from None
    return servers


def _fresh_database(db: Path) -> Path | None:
    """Move an existing database (and its WAL) aside: the replayed history must not follow later crawls."""
    if not db.exists():
        return None
    aside = db.with_name(db.name + ".previous")
    for suffix in ("", ".wal"):
        source = db.with_name(db.name + suffix)
        if source.exists():
            os.replace(source, aside.with_name(aside.name + suffix))
    return aside


def _replay(config: Config, servers: list[DemoServer], base: date, say: Callable[[str], None]) -> int:
    """Crawl the colleges once a week for HISTORY_WEEKS weeks; 0, or the failed crawl's exit status."""
    for week in range(HISTORY_WEEKS):
        day = base + timedelta(days=7 * week)
        for server in servers:
            server.set_days_later(7 * week)
        last = week == HISTORY_WEEKS - 1
        started = time.monotonic()
        out, err = io.StringIO(), io.StringIO()
        with contextlib.ExitStack() as quiet:
            if not last:  # the history weeks: one line each; the last crawl shows its summary table
                quiet.enter_context(contextlib.redirect_stdout(out))
                quiet.enter_context(contextlib.redirect_stderr(err))
            outcome = run_crawl(config, None, observed_at=observed_at(config, day), progress="log")
        if outcome.returncode != 0:
            say(err.getvalue()[-3000:].rstrip())
            say(f"crawl of {day} failed: {outcome.reason}")
            return outcome.returncode
        if not last:
            say(f"  week {week + 1}/{HISTORY_WEEKS}: {day} crawled in {time.monotonic() - started:.1f} s")
    return 0


def run_demo(
    config: Config, *, as_of: date, say: Callable[[str], None] = print, scale: float = 1.0
) -> DemoResult:
    """The whole demo; `scale` multiplies the colleges' item counts (tests run a smaller one)."""
    base = as_of - timedelta(days=7 * (HISTORY_WEEKS - 1))
    servers = _serve(config, base, scale)
    db = Path(config.db_path)
    try:
        truth = servers[0].write_ground_truth(db.parent / "demo-ground-truth.json", 7 * (HISTORY_WEEKS - 1))
        say(f"demo colleges as of {as_of}, serving:")
        for server in servers:
            for name, url in server.sites.items():
                say(f"  {server.college.spec.name:<10} {name:<12} {url}")
        aside = _fresh_database(db)
        if aside is not None:
            say(f"the previous database was moved aside: {aside}")
        say(f"\nreplaying {HISTORY_WEEKS} weekly crawls from {base} to {as_of}:")
        code = _replay(config, servers, base, say)
        if code != 0:
            return DemoResult(code, "", truth, [])
    finally:
        for server in servers:
            server.stop()
    with storage.open_readonly(str(db), wait=config.storage.lock_wait) as conn:
        report = render(judge(conn, config, as_of=as_of), "text")
        html = build_report(conn, config, as_of=as_of)
    say(report)
    folder = db.parent / "report"
    pages = write_report(html, folder)
    say(
        f"the HTML report ({len(html.weeks)} weeks, {len(html.institutions)} colleges; "
        f"xxgk report --format html --output {folder}): {pages[0]}"
    )
    results = send_weekly(config, as_of=as_of, dry_run=True, force=True)
    emails = [str(r.path) for r in results if getattr(r, "path", None)]
    say("the week's email, written instead of sent (xxgk email --dry-run):")
    for path in emails:
        say(f"  {path}")
    counts = json.loads(truth.read_text(encoding="utf-8"))
    say(f"ground truth of the first demo college: {truth} ({len(counts['columns'])} columns)")
    return DemoResult(0, report, truth, emails, pages[0])
