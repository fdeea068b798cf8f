"""The gold set: each hand-written page in tests/pages/ against its hand-read truth in expected.toml, exactly.

Each page imitates a CMS family as real college sites print it (博达 VSB, WebPlus, TRS, 动易, PHPCMS,
DedeCMS, 帝国CMS, ASP.NET, a Vue/JSON shell, old GBK tables, gov-style 信息公开目录). A page is scored on
every fact its entry states (kind, name and where it came from, rows, dated rows, newest date, first title,
pager, article date, title, attachments, breadcrumb, encoding); one fact wrong fails the page. The other
extractor tests read the same file for their own part.
"""

from __future__ import annotations

import tomllib
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from crawler.extract import analyse_page

PAGES = Path(__file__).parent / "pages"
TODAY = date(2026, 7, 20)
CASES: list[dict[str, Any]] = tomllib.loads((PAGES / "expected.toml").read_text("utf-8"))["page"]
KNOWN_KEYS = {
    "file",
    "url",
    "family",
    "today",
    "kind",
    "encoding",
    "rows",
    "dated",
    "newest",
    "first_title",
    "next",
    "first",
    "pager",
    "name",
    "name_source",
    "published",
    "published_source",
    "attachments",
    "blocked",
    "title",
    "breadcrumb",
    "row_urls",
    "row_dates",
}


def _id(case: dict[str, Any]) -> str:
    return f"{case['file']}@{case['url'].split('/', 3)[-1]}"


def facts(case: dict[str, Any]) -> dict[str, Any]:
    """What the extractor says about the page, under the keys its expected.toml entry uses."""
    today = case.get("today", TODAY)
    a = analyse_page(case["url"], (PAGES / case["file"]).read_bytes(), today=today)
    p = a.parse
    dated = [r.date for r in p.rows if r.date]
    return {
        "kind": p.kind,
        "encoding": p.encoding,
        "rows": len(p.rows),
        "dated": len(dated),
        "newest": max(dated) if dated else None,
        "first_title": p.rows[0].title if p.rows else None,
        "next": p.pager_next,
        "first": p.pager_first,
        "pager": len(p.pager),
        "name": p.column_name,
        "name_source": p.column_name_source,
        "published": p.published,
        "published_source": p.published_source,
        "attachments": len(p.attachments),
        "blocked": p.blocked_reason,
        "title": p.title,
        "breadcrumb": list(p.breadcrumb),
        "row_urls": [r.url for r in p.rows],
        "row_dates": [r.date for r in p.rows],
    }


@pytest.mark.parametrize("case", CASES, ids=_id)
def test_each_gold_page_exactly(case: dict[str, Any]) -> None:
    unknown = set(case) - KNOWN_KEYS
    assert not unknown, f"expected.toml: unknown keys {sorted(unknown)} for {case['file']}"
    got = facts(case)
    want = {k: v for k, v in case.items() if k not in ("file", "url", "family", "today")}
    if case["kind"] != "list" and "rows" not in want:
        want["rows"] = 0  # a page that is not a list holds no rows
    if case["kind"] == "blocked" and "blocked" not in want:
        pytest.fail("a blocked page's entry names its reason")
    wrong = {k: (got[k], v) for k, v in want.items() if got[k] != v}
    assert not wrong, f"{case['file']}: (got, expected) {wrong}"


def test_every_page_is_in_the_gold_set_once_per_url() -> None:
    listed = {c["file"] for c in CASES}
    on_disk = {p.name for p in PAGES.iterdir() if p.suffix in (".htm", ".html", ".shtml", ".aspx", ".asp")}
    assert on_disk <= listed, f"pages without an expected.toml entry: {sorted(on_disk - listed)}"
    assert len({(c["file"], c["url"]) for c in CASES}) == len(CASES)


REQUIRED_FAMILIES = {
    "vsb",
    "webplus",
    "trs",
    "dongyi",
    "phpcms",
    "dedecms",
    "aspnet",
    "vue",
    "old-gbk",
    "xxgk-catalog",
}


def test_gold_set_spans_the_families() -> None:
    """At least 30 pages in at least 8 CMS families, the ones issue 13 names among them."""
    assert all("family" in c for c in CASES), "every gold page names its CMS family"
    families = Counter(c["family"] for c in CASES)
    assert len(CASES) >= 30 and len(families) >= 8, families
    assert set(families) >= REQUIRED_FAMILIES, sorted(REQUIRED_FAMILIES - set(families))
