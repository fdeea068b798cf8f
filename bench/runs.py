"""The experiments behind the figures: each serves a generated site, runs real processes, returns raw numbers.

Every experiment returns a plain dict of raw measurements (what was run, seconds, pages, bytes, memory) and
never raises for a failure of the product or the peer: it records the reason instead, so one broken part
leaves the other figures standing and the table says exactly what failed. Ratios are computed in `report.py`.
"""

from __future__ import annotations

import re
import shutil
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from .measure import ChildRun, db_bytes, db_used_bytes, rate, run_child
from .province import Province, ProvinceShape
from .site import SiteServer
from .sitegen import GeneratedSite, SiteShape
from .workspace import Workspace, child_env, crawl_argv, report_argv

Log = Callable[[str], None]
WEEK = 7 * 86400


@dataclass(frozen=True, slots=True)
class Sizes:
    """How big each experiment is: `quick` fits in a few minutes, `full` is the reference run."""

    base: SiteShape
    peer: SiteShape  # its list pages are the peer comparison's URL list (500+)
    report: SiteShape
    province: ProvinceShape
    weeks: int = 52
    repeats: int = 1  # runs of the baseline and the first crawl; the fastest of each counts
    recrawls: int = 3  # unchanged recrawls in a row: storage growth is their mean (DuckDB grows by blocks)
    report_runs: int = 5  # `xxgk report` runs per database; the fastest counts


QUICK = Sizes(
    base=SiteShape(hosts=4, columns=2, list_pages=2, rows=15),
    peer=SiteShape(hosts=4, columns=44, list_pages=3, rows=15),
    report=SiteShape(hosts=1, columns=4, list_pages=1, rows=8, attachment_every=0),
    # 40 colleges on 20 addresses as in the full run, each a small site: 2,600 pages (the full run's 30,760
    # would take the quick run's whole budget twice over)
    province=ProvinceShape(site=SiteShape(hosts=1, columns=2, list_pages=2, rows=15)),
)
FULL = Sizes(
    base=SiteShape(hosts=4, columns=8, list_pages=3, rows=15),
    peer=SiteShape(hosts=4, columns=84, list_pages=3, rows=15),
    report=SiteShape(hosts=2, columns=8, list_pages=2, rows=10),
    province=ProvinceShape(),  # 40 colleges of 769 pages on 20 addresses: 30,760 pages
    repeats=2,
)


ELAPSED = re.compile(r"""["']elapsed_time_seconds["']:\s*([0-9.]+)""")


def scrapy_seconds(run: ChildRun) -> float | None:
    """Scrapy's own elapsed time (spider opened → closed), when the process printed its stats (the baseline
    does, as JSON): the wall time less interpreter start-up."""
    found = ELAPSED.findall(run.stderr) or ELAPSED.findall(run.stdout)
    return float(found[-1]) if found else None


def recorded_seconds(db: Path) -> float | None:
    """The latest run's time as storage recorded it (`start_run` → `finish_run`): the product's crawl less
    interpreter start-up and imports, which come before the run is opened."""
    import storage

    try:
        with storage.open_readonly(str(db)) as conn:
            latest = storage.runs_summary(conn, limit=1)
    except Exception:  # no database, or a schema this checkout cannot read: the wall time still stands
        return None
    if not latest or latest[0].finished_at is None:
        return None
    return (latest[0].finished_at - latest[0].started_at).total_seconds()


def child_summary(run: ChildRun, pages: int | None = None, inside: float | None = None) -> dict[str, Any]:
    """The costs of one child; `inside` is its time less interpreter start-up when known otherwise."""
    out: dict[str, Any] = {
        "seconds": round(run.seconds, 3),
        "cpu_seconds": round(run.cpu_seconds, 3),
        "peak_rss_mb": round(run.peak_rss_mb, 1),
        "returncode": run.returncode,
    }
    if pages is not None:
        out["pages"] = pages
        out["pages_per_s"] = round(rate(pages, run.seconds) or 0.0, 2)
        inside = inside or scrapy_seconds(run)
        if inside:
            out["inside_seconds"] = round(inside, 3)
            out["pages_per_inside_s"] = round(rate(pages, inside) or 0.0, 2)
    if not run.ok:
        out["error"] = run.failure()
    return out


def timed_crawl(
    server: SiteServer, ws: Workspace, observed_at: str | None = None, direct: bool = False
) -> dict[str, Any]:
    """One `xxgk crawl` of `ws`, with what the server saw (pages answered, bytes sent)."""
    server.reset_stats()
    run = run_child(crawl_argv(ws, observed_at, direct), env=child_env())
    seen = server.reset_stats()
    out = child_summary(run, seen.pages, recorded_seconds(ws.db) if run.ok else None)
    out.update(bytes_received=seen.bytes_sent, requests=dict(seen.requests), db_bytes=db_bytes(ws.db))
    out["db_used_bytes"] = db_used_bytes(ws.db)
    return out


