"""The bare Scrapy baseline follows every in-site link of a loopback site once, with the product settings."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from bench.baseline import settings_for
from bench.site import SiteServer
from bench.sitegen import GeneratedSite, SiteShape

ROOT = Path(__file__).resolve().parents[1]


def plan_for(sites: dict[str, str], db: Path, **crawl: object) -> dict:
    plan = {
        "db_path": str(db),
        "user_agent": "bench-test",
        "concurrency": 8,
        "concurrency_per_host": 2,
        "delay": 0.0,
        "autothrottle": False,
        "timeout": 10.0,
        "max_bytes": 1_000_000,
        "obey_robots": True,
        "sites": [
            {"name": n, "kind": "department", "start_urls": [u], "max_depth": 8, "max_pages": 100}
            for n, u in sites.items()
        ],
    }
    plan.update(crawl)
    return plan


@pytest.mark.slow
def test_baseline_fetches_every_page_of_every_host_exactly_once(tmp_path: Path) -> None:
    site = GeneratedSite(SiteShape(hosts=2, columns=2, list_pages=2, rows=3), as_of=date(2026, 6, 1))
    with SiteServer(site) as server:
        plan = tmp_path / "plan.json"
        plan.write_text(json.dumps(plan_for(server.sites, tmp_path / "x.duckdb")), encoding="utf-8")
        out = subprocess.run(
            [sys.executable, "-m", "bench.baseline", str(plan)],
            capture_output=True,
            text=True,
            timeout=120,
            cwd=ROOT,
        )
        stats = server.reset_stats()
    assert out.returncode == 0, out.stderr
    expected = sum(len(site.html_paths(h)) for h in range(2))
    assert stats.requests["html_200"] == expected  # each page once: nothing skipped, nothing fetched twice
    assert json.loads(out.stdout.strip().splitlines()[-1])["pages"] == expected + 2  # + robots.txt per host
    assert not (tmp_path / "x.duckdb").exists()  # it stores nothing


def test_baseline_settings_match_what_the_product_spider_derives_from_the_plan() -> None:
    """Concurrency, delay, throttle, timeout, size limit and robots as crawler/spiders/college.py applies."""
    college = pytest.importorskip("crawler.spiders.college")
    from scrapy.settings import Settings

    from crawler.plan import CrawlPlan

    plan = plan_for({"a": "http://127.0.0.2:1/"}, Path("x.duckdb"), autothrottle=True, delay=0.5)
    crawler = SimpleNamespace(settings=Settings())  # what _apply_plan touches of a Crawler, still unfrozen
    college._apply_plan(crawler, CrawlPlan.from_dict(plan))
    ours = settings_for(plan)
    shared = set(ours) & {k for k in crawler.settings.copy_to_dict() if k.isupper()}
    compared = {
        k for k in shared if k not in {"LOG_LEVEL", "TELNETCONSOLE_ENABLED", "RETRY_TIMES", "DEPTH_LIMIT"}
    }
    assert {
        "CONCURRENT_REQUESTS",
        "CONCURRENT_REQUESTS_PER_DOMAIN",
        "DOWNLOAD_DELAY",
        "AUTOTHROTTLE_ENABLED",
    } <= compared
    for key in sorted(compared):
        assert ours[key] == crawler.settings[key], key


@pytest.mark.parametrize(
    ("depths", "expected"),
    [([8], 8), ([0, 3], 3), ([], 8)],
)
def test_depth_limit_is_the_deepest_site_of_the_plan(depths: list[int], expected: int) -> None:
    plan = {"sites": [{"start_urls": ["http://127.0.0.2/"], "max_depth": d} for d in depths]}
    assert settings_for(plan)["DEPTH_LIMIT"] == expected
