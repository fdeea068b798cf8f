"""`xxgk report` end to end on a real DuckDB file, and the three renderers (JSON contract key by key)."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from judgedb import column, config_text, crawl

from monitor.findings import Section, SiteLine
from monitor.judgement import Judgement
from monitor.report import ReportError, render

ROOT = Path(__file__).resolve().parents[1]
D = date.fromisoformat
FIRST = datetime(2026, 11, 12, 18, 0, tzinfo=UTC)  # Nov 13, 02:00 in Beijing
SECOND = datetime(2026, 11, 19, 18, 0, tzinfo=UTC)  # Nov 20, 02:00
HOSTILE = '<script>alert(1)</script>=cmd|"/c calc"!A1\x1b[2J'
CONTRACT = [
    "site",
    "name",
    "url",
    "category",
    "item",
    "last_published",
    "items",
    "status",
    "age_days",
    "limit_days",
]


def ago(n: int) -> date:
    return date(2026, 11, 26) - timedelta(days=n)


def disclosure(extra: bool = False) -> list:
    cols = [
        column(
            "disclosure", "zszc", "招生章程", items=[("2027年招生章程", ago(4)), ("2026年招生章程", ago(370))]
        ),
        column("disclosure", "ndbg", "信息公开年度报告", items=[("2024-2025学年报告", ago(420))]),
        column("disclosure", "xsss", "学生申诉", state="empty"),
        column("disclosure", "cjrh", "产教融合", state="unreachable", error="HTTP 503"),
        column("disclosure", "xngs", "校内公示", state="blocked", error="login"),
        column("disclosure", "zzgs", "资助公示", items=[("无日期公示一", None), ("无日期公示二", None)]),
        column("disclosure", "evil", HOSTILE, items=[(HOSTILE, ago(2))]),
    ]
    if extra:
        cols.append(column("disclosure", "xfjb", "信访举报", items=[("信访事项", ago(1))]))
    return cols


def portal() -> list:
    return [column("portal", "xwdt", "新闻动态", items=[("新闻一", ago(12)), ("新闻二", ago(20))])]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two weekly crawls: on the second the portal is down and the disclosure site shows one more column."""
    folder = tmp_path_factory.mktemp("report")
    path = folder / "x.duckdb"
    crawl(str(path), FIRST, {"disclosure": disclosure(), "portal": portal()})
    crawl(str(path), SECOND, {"disclosure": disclosure(extra=True)}, down=["portal"])
    sites = [("disclosure", "disclosure", "党政办"), ("portal", "portal", "宣传部")]
    (folder / "config.toml").write_text(config_text("x.duckdb", sites), encoding="utf-8")
    return folder


def xxgk(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(folder / "config.toml"), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def report_json(folder: Path, *args: str) -> dict:
    out = xxgk(folder, "report", "--format", "json", *args)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_json_contract_key_by_key(db: Path) -> None:
    doc = report_json(db, "--as-of", "2026-11-26")
    assert doc["as_of"] == "2026-11-26"
    for s in doc["sections"]:
        assert list(s)[: len(CONTRACT)] == CONTRACT
        assert isinstance(s["items"], int)
        assert s["last_published"] is None or date.fromisoformat(s["last_published"])
    columns = {s["name"]: s for s in doc["sections"] if s["status"] != "missing"}
    assert len(columns) == 9
    charter = columns["招生章程"]
    assert charter == {
        **charter,
        "site": "disclosure",
        "url": "http://disclosure.test/zszc.htm",
        "category": "招生考试信息",
        "item": "招生章程与特殊类型招生办法、分批次分科类招生计划",
        "last_published": ago(4).isoformat(),
        "items": 2,
        "status": "fresh",
        "age_days": 4,
        "limit_days": 365,
    }
    report = columns["信息公开年度报告"]
    assert (report["status"], report["age_days"], report["limit_days"]) == ("stale", 420, 86)
    assert (columns["学生申诉"]["status"], columns["学生申诉"]["last_published"]) == ("empty", None)
    assert columns["产教融合"]["status"] == "unreachable" and columns["产教融合"]["since"].startswith(
        "2026-11-13"
    )
    assert columns["校内公示"]["status"] == "blocked"
    assert (columns["资助公示"]["status"], columns["资助公示"]["last_published"]) == ("stale", None)
    assert columns[HOSTILE]["name"] == HOSTILE  # JSON carries the text as it is; JSON escaping keeps it inert
    news = columns["新闻动态"]
    assert (news["status"], news["site_down"], news["age_days"]) == ("unreachable", True, 12)
    missing = [s for s in doc["sections"] if s["status"] == "missing"]
    assert missing and all(s["url"] is None and s["site"] == "disclosure" for s in missing)
    assert {s["item"] for s in missing} >= {"收支预算表", "学术不端行为查处机制"}
    assert "研究生复试成绩" not in {s["item"] for s in missing}  # vocational: graduate items do not apply
    assert [x["status"] for x in doc["sites"]] == ["ok", "down"]


def test_as_of_counts_only_the_crawls_known_by_then(db: Path) -> None:
    doc = report_json(db, "--as-of", "2026-11-15")
    columns = {s["name"]: s for s in doc["sections"] if s["status"] != "missing"}
    assert "信访举报" not in columns  # first seen on the second crawl
    assert columns["新闻动态"]["status"] == "fresh" and columns["新闻动态"]["age_days"] == 1
    assert [x["status"] for x in doc["sites"]] == ["ok", "ok"]
    assert report_json(db, "--as-of", "2026-11-12")["sections"] == []  # the first crawl ends Nov 13 (Beijing)


def test_site_filter_and_csv(db: Path) -> None:
    out = xxgk(db, "report", "--as-of", "2026-11-26", "--site", "disclosure", "--format", "csv")
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout)))
    assert list(rows[0])[: len(CONTRACT)] == CONTRACT
    assert {r["site"] for r in rows} == {"disclosure"}
    evil = next(r for r in rows if "script" in r["name"])
    assert evil["name"].startswith("<script>")  # not a formula: left alone
    assert all(not r[k].startswith(("=", "+", "@")) for r in rows for k in r)