def timed_baseline(server: SiteServer, ws: Workspace) -> dict[str, Any]:
    """One run of the bare Scrapy spider on the same plan."""
    server.reset_stats()
    run = run_child([sys.executable, "-m", "bench.baseline", str(ws.plan_file())], env=child_env())
    seen = server.reset_stats()
    out = child_summary(run, seen.pages)
    out.update(bytes_received=seen.bytes_sent, requests=dict(seen.requests))
    return out


def fastest(runs: list[dict[str, Any]]) -> dict[str, Any]:
    good = [r for r in runs if r.get("returncode") == 0] or runs
    best = min(good, key=lambda r: r["seconds"])
    return {**best, "runs_seconds": [r["seconds"] for r in runs]}


# -- experiments -------------------------------------------------------------------------------------------
def crawl_costs(sizes: Sizes, log: Log) -> dict[str, Any]:
    """Baseline vs first crawl, an unchanged recrawl, a recrawl with 1 % of pages changed, the 10× site."""
    out: dict[str, Any] = {}
    site = GeneratedSite(sizes.base)
    with SiteServer(site) as server:
        ws = Workspace("base", server.sites, server.kinds())
        out["site"] = {"pages": site.page_count(), "hosts": sizes.base.hosts, "shape": repr(sizes.base)}
        log(f"base site: {site.page_count()} pages on {sizes.base.hosts} hosts")
        baselines, firsts = [], []
        for i in range(sizes.repeats):
            baselines.append(timed_baseline(server, ws))
            log(f"  baseline #{i + 1}: {_line(baselines[-1])}")
            ws.reset()
            firsts.append(timed_crawl(server, ws))
            log(f"  first crawl #{i + 1}: {_line(firsts[-1])}")
        out["baseline"] = fastest(baselines)
        out["first"] = fastest(firsts)
        out["first_last"] = firsts[-1]  # the database now holds this crawl: the recrawls follow it
        again = []
        for i in range(sizes.recrawls):
            again.append(timed_crawl(server, ws))
            log(f"  unchanged recrawl #{i + 1}: {_line(again[-1])}")
        out["recrawl"] = again[0]  # the second crawl of the unchanged site
        out["recrawls_db_bytes"] = [r["db_bytes"] for r in again]
        out["recrawls_db_used_bytes"] = [r.get("db_used_bytes") for r in again]
        server.advance(WEEK)
        out["edited_pages"] = site.edit(0.01)
        out["recrawl_1pct"] = timed_crawl(server, ws)
        log(f"  recrawl, {out['edited_pages']} pages (1 %) changed: {_line(out['recrawl_1pct'])}")
    big = GeneratedSite(SiteShape(**{**_fields(sizes.base), "scale": 10}))
    with SiteServer(big) as server:
        ws10 = Workspace("base10x", server.sites, server.kinds())
        ws10.reset()
        out["site_10x"] = {"pages": big.page_count()}
        log(f"10x site: {big.page_count()} pages")
        out["first_10x"] = timed_crawl(server, ws10)
        log(f"  first crawl 10x: {_line(out['first_10x'])}")
    return out


def province_costs(sizes: Sizes, log: Log) -> dict[str, Any]:
    """One `xxgk crawl` of the whole province against the bare Scrapy spider on the same plan."""
    shape = sizes.province
    province = Province(shape)
    out: dict[str, Any] = {}
    with SiteServer(province, hosts=province.addresses()) as server:
        names = dict(zip(server.sites, province.names(), strict=True))
        ws = Workspace("province", server.sites, server.kinds(), institutions=names)
        out["site"] = {
            "pages": province.page_count(),
            "sites": shape.sites,
            "hosts": len(set(province.addresses())),
            "shape": repr(shape.site),
        }
        log(f"province: {shape.sites} colleges, {province.page_count()} pages on {shape.hosts} addresses")
        out["baseline"] = timed_baseline(server, ws)
        log(f"  baseline: {_line(out['baseline'])}")
        ws.reset()
        out["first"] = timed_crawl(server, ws)
        log(f"  xxgk crawl: {_line(out['first'])}")
    return out


