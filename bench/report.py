"""From raw measurements to the figures (issue 8's nine, issue 17's two of the province): ratios, table, JSON.

The ratio arithmetic lives here, apart from the experiments, so it can be tested on made-up numbers. A figure
whose inputs are missing is None (null in JSON), and `why` says which measurement failed and how.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .measure import ratio

RESULTS = Path(__file__).resolve().parent / "results.json"


@dataclass(frozen=True, slots=True)
class Target:
    key: str
    what: str
    op: str  # ">=" or "<="
    bound: float

    def holds(self, value: float | None) -> bool | None:
        if value is None:
            return None
        return value >= self.bound if self.op == ">=" else value <= self.bound


TARGETS = (
    Target("throughput_ratio", "xxgk crawl pages/s ÷ bare Scrapy pages/s", ">=", 0.9),
    Target("recrawl_time_ratio", "unchanged recrawl ÷ first crawl, wall time", "<=", 0.15),
    Target("recrawl_bytes_ratio", "bytes received, recrawl ÷ first crawl", "<=", 0.01),
    Target("storage_growth_unchanged", "DB growth per unchanged recrawl ÷ size after first", "<=", 0.01),
    Target("memory_ratio_10x", "peak RSS, 10× site ÷ base site", "<=", 1.5),
    Target("pages_per_s_ratio_10x", "pages/s, 10× site ÷ base site", ">=", 0.9),
    Target("report_ratio_52", "xxgk report time, 52 weekly crawls ÷ 1", "<=", 2.0),
    Target("peer_ratio", "URLs/s first check, xxgk ÷ changedetection.io", ">=", 4.0),
    Target("peer_recheck_ratio", "URLs/s unchanged recheck, xxgk ÷ changedetection.io", ">=", 4.0),
    Target("province_throughput_ratio", "province: xxgk crawl pages/s ÷ bare Scrapy pages/s", ">=", 0.9),
    Target("province_memory_ratio", "peak RSS, province crawl ÷ base site crawl", "<=", 1.5),
)
KEYS = tuple(t.key for t in TARGETS)


def _get(raw: Any, *path: str) -> Any:
    node: Any = raw
    for p in path:
        if not isinstance(node, Mapping) or p not in node:
            return None
        node = node[p]
    return node


def _ok(run: Any) -> bool:
    return isinstance(run, Mapping) and run.get("returncode", 0) == 0 and not run.get("error")


def figures(raw: Mapping[str, Any]) -> tuple[dict[str, float | None], dict[str, str]]:
    """The ratios from the raw measurements, and for each missing one the reason."""
    crawl = raw.get("crawl") or {}
    rep = raw.get("report") or {}
    peer = raw.get("peer") or {}
    prov = raw.get("province") or {}
    why: dict[str, str] = {}
    out: dict[str, float | None] = {}

    def need(key: str, *runs: tuple[str, Any]) -> bool:
        for name, run in runs:
            if run is None:
                why[key] = f"{name} was not measured" + (f": {crawl['error']}" if crawl.get("error") else "")
                return False
            if not _ok(run):
                why[key] = f"{name} failed: {run.get('error') if isinstance(run, Mapping) else run}"
                return False
        return True

    base, first, re_, last = (crawl.get(k) for k in ("baseline", "first", "recrawl", "first_last"))
    big = crawl.get("first_10x")
    if need("throughput_ratio", ("the baseline", base), ("the first crawl", first)):
        out["throughput_ratio"] = ratio(_get(first, "pages_per_s"), _get(base, "pages_per_s"))
    if need("recrawl_time_ratio", ("the first crawl", last), ("the recrawl", re_)):
        out["recrawl_time_ratio"] = ratio(_get(re_, "seconds"), _get(last, "seconds"))
    if need("recrawl_bytes_ratio", ("the first crawl", last), ("the recrawl", re_)):
        out["recrawl_bytes_ratio"] = ratio(_get(re_, "bytes_received"), _get(last, "bytes_received"))
    if need("storage_growth_unchanged", ("the first crawl", last), ("the recrawl", re_)):
        size = _get(last, "db_bytes")
        sizes = [s for s in (crawl.get("recrawls_db_bytes") or [_get(re_, "db_bytes")]) if s is not None]
        if size and sizes:  # the mean growth per unchanged recrawl
            out["storage_growth_unchanged"] = ratio((sizes[-1] - size) / len(sizes), size)
    if need("memory_ratio_10x", ("the first crawl", first), ("the 10× crawl", big)):
        out["memory_ratio_10x"] = ratio(_get(big, "peak_rss_mb"), _get(first, "peak_rss_mb"))
    if need("pages_per_s_ratio_10x", ("the first crawl", first), ("the 10× crawl", big)):
        out["pages_per_s_ratio_10x"] = ratio(_get(big, "pages_per_s"), _get(first, "pages_per_s"))
    if rep.get("error") or not rep:
        why["report_ratio_52"] = rep.get("error") or "the report history was not measured"
    else:
        out["report_ratio_52"] = ratio(_get(rep, "report_52", "seconds"), _get(rep, "report_1", "seconds"))
    for key, mine, theirs in (
        ("peer_ratio", "xxgk_first", "cdio_first"),
        ("peer_recheck_ratio", "xxgk_recheck", "cdio_recheck"),
    ):
        if peer.get("unavailable"):
            why[key] = f"changedetection.io could not be run: {peer['unavailable']}"
        elif not peer or peer.get(theirs) is None:
            why[key] = peer.get("error") or "the peer comparison was not measured"
        elif need(key, (f"xxgk crawl ({mine})", peer.get(mine))):
            out[key] = ratio(_get(peer, mine, "urls_per_s"), _get(peer, theirs, "urls_per_s"))
    for key in ("province_throughput_ratio", "province_memory_ratio"):
        if not prov or prov.get("error"):
            why[key] = prov.get("error") or "the province was not measured"
    if "province_throughput_ratio" not in why and need(
        "province_throughput_ratio",
        ("the province baseline", prov.get("baseline")),
        ("the province crawl", prov.get("first")),
    ):
        pages_per_s = _get(prov, "first", "pages_per_s")
        out["province_throughput_ratio"] = ratio(pages_per_s, _get(prov, "baseline", "pages_per_s"))
    if "province_memory_ratio" not in why and need(
        "province_memory_ratio", ("the province crawl", prov.get("first")), ("the base site crawl", first)
    ):
        out["province_memory_ratio"] = ratio(_get(prov, "first", "peak_rss_mb"), _get(first, "peak_rss_mb"))
    result = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in ((k, out.get(k)) for k in KEYS)}
    for k in KEYS:
        if result[k] is None and k not in why:
            why[k] = "a measurement it divides by was zero or missing"
    return result, why


def cpu_view(raw: Mapping[str, Any]) -> dict[str, float | None]:
    """The crawl figures again, in CPU seconds of the crawling processes (a busy machine disturbs them less
    than wall time) and "inside": without interpreter start-up and imports, which dominate small sites (the
    product's run as storage recorded it, start_run → finish_run; the baseline's Scrapy elapsed time)."""
    crawl = raw.get("crawl") or {}
    prov = raw.get("province") or {}

    def per_page(run: Any) -> float | None:
        if not _ok(run) or not run.get("pages"):
            return None
        return ratio(run.get("cpu_seconds"), run["pages"])

    base, first, big = (per_page(crawl.get(k)) for k in ("baseline", "first", "first_10x"))
    last, again = crawl.get("first_last"), crawl.get("recrawl")

    def inside(run: Any) -> float | None:
        return _get(run, "pages_per_inside_s") if _ok(run) else None

    out = {
        "throughput_ratio_in_crawl": ratio(inside(crawl.get("first")), inside(crawl.get("baseline"))),
        "pages_per_s_ratio_10x_in_crawl": ratio(inside(crawl.get("first_10x")), inside(crawl.get("first"))),
        "throughput_ratio_cpu": ratio(base, first),
        "recrawl_cpu_ratio": ratio(_get(again, "cpu_seconds"), _get(last, "cpu_seconds")),
        "pages_per_cpu_s_ratio_10x": ratio(first, big),
        "province_throughput_ratio_in_crawl": ratio(inside(prov.get("first")), inside(prov.get("baseline"))),
        "province_throughput_ratio_cpu": ratio(per_page(prov.get("baseline")), per_page(prov.get("first"))),
        "baseline_cpu_ms_per_page": base * 1000 if base else None,
        "first_crawl_cpu_ms_per_page": first * 1000 if first else None,
    }
    return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in out.items()}


def machine() -> dict[str, Any]:
    cpu = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    mem = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        mem = int(Path("/proc/meminfo").read_text().split()[1]) // 1024
    return {
        "cpu": cpu or platform.processor(),
        "cores": os.cpu_count(),
        "memory_mb": mem,
        "load_average_at_end": [round(x, 2) for x in os.getloadavg()],
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


def build(raw: Mapping[str, Any], mode: str, seconds: float) -> dict[str, Any]:
    """results.json: the figures first (issue 8's nine, then the province's two), then targets, reasons, raw
    numbers, machine, date."""
    values, why = figures(raw)
    return {
        **values,
        "targets": {t.key: f"{t.op} {t.bound}" for t in TARGETS},
        "holds": {t.key: t.holds(values[t.key]) for t in TARGETS},
        "why_null": why,
        "cpu_view": cpu_view(raw),
        "mode": mode,
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "bench_seconds": round(seconds, 1),
        "machine": machine(),
        "raw": raw,
    }


def table(results: Mapping[str, Any]) -> str:
    """The figures as a plain-text table, one line per key, with target and verdict."""
    lines = [f"{'figure':<26} {'value':>8}  {'target':<8} {'':<5} what", "-" * 100]
    for t in TARGETS:
        value = results.get(t.key)
        held = t.holds(value)
        shown = "null" if value is None else f"{value:.3f}"
        verdict = {True: "ok", False: "MISS", None: "n/a"}[held]
        lines.append(f"{t.key:<26} {shown:>8}  {t.op} {t.bound:<5} {verdict:<5} {t.what}")
    cpu = results.get("cpu_view") or {}
    shown = ", ".join(f"{k} {v:.3f}" for k, v in cpu.items() if isinstance(v, float) and "ratio" in k)
    if shown:
        lines.append(f"also: {shown}")
    for key, reason in (results.get("why_null") or {}).items():
        lines.append(f"  {key} is null: {reason}")
    m = results.get("machine") or {}
    lines.append(
        f"mode {results.get('mode')}, {results.get('date')}, {m.get('cores')} cores {m.get('cpu')}, "
        f"load {m.get('load_average_at_end')}, {results.get('bench_seconds')}s"
    )
    return "\n".join(lines)


def write(results: Mapping[str, Any], path: Path = RESULTS) -> Path:
    path.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
