"""`xxgk` with `[storage] catalog` (issue 16 §2), as a user runs it: real crawls of a loopback site into a
DuckLake in a real PostgreSQL (tests/pgserver.py) and, the same crawls, into a DuckDB file: the same
`xxgk report --format json`. PostgreSQL restarted between two crawls loses nothing; a bad catalog string is a
configuration error (exit 2, naming the file and the key); PostgreSQL down is one clear line and an exit code.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from crawlsite import DEPT, MAIN, CrawlSite
from pgserver import PgServer
from xxgkrun import SiteConf, child_env, write_config, xxgk

import storage

pytestmark = pytest.mark.slow

FIRST, SECOND = "2026-11-20T08:00:00+08:00", "2026-11-27T08:00:00+08:00"


@pytest.fixture(scope="module")
def site() -> Iterator[CrawlSite]:
    s = CrawlSite().start()
    yield s
    s.stop()


def sites(site: CrawlSite) -> list[SiteConf]:
    return [
        SiteConf("xxgk", [site.url(MAIN, "/")], allowed_hosts=[site.netloc(MAIN), site.netloc(DEPT)]),
        SiteConf("dept", [site.url(DEPT, "/dept/list.asp")], kind="department"),
    ]


def configs(tmp_path: Path, site: CrawlSite, dsn: str) -> tuple[Path, Path]:
    (tmp_path / "file").mkdir()
    (tmp_path / "lake").mkdir()
    file = write_config(tmp_path / "file", sites(site), db="x.duckdb")
    lake = write_config(
        tmp_path / "lake",
        sites(site),
        db="node.duckdb",
        storage={"catalog": f"ducklake:postgres:{dsn}", "data_path": "parquet/", "lock_wait": 60.0},
    )
    (tmp_path / "lake" / "parquet").mkdir()
    return file, lake


def crawled(config: Path, observed_at: str) -> None:
    proc = xxgk(config, "crawl", "--observed-at", observed_at, timeout=400)
    assert proc.returncode == 0, f"xxgk crawl failed ({proc.returncode}):\n{proc.stderr[-3000:]}"


def report(config: Path, *args: str) -> dict:
    proc = xxgk(config, "report", "--format", "json", *args, timeout=300)
    assert proc.returncode == 0, f"xxgk report failed ({proc.returncode}):\n{proc.stderr[-3000:]}"
    data: dict = json.loads(proc.stdout)
    return data


def test_crawls_into_the_lake_report_as_into_a_file_and_survive_a_restart(
    tmp_path: Path, site: CrawlSite
) -> None:
    with PgServer.start() as pg:
        file, lake = configs(tmp_path, site, pg.create_database("lake"))
        for config in (file, lake):
            crawled(config, FIRST)
        pg.stop()  # between the two crawls: the catalog's server goes down and comes back
        pg.start_again()
        for config in (file, lake):
            crawled(config, SECOND)
        for as_of in ("2026-11-20", "2026-11-27"):
            from_file, from_lake = report(file, "--as-of", as_of), report(lake, "--as-of", as_of)
            assert from_lake == from_file, f"the reports of {as_of} differ"
        assert from_file["sections"], "nothing was reported: the comparison compared nothing"
        where = lake.parent / "node.duckdb"
        assert not where.exists(), "with a catalog, the node's file path is only where its spool waits"
        with storage.open_readonly(_locator(lake)) as conn:
            runs = conn.execute("SELECT run_id, status FROM runs ORDER BY run_id").fetchall()
            judged = conn.execute("SELECT count(*) FROM v_column_judgement").fetchone()
        with storage.open_readonly(str(file.parent / "x.duckdb")) as conn:
            judged_file = conn.execute("SELECT count(*) FROM v_column_judgement").fetchone()
        assert runs == [(1, "ok"), (2, "ok")]
        assert judged == judged_file and judged is not None and judged[0] > 0


def _locator(config: Path) -> str:
    from monitor.config import read_config

    return read_config(config).database


@pytest.mark.parametrize(
    ("storage_keys", "key"),
    [
        ({"catalog": "postgres://127.0.0.1/xxgk", "data_path": "p/"}, "storage.catalog"),
        ({"catalog": "ducklake:postgres:host=127.0.0.1"}, "storage.catalog"),
        ({"catalog": "ducklake:postgres:host=127.0.0.1 dbname=x"}, "storage.data_path"),
    ],
)
def test_a_bad_catalog_is_a_configuration_error(
    tmp_path: Path, site: CrawlSite, storage_keys: dict, key: str
) -> None:
    config = write_config(tmp_path, sites(site), storage=storage_keys)
    for command in (["crawl"], ["report"]):
        proc = xxgk(config, *command)
        assert proc.returncode == 2, proc.stderr[-2000:]
        assert f"{config}: key {key}: expected" in proc.stderr, proc.stderr[-2000:]


def test_postgresql_down_is_one_clear_line_and_nothing_is_recorded(tmp_path: Path, site: CrawlSite) -> None:
    with PgServer.start() as pg:
        (tmp_path / "parquet").mkdir()
        dsn = pg.create_database("lake")
        config = write_config(
            tmp_path,
            sites(site),
            db="node.duckdb",
            storage={"catalog": f"ducklake:postgres:{dsn}", "data_path": "parquet/", "lock_wait": 1.0},
        )
        crawled(config, FIRST)
        pg.stop()
        for command in (["crawl", "--observed-at", SECOND], ["report", "--as-of", "2026-11-27"]):
            proc = xxgk(config, *command)
            assert proc.returncode != 0, f"{command} with PostgreSQL down exited 0"
            assert "is its PostgreSQL running?" in proc.stderr, proc.stderr[-2000:]
            assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
        pg.start_again()
        crawled(config, SECOND)
        with storage.open_readonly(_locator(config)) as conn:
            runs = conn.execute("SELECT run_id, status FROM runs ORDER BY run_id").fetchall()
        assert runs == [(1, "ok"), (2, "ok")]


def test_postgresql_gone_mid_crawl_loses_nothing(tmp_path: Path, site: CrawlSite) -> None:
    """PostgreSQL stops while a crawl runs: the crawl keeps what it could not write in its node's spool and
    says so; once PostgreSQL is back, the next command writes it, and the report is the file's."""
    with PgServer.start() as pg:
        file, lake = configs(tmp_path, site, pg.create_database("lake"))
        for config in (file, lake):  # a delay per host: the crawl still runs when PostgreSQL stops
            text = config.read_text(encoding="utf-8").replace("lock_wait = 60.0", "lock_wait = 3.0")
            config.write_text(text.replace("delay = 0.0", "delay = 0.4"), encoding="utf-8")
        assert "delay = 0.4" in lake.read_text(encoding="utf-8")
        crawled(file, FIRST)
        before = sum(site.hits.values())
        proc = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--config", str(lake), "crawl", "--observed-at", FIRST],
            cwd=lake.parent,
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        while sum(site.hits.values()) < before + 4:  # the crawl has read its history and is fetching
            if time.monotonic() > deadline or proc.poll() is not None:
                pytest.fail("the crawl never started fetching")
            time.sleep(0.1)
        pg.stop()
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-3000:]
        spool = lake.parent / "node.duckdb.pending"
        pending = list(spool.glob("run-*.spool"))
        assert pending, f"nothing was spooled (did the crawl end before PostgreSQL stopped?):\n{err[-2000:]}"
        assert "Traceback" not in err, err[-3000:]
        pg.start_again()
        assert report(lake, "--as-of", "2026-11-20") == report(file, "--as-of", "2026-11-20")
        assert not list(spool.glob("run-*.spool")), "the spool was not written"
