"""Splitting a plan into Scrapyd jobs by host, and the egg's version (monitor/cluster/split.py, egg.py)."""

from __future__ import annotations

import shutil
import zipfile
from io import BytesIO
from pathlib import Path

import pytest

from monitor.cluster.compare import report_difference
from monitor.cluster.egg import VERSION_FILE, build_egg, egg_version, package_dir
from monitor.cluster.nodes import stored_name
from monitor.cluster.split import host_groups, split_jobs


def site(name: str, *urls: str, hosts: tuple[str, ...] = ()) -> dict:
    return {"name": name, "start_urls": list(urls), "allowed_hosts": list(hosts)}


PLAN = [
    site("a", "http://x.edu.cn/"),
    site("b", "http://y.edu.cn/"),
    site("c", "http://z.edu.cn/", hosts=("z.edu.cn", "X.edu.cn")),  # shares x with a
    site("d", "http://w.edu.cn/"),
    site("e", "http://y.edu.cn/other/"),  # shares y with b
]


def test_sites_of_one_host_are_one_group_whatever_links_them() -> None:
    assert host_groups(PLAN) == [["a", "c"], ["b", "e"], ["d"]]


@pytest.mark.parametrize(
    ("job_sites", "jobs"),
    [
        (1, [["a", "c"], ["b", "e"], ["d"]]),  # a host group is never split
        (3, [["a", "c", "d"], ["b", "e"]]),
        (5, [["a", "b", "c", "d", "e"]]),
    ],
)
def test_groups_are_packed_into_jobs(job_sites: int, jobs: list[list[str]]) -> None:
    assert split_jobs(PLAN, job_sites) == jobs
    assert sorted(s for job in jobs for s in job) == [s["name"] for s in PLAN]


def copy_packages(tmp_path: Path) -> dict[str, Path]:
    roots = {}
    for name in ("crawler", "storage"):
        roots[name] = tmp_path / name
        shutil.copytree(package_dir(name), roots[name], ignore=shutil.ignore_patterns("__pycache__"))
    return roots


def test_the_egg_version_is_the_code_s_and_names_what_the_egg_holds(tmp_path: Path) -> None:
    roots = copy_packages(tmp_path)
    version = egg_version(roots)
    assert version == egg_version() and version.startswith("0.1.0+")
    egg = build_egg(roots)
    assert egg.data == build_egg(roots).data  # the same files make the same bytes
    with zipfile.ZipFile(BytesIO(egg.data)) as z:
        assert z.read(VERSION_FILE).decode().strip() == version
        assert b"settings = crawler.settings" in z.read("EGG-INFO/entry_points.txt")
        assert "storage/migrations/001_initial.sql" in z.namelist()
        assert not [n for n in z.namelist() if "__pycache__" in n]
    (roots["crawler"] / "settings.py").write_text("# changed\n", encoding="utf-8")
    assert egg_version(roots) != version  # any change of the code is another version


def test_scrapyd_files_a_version_under_a_safe_name() -> None:
    assert stored_name("0.1.0+3f9c2a") == "0_1_0_3f9c2a"


def test_reports_compare_without_their_run_ids() -> None:
    one = '{"sections": [{"status": "fresh"}], "crawl": {"latest_run": 1, "judged_runs": {"a": 1}}}'
    other = '{"sections": [{"status": "fresh"}], "crawl": {"latest_run": 7, "judged_runs": {"a": 3}}}'
    assert report_difference(one, other) is None
    stale = other.replace("fresh", "stale")
    assert report_difference(one, stale) == '.sections[0].status: "fresh" against "stale"'
