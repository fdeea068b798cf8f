"""清单 coverage from evidence on a crawled college laid out unlike the demo (issue 19 §2).

The real `xxgk crawl` reads tests/xxgkmlsite.py (a generic 信息公开目录, a 财务公开 column on the finance
office's site, a news column whose titles only mention the budget); the real `xxgk report`, `xxgk stats`
and the stored views must then call the budget, the final accounts and the annual report covered by their
titles — with the title, URL and date — not missing, leave a notice about a report missing, and give a
vocational college the vocational wording everywhere.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import date
from email import policy
from email.parser import BytesParser
from pathlib import Path

import lxml.html
import pytest
from xxgkmlsite import CWC, XXGK, XxgkmlSite
from xxgkrun import SiteConf, crawl_ok, query, report_json, write_config, xxgk

pytestmark = pytest.mark.slow

DAY = "2026-06-15"
INSTITUTION = "示例职业学院"
VOCATIONAL = f"""
[email]
to = ["office@example.edu.cn"]

[[catalog.institutions]]
name = "{INSTITUTION}"
programs = ["vocational"]
"""


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    site = XxgkmlSite().start()
    folder = tmp_path_factory.mktemp("coverage")
    try:
        config = write_config(
            folder,
            [
                SiteConf("xxgk", [site.url(XXGK, "/")]),
                SiteConf("cwc", [site.url(CWC, "/")], kind="department"),
            ],
            db="x.duckdb",
            college=INSTITUTION,
            extra=VOCATIONAL,
        )
        crawl_ok(xxgk(config, "crawl", "--observed-at", f"{DAY}T10:00:00+08:00"))
        yield config
    finally:
        site.stop()


def _coverage(report: dict) -> dict[str, dict]:
    return {c["item_id"]: c for c in report["coverage"]}


def test_items_in_generic_columns_are_covered_by_their_titles(crawled: Path) -> None:
    report = report_json(crawled, "--as-of", DAY)
    cov = _coverage(report)
    budget, accounts, annual = cov["finance.budget"], cov["finance.accounts"], cov["basic.annual_report"]
    for c, title, day, column in (
        (budget, "示例职业学院2026年部门预算", "2026-03-20", "信息公开目录"),
        (accounts, "示例职业学院2025年度部门决算公开", "2025-08-20", "财务公开"),
        (annual, "示例职业学院2024-2025学年信息公开年度报告", "2025-10-28", "信息公开目录"),
    ):
        assert (c["status"], c["via"], c["columns"]) == ("fresh", "titles", []), c
        assert (c["newest_title"], c["last_published"]) == (title, day), c
        assert c["titles"][0]["column"] == column and c["titles"][0]["url"] == c["newest_url"]
        assert c["newest_url"].startswith("http://127.0.0.5") and "由条目标题确认" in c["reason"]
    assert accounts["titles"][0]["site"] == "cwc"  # a department site of the same institution counts
    # the news item "学校召开2026年预算工作会议" mentions the budget; it is not the budget
    assert [t["title"] for t in budget["titles"]] == ["示例职业学院2026年部门预算"]
    missing = {s["item_id"] for s in report["sections"] if s["status"] == "missing"}
    assert not missing & {"finance.budget", "finance.accounts", "basic.annual_report"}
    assert missing == {k for k, c in cov.items() if c["status"] == "missing"}


def test_title_evidence_is_judged_by_the_items_cadence(crawled: Path) -> None:
    employment = _coverage(report_json(crawled, "--as-of", DAY))["teaching.employment_report"]
    # the 2024 graduates' report (Dec 2024): the 2025 graduates' was due by 2025-12-31
    assert (employment["status"], employment["via"], employment["due"]) == ("stale", "titles", "2025-12-31")
    assert employment["last_published"] == "2024-12-20" and "已过截止日期" in employment["reason"]


def test_a_notice_about_a_report_is_not_the_report(crawled: Path) -> None:
    """ "关于报送…艺术教育发展年度报告的通知" asks for the report: the item stays missing, and says why."""
    report = report_json(crawled, "--as-of", DAY)
    arts = _coverage(report)["teaching.arts_report"]
    assert (arts["status"], arts["via"], arts["titles"]) == ("missing", "none", []), arts
    (section,) = [s for s in report["sections"] if s.get("item_id") == "teaching.arts_report"]
    assert section["status"] == "missing" and "也没有标题显示" in section["reason"]


def test_title_patterns_are_overridable_in_config(crawled: Path, tmp_path: Path) -> None:
    text = crawled.read_text(encoding="utf-8").replace(
        'path = "x.duckdb"', f'path = "{crawled.parent}/x.duckdb"'
    )
    text += """
