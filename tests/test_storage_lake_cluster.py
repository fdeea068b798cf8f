"""Scrapyd nodes writing into the shared catalog (issue 16 §1 with §2): `xxgk crawl` on two real Scrapyd nodes
(tests/scrapydnodes.py) whose jobs write into a DuckLake in a real PostgreSQL (tests/pgserver.py) reports what
one machine's crawl of the same demo college into a plain DuckDB file reports (run ids aside).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from pgserver import PgServer
from scrapydnodes import ScrapydNode, cluster_config, running_nodes, scrapyd_missing, xxgk

import storage
from monitor.cluster.compare import report_difference

pytestmark = pytest.mark.slow

MISSING = scrapyd_missing()
if MISSING:
    pytest.skip(MISSING, allow_module_level=True)

OBSERVED = "2026-11-26T08:00:00+08:00"
AS_OF = "2026-11-26"


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[ScrapydNode]]:
    with running_nodes(tmp_path_factory.mktemp("scrapyd")) as started:
        yield started


def test_scrapyd_jobs_write_into_the_lake_and_report_as_one_machine(
    tmp_path: Path, nodes: list[ScrapydNode], demo_college_small
) -> None:
    sites = demo_college_small.sites
    local = cluster_config(tmp_path / "local", sites, [], 'path = "x.duckdb"\n')
    crawled = xxgk(local, "crawl", "--observed-at", OBSERVED)
    assert crawled.returncode == 0, crawled.stderr[-3000:]
    expected = xxgk(local, "report", "--format", "json", "--as-of", AS_OF)
    assert expected.returncode == 0, expected.stderr
    with PgServer.start() as pg:
        (tmp_path / "parquet").mkdir()
        keys = (
            f'path = "node.duckdb"\ncatalog = "ducklake:postgres:{pg.create_database("lake")}"\n'
            f'data_path = "{tmp_path / "parquet"}/"\nlock_wait = 60\n'
        )
        config = cluster_config(tmp_path / "cluster", sites, [n.url for n in nodes], keys)
        deployed = xxgk(config, "deploy")
        assert deployed.returncode == 0, deployed.stderr
        proc = xxgk(config, "crawl", "--observed-at", OBSERVED)
        assert proc.returncode == 0, proc.stderr[-3000:]
        assert f"{len(sites)} of {len(sites)} jobs ok" in proc.stderr, proc.stderr[-3000:]
        report = xxgk(config, "report", "--format", "json", "--as-of", AS_OF)
        assert report.returncode == 0, report.stderr
        assert report_difference(expected.stdout, report.stdout) is None
        from monitor.config import read_config

        with storage.open_readonly(read_config(config).database) as conn:
            found = conn.execute("SELECT status, count(*) FROM runs GROUP BY status").fetchall()
        assert found == [("ok", len(sites))], found
        assert not (tmp_path / "cluster" / "node.duckdb").exists(), "the jobs wrote a file, not the lake"
