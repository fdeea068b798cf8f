"""`xxgk demo`: the main job end to end on the demo college: serve, crawl, store, judge, report, email.

This is what `make demo` runs on a fresh machine. It serves the demo college on the loopback hosts and
port that config.toml's [[sites]] name, crawls every site in a child process exactly as the scheduler
would, prints the report, writes the week's email to the outbox instead of sending it, and writes the HTML
report next to the database (`report/index.html`).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from urllib.parse import urlsplit

import storage
from demo import DemoCollege, serve_demo
from monitor.config import Config, ConfigError
from monitor.crawl_runner import run_crawl
from monitor.errors import Failure
from monitor.judge import judge
from monitor.mail.weekly import send_weekly
from monitor.report import render
from monitor.report.html import build_report, write_report

DEMO_SITES = ("disclosure", "portal", "dept-jwc", "dept-zsjy", "dept-cwc")


class DemoError(Failure):
    """The demo cannot run as configured (a port in use, a site missing from the config)."""


@dataclass(slots=True)
class DemoResult:
    returncode: int
    report: str
    ground_truth: Path
    emails: list[str]


def demo_address(config: Config) -> tuple[int, tuple[str, ...]]:
    """The port and the host of each demo site, read from the configured start URLs."""
    hosts: list[str] = []
    ports: set[int] = set()
    for name in DEMO_SITES:
        try:
            site = config.site(name)
        except ConfigError:
            raise DemoError(f"{config.path}: the demo needs a [[sites]] entry named {name!r}") from None
        parts = urlsplit(site.start_urls[0])
        hosts.append(parts.hostname or "")
        ports.add(parts.port or 80)
    if len(ports) != 1:
        raise DemoError(f"{config.path}: the demo sites must share one port, found {sorted(ports)}")
    return ports.pop(), tuple(hosts)


def observed_at(config: Config, as_of: date) -> str | None:
    """When the demo's crawl is recorded: now when `as_of` is the college's today, else the same time of day
    on `as_of` (naive: college time), so `xxgk demo --as-of DATE` judges a crawl made on that day."""
    now = datetime.now(config.zone)
    if as_of == now.date():
        return None
    return datetime.combine(as_of, now.time()).isoformat(timespec="seconds")


def run_demo(config: Config, *, as_of: date, say: Callable[[str], None] = print) -> DemoResult:
    port, hosts = demo_address(config)
    college = DemoCollege(as_of=as_of)
    try:
        server = serve_demo(college, port=port, hosts=hosts)
    except OSError as exc:
        raise DemoError(
            f"cannot serve the demo college on port {port} ({exc.strerror}): stop what uses it, or change "
            f"the port of every demo site in {config.path}"
        ) from None
    try:
        db = Path(config.db_path)
        truth = server.write_ground_truth(db.parent / "demo-ground-truth.json")
        say(f"demo college as of {as_of}, serving:")
        for name, url in server.sites.items():
            say(f"  {name:<12} {url}")
        say("")
        outcome = run_crawl(config, None, observed_at=observed_at(config, as_of))
        if outcome.returncode != 0:
            say(f"crawl failed: {outcome.reason}")
            return DemoResult(outcome.returncode, "", truth, [])
    finally:
        server.stop()
    with storage.open_readonly(str(db), wait=config.storage.lock_wait) as conn:
        report = render(judge(conn, config, as_of=as_of), "text")
        html = build_report(conn, config, as_of=as_of)
    say(report)
    pages = write_report(html, db.parent / "report")
    say(f"the HTML report (xxgk report --format html --output {db.parent / 'report'}): {pages[0]}")
    results = send_weekly(config, as_of=as_of, dry_run=True, force=True)
    emails = [str(r.path) for r in results if getattr(r, "path", None)]
    say("the week's email, written instead of sent (xxgk email --dry-run):")
    for path in emails:
        say(f"  {path}")
    counts = json.loads(truth.read_text(encoding="utf-8"))
    say(f"ground truth of the demo college: {truth} ({len(counts['columns'])} columns)")
    return DemoResult(0, report, truth, emails)
