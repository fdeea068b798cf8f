"""`xxgk report --format html --output DIR` (issue 15) on a real DuckDB history of three weekly crawls.

Two institutions, three sites; a news column goes stale in the second week and recovers in the third (its old
item deleted), a department site is down in the second week, and a column name and an item title are hostile.
The pages are parsed as a browser would: every number must equal `xxgk report --format json` for the same
day, the heat map has one row per column and one cell per crawl week, and nothing is loaded from elsewhere.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import browser
import lxml.html
import pytest
from judgedb import CONFIG_HEAD, column, crawl
from xxgkrun import xxgk

HOSTILE_NAME = "招生<script>alert(1)</script>章程"
HOSTILE_TITLE = '</table></td></tr><script>alert(2)</script><b>破坏表格</b>"><img src=x onerror=alert(3)>'
D = date.fromisoformat
WEEKS = [datetime(2026, 11, 4, 18, 0, tzinfo=UTC), datetime(2026, 11, 11, 18, 0, tzinfo=UTC)]
WEEKS.append(datetime(2026, 11, 18, 18, 0, tzinfo=UTC))  # Thursdays 02:00 in Beijing: W45, W46, W47
AS_OF = "2026-11-20"

SITES = """
[[sites]]
name = "xxgk"
kind = "disclosure"
start_urls = ["http://xxgk.test/"]
institution = "甲职业学院"

[[sites]]
name = "dept"
kind = "department"
start_urls = ["http://dept.test/"]
institution = "甲职业学院"
department = "教务处"

[[sites]]
name = "yi"
kind = "disclosure"
start_urls = ["http://yi.test/"]
institution = "乙职业学院"

[email]
sender = "xxgk@example.edu.cn"
to = ["office@example.edu.cn"]