def report_history(
    sizes: Sizes, log: Log, today: date | None = None, quiet: Callable[[], None] = lambda: None
) -> dict[str, Any]:
    """`xxgk report` time on a database holding 52 weekly crawls vs one holding 1 crawl of the same site.

    The crawls that build the history are not timed, so other work (the peer's install) may run meanwhile;
    `quiet()` is called before anything is timed and returns when that work is over."""
    today = today or date.today()
    weeks = sizes.weeks
    as_of = today - timedelta(weeks=weeks - 1)
    site = GeneratedSite(sizes.report, as_of=as_of)
    out: dict[str, Any] = {"weeks": weeks, "site_pages_first_week": site.page_count()}
    with SiteServer(site) as server:
        # max_depth 1: home and list pages only. The report reads columns and their rows, which list pages
        # carry; leaving articles out keeps 52 crawls affordable (each is mostly the crawler's start-up).
        ws52 = Workspace("report52", server.sites, server.kinds(), max_depth=1)
        ws52.reset()
        crawl_seconds = []
        for w in range(weeks):
            site.set_day(7 * w)
            if w:
                server.advance(WEEK)
            observed = datetime.combine(as_of + timedelta(weeks=w), datetime.min.time()).replace(hour=10)
            when = observed.isoformat(timespec="minutes") if w < weeks - 1 else None
            run = timed_crawl(server, ws52, when, direct=True)
            if run["returncode"] != 0:
                out["error"] = f"weekly crawl {w + 1} of {weeks} failed: {run.get('error')}"
                return out
            crawl_seconds.append(run["seconds"])
            if w % 10 == 0 or w == weeks - 1:
                log(f"  weekly crawl {w + 1}/{weeks}: {_line(run)}")
        out["weekly_crawl_seconds"] = {
            "median": round(statistics.median(crawl_seconds), 3),
            "max": round(max(crawl_seconds), 3),
        }
        out["site_pages_last_week"] = site.page_count()
        ws1 = Workspace("report1", server.sites, server.kinds(), max_depth=1)
        ws1.reset()
        one = timed_crawl(server, ws1, direct=True)
        if one["returncode"] != 0:
            out["error"] = f"the single crawl failed: {one.get('error')}"
            return out
    out["db_bytes_52"], out["db_bytes_1"] = db_bytes(ws52.db), db_bytes(ws1.db)
    quiet()
    for label, ws in (("1", ws1), ("52", ws52)):
        runs = [run_child(report_argv(ws), env=child_env()) for _ in range(sizes.report_runs)]
        bad = [r for r in runs if r.returncode not in (0, 1)]
        if bad:
            out["error"] = f"xxgk report failed on {label} crawl(s): {bad[0].failure()}"
            return out
        out[f"report_{label}"] = {
            "seconds": round(min(r.seconds for r in runs), 3),  # the fastest: the least disturbed by others
            "runs_seconds": [round(r.seconds, 3) for r in runs],
            "output_lines": runs[0].stdout.count("\n"),
            "returncode": runs[0].returncode,
        }
        log(f"  xxgk report with {label} crawl(s): {out[f'report_{label}']['seconds']:.2f}s")
    return out


def peer_check(sizes: Sizes, log: Log) -> dict[str, Any]:
    """URLs checked per second on the same list of list pages: changedetection.io vs `xxgk crawl`."""
    from .cdio import PACKAGE, ChangeDetection, PeerUnavailable

    site = GeneratedSite(sizes.peer)
    out: dict[str, Any] = {"package": PACKAGE}
    with SiteServer(site) as server:
        urls = server.list_urls()
        out["urls"] = len(urls)
        log(f"peer URL list: {len(urls)} list pages on {sizes.peer.hosts} hosts")
        ws = Workspace(
            "peer",
            {"lists": urls[0]},
            {"lists": "disclosure"},
            start_urls={"lists": urls},
            max_depth=0,
        )
        ws.reset()
        for label in ("xxgk_first", "xxgk_recheck"):
            out[label] = timed_crawl(server, ws)
            out[label]["urls_per_s"] = round(len(urls) / out[label]["seconds"], 2)
            log(f"  {label}: {_line(out[label])}")
        peer = ChangeDetection(ws.dir / "cdio")
        try:
            peer.start()
            for label, check in (
                ("cdio_first", lambda: peer.first_check(urls)),
                ("cdio_recheck", peer.recheck),
            ):
                server.reset_stats()
                result = check()
                seen = server.reset_stats()
                out[label] = {
                    "seconds": round(result.seconds, 3),
                    "urls_per_s": round(result.urls_per_s, 2),
                    "errors": result.errors,
                    "bytes_received": seen.bytes_sent,
                    "requests": dict(seen.requests),
                }
                log(
                    f"  changedetection.io {label[5:]}: {result.urls_per_s:.1f} URLs/s, {result.seconds:.1f}s"
                )
        except PeerUnavailable as exc:
            out["unavailable"] = str(exc)
            log(f"  changedetection.io unavailable: {exc}")
        finally:
            peer.stop()
            shutil.rmtree(peer.datastore, ignore_errors=True)
    return out


def _fields(shape: SiteShape) -> dict[str, Any]:
    return {name: getattr(shape, name) for name in shape.__dataclass_fields__}


def _line(r: dict[str, Any]) -> str:
    if r.get("returncode") != 0:
        return f"FAILED: {r.get('error')}"
    return (
        f"{r['seconds']:.1f}s, {r.get('pages', 0)} pages, {r.get('pages_per_s', 0):.1f} pages/s, "
        f"{r.get('bytes_received', 0) / 1e6:.2f} MB, peak {r['peak_rss_mb']:.0f} MB"
    )
