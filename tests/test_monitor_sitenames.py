"""Sites as people read them (issue 19 §1): every output a person reads names a site by its display name
(`[[sites]] title`, else its start page's crawled <title>, else its department's or kind's name), never by
its config id; the machine forms (JSON, plain CSV) keep the id and add the name beside it.

A real DuckDB file of two crawls (judgedb), the real `xxgk` command for every output."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from judgedb import column, config_text, crawl
from lxml import html as lhtml

from monitor.sitenames import display_names

ROOT = Path(__file__).resolve().parents[1]
FIRST = datetime(2026, 11, 12, 18, 0, tzinfo=UTC)
SECOND = datetime(2026, 11, 19, 18, 0, tzinfo=UTC)
AS_OF = "2026-11-26"
START, END = "2026-09-01", "2026-11-26"
# config id -> the name people read: configured title; crawled <title> without its 首页 part; department's
NAMES = {
    "disclosure": "示例职业学院信息公开网",
    "dept-cwc": "财务处",
    "jwc": "教务处网站",
    "portal": "示例职业学院",
}
IDS = ("disclosure", "dept-cwc", "jwc", "portal")
URL = re.compile(r"https?://\S+")


@dataclass(frozen=True, slots=True)
class Site:
    name: str
    kind: str = "disclosure"
    title: str = ""
    department: str = ""
    institution: str = ""
    host: str = ""


@pytest.mark.parametrize(
    ("site", "crawled", "expected"),
    [
        (Site("a", title="财务处网站"), "别的标题", "财务处网站"),  # the configured title first
        (Site("a"), "首页 - 财务处", "财务处"),  # the crawled <title>, its 首页 part dropped
        (Site("a"), "财务处 | Home", "财务处"),
        (Site("a"), "  某某\n学院  ", "某某 学院"),  # one line
        (Site("a"), "很" * 50, "很" * 39 + "…"),  # a slogan-long title is cut
        (Site("a", "department", department="教务处"), "", "教务处网站"),
        (Site("a", "portal", department="宣传部"), "", "宣传部门户网站"),
        (Site("a", "disclosure"), "", "信息公开网"),
        (Site("a", "portal", institution="乙学院"), "", "乙学院门户网站"),  # another institution's
        (Site("a", "portal", institution="甲学院"), "", "门户网站"),  # the college's own: no prefix
        (Site("a", "other"), "", "网站"),
    ],
)
def test_display_name(site: Site, crawled: str, expected: str) -> None:
    assert display_names([site], {"a": crawled} if crawled else {}, college="甲学院") == {"a": expected}


def test_sites_that_would_share_a_name_are_told_apart_by_their_host() -> None:
    sites = [Site("a", host="a.example.cn"), Site("b", host="b.example.cn:8080"), Site("c", "portal")]
    assert display_names(sites, {}) == {
        "a": "信息公开网（a.example.cn）",
        "b": "信息公开网（b.example.cn:8080）",
        "c": "门户网站",
    }


SITES = """
[[sites]]
name = "disclosure"
kind = "disclosure"
title = "示例职业学院信息公开网"
start_urls = ["http://disclosure.test/"]
department = "党政办"
"""


@pytest.fixture(scope="module")
def college(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two crawls: on the second the portal is down and a 财务处 column is gone."""
    folder = tmp_path_factory.mktemp("names")
    db = str(folder / "n.duckdb")
    titles = {"disclosure": "不用的标题", "dept-cwc": "首页 - 财务处", "portal": "示例职业学院 | 首页"}

    def sites(second: bool) -> dict[str, list]:
        cwc = [column("dept-cwc", "sfgs", "收费公示", items=[("2026年收费标准", date(2026, 9, 1))])]
        if not second:
            cwc.append(column("dept-cwc", "cwgk", "财务公开", items=[("2025年决算", date(2026, 8, 20))]))
        out = {
            "disclosure": [
                column("disclosure", "zszc", "招生章程", items=[("2027年招生章程", date(2026, 11, 1))])
            ],
            "dept-cwc": cwc,
            "jwc": [column("jwc", "xjgl", "学籍管理", items=[("学籍管理规定", date(2025, 10, 15))])],
        }
        if not second:
            out["portal"] = [column("portal", "xwdt", "新闻动态", items=[("新闻一", date(2026, 11, 10))])]
        return out

    crawl(db, FIRST, sites(False), titles=titles)
    crawl(db, SECOND, sites(True), down=["portal"], titles=titles)
    others = [
        ("dept-cwc", "department", "财务处"),
        ("jwc", "department", "教务处"),
        ("portal", "portal", "宣传部"),
    ]
    (folder / "config.toml").write_text(config_text("n.duckdb", others, extra=SITES), encoding="utf-8")
    return folder