[[email.routes]]
name = "教务处"
to = ["jwc@example.edu.cn"]
departments = ["教务处"]
"""


def _xxgk_site(week: int) -> list:
    news = [("校园新闻一", D("2026-10-30"))] if week < 2 else [("校园新闻二", D("2026-11-18"))]
    return [
        column("xxgk", "xwdt", "新闻动态", items=news),
        column("xxgk", "zszc", HOSTILE_NAME, items=[(HOSTILE_TITLE, D("2026-11-02"))]),
        column("xxgk", "xsss", "学生申诉", state="empty"),
    ]


def _dept_site() -> list:
    return [
        column("dept", "jwtz", "教务通知", items=[("选课通知", D("2026-11-03"))]),
        column("dept", "kwzl", "考务专栏", state="empty"),
    ]


def _yi_site() -> list:
    return [
        column("yi", "xwdt", "学院新闻", items=[("旧闻", D("2026-09-01"))]),
        column("yi", "ndbg", "信息公开年度报告", items=[("2025-2026学年报告", D("2026-10-28"))]),
    ]


@dataclass
class Built:
    folder: Path
    out: Path
    report: dict[str, Any]
    index: Any  # the parsed index.html

    def page(self, name: str) -> Any:
        return lxml.html.document_fromstring((self.out / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Built:
    folder = tmp_path_factory.mktemp("html")
    db = folder / "x.duckdb"
    for n, at in enumerate(WEEKS):
        sites = {"xxgk": _xxgk_site(n), "yi": _yi_site()}
        if n != 1:
            sites["dept"] = _dept_site()
        crawl(str(db), at, sites, down=["dept"] if n == 1 else [])
    config = folder / "config.toml"
    config.write_text(CONFIG_HEAD.format(db="x.duckdb") + SITES, encoding="utf-8")
    out = folder / "report"
    proc = xxgk(config, "report", "--format", "html", "--output", str(out), "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr
    assert "index.html" in proc.stdout
    proc = xxgk(config, "report", "--format", "json", "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stderr
    index = lxml.html.document_fromstring((out / "index.html").read_text(encoding="utf-8"))
    return Built(folder, out, json.loads(proc.stdout), index)


def _columns(report: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for s in report["sections"] if s["status"] != "missing"]


def test_heat_map_has_a_row_per_column_and_a_cell_per_crawl_week(built: Built) -> None:
    rows = built.index.xpath("//table[contains(@class,'heat')]//tr[contains(@class,'heat-row')]")
    columns = _columns(built.report)
    assert len(rows) == len(columns) == 7
    weeks = built.index.xpath("//table[contains(@class,'heat')]/thead//th[@data-week]")
    assert [w.get("data-week") for w in weeks] == ["2026-W45", "2026-W46", "2026-W47"]
    names = [r.xpath("./th")[0].text_content() for r in rows]
    assert sorted(names) == sorted(c["name"] for c in columns), "a column is not named in the heat map"
    for row in rows:
        cells = row.xpath("./td[contains(@class,'cell')]")
        assert len(cells) == 3
        for cell in cells:
            assert cell.xpath(".//svg//title"), "a cell without its tooltip"
    # the last week is the report's judgement, column by column
    by_key = {(r.get("data-site"), r.get("data-url")): r for r in rows}
    for c in columns:
        last = by_key[(c["site"], c["url"])].xpath("./td[contains(@class,'cell')]")[-1]
        assert last.get("data-status") == c["status"], c["name"]
        title = last.xpath(".//title")[0].text_content()
        if c["last_published"]:
            assert c["last_published"] in title and f"已 {c['age_days']} 天" in title


def test_each_week_is_the_stored_judgement_of_that_week(built: Built) -> None:
    """The news column stale in W46 and fresh again in W47; the department site down in W46 only."""
    rows = built.index.xpath("//tr[contains(@class,'heat-row')]")
    weeks = built.index.xpath("//table[contains(@class,'heat')]/thead//th[@data-week]")
    config = built.folder / "config.toml"
    for n, week in enumerate(weeks):
        as_of = re.search(r"\d{4}-\d{2}-\d{2}", week.get("title")).group(0)  # type: ignore[union-attr]
        proc = xxgk(config, "report", "--format", "json", "--as-of", as_of)
        then = {(s["site"], s["url"]): s["status"] for s in _columns(json.loads(proc.stdout))}
        for row in rows:
            cell = row.xpath("./td[contains(@class,'cell')]")[n]
            key = (row.get("data-site"), row.get("data-url"))
            assert cell.get("data-status") == then.get(key, "none"), (key, as_of)
    news = next(r for r in rows if r.get("data-url") == "http://xxgk.test/xwdt.htm")
    assert [c.get("data-status") for c in news.xpath("./td")] == ["fresh", "stale", "fresh"]
    dept = next(r for r in rows if r.get("data-url") == "http://dept.test/jwtz.htm")
    assert [c.get("data-status") for c in dept.xpath("./td")] == ["fresh", "unreachable", "fresh"]
    exams = next(r for r in rows if r.get("data-url") == "http://dept.test/kwzl.htm")
    assert [c.get("data-status") for c in exams.xpath("./td")] == ["empty", "unreachable", "empty"]


def test_scorecards_equal_the_json_report(built: Built) -> None:
    columns = _columns(built.report)
    for site in ("xxgk", "dept", "yi"):
        row = built.index.xpath(f"//table[contains(@class,'scorecard')]//tr[@data-name='{site}']")
        assert len(row) == 1, site
        mine = [c for c in columns if c["site"] == site]
        assert row[0].xpath("./td[@data-count='columns']")[0].text_content() == str(len(mine))
        for cell in row[0].xpath("./td[@data-status]"):
            expected = sum(1 for c in mine if c["status"] == cell.get("data-status"))
            assert cell.text_content() == str(expected), (site, cell.get("data-status"))
    for inst in ("甲职业学院", "乙职业学院"):
        row = built.index.xpath(f"//tr[contains(@class,'inst')][@data-name='{inst}']")[0]
        missing = [
            s for s in built.report["sections"] if s["status"] == "missing" and s["institution"] == inst
        ]
        assert row.xpath("./td[@data-count='missing']")[0].text_content() == str(len(missing))
        mine = [c for c in columns if c["institution"] == inst]
        for cell in row.xpath("./td[@data-status]"):
            expected = sum(1 for c in mine if c["status"] == cell.get("data-status"))
            assert cell.text_content() == str(expected), (inst, cell.get("data-status"))


def test_column_table_and_catalog_equal_the_json_report(built: Built) -> None:
    for c in _columns(built.report):
        page = built.page(
            next(
                r
                for r in built.index.xpath("//tr[contains(@class,'heat-row')]")
                if r.get("data-url") == c["url"]
            )
            .xpath(".//a")[0]
            .get("href")
        )
        assert c["name"] in page.xpath("//h1")[0].text_content()
        assert len(page.xpath("//table[contains(@class,'history')]/tbody/tr")) == 3
    site = built.page(built.index.xpath("//tr[@data-name='xxgk']//a")[0].get("href"))
    rows = site.xpath("//table[contains(@class,'columns')]/tbody/tr")
    mine = {c["url"]: c for c in _columns(built.report) if c["site"] == "xxgk"}
    assert len(rows) == len(mine)
    for row in rows:
        c = mine[row.get("data-url")]
        assert row.get("data-status") == c["status"]
        assert row.xpath("./td[@data-field='items']")[0].text_content() == str(c["items"])
        assert row.xpath("./td[@data-field='last_published']")[0].text_content() == (
            c["last_published"] or "—"
        )
    missing = {(s["institution"], s["item_id"]) for s in built.report["sections"] if s["status"] == "missing"}
    shown = {
        (table.getprevious().text_content(), tr.get("data-item"))
        for table in built.index.xpath("//table[contains(@class,'catalog')]")
        for tr in table.xpath("./tbody/tr[@data-status='missing']")
    }
    assert shown == missing
    coverage = {(c["institution"], c["item_id"]): (c["status"], c["via"]) for c in built.report["coverage"]}
    rows = {
        (table.getprevious().text_content(), tr.get("data-item")): (tr.get("data-status"), tr.get("data-via"))
        for table in built.index.xpath("//table[contains(@class,'catalog')]")
        for tr in table.xpath("./tbody/tr")
    }
    assert rows == coverage


def test_league_table_ranks_both_institutions_and_reads_without_script(built: Built) -> None:
    rows = built.index.xpath("//table[contains(@class,'league')]/tbody/tr")
    assert {r.get("data-name") for r in rows} == {"甲职业学院", "乙职业学院"}
    yi = next(r for r in rows if r.get("data-name") == "乙职业学院")
    assert "2026-10-28" in yi.text_content()  # its annual report's date, in the table itself
    assert all(th.get("data-key") for th in built.index.xpath("//table[contains(@class,'league')]//th"))


def test_column_page_shows_history_deletion_and_who_acts(built: Built) -> None:
    news = next(
        r
        for r in built.index.xpath("//tr[contains(@class,'heat-row')]")
        if r.get("data-url") == "http://xxgk.test/xwdt.htm"
    )
    page = built.page(news.xpath(".//a")[0].get("href"))
    deleted = page.xpath("//table[contains(@class,'changes')]//tr[@data-kind='deleted']")
    assert len(deleted) == 1 and "校园新闻一" in deleted[0].text_content()
    added = [
        td.text_content() for td in page.xpath("//table[contains(@class,'history')]//td[@data-field='added']")
    ]
    assert added == ["0", "0", "1"]  # the first crawl's items were there already; one new item in W47
    assert page.xpath("//svg[contains(@class,'chart')]//polyline"), "no chart"
    assert "xxgk diff http://xxgk.test/xwdt.htm" in page.text_content()
    dept = next(
        r
        for r in built.index.xpath("//table[contains(@class,'todo')]/tbody/tr")
        if "学生申诉" in r.text_content()
    )
    assert "信息公开办公室" in dept.text_content()


def test_who_acts_comes_from_the_routes(built: Built) -> None:
    """The department's empty column goes to the route that takes its department; the rest to the office."""
    rows = built.index.xpath("//table[contains(@class,'todo')]/tbody/tr")
    late = [c for c in _columns(built.report) if c["status"] != "fresh"]
    assert len(rows) == len(late)
    who = {r.xpath("./td")[2].text_content(): r.xpath("./td")[-1].text_content() for r in rows}
    assert who["考务专栏"] == "教务处（jwc@example.edu.cn）"
    assert who["学生申诉"] == "信息公开办公室"


