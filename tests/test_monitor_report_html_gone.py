"""Gone columns in the HTML report (issue 15): a column that disappeared keeps its heat-map row and page.

One site crawled five weeks running; 专题活动 is listed in the first two crawls and never again. Judged two
weeks after it vanished it is news (status gone, counted); judged six weeks after, it is no longer in the
judgement (`[report] changes_days`), yet the heat map still shows its row: its history while it was there,
then gone cells — never the white "not found yet" of a column that had not appeared.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import lxml.html
import pytest
from judgedb import CONFIG_HEAD, column, crawl
from xxgkrun import xxgk

D = date.fromisoformat
FIRST = datetime(2026, 10, 7, 18, 0, tzinfo=UTC)  # Thursdays 02:00 in Beijing
CRAWLS = [FIRST + timedelta(days=7 * n) for n in range(5)]
SITES = """
[[sites]]
name = "xxgk"
kind = "disclosure"
start_urls = ["http://xxgk.test/"]
"""


def _site(week: int) -> list:
    cols = [
        column(
            "xxgk", "xwdt", "新闻动态", items=[(f"新闻{week}", D("2026-10-08") + timedelta(days=7 * week))]
        )
    ]
    if week < 2:
        cols.append(column("xxgk", "ztzl", "专题活动", items=[("专题一", D("2026-10-01"))]))
    return cols


@pytest.fixture(scope="module")
def config(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("gone")
    for n, at in enumerate(CRAWLS):
        crawl(str(folder / "x.duckdb"), at, {"xxgk": _site(n)})
    path = folder / "config.toml"
    path.write_text(
        CONFIG_HEAD.format(db="x.duckdb") + "[report]\nchanges_days = 14\n" + SITES, encoding="utf-8"
    )
    return path


def _build(config: Path, as_of: str) -> tuple[Any, dict[str, Any], Path]:
    out = config.parent / f"report-{as_of}"
    proc = xxgk(config, "report", "--format", "html", "--output", str(out), "--as-of", as_of)
    assert proc.returncode == 0, proc.stderr
    proc = xxgk(config, "report", "--format", "json", "--as-of", as_of)
    assert proc.returncode == 0, proc.stderr
    index = lxml.html.document_fromstring((out / "index.html").read_text(encoding="utf-8"))
    return index, json.loads(proc.stdout), out


def _row(index: Any, name: str) -> Any:
    rows = [
        r
        for r in index.xpath("//tr[contains(@class,'heat-row')]")
        if name in r.xpath("./th")[0].text_content()
    ]
    assert len(rows) == 1, f"{name}: {len(rows)} heat-map rows"
    return rows[0]


def test_a_recently_gone_column_is_counted_with_its_row(config: Path) -> None:
    index, report, _ = _build(config, "2026-10-22")  # vanished at the 2026-10-22 crawl
    assert report["counts"]["gone"] == 1
    cells = _row(index, "专题活动").xpath("./td[contains(@class,'cell')]")
    assert [c.get("data-status") for c in cells] == ["fresh", "fresh", "gone"]
    gone_count = index.xpath(
        "//table[contains(@class,'scorecard')]//tr[contains(@class,'inst')]/td[@data-status='gone']"
    )
    assert [td.text_content() for td in gone_count] == ["1"]


def test_a_long_gone_column_keeps_its_row_and_page_but_no_count(config: Path) -> None:
    index, report, out = _build(config, "2026-11-05")
    assert report["counts"]["gone"] == 0, "outside changes_days the judgement no longer lists it"
    assert all(s["name"] != "专题活动" for s in report["sections"])
    row = _row(index, "专题活动")
    cells = row.xpath("./td[contains(@class,'cell')]")
    assert [c.get("data-status") for c in cells] == ["fresh", "fresh", "gone", "gone", "gone"]
    assert "former" in row.get("class")
    for cell in cells[2:]:
        assert "栏目消失" in cell.xpath(".//title")[0].text_content()
    page = out / row.xpath("./th/a")[0].get("href")
    text = lxml.html.document_fromstring(page.read_text(encoding="utf-8")).text_content()
    assert "栏目消失" in text and "专题一" in text
    # the counts on the page are the judgement's: the former column is not among them
    meta = index.xpath("//p[@class='meta']")[0].text_content()
    columns = [s for s in report["sections"] if s["status"] != "missing"]
    assert f"共 {len(columns)} 个栏目" in meta
    gone_count = index.xpath(
        "//table[contains(@class,'scorecard')]//tr[contains(@class,'inst')]/td[@data-status='gone']"
    )
    assert [td.text_content() for td in gone_count] == ["0"]


def test_gone_and_unchecked_have_their_own_colours_and_legend(config: Path) -> None:
    index, _, _ = _build(config, "2026-11-05")
    legend = index.xpath("//p[@class='legend']")[0]
    labels = [s.text_content() for s in legend.xpath("./span")]
    assert "栏目消失" in labels and "本次未检查" in labels
    colours = {s.text_content(): s.xpath("./i")[0].get("style") for s in legend.xpath("./span")}
    assert len({colours[label] for label in ("栏目消失", "本次未检查", "无法访问", "正常")}) == 4
