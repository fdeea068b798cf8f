"""CSV for people (issue 19 §4): `--excel` or `[report] csv_style = "excel"` opens in Excel on a Chinese
Windows — UTF-8 with a BOM (else Excel reads it as GBK), CRLF, Chinese headers and status words — while
`--format csv` keeps the machine form. Real DuckDB files, the real `xxgk report` / `xxgk stats` CLI.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from judgedb import column, config_text, crawl

SITES = [("disclosure", "disclosure", "党政办"), ("jwc", "department", "教务处")]
AT = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 10:00 Beijing
XJGL = [("旧规定", date(2025, 10, 15))]  # 414 days old on 2026-12-03: stale (365-day limit)
NEWS = [('=HYPERLINK("http://evil")', date(2026, 12, 1))]  # a title from the web that looks like a formula


@pytest.fixture(scope="module")
def college(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("csvpeople")
    jwc = [column("jwc", "xjgl", "学籍管理", items=XJGL), column("jwc", "tzgg", "+通知公告", items=NEWS)]
    crawl(str(folder / "c.duckdb"), AT, {"disclosure": [], "jwc": jwc})
    (folder / "config.toml").write_text(config_text("c.duckdb", SITES), encoding="utf-8")
    excel = config_text("c.duckdb", SITES).replace("[catalog]", '[report]\ncsv_style = "excel"\n\n[catalog]')
    (folder / "excel.toml").write_text(excel, encoding="utf-8")
    return folder


def xxgk(config: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    cmd = [sys.executable, "-m", "monitor", "--config", str(config), *args]
    return subprocess.run(cmd, capture_output=True, timeout=120)


def _people(raw: bytes) -> list[dict[str, str]]:
    assert raw.startswith(b"\xef\xbb\xbf"), raw[:20]  # the BOM: Excel then reads UTF-8, not GBK
    text = raw.decode("utf-8-sig")
    assert "\r\n" in text and "\n" not in text.replace("\r\n", "")  # every line ends CRLF
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_report_excel_has_chinese_headers_and_status_words(college: Path) -> None:
    for proc in (
        xxgk(college / "config.toml", "report", "--as-of", "2026-12-03", "--excel"),
        xxgk(college / "excel.toml", "report", "--as-of", "2026-12-03", "--format", "csv"),
    ):
        assert proc.returncode == 0, proc.stderr.decode()
        rows = {r["栏目"]: r for r in _people(proc.stdout)}
        row = rows["学籍管理"]
        # the site by its display name (no title: its department's), never its config id
        assert (row["站点"], row["责任部门"], row["清单事项"]) == ("教务处网站", "教务处", "学籍管理办法")
        assert (row["状态"], row["最新发布"], row["已过天数"], row["时限天数"]) == (
            "超期未更新",
            "2025-10-15",
            "414",
            "365",
        )
        assert rows["'+通知公告"]["状态"] == "正常"  # a formula-looking name stays text
        assert "起始时间（Asia/Shanghai）" in row  # the one column with a time of day names its zone
        missing = [r for r in rows.values() if r["状态"] == "未找到栏目"]
        assert missing and all(r["栏目网址"] == "" for r in missing)


def test_format_csv_keeps_the_machine_form(college: Path) -> None:
    proc = xxgk(college / "config.toml", "report", "--as-of", "2026-12-03", "--format", "csv")
    assert proc.returncode == 0 and not proc.stdout.startswith(b"\xef\xbb\xbf")
    text = proc.stdout.decode("utf-8")
    assert "\r\n" not in text
    rows = list(csv.DictReader(io.StringIO(text)))
    row = next(r for r in rows if r["name"] == "学籍管理")
    assert (row["status"], row["age_days"], row["limit_days"]) == ("stale", "414", "365")
    assert (row["site"], row["site_name"]) == ("jwc", "教务处网站")  # the id, and the name beside it


def test_stats_excel_is_the_peoples_long_table(college: Path) -> None:
    proc = xxgk(college / "config.toml", "stats", "--from", "2025-09-01", "--to", "2026-12-03", "--excel")
    assert proc.returncode == 0, proc.stderr.decode()
    rows = _people(proc.stdout)
    assert list(rows[0])[:3] == ["表", "单位", "站点"]
    catalog = next(r for r in rows if r["表"] == "清单事项公开情况表" and r["清单事项"] == "学籍管理办法")
    assert catalog["状态"] == "超期未更新" and catalog["最新发布"] == "2025-10-15"
    departments = {r["名称"]: r for r in rows if r["表"] == "各部门时效"}
    assert departments["教务处"]["最近正常比例"] == "50%"  # 学籍管理 stale, 通知公告 fresh
    assert {r["站点"] for r in rows if r["表"] == "各站点发布"} == {"党政办信息公开网", "教务处网站"}
    shown = [v for r in rows for k, v in r.items() if "网址" not in k]  # URLs hold the test hosts' names
    assert "site_name" not in rows[0] and not any(i in v for v in shown for i in ("jwc", "disclosure"))
    machine = xxgk(
        college / "config.toml", "stats", "--from", "2025-09-01", "--to", "2026-12-03", "--format", "csv"
    )
    first = next(csv.DictReader(io.StringIO(machine.stdout.decode())))
    assert (first["table"], first["site"], first["site_name"]) == ("site", "disclosure", "党政办信息公开网")


def test_excel_with_another_format_is_a_usage_mistake(college: Path) -> None:
    proc = xxgk(college / "config.toml", "report", "--excel", "--format", "json")
    assert proc.returncode == 2 and b"--excel" in proc.stderr and proc.stdout == b""