def test_pages_are_self_contained_and_links_resolve(built: Built) -> None:
    pages = sorted(built.out.glob("*.html"))
    assert len(pages) == 1 + 3 + 7  # index, three sites, seven columns
    for path in pages:
        html = path.read_text(encoding="utf-8")
        doc = lxml.html.document_fromstring(html)
        assert doc.xpath("//*[@src]") == [], f"{path.name} loads something"
        assert doc.xpath("//link") == [] and "@import" not in html and "url(" not in html
        scripts = doc.xpath("//script")
        assert len(scripts) == 1 and scripts[0].get("src") is None
        assert doc.xpath("//*[@onerror or @onload or @onclick]") == []
        assert doc.xpath("//b[contains(., '破坏表格')]") == []
        for a in doc.xpath("//a[@href]"):
            href = a.get("href")
            if href.startswith(("http://", "https://")):
                continue
            assert "://" not in href and not href.startswith(("javascript", "//")), href
            assert (built.out / href).is_file(), f"{path.name} links {href}, which was not written"
        assert doc.xpath("//html")[0].get("lang") == "zh-CN"


def test_hostile_title_stays_text(built: Built) -> None:
    row = next(
        r
        for r in built.index.xpath("//tr[contains(@class,'heat-row')]")
        if r.get("data-url") == "http://xxgk.test/zszc.htm"
    )
    assert row.xpath("./th")[0].text_content() == HOSTILE_NAME
    page = built.page(row.xpath(".//a")[0].get("href"))
    assert HOSTILE_TITLE in page.text_content()
    holders = page.xpath("//*[contains(text(), '</table>')]")
    assert holders and all(el.xpath("ancestor::dl|ancestor::table") for el in holders)


