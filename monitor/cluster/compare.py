"""Compare two `xxgk report --format json` outputs: the same judgement, whatever crawled it.

A cluster crawl records one run per Scrapyd job, one machine records one run for all sites, so the run ids
the report names (`crawl.latest_run`, `crawl.judged_runs`) differ by construction; they are bookkeeping, not
judgement, and are left out. Everything else must be equal, key for key and in the same order.
"""

from __future__ import annotations

import json
from typing import Any

RUN_IDS = ("latest_run", "judged_runs")


def comparable(report: dict[str, Any]) -> dict[str, Any]:
    """The report without the run ids it names."""
    found = dict(report)
    if isinstance(found.get("crawl"), dict):
        found["crawl"] = {k: v for k, v in found["crawl"].items() if k not in RUN_IDS}
    return found


def first_difference(a: Any, b: Any, where: str = "") -> str | None:
    """Where `a` and `b` first differ, in words (a JSON path and both values); None when equal."""
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            return f"{where or '.'}: keys {sorted(set(a) ^ set(b)) or list(a)} differ"
        for key in a:
            found = first_difference(a[key], b[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b, strict=False)):
            found = first_difference(x, y, f"{where}[{i}]")
            if found:
                return found
        if len(a) != len(b):
            return f"{where}: {len(a)} entries against {len(b)}"
        return None
    if a != b:
        return f"{where}: {json.dumps(a, ensure_ascii=False)} against {json.dumps(b, ensure_ascii=False)}"
    return None


def report_difference(one: str, other: str) -> str | None:
    """The first difference of two JSON reports (as text), run ids aside; None when identical."""
    return first_difference(comparable(json.loads(one)), comparable(json.loads(other)))