def xxgk(folder: Path, *args: str) -> str:
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(folder / "config.toml"), *args],
        capture_output=True,
        timeout=120,
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    return proc.stdout.decode("utf-8-sig")


def no_ids(shown: str) -> None:
    """No config id in what people read (URLs aside: the test hosts are named after the sites)."""
    left = URL.sub(" ", shown)
    assert [i for i in IDS if re.search(rf"(?<![\w.-]){re.escape(i)}(?![\w.-])", left)] == [], left


def test_text_report_names_every_site(college: Path) -> None:
    text = xxgk(college, "report", "--as-of", AS_OF)
    no_ids(text)
    assert "示例职业学院（门户网站）：整站无法访问" in text  # the site line: name, and its kind
    for name in ("示例职业学院信息公开网", "财务处（部门网站）", "教务处网站"):
        assert f"■ {name}\n" in text, name  # the kind is not repeated when the name says it
    assert "栏目“教务处网站/学籍管理”" in text  # a 清单 item's evidence names its site too
    gone = text.split("■ 栏目消失")[1]
    assert "财务处｜财务公开" in gone
    assert "站点：财务处\n" in xxgk(college, "report", "--as-of", AS_OF, "--site", "dept-cwc")


def test_excel_report_names_sites_and_machine_forms_keep_ids(college: Path) -> None:
    rows = list(csv.DictReader(io.StringIO(xxgk(college, "report", "--as-of", AS_OF, "--excel"))))
    assert {r["站点"] for r in rows} == set(NAMES.values())
    machine = list(csv.DictReader(io.StringIO(xxgk(college, "report", "--as-of", AS_OF, "--format", "csv"))))
    assert {(r["site"], r["site_name"]) for r in machine} == set(NAMES.items())
    doc = json.loads(xxgk(college, "report", "--as-of", AS_OF, "--format", "json"))
    assert doc["site_names"] == NAMES
    for part in ("sections", "sites", "gone"):
        assert doc[part] and all(r["site_name"] == NAMES[r["site"]] for r in doc[part]), part


def test_stats_name_every_site(college: Path) -> None:
    period = ("stats", "--from", START, "--to", END)
    text = xxgk(college, *period)
    no_ids(text)
    for name in NAMES.values():
        assert name in text
    page = lhtml.fromstring(xxgk(college, *period, "--format", "html"))
    no_ids(page.text_content())
    assert "财务处：" in page.text_content() or "财务处" in page.text_content()
    rows = list(csv.DictReader(io.StringIO(xxgk(college, *period, "--excel"))))
    no_ids(" ".join(v for r in rows for k, v in r.items() if "网址" not in k))
    assert {r["站点"] for r in rows if r["表"] == "各站点发布"} == set(NAMES.values())
    doc = json.loads(xxgk(college, *period, "--format", "json"))
    assert set(doc["by_site"]) == set(IDS) and doc["site_names"] == NAMES  # ids, and the names beside
    machine = list(csv.DictReader(io.StringIO(xxgk(college, *period, "--format", "csv"))))
    assert {(r["site"], r["site_name"]) for r in machine if r["table"] == "site"} == set(NAMES.items())


def test_html_report_names_every_site(college: Path, tmp_path: Path) -> None:
    xxgk(college, "report", "--as-of", AS_OF, "--format", "html", "--output", str(tmp_path))
    pages = sorted(tmp_path.glob("*.html"))
    assert len(pages) > 3
    for path in pages:
        page = lhtml.fromstring(path.read_text(encoding="utf-8"))
        no_ids(page.text_content())
    index = lhtml.fromstring((tmp_path / "index.html").read_text(encoding="utf-8"))
    cards = {
        r.get("data-name"): r for r in index.xpath("//table[contains(@class,'scorecard')]//tr[@data-name]")
    }
    for site, name in NAMES.items():
        assert cards[site].xpath("string(th)").strip().startswith(name)  # data-name keeps the id