def test_html_needs_an_output_folder(built: Built) -> None:
    proc = xxgk(built.folder / "config.toml", "report", "--format", "html")
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "--output" in proc.stderr


# ------------------------------------------------------------------------------------------------ in Chromium


@pytest.fixture(scope="module")
def own(tmp_path_factory: pytest.TempPathFactory) -> set[str]:
    return browser.own_requests(tmp_path_factory.mktemp("chromium-own"))


def test_the_request_check_sees_a_page_that_loads_from_outside(tmp_path: Path, own: set[str]) -> None:
    """The control: a page with an outside image and a failing script is caught by both checks."""
    page = tmp_path / "leaky.html"
    page.write_text(
        '<!DOCTYPE html><p>x</p><img src="http://cdn.example.com/a.png"><script>missingFunction()</script>',
        encoding="utf-8",
    )
    loaded = browser.load(page, tmp_path)
    assert "GET http://cdn.example.com/a.png" in browser.page_requests(loaded, own)
    assert any("missingFunction" in line for line in loaded.console)


@pytest.mark.slow
@pytest.mark.parametrize("which", ["index", "site", "column"])
def test_pages_render_in_chromium(built: Built, tmp_path: Path, own: set[str], which: str) -> None:
    rows = built.index.xpath("//tr[contains(@class,'heat-row')]")
    hostile = next(r for r in rows if r.get("data-url") == "http://xxgk.test/zszc.htm")
    name = {
        "index": "index.html",
        "site": built.index.xpath("//tr[@data-name='xxgk']//a")[0].get("href"),
        "column": hostile.xpath(".//a")[0].get("href"),
    }[which]
    loaded = browser.load(built.out / name, tmp_path)
    assert loaded.console == [], f"console messages on {name}: {loaded.console}"
    assert browser.page_requests(loaded, own) == [], f"{name} sent requests off the machine"
    doc = lxml.html.document_fromstring(loaded.dom)
    assert doc.xpath("//html")[0].get("data-script") == "ok", "the inline script did not run to its end"
    assert len(doc.xpath("//script")) == 1 and doc.xpath("//b[contains(., '破坏表格')]") == []
    heat = doc.xpath("//table[contains(@class,'heat')]//tr[contains(@class,'heat-row')]")
    expected = {"index": 7, "site": 3, "column": 1}[which]
    assert len(heat) == expected
    for row in heat:
        assert row.xpath("./th")[0].text_content().strip(), "a heat-map row without its column's name"
        assert len(row.xpath("./td[contains(@class,'cell')]")) == 3
    text = doc.text_content()
    assert HOSTILE_NAME in text
    if which == "column":
        assert HOSTILE_TITLE in text
    assert browser.png_colours(loaded.screenshot) > 32, "the screenshot is blank"


@pytest.mark.slow
def test_league_table_sorts_in_chromium(built: Built, tmp_path: Path) -> None:
    """The inline script sorts by a column: one click on 清单事项缺失 puts the fewest missing first."""
    html = (built.out / "index.html").read_text(encoding="utf-8")
    cells = "//table[contains(@class,'league')]/tbody/tr/td[5]"
    before = [int(td.get("data-v")) for td in built.index.xpath(cells)]
    assert before != sorted(before), "the default order (worst first) already sorts this column"
    click = "<script>document.querySelector('table.league th[data-key=missing]').click();</script></body>"
    page = tmp_path / "sorted.html"
    page.write_text(html.replace("</body>", click), encoding="utf-8")
    loaded = browser.load(page, tmp_path)
    assert loaded.console == [], loaded.console
    after = [int(td.get("data-v")) for td in lxml.html.document_fromstring(loaded.dom).xpath(cells)]
    assert after == sorted(before)
