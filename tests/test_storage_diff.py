"""diff_snapshots: the visible-text difference between two stored bodies of a page."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from datetime import UTC, datetime

import pytest

import storage
from storage.diff import visible_lines
from storage.records import FetchRecord, PageParse

URL = "http://xxgk.test/info/1.htm"
V1 = (
    "<html><head><title>公告</title><style>p{}</style></head><body><p>报名截止：3月1日</p><p>地点：行政楼</p>"
    "<script>var x = 1;</script></body></html>"
)
V2 = V1.replace("3月1日", "3月8日")


def crawl(db: str, day: int, html: str | None, encoding: str = "utf-8") -> int:
    run_id = storage.start_run(db, ["xxgk"], observed_at=datetime(2026, 3, day, tzinfo=UTC))
    writer = storage.RunWriter(db, run_id)
    if html is None:  # 304: the last body stands
        _, found = storage.run_sql(db, "SELECT content_hash FROM fetches ORDER BY run_id DESC LIMIT 1")
        writer.add_fetch(
            FetchRecord("xxgk", URL, datetime.now(UTC), "not_modified", 304, content_hash=found[0][0])
        )
    else:
        body = html.encode(encoding)
        digest = hashlib.sha256(body).hexdigest()
        writer.add_page(PageParse(url=URL, content_hash=digest, kind="article", encoding=encoding), body)
        writer.add_fetch(FetchRecord("xxgk", URL, datetime.now(UTC), "ok", 200, content_hash=digest))
    writer.flush()
    storage.finish_run(db, run_id, [])
    return run_id


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("diff") / "h.duckdb")
    crawl(path, 1, V1)  # run 1
    crawl(path, 8, None)  # run 2: 304
    crawl(path, 15, V2, "gbk")  # run 3: edited, and served as GBK
    return path


def test_the_default_diff_is_the_last_change(db):
    text = storage.diff_snapshots(db, URL, None, None)
    head = text.splitlines()[:2]
    assert head[0].startswith(f"--- {URL} run 2 (2026-03-0") and head[1].startswith(
        f"+++ {URL} run 3 (2026-03-1"
    )
    assert "-报名截止：3月1日" in text.splitlines()
    assert "+报名截止：3月8日" in text.splitlines()
    assert " 地点：行政楼" in text.splitlines()
    assert "var x" not in text and "p{}" not in text


def test_explicit_runs(db):
    assert storage.diff_snapshots(db, URL, 1, 2) == ""  # a 304 confirms the same body
    assert "+报名截止：3月8日" in storage.diff_snapshots(db, URL, 2, 3)
    assert "-报名截止：3月8日" in storage.diff_snapshots(db, URL, 3, 1)


def test_unknown_page_or_run(db):
    with pytest.raises(storage.StorageError, match=r"no stored snapshot of http://other\.test/"):
        storage.diff_snapshots(db, "http://other.test/", None, None)
    with pytest.raises(storage.StorageError, match="at or before run 0"):
        storage.diff_snapshots(db, URL, 0, None)


@pytest.mark.parametrize(
    ("html", "lines"),
    [
        ("<p>a</p><p>b</p>", ["a", "b"]),
        ("<div>x <b>y</b>\n z</div>", ["x y z"]),
        ("<ul><li>1</li><li>2</li></ul>", ["1", "2"]),
        ("<script>alert(1)</script><noscript>n</noscript>t", ["t"]),
        ("a&amp;b&lt;c", ["a&b<c"]),
        ("<tr><td>1</td><td>2</td></tr>", ["1", "2"]),
    ],
)
def test_visible_lines(html, lines):
    assert visible_lines(html) == lines


def test_headers_give_each_run_in_the_college_zone_named(db):
    # run 2 was observed 2026-03-08 00:00 UTC, run 3 2026-03-15 00:00 UTC: 08:00 in Beijing
    head = storage.diff_snapshots(db, URL, None, None, zone="Asia/Shanghai").splitlines()[:2]
    assert head == [
        f"--- {URL} run 2 (2026-03-08 08:00 Asia/Shanghai)",
        f"+++ {URL} run 3 (2026-03-15 08:00 Asia/Shanghai)",
    ]
    head = storage.diff_snapshots(db, URL, None, None, zone="America/New_York").splitlines()[:2]
    assert head[1] == f"+++ {URL} run 3 (2026-03-14 20:00 America/New_York)"  # EDT from March 8


def test_one_snapshot_is_not_a_diff(tmp_path):
    path = str(tmp_path / "one.duckdb")
    crawl(path, 1, V1)
    with pytest.raises(
        storage.StorageError, match=r"only one stored snapshot of .*\(run 1, 2026-03-01 08:00 Asia/Shanghai\)"
    ):
        storage.diff_snapshots(path, URL, None, None, zone="Asia/Shanghai")
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "diff", URL, "--db", path],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 1 and "only one stored snapshot" in proc.stderr, proc
    assert proc.stdout == "" and "Traceback" not in proc.stderr