def test_text_report_groups_shows_mapping_and_one_line_for_the_site_down(db: Path) -> None:
    out = xxgk(db, "report", "--as-of", "2026-11-26")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    # sites by their display names (no title configured or crawled: the department's and kind's name)
    assert "宣传部门户网站：整站无法访问，自 2026-11-20 起" in text
    assert (
        "新闻动态" not in text.split("■ 宣传部门户网站")[1].split("■")[0]
    )  # its columns not listed one by one
    assert "【招生考试信息】" in text and "关键词“招生章程”" in text and "缺失的清单事项" in text
    assert "\x1b" not in text  # terminal escapes from the web are dropped
    stale = text.index("超期未更新  信息公开年度报告")
    assert text.index("【基本信息】") < stale


def test_unknown_site_and_bad_date_exit_2(db: Path) -> None:
    out = xxgk(db, "report", "--site", "nope")
    assert out.returncode == 2 and "nope" in out.stderr and "disclosure" in out.stderr
    bad = xxgk(db, "report", "--as-of", "26/11/2026")
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def test_missing_database_is_one_clear_line(tmp_path: Path) -> None:
    (tmp_path / "config.toml").write_text(
        config_text("none.duckdb", [("d", "disclosure", "")]), encoding="utf-8"
    )
    out = xxgk(tmp_path, "report")
    assert out.returncode == 1 and "Traceback" not in out.stderr and "none.duckdb" in out.stderr


def test_report_writes_to_a_file(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "r.json"
    out = xxgk(db, "report", "--as-of", "2026-11-26", "--format", "json", "-o", str(target))
    assert out.returncode == 0 and out.stdout == ""
    assert json.loads(target.read_text(encoding="utf-8"))["as_of"] == "2026-11-26"


def judgement() -> Judgement:
    row = Section("d", "通知=公告", "http://d/t.htm", None, None, D("2026-11-20"), 3, "fresh", 6, 183)
    missing = Section(
        "d", "收支预算表", None, "财务、资产及收费信息", "收支预算表", None, 0, "missing", None, None
    )
    line = SiteLine("d", "示例学院", "disclosure", "ok", columns=1)
    return Judgement(
        as_of=D("2026-11-26"), sections=[row, missing], sites=[line], categories=["财务、资产及收费信息"]
    )


def test_renderers_in_memory() -> None:
    j = judgement()
    doc = json.loads(render(j, "json"))
    assert doc["sections"][1] == {
        **doc["sections"][1],
        "url": None,
        "status": "missing",
        "last_published": None,
    }
    assert doc["counts"]["missing"] == 1 and doc["counts"]["fresh"] == 1
    rows = list(csv.reader(io.StringIO(render(j, "csv"))))
    assert len(rows) == 3 and rows[1][7] == "fresh"
    text = render(j, "text")
    assert (
        "栏目 1 个" in text
        and "缺失的清单事项（无对应栏目、无标题显示）1 项" in text
        and "【财务、资产及收费信息】收支预算表" in text
    )
    with pytest.raises(ReportError, match="xml"):
        render(j, "xml")


@pytest.mark.parametrize(
    ("value", "cell"),
    [("=HYPERLINK(1)", "'=HYPERLINK(1)"), ("+1 555", "'+1 555"), ("@SUM(A1)", "'@SUM(A1)"), ("-x", "'-x"),
     ("-5", "-5"), ("2026-11-26", "2026-11-26"), (None, ""), (True, "true"), ("通知公告", "通知公告")],
)  # fmt: skip
def test_csv_cells_defuse_formulas(value: object, cell: str) -> None:
    from monitor.report.csvfmt import cell as to_cell

    assert to_cell(value) == cell
