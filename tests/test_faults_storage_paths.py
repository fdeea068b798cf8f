"""Issue 9, point 7: a database path that cannot be written — read-only, not a directory, full — gives one
clear error naming the path, a non-zero exit without a traceback, and no partial state.

The tests run as root in CI, and root ignores file permissions, so "read-only" is made real: a read-only bind
mount, an immutable file (chattr +i), a path under /proc, a path whose parent is a regular file. "Full disk"
is a small tmpfs mounted for the test. Mounting needs CAP_SYS_ADMIN: where it is refused the test is skipped
and says why.
"""

from __future__ import annotations

import hashlib
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from faultsite import Column, FaultSite, days_ago, links10k_page
from xxgkrun import SiteConf, crawl_ok, query, write_config, xxgk

import storage

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def site() -> Iterator[FaultSite]:
    news = Column.of_articles("xwdt", "校园新闻动态", [days_ago(d) for d in (1, 3)])
    big = Column("wt", "万条链接", [])  # a list page of 10,000 rows: more than a small disk holds once stored
    with FaultSite(("127.0.0.8",), [news, big], extra_pages={"/wt.htm": links10k_page()}) as s:
        yield s


def _config(folder: Path, site: FaultSite, db: str) -> Path:
    return write_config(folder, [SiteConf("college", [site.url("/")], max_depth=1)], db=db)


def _clear_failure(proc: subprocess.CompletedProcess[str], db: Path) -> str:
    """The command failed with a message naming the database path, and without a traceback."""
    assert proc.returncode == 1, (
        f"expected exit 1 (failed: not 75, try again), got {proc.returncode}:\n{proc.stdout[-2000:]}"
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-4000:]
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert lines, "no message at all"
    last = lines[-1]
    assert str(db) in last or str(db.parent) in last, f"the last line does not name the database: {last}"
    return last


def _run(cmd: list[str], what: str) -> None:
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=30)
    if proc.returncode != 0:
        pytest.skip(f"{what} is not permitted here ({' '.join(cmd)}: {proc.stderr.strip()}); run as root")


@pytest.fixture
def mount(tmp_path: Path) -> Iterator[list[Path]]:
    """Mount points to unmount at the end, whatever happens."""
    points: list[Path] = []
    yield points
    for point in reversed(points):
        subprocess.run(["umount", "-l", str(point)], capture_output=True, timeout=30)


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_parent_is_a_regular_file(tmp_path: Path, site: FaultSite) -> None:
    blocker = tmp_path / "data"
    blocker.write_text("not a folder\n", encoding="utf-8")
    db = blocker / "xxgk.duckdb"
    proc = xxgk(_config(tmp_path, site, "data/xxgk.duckdb"), "crawl")
    _clear_failure(proc, db)
    assert blocker.read_text(encoding="utf-8") == "not a folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml", "data"]


def test_path_under_proc(tmp_path: Path, site: FaultSite) -> None:
    db = Path("/proc/xxgk-faults/xxgk.duckdb")
    _clear_failure(xxgk(_config(tmp_path, site, str(db)), "crawl"), db)


def test_new_database_on_read_only_mount(tmp_path: Path, site: FaultSite, mount: list[Path]) -> None:
    src, ro = tmp_path / "src", tmp_path / "ro"
    src.mkdir()
    ro.mkdir()
    _run(["mount", "--bind", "-o", "ro", str(src), str(ro)], "a read-only bind mount")
    mount.append(ro)
    db = ro / "xxgk.duckdb"
    _clear_failure(xxgk(_config(tmp_path, site, str(db)), "crawl"), db)
    assert list(src.iterdir()) == []


def test_existing_database_on_read_only_mount(tmp_path: Path, site: FaultSite, mount: list[Path]) -> None:
    """Writing fails clearly and changes nothing; reading (report, sql) still works on read-only media."""
    src, ro = tmp_path / "src", tmp_path / "ro"
    src.mkdir()
    ro.mkdir()
    crawl_ok(xxgk(_config(tmp_path, site, str(src / "xxgk.duckdb")), "crawl"))
    before = {p.name: _digest(p) for p in src.iterdir()}
    _run(["mount", "--bind", "-o", "ro", str(src), str(ro)], "a read-only bind mount")
    mount.append(ro)
    db = ro / "xxgk.duckdb"
    config = _config(tmp_path, site, str(db))
    _clear_failure(xxgk(config, "crawl"), db)
    report = xxgk(config, "report", "--format", "json")
    assert report.returncode == 0, report.stderr
    assert report.stdout.count('"status": "fresh"') >= 1
    sql = xxgk(config, "sql", "SELECT count(*) AS n FROM runs", "--format", "json")
    assert sql.returncode == 0 and '"n": 1' in sql.stdout, sql.stderr
    assert {p.name: _digest(p) for p in src.iterdir()} == before


def test_immutable_database_file(tmp_path: Path, site: FaultSite) -> None:
    """The folder is writable (the crawl lock can be taken) but the file itself cannot be changed."""
    config = _config(tmp_path, site, "data/xxgk.duckdb")
    db = tmp_path / "data" / "xxgk.duckdb"
    crawl_ok(xxgk(config, "crawl"))
    before = _digest(db)
    _run(["chattr", "+i", str(db)], "chattr +i")
    try:
        _clear_failure(xxgk(config, "crawl"), db)
        assert _digest(db) == before
    finally:
        subprocess.run(["chattr", "-i", str(db)], capture_output=True, timeout=30)
    crawl_ok(xxgk(config, "crawl"))
    assert [s for (s,) in query(db, "SELECT status FROM runs ORDER BY run_id")] == ["ok", "ok"]


@pytest.mark.parametrize(
    "size",
    [
        pytest.param("64k", id="too-small-for-the-schema"),
        pytest.param("2m", id="too-small-for-the-crawl"),
    ],
)
def test_full_disk(tmp_path: Path, site: FaultSite, mount: list[Path], size: str) -> None:
    """The disk fills up while creating the file or while storing the crawl: a clear error; then, once space
    is freed, the same path works and nothing of the failed crawl counts."""
    disk = tmp_path / "disk"
    disk.mkdir()
    _run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(disk)], "mounting a tmpfs")
    mount.append(disk)
    db = disk / "xxgk.duckdb"
    config = _config(tmp_path, site, str(db))
    last = _clear_failure(xxgk(config, "crawl"), db)
    assert "space" in last.lower() or "full" in last.lower(), f"no word of the full disk: {last}"
    _run(["mount", "-o", "remount,size=64m", str(disk)], "remounting the tmpfs")
    if db.exists():
        runs = dict(query(db, "SELECT run_id, status FROM runs"))  # it opens: no half-written file
        assert "ok" not in runs.values(), f"a crawl that could not be stored counts as complete: {runs}"
    crawl_ok(xxgk(config, "crawl"))
    runs = dict(query(db, "SELECT run_id, status FROM runs ORDER BY run_id"))
    *earlier, last_run = runs
    assert runs[last_run] == "ok"
    assert all(runs[r] in ("failed", "interrupted") for r in earlier), runs
    with storage.open_readonly(str(db)) as conn:
        counted = conn.execute(
            "SELECT count(*) FROM column_snapshots WHERE run_id <> ?", [last_run]
        ).fetchone()
    assert counted == (0,), "the failed crawl left column snapshots"