[[catalog.items]]
id = "teaching.arts_report"
add_titles = ['艺术教育发展年度报告的通知$']
"""
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    arts = _coverage(report_json(config, "--as-of", DAY))["teaching.arts_report"]
    assert arts["via"] == "titles" and arts["newest_title"] == "关于报送2025年度艺术教育发展年度报告的通知"
    bad = tmp_path / "bad.toml"
    bad.write_text(text.replace("的通知$", "的通知($"), encoding="utf-8")
    proc = xxgk(bad, "report", "--as-of", DAY)
    assert proc.returncode == 2 and "catalog.items[0].add_titles" in proc.stderr, proc.stderr


def test_a_vocational_college_reads_the_vocational_wording_everywhere(crawled: Path, tmp_path: Path) -> None:
    report = report_json(crawled, "--as-of", DAY)
    quality = _coverage(report)["teaching.quality_report"]
    assert quality["item"] == "高等职业教育质量年度报告" and quality["via"] == "column+titles", quality
    (column,) = [s for s in report["sections"] if s["item_id"] == "teaching.quality_report"]
    assert column["item"] == "高等职业教育质量年度报告" and column["status"] == "fresh", column
    text = xxgk(crawled, "report", "--as-of", DAY)
    html_dir = tmp_path / "html"
    html = xxgk(crawled, "report", "--as-of", DAY, "--format", "html", "--output", str(html_dir))
    stats = xxgk(crawled, "stats", "--from", "2025-09-01", "--to", DAY, "--format", "json")
    assert text.returncode == html.returncode == stats.returncode == 0, (
        text.stderr + html.stderr + stats.stderr
    )
    pages = "".join(p.read_text(encoding="utf-8") for p in html_dir.glob("*.html"))
    stored = query(crawled.parent / "x.duckdb", "SELECT list(item) FROM v_catalog_coverage")[0][0]
    for shown in (json.dumps(report, ensure_ascii=False), text.stdout, pages, stats.stdout, " ".join(stored)):
        assert "本科教学质量报告" not in shown and "高等职业教育质量年度报告" in shown


def test_reports_and_the_view_agree_on_the_evidence(crawled: Path, tmp_path: Path) -> None:
    report = report_json(crawled, "--as-of", DAY)
    rows = query(
        crawled.parent / "x.duckdb",
        "SELECT item_id, status, covered_via, covered_by, newest, newest_title, newest_url, due, "
        "[t.title FOR t IN titles] FROM v_catalog_coverage",
    )
    stored = {r[0]: r[1:] for r in rows}
    expected = {
        c["item_id"]: (
            c["status"],
            c["via"],
            [f"{col['site']}/{col['name']}" for col in c["columns"]],
            date.fromisoformat(c["last_published"]) if c["last_published"] else None,
            c["newest_title"],
            c["newest_url"],
            date.fromisoformat(c["due"]) if c["due"] else None,
            [t["title"] for t in c["titles"]],
        )
        for c in report["coverage"]
    }
    assert stored == expected
    text = xxgk(crawled, "report", "--as-of", DAY).stdout
    block = text.split("■ 清单事项的公开依据")[1].split("■")[0]
    (line,) = [x for x in block.splitlines() if "收支预算表" in x]
    assert (
        "｜条目标题｜最新 2026-03-20｜" in line
        and "“示例职业学院2026年部门预算”（2026-03-20，信息公开目录）" in line
    )
    assert "学校召开2026年预算工作会议" not in block
    (line,) = [x for x in block.splitlines() if "高等职业教育质量年度报告" in x]
    assert "栏目对应及条目标题" in line and "栏目“示例职业学院信息公开网/高等职业教育质量年度报告”" in line, (
        line
    )
    assert "由条目标题确认" not in line  # its column is fresh: the column decides
    assert "艺术教育发展年度报告" not in block and "艺术教育发展年度报告" in text.split("■ 缺失的清单事项")[1]
    out = tmp_path / "html"
    assert xxgk(crawled, "report", "--as-of", DAY, "--format", "html", "--output", str(out)).returncode == 0
    index = lxml.html.parse(str(out / "index.html")).getroot()
    catalog = {tr.get("data-item"): tr for tr in index.xpath("//table[contains(@class,'catalog')]/tbody/tr")}
    assert {k: (tr.get("data-status"), tr.get("data-via")) for k, tr in catalog.items()} == {
        k: (v[0], v[1]) for k, v in expected.items()
    }
    budget = catalog["finance.budget"]
    link = budget.xpath(".//td[@data-field='titles']//a")[0]
    assert (
        link.text_content() == "示例职业学院2026年部门预算"
        and link.get("href") == expected["finance.budget"][5]
    )
    assert budget.xpath(".//td[@data-field='last_published']")[0].text_content() == "2026-03-20"
    # the scorecard's annual report comes from its title: on time, with its date and deadline
    card = index.xpath("//td[@data-count='covered']")[0].getparent()
    assert "按时（2025-10-28）" in card.text_content() and "截止 2025-10-31" in card.text_content()
    applicable = len(expected)
    assert card.xpath("./td[@data-count='covered']")[0].text_content() == (
        f"{sum(1 for v in expected.values() if v[0] != 'missing')} / {applicable}"
    )
    stats = json.loads(xxgk(crawled, "stats", "--from", "2025-09-01", "--to", DAY, "--format", "json").stdout)
    lines = {r["item_id"]: r for r in stats["catalog"]}
    assert {k: r["status"] for k, r in lines.items()} == {k: v[0] for k, v in expected.items()}
    assert (
        lines["finance.budget"]["via"] == "titles"
        and lines["finance.budget"]["last_published"] == "2026-03-20"
    )


def test_the_email_lists_an_item_whose_titles_show_only_a_late_publication(
    crawled: Path, tmp_path: Path
) -> None:
    """Covered by a title but out of date, with no column of its own: on the to-do list, never silent."""
    outbox = tmp_path / "outbox"
    proc = xxgk(crawled, "email", "--dry-run", "--force", "--as-of", DAY, "--outbox", str(outbox))
    assert proc.returncode == 0, proc.stderr[-3000:]
    [eml] = list(outbox.glob("*.eml"))
    body = BytesParser(policy=policy.default).parsebytes(eml.read_bytes()).get_body(("plain",))
    assert body is not None
    text = body.get_content()
    line = next(x for x in text.splitlines() if "毕业生就业质量年度报告" in x)
    assert "示例职业学院2024届毕业生就业质量年度报告" in line and "已过截止日期" in line, line
    assert "艺术教育发展年度报告" in text  # missing
    assert "收支预算表" not in text and "信息公开年度报告" not in text  # covered by fresh titles


def test_stats_csv_says_which_evidence_covers_each_item(crawled: Path) -> None:
    args = ("stats", "--from", "2025-09-01", "--to", DAY, "--format", "csv")
    machine = list(csv.DictReader(io.StringIO(xxgk(crawled, *args).stdout)))
    budget = next(r for r in machine if r["table"] == "catalog" and r["item"] == "收支预算表")
    assert (budget["via"], budget["title"], budget["status"]) == (
        "titles",
        "示例职业学院2026年部门预算",
        "fresh",
    )
    assert budget["title_url"].endswith("/xxgkml/202603/t20260320_0.html")
    arts = next(r for r in machine if r["table"] == "catalog" and r["item"] == "艺术教育发展年度报告")
    assert (arts["via"], arts["title"], arts["status"]) == ("none", "", "missing")
    people = xxgk(crawled, *args, "--excel").stdout.lstrip("\ufeff")
    rows = list(csv.DictReader(io.StringIO(people)))
    budget = next(r for r in rows if r["清单事项"] == "收支预算表")
    assert (budget["公开依据"], budget["最新显示该事项的标题"]) == ("条目标题", "示例职业学院2026年部门预算")
