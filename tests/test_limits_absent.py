"""A column that disappears is news (issue 20 §1).

A college site on loopback (tests/faultsite.py) is crawled whole; then one known column starts answering 200
with "您访问的页面不存在" (a soft 404) and another is out of reach of a small page budget; then, with the
budget back, a third column is no longer linked from the site. After each crawl the office's weekly email
(`xxgk email --dry-run`) lists every column seen before and not now with its reason and since when: the soft
404 as unreachable, the one the budget did not reach as 本次未检查 (not gone), the unlinked one as 栏目消失;
and the report counts them all.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from faultsite import Column, FaultSite, days_ago
from xxgkrun import SiteConf, crawl_ok, office_text, report_json, write_config, xxgk

pytestmark = pytest.mark.slow

TODAY = date.today()
DAYS = [TODAY - timedelta(days=2), TODAY - timedelta(days=1), TODAY]
SOFT, CUT, UNLINKED, KEPT = "notices", "finance", "rules", "news"
COLUMNS = [
    Column.of_articles(SOFT, "通知公告", [days_ago(n) for n in (3, 9)]),
    Column.of_articles(UNLINKED, "规章制度", [days_ago(n) for n in (40, 90)]),
    Column.of_articles(KEPT, "新闻动态", [days_ago(n) for n in (4, 6)]),
    Column.of_articles(CUT, "财务信息", [days_ago(n) for n in (20, 50)]),
]
EMAIL = '[email]\nsender = "xxgk@example.edu.cn"\nto = ["office@example.edu.cn"]\n'
SOFT_404 = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>提示信息</title></head>'
    '<body><div class="nav"><a href="/">首页</a></div><p>您访问的页面不存在或已被删除！</p></body></html>'
)


@dataclass
class Absent:
    site: FaultSite
    config: Path
    emails: list[str]  # the office's plain text after each crawl
    reports: list[dict[str, Any]]


@pytest.fixture(scope="module")
def absent(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Absent]:
    folder = tmp_path_factory.mktemp("absent")
    with FaultSite(columns=COLUMNS) as site:

        def crawl(n: int, max_pages: int | None = None) -> None:
            config = write_config(
                folder,
                [SiteConf("college", [site.url("/")], max_pages=max_pages)],
                extra=EMAIL,
                crawl={"revisit_every": 1},  # every page every crawl: no stale link keeps a column linked
            )
            at = datetime.combine(DAYS[n], time(9, 0)).isoformat()
            crawl_ok(xxgk(config, "crawl", "--observed-at", at))
            out = folder / f"outbox{n}"
            proc = xxgk(
                config, "email", "--dry-run", "--force", "--outbox", str(out), "--as-of", DAYS[n].isoformat()
            )
            assert proc.returncode == 0, proc.stderr
            emails.append(office_text(out))
            reports.append(report_json(config, "--as-of", DAYS[n].isoformat()))

        emails: list[str] = []
        reports: list[dict[str, Any]] = []
        crawl(0)
        site.pages[site.column(SOFT).path] = SOFT_404
        crawl(1, max_pages=4)  # home, three of the four columns: 财务信息 (last in the menu) is not reached
        del site.pages[site.column(SOFT).path]
        site.columns = [c for c in site.columns if c.slug != UNLINKED]
        crawl(2)
        yield Absent(site, folder / "config.toml", emails, reports)


def _section(report: dict[str, Any], site: FaultSite, slug: str) -> dict[str, Any]:
    url = site.url(site.column(slug).path) if slug != UNLINKED else site.url(f"/{slug}.htm")
    return next(s for s in report["sections"] if s["url"] == url)


def _block(text: str, name: str) -> str:
    """The lines of the email about one column: its line ("- [状态] 网站 / 栏目") and the indented ones."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith("- ") and f" / {name}" in line)
    block = [lines[at]]
    for line in lines[at + 1 :]:
        if not line.startswith("    "):
            break
        block.append(line)
    return "\n".join(block)


def test_the_soft_404_and_the_unreached_column_are_both_in_the_office_email(absent: Absent) -> None:
    text = absent.emails[1]
    soft = _block(text, "通知公告")
    assert "无法访问" in soft and "不存在" in soft, soft
    cut = _block(text, "财务信息")
    assert "本次未检查" in cut and "页数上限" in cut, cut
    assert DAYS[1].isoformat() in cut, "since when"
    assert "栏目消失 / 本次未检查" in text
    assert "共监测 4 个栏目" in text


def test_the_report_counts_them_and_the_unreached_one_is_not_gone(absent: Absent) -> None:
    report = absent.reports[1]
    assert _section(report, absent.site, CUT)["status"] == "unchecked"
    assert _section(report, absent.site, SOFT)["status"] == "unreachable"
    assert report["counts"]["unchecked"] == 1
    assert sum(report["counts"][k] for k in report["counts"] if k != "missing") == len(COLUMNS)


def test_a_column_no_longer_linked_is_gone_with_its_reason_and_since_when(absent: Absent) -> None:
    report = absent.reports[2]
    gone = _section(report, absent.site, UNLINKED)
    assert gone["status"] == "gone"
    assert gone["since"] and gone["since"].startswith(DAYS[2].isoformat()), gone
    assert report["counts"]["gone"] == 1
    block = _block(absent.emails[2], "规章制度")
    assert "栏目消失" in block and "不再链接" in block and DAYS[2].isoformat() in block, block
    # the budget is back: the column it kept out is read again, and nothing else is unchecked
    assert _section(report, absent.site, CUT)["status"] != "unchecked"
    assert report["counts"]["unchecked"] == 0
