"""The judgement in SQL (issue 19 §3): `xxgk report` stores what it decided; the views say the same.

Real DuckDB files built through storage's write API (tests/judgedb.py), the real `xxgk report` and `xxgk sql`
as child processes; a second process holding the file shows the report still prints when it cannot store.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from judgedb import column, config_text, crawl
from xxgkrun import query, report_json, xxgk

AS_OF = date(2026, 11, 26)
CRAWL = datetime(2026, 11, 19, 18, 0, tzinfo=UTC)  # Nov 20, 02:00 in Beijing


def ago(n: int) -> date:
    return AS_OF - timedelta(days=n)


@pytest.fixture
def config(tmp_path: Path) -> Path:
    db = tmp_path / "j.duckdb"
    disclosure = [
        column(
            "disclosure", "zszc", "招生章程", items=[("2027年招生章程", ago(4)), ("2026年招生章程", ago(370))]
        ),
        column("disclosure", "ndbg", "信息公开年度报告", items=[("2024-2025学年报告", ago(420))]),
        column("disclosure", "xsss", "学生申诉", state="empty"),
        column("disclosure", "cjrh", "产教融合", state="unreachable", error="HTTP 503"),
        column("disclosure", "zzgs", "资助公示", items=[("无日期公示", None)]),
        # a generic column: its titles show the budget; a meeting on the budget shows nothing
        column(
            "disclosure",
            "xxgkml",
            "信息公开目录",
            items=[("2026年部门预算", ago(200)), ("学校召开2027年预算工作会议", ago(2))],
        ),
    ]
    crawl(str(db), CRAWL - timedelta(days=7), {"portal": [column("portal", "xwdt", "新闻动态")]})
    crawl(str(db), CRAWL, {"disclosure": disclosure}, down=["portal"])
    sites = [("disclosure", "disclosure", "党政办"), ("portal", "portal", "宣传部")]
    path = tmp_path / "config.toml"
    path.write_text(config_text(db.name, sites), encoding="utf-8")
    return path


def _db(config: Path) -> Path:
    return config.parent / "j.duckdb"


def _views(config: Path) -> tuple[dict, dict]:
    columns = query(
        _db(config),
        "SELECT site, url, status, newest, age_days, limit_days, as_of, institution, department, column_name "
        "FROM v_column_judgement",
    )
    coverage = query(
        _db(config),
        "SELECT institution, item_id, status, covered_by, newest, item, covered_via, "
        "[t.title FOR t IN titles], newest_title, due, reason FROM v_catalog_coverage",
    )
    return {(r[0], r[1]): r[2:] for r in columns}, {(r[0], r[1]): r[2:] for r in coverage}


def test_views_hold_the_statuses_of_the_json_report(config: Path) -> None:
    report = report_json(config, "--as-of", AS_OF.isoformat())
    columns, coverage = _views(config)
    expected = {
        (s["site"], s["url"]): (
            s["status"],
            date.fromisoformat(s["last_published"]) if s["last_published"] else None,
            s["age_days"],
            s["limit_days"],
            AS_OF,
            s["institution"],
            s["department"],
            s["name"],
        )
        for s in report["sections"]
        if s["url"]
    }
    assert columns == expected
    assert {v[0] for v in columns.values()} >= {"fresh", "stale", "empty", "unreachable"}
    missing = {s["item_id"] for s in report["sections"] if s["status"] == "missing"}
    assert missing and {k[1] for k, v in coverage.items() if v[0] == "missing"} == missing
    expected_coverage = {
        (c["institution"], c["item_id"]): (
            c["status"],
            [f"{col['site']}/{col['name']}" for col in c["columns"]],
            date.fromisoformat(c["last_published"]) if c["last_published"] else None,
            c["item"],
            c["via"],
            [t["title"] for t in c["titles"]],
            c["newest_title"],
            date.fromisoformat(c["due"]) if c["due"] else None,
            c["reason"],
        )
        for c in report["coverage"]
    }
    assert coverage == expected_coverage
    (budget,) = [v for k, v in coverage.items() if k[1] == "finance.budget"]
    status, covered_by, newest, item, via, titles, newest_title, due, reason = budget
    assert (status, covered_by, via, titles) == ("fresh", [], "titles", ["2026年部门预算"]), budget
    assert newest == ago(200) and newest_title == "2026年部门预算" and due == date(2026, 5, 31)
    assert item == "收支预算表" and "由条目标题确认" in reason
    for status, covered_by, _newest, item, via, titles, *_ in coverage.values():
        covering = [s for s in report["sections"] if s["url"] and f"{s['site']}/{s['name']}" in covered_by]
        assert len(covering) == len(covered_by) and all(item in s["covers"] for s in covering)
        assert via == (
            "column+titles"
            if covered_by and titles
            else "column"
            if covered_by
            else "titles"
            if titles
            else "none"
        )
        assert (status == "missing") == (via == "none")
        if via == "column":
            order = ["unreachable", "stale", "blocked", "empty", "missing", "unchecked", "fresh"]
            assert status == min((s["status"] for s in covering), key=order.index)


def test_the_same_day_replaces_its_rows_and_the_latest_day_is_the_view(config: Path) -> None:
    report_json(config, "--as-of", AS_OF.isoformat())
    report_json(config, "--as-of", AS_OF.isoformat())
    report_json(config, "--as-of", ago(3).isoformat())  # an earlier day: history, not the view
    report_json(config, "--as-of", AS_OF.isoformat(), "--site", "disclosure")  # a part: not stored
    days = query(_db(config), "SELECT as_of, count(*) FROM judged_columns GROUP BY as_of ORDER BY as_of")
    report = report_json(config, "--as-of", AS_OF.isoformat())
    assert days == [(ago(3), days[0][1]), (AS_OF, len(report["sections"]))]
    assert {r[0] for r in query(_db(config), "SELECT DISTINCT as_of FROM v_column_judgement")} == {AS_OF}
    out = xxgk(
        config, "sql", "SELECT status, count(*) AS n FROM v_column_judgement GROUP BY status ORDER BY status"
    )
    assert out.returncode == 0 and "stale" in out.stdout, out.stderr


HOLDER = textwrap.dedent(
    """
    import sys, time
    import storage
    with storage.open_readonly(sys.argv[1]):
        print("holding", flush=True)
        time.sleep(60)
    """
)


def test_the_report_prints_and_says_so_when_it_cannot_store(config: Path) -> None:
    """Another process reading the file: the report reads too, cannot write within lock_wait, still prints."""
    text = config.read_text(encoding="utf-8").replace("[storage]\n", "[storage]\nlock_wait = 0.5\n")
    config.write_text(text, encoding="utf-8")
    query(_db(config), "SELECT 1")  # the schema is current before the holder opens read-only
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(_db(config))], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        proc = xxgk(config, "report", "--as-of", AS_OF.isoformat(), "--format", "json")
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["sections"]
    assert "判断结果未写入数据库" in proc.stderr and "busy" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr
    assert query(_db(config), "SELECT count(*) FROM judged_columns") == [(0,)]
