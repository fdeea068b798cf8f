"""`xxgk crawl` and `xxgk inspect` as a user runs them: the real entry point, a real config, a DuckDB file."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from crawlsite import DEPT, MAIN, CrawlSite, rules_page

from storage import open_readonly

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site() -> Iterator[CrawlSite]:
    s = CrawlSite().start()
    yield s
    s.stop()


def xxgk(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


def write_config(tmp_path: Path, site: CrawlSite) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(
        f"""[college]
name = "示例职业学院"
[storage]
path = "x.duckdb"
[crawl]
autothrottle = false
[[sites]]
name = "xxgk"
kind = "disclosure"
start_urls = ["{site.url(MAIN, "/")}"]
allowed_hosts = ["{site.netloc(MAIN)}", "{site.netloc(DEPT)}"]
[[sites]]
name = "dept"
kind = "department"
start_urls = ["{site.url(DEPT, "/dept/list.asp")}"]
""",
        encoding="utf-8",
    )
    return path


def test_crawl_one_site_at_a_recorded_time(tmp_path: Path, site: CrawlSite) -> None:
    config = write_config(tmp_path, site)
    proc = xxgk(config, "crawl", "--site", "dept", "--observed-at", "2024-07-01T08:00:00+08:00")
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "run_id=1" in proc.stdout
    with open_readonly(str(tmp_path / "x.duckdb")) as conn:
        runs = conn.execute("SELECT status, sites, observed_at FROM runs").fetchall()
        sites = conn.execute("SELECT DISTINCT site FROM fetches").fetchall()
    assert [(s, list(names)) for s, names, _ in runs] == [("ok", ["dept"])]
    assert runs[0][2].isoformat().startswith("2024-07-01T00:00:00")  # 08:00 in Beijing is midnight UTC
    assert sites == [("dept",)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crawl", "--site", "nope"], "no site named 'nope'"),
        (["crawl", "--observed-at", "last tuesday"], "expected an ISO date-time"),
    ],
)
def test_mistakes_are_one_clear_line_and_exit_2(
    tmp_path: Path, site: CrawlSite, args: list[str], message: str
) -> None:
    proc = xxgk(write_config(tmp_path, site), *args)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert not (tmp_path / "x.duckdb").exists(), "nothing may be written before the arguments are valid"


def test_inspect_relays_what_the_crawler_makes_of_a_page(tmp_path: Path, site: CrawlSite) -> None:
    page = tmp_path / "rules.html"
    page.write_text(rules_page().replace("{dept}", site.netloc(DEPT)), encoding="utf-8")
    proc = xxgk(
        write_config(tmp_path, site), "inspect", str(page), "--url", site.url(MAIN, "/col.jsp?id=8"), "--json"
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    shown = json.loads(proc.stdout)
    assert shown["kind"] == "list"
    assert len(shown["rows"]) == 5
