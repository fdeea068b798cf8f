"""`xxgk crawl` on real Scrapyd nodes (child processes on loopback ports) crawling the real demo college.

Each test compares the cluster's `xxgk report --format json` with one machine's crawl of the same college
at the same recorded time (run ids aside: monitor/cluster/compare.py): identical. A node killed with -9
mid-crawl has its jobs re-run elsewhere and nothing doubled; a node without our egg is refused by name;
a job whose egg is stale fails and its sites are unreachable for that crawl, never stale.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from scrapydnodes import ScrapydNode, cluster_config, running_nodes, scrapyd_missing, xxgk

from monitor.cluster.compare import report_difference
from storage import open_readonly

pytestmark = pytest.mark.slow

MISSING = scrapyd_missing()
if MISSING:
    pytest.skip(MISSING, allow_module_level=True)

from monitor.cluster.egg import build_egg, egg_version  # noqa: E402
from monitor.cluster.scrapyd import Node  # noqa: E402

OBSERVED = "2026-11-26T08:00:00+08:00"
AS_OF = "2026-11-26"


@pytest.fixture(scope="module")
def nodes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[ScrapydNode]]:
    with running_nodes(tmp_path_factory.mktemp("scrapyd")) as started:
        yield started


@pytest.fixture(scope="module")
def deployed(nodes: list[ScrapydNode], tmp_path_factory: pytest.TempPathFactory, demo_college_small) -> str:
    """The egg uploaded to both nodes by `xxgk deploy`; returns its version."""
    config = cluster_config(
        tmp_path_factory.mktemp("deploy"), demo_college_small.sites, [n.url for n in nodes]
    )
    proc = xxgk(config, "deploy")
    assert proc.returncode == 0, proc.stderr
    version = egg_version()
    assert proc.stdout.count(version) == 2, proc.stdout
    return version


@pytest.fixture(scope="module")
def local_report(tmp_path_factory: pytest.TempPathFactory, demo_college_small) -> str:
    """One machine's crawl of the small demo college, reported."""
    config = cluster_config(tmp_path_factory.mktemp("local"), demo_college_small.sites, [])
    proc = xxgk(config, "crawl", "--observed-at", OBSERVED)
    assert proc.returncode == 0, proc.stderr[-3000:]
    report = xxgk(config, "report", "--format", "json", "--as-of", AS_OF)
    assert report.returncode == 0, report.stderr
    return report.stdout


def runs(db: Path) -> list[tuple[int, str, list[str], str]]:
    with open_readonly(str(db)) as conn:
        found = conn.execute("SELECT run_id, status, sites, coalesce(message, '') FROM runs ORDER BY run_id")
        return [(r, s, list(sites), m) for r, s, sites, m in found.fetchall()]


def ok_sites(db: Path) -> list[str]:
    return sorted(site for _, status, sites, _ in runs(db) if status == "ok" for site in sites)


def test_a_cluster_crawl_reports_what_one_machine_reports(
    tmp_path: Path, nodes: list[ScrapydNode], deployed: str, local_report: str, demo_college_small
) -> None:
    sites = demo_college_small.sites
    config = cluster_config(tmp_path, sites, [n.url for n in nodes])
    proc = xxgk(config, "crawl", "--observed-at", OBSERVED)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert f"{len(sites)} sites in {len(sites)} jobs on 2 Scrapyd nodes" in proc.stderr
    assert f"{len(sites)} of {len(sites)} jobs ok" in proc.stderr
    for node in nodes:  # both nodes crawled
        assert f"on {node.url}: " in proc.stderr, proc.stderr
    # one ok run per job, each site in exactly one of them
    assert ok_sites(tmp_path / "x.duckdb") == sorted(sites)
    report = xxgk(config, "report", "--format", "json", "--as-of", AS_OF)
    assert report.returncode == 0, report.stderr
    assert report_difference(local_report, report.stdout) is None
    assert json.loads(report.stdout)["sections"], "the report judges columns"


