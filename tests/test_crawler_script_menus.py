"""Issue 13: columns a site's navigation shows only through JavaScript (tests/scriptmenusite.py).

The real `xxgk crawl` reads the college's four sites twice (the second a weekly recrawl whose every answer
is a 304), and `xxgk report --format json` must hold every column the script-built menus link — from an
inline data literal, a `<script type="text/html">` template, `document.write` in an external nav.js,
`innerHTML`, a JSON endpoint a Vue nav requests — with its name, status, item count and newest date exactly;
and the site whose menu no crawler can read must say so on its site line (text and JSON), not stay silent.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import scriptmenusite as sms
from columntruth import Expected, assert_column
from xxgkrun import SiteConf, crawl_ok, office_text, query, report_json, write_config, xxgk

pytestmark = pytest.mark.slow

SITES = (
    ("xxgk", sms.VSB, "disclosure", ""),
    ("portal", sms.PORTAL, "portal", ""),
    ("jwc", sms.DEPT, "department", "教务处"),
    ("lib", sms.LIB, "department", "图书馆"),
)


EMAIL = '[email]\nsender = "xxgk@example.edu.cn"\nto = ["office@example.edu.cn"]\n'


@dataclass
class Crawled:
    site: sms.ScriptMenuSite
    reports: list[dict[str, Any]]
    texts: list[str]
    emails: list[str]  # the office's weekly email (plain text) after each crawl
    config: Path


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    folder = tmp_path_factory.mktemp("scriptmenu")
    site = sms.ScriptMenuSite().start()
    try:
        sites = [
            SiteConf(sid, [site.url(host, "/")], kind=kind, department=dep) for sid, host, kind, dep in SITES
        ]
        config = write_config(folder, sites, college=sms.COLLEGE, extra=EMAIL)
        observed = f"{sms.AS_OF.isoformat()}T10:00:00+08:00"
        reports, texts, emails = [], [], []
        for n in range(2):
            crawl_ok(xxgk(config, "crawl", "--observed-at", observed))
            reports.append(report_json(config, "--as-of", sms.AS_OF.isoformat()))
            text = xxgk(config, "report", "--as-of", sms.AS_OF.isoformat())
            assert text.returncode == 0, text.stderr
            texts.append(text.stdout)
            out = folder / f"outbox{n}"
            day = sms.AS_OF.isoformat()
            mail = xxgk(config, "email", "--dry-run", "--force", "--outbox", str(out), "--as-of", day)
            assert mail.returncode == 0, mail.stderr
            emails.append(office_text(out))
        yield Crawled(site, reports, texts, emails, config)
    finally:
        site.stop()


def _columns(report: dict[str, Any], site: str) -> dict[str, dict[str, Any]]:
    return {s["url"]: s for s in report["sections"] if s["site"] == site and s["status"] != "missing"}


ATTEMPTS = pytest.mark.parametrize("attempt", [0, 1], ids=["first-crawl", "recrawl"])


@ATTEMPTS
@pytest.mark.parametrize("want", sms.COLUMNS, ids=[f"{w.site}-{w.name}" for w in sms.COLUMNS])
def test_every_script_menu_column_is_reported_exactly(crawled: Crawled, attempt: int, want: Expected) -> None:
    columns = _columns(crawled.reports[attempt], want.site)
    assert_column(columns, crawled.site.url(want.host, want.path), want, partial=False)


@ATTEMPTS
def test_no_other_columns(crawled: Crawled, attempt: int) -> None:
    report = crawled.reports[attempt]
    for sid, host, _, _ in SITES:
        want = {crawled.site.url(host, c.path) for c in sms.COLUMNS if c.site == sid}
        assert set(_columns(report, sid)) == want, sid


@ATTEMPTS
def test_a_menu_no_one_can_read_is_said_on_its_site_line(crawled: Crawled, attempt: int) -> None:
    lines = {s["site"]: s for s in crawled.reports[attempt]["sites"]}
    for sid, host, _, _ in SITES:
        notice = lines[sid]["menu_notice"]
        if sid in sms.UNREAD_MENUS:
            assert notice and crawled.site.url(host, "/") in notice, lines[sid]
            assert "ul#menu" in notice or "div.nav" in notice, notice
        else:
            assert notice is None, (sid, notice)
    text = crawled.texts[attempt]
    assert text.count("导航菜单由脚本生成") >= 1, text
    lib_line = next(line for line in text.splitlines() if "图书馆" in line and "正常" in line)
    assert "导航菜单由脚本生成" in lib_line, lib_line


@ATTEMPTS
def test_the_office_email_says_which_site_menu_could_not_be_read(crawled: Crawled, attempt: int) -> None:
    """The weekly email lists the site whose script-built menu no source gave as a to-do of its own, and
    no other site."""
    lines = crawled.emails[attempt].splitlines()
    rows = [n for n, line in enumerate(lines) if line.startswith("- [导航菜单未能读取]")]
    assert len(rows) == len(sms.UNREAD_MENUS) == 1, lines
    block = "\n".join(lines[rows[0] : rows[0] + 4])
    (unread,) = sms.UNREAD_MENUS
    host = next(host for sid, host, _, _ in SITES if sid == unread)
    assert "图书馆" in lines[rows[0]], block
    assert "原因：导航菜单由脚本生成" in block and f"地址：{crawled.site.url(host, '/')}" in block, block


def test_the_recrawl_reads_menu_sources_from_304s(crawled: Crawled) -> None:
    """A menu's script and JSON endpoint are asked for conditionally on the recrawl: their 304 brings the
    stored entries back, and the columns above stay exactly as on the first crawl."""
    db = crawled.config.parent / "data" / "xxgk.duckdb"
    sources = [crawled.site.url(sms.PORTAL, "/js/nav.js"), crawled.site.url(sms.DEPT, "/api/nav/list")]
    rows = query(db, "SELECT url, outcome FROM fetches WHERE url IN (?, ?) ORDER BY run_id, url", sources)
    assert [outcome for _, outcome in rows] == ["ok", "ok", "not_modified", "not_modified"], rows
