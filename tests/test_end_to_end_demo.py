"""The whole job as a user runs it, on the demo college: `xxgk crawl`, then `xxgk report` and `xxgk stats`.

Issue 5 and 10's "done when": every column's status equals the generator's ground truth, the missing 清单
items are exactly the ones the college has no column for, and the statistics count exactly the items the
generator dated in the period. Every step is the real command in a child process on a real DuckDB file.
"""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

pytestmark = pytest.mark.slow


def xxgk(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def crawled(demo_college_small: Any, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("e2e")
    truth = demo_college_small.ground_truth
    sites = "".join(
        f'\n[[sites]]\nname = "{name}"\nkind = "{truth["sites"][name]["kind"]}"\nstart_urls = ["{url}"]\n'
        for name, url in demo_college_small.sites.items()
    )
    config = tmp / "config.toml"
    config.write_text(
        '[college]\nname = "示例城市职业学院"\n[storage]\npath = "xxgk.duckdb"\n'
        '[crawl]\ntimeout = 10.0\n[catalog]\nprograms = ["vocational"]\n' + sites,
        encoding="utf-8",
    )
    proc = xxgk(config, "crawl", "--observed-at", f"{truth['as_of']}T08:00:00")
    assert proc.returncode == 0, proc.stderr[-3000:]
    return config, truth


def test_every_column_status_equals_the_ground_truth(crawled: tuple[Path, dict[str, Any]]) -> None:
    config, truth = crawled
    proc = xxgk(config, "report", "--as-of", truth["as_of"], "--format", "json")
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    assert report["as_of"] == truth["as_of"]
    got = {(s["site"], s["url"]): s["status"] for s in report["sections"] if s["status"] != "missing"}
    expected = {(c["site"], c["url"]): c["expected_status"] for c in truth["columns"]}
    assert got == expected


def test_missing_items_are_exactly_those_without_a_column(crawled: tuple[Path, dict[str, Any]]) -> None:
    config, truth = crawled
    report = json.loads(xxgk(config, "report", "--as-of", truth["as_of"], "--format", "json").stdout)
    missing = [s for s in report["sections"] if s["status"] == "missing"]
    assert all(s["url"] is None for s in missing)
    assert sorted(s["item"] for s in missing) == sorted(truth["missing_items"])


@pytest.mark.parametrize("year", [2025, 2026])
def test_statistics_count_what_the_generator_dated_in_the_period(
    crawled: tuple[Path, dict[str, Any]], demo_college_small: Any, year: int
) -> None:
    config, truth = crawled
    proc = xxgk(config, "stats", "--year", str(year), "--format", "json")
    assert proc.returncode == 0, proc.stderr
    stats = json.loads(proc.stdout)
    start, end = date(year - 1, 9, 1), date(year, 8, 31)
    assert stats["period"] == [start.isoformat(), end.isoformat()]
    expected = {site: demo_college_small.college.count_items(start, end, site) for site in truth["sites"]}
    assert stats["by_site"] == expected
    listed = {row["item"]: row for row in stats["catalog"]}
    for item in truth["missing_items"]:
        assert listed[item]["status"] == "missing" and listed[item]["columns"] == []