def test_a_node_killed_mid_crawl_has_its_jobs_run_elsewhere(
    tmp_path: Path,
    tmp_path_factory: pytest.TempPathFactory,
    deployed: str,
    local_report: str,
    demo_college_small,
) -> None:
    # two nodes of its own (the one killed is gone for good)
    root = tmp_path_factory.mktemp("killed")
    doomed, survivor = ScrapydNode(root / "a").start(), ScrapydNode(root / "b").start()
    try:
        egg = build_egg()
        for node in (doomed, survivor):
            Node(node.url).add_version("xxgk", egg.version, egg.data)
        sites = demo_college_small.sites
        config = cluster_config(tmp_path, sites, [doomed.url, survivor.url])
        crawl = subprocess.Popen(
            [sys.executable, "-m", "monitor", "--config", str(config), "crawl", "--observed-at", OBSERVED],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + 120
        while not doomed.jobs()["running"]:  # mid-crawl: a job of the doomed node is crawling
            assert crawl.poll() is None and time.monotonic() < deadline, "no job started on the node"
            time.sleep(0.1)
        time.sleep(1.0)
        doomed.kill()
        _, err = crawl.communicate(timeout=600)
        assert crawl.returncode == 0, err[-3000:]
        assert f"node {doomed.url} is down" in err
        assert "lost" in err and "attempt 2" in err
        db = tmp_path / "x.duckdb"
        found = runs(db)
        interrupted = [r for r in found if r[1] == "interrupted"]
        assert interrupted, found
        assert all("lost" in message for *_, message in interrupted)
        # nothing lost, nothing doubled: every site in exactly one ok run
        assert ok_sites(db) == sorted(sites)
        report = xxgk(config, "report", "--format", "json", "--as-of", AS_OF)
        assert report.returncode == 0, report.stderr
        assert report_difference(local_report, report.stdout) is None
    finally:
        doomed.kill()
        survivor.stop()


def test_a_node_without_our_egg_is_refused_by_name(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, demo_college_small
) -> None:
    stale = ScrapydNode(tmp_path_factory.mktemp("stale") / "n").start()
    try:
        old = build_egg(version="0.0.1+0123456789ab")
        Node(stale.url).add_version("xxgk", old.version, old.data)
        config = cluster_config(tmp_path, demo_college_small.sites, [stale.url])
        proc = xxgk(config, "crawl", "--observed-at", OBSERVED)
        assert proc.returncode == 1
        assert f"node {stale.url} refused: stale egg: it has 0_0_1_0123456789ab" in proc.stderr
        assert f"this xxgk's crawler is egg version {egg_version()}" in proc.stderr
        assert "xxgk deploy" in proc.stderr
        assert not (tmp_path / "x.duckdb").exists() or not runs(tmp_path / "x.duckdb")  # nothing opened
    finally:
        stale.stop()


def test_a_job_on_stale_code_fails_and_its_sites_are_unreachable_not_stale(
    tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, demo_college_small
) -> None:
    # a node whose egg is filed under our version but carries other code (a deployment gone wrong)
    liar = ScrapydNode(tmp_path_factory.mktemp("liar") / "n").start()
    try:
        other = build_egg(version="0.0.1+fedcba987654")
        Node(liar.url).add_version("xxgk", egg_version(), other.data)
        sites = dict(list(demo_college_small.sites.items())[:2])
        config = cluster_config(tmp_path, sites, [liar.url])
        first = xxgk(config, "crawl", "--local", "--observed-at", "2026-11-19T08:00:00+08:00")
        assert first.returncode == 0, first.stderr[-3000:]
        proc = xxgk(config, "crawl", "--observed-at", OBSERVED)
        assert proc.returncode == 1
        assert "stale crawler: this node runs egg version 0.0.1+fedcba987654" in proc.stderr
        assert "their sites are unreachable for this crawl" in proc.stderr
        report = json.loads(xxgk(config, "report", "--format", "json", "--as-of", AS_OF).stdout)
        columns = [s for s in report["sections"] if s["site"] in sites and s["url"]]
        assert columns
        assert {s["status"] for s in columns} == {"unreachable"}, {s["status"] for s in columns}
        assert all("stale crawler" in (s["error"] or "") for s in columns)
        failed = [r for r in runs(tmp_path / "x.duckdb") if r[1] == "failed"]
        assert len(failed) == len(sites) and all("stale crawler" in m for *_, m in failed)
    finally:
        liar.stop()
