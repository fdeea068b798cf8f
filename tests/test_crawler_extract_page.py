"""The entry point's contract: never raises, hashes the body, gives up on non-HTML, stays fast in shape."""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crawler.extract import analyse_page, parse_page
from storage.records import PAGE_KINDS

PAGES = Path(__file__).parent / "pages"
TODAY = date(2026, 7, 20)


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   ",
        b"\x00\x01\x02",
        b"<",
        b"<!-- only a comment -->",
        b"<html>",
        b"\xff\xfe\xfd" * 100,
        b"<a href=>",
    ],
)
def test_junk_bytes_give_other(body: bytes) -> None:
    page = parse_page("http://x.example.cn/", body, today=TODAY)
    assert page.kind == "other"
    assert page.content_hash == hashlib.sha256(body).hexdigest()


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"%PDF-1.7 ...", None),
        (b"PK\x03\x04 zipped docx", None),
        (b"<html><body>looks like html</body></html>", "application/pdf"),
        (b"\x89PNG\r\n", "image/png"),
    ],
)
def test_non_html_is_not_parsed(body: bytes, content_type: str | None) -> None:
    page = parse_page("http://x.example.cn/f", body, content_type=content_type, today=TODAY)
    assert (page.kind, page.links) == ("other", [])


def test_header_charset_and_content_type_are_used() -> None:
    body = "<html><body><h1>通知公告</h1><p>暂无信息</p></body></html>".encode("gbk")
    page = parse_page(
        "http://x.example.cn/tzgg/",
        body,
        content_type="text/html; charset=GBK",
        header_charset="GBK",
        today=TODAY,
    )
    assert (page.kind, page.encoding) == ("empty", "gb18030")


def test_same_body_same_parse() -> None:
    body = (PAGES / "vsb_list.htm").read_bytes()
    one = parse_page("http://www.hcvc.example.cn/tzgg.htm", body, today=TODAY)
    two = parse_page("http://www.hcvc.example.cn/tzgg.htm", body, today=TODAY)
    assert one == two


def test_list_text_is_the_row_titles() -> None:
    page = parse_page("http://x.example.cn/xbdt/", (PAGES / "yearless_old.html").read_bytes(), today=TODAY)
    assert page.text.splitlines() == [r.title for r in page.rows]


def test_a_big_page_parses_every_row() -> None:
    """3,000 rows on one page (about 400 KB): a quadratic scan would show up as a timeout here."""
    rows = "".join(
        f'<li><a href="/info/{i}.htm" title="第{i}条通知">第{i}条通知</a>'
        f"<span>{TODAY - timedelta(days=i % 3000)}</span></li>"
        for i in range(3000)
    )
    body = f"<html><body><ul>{rows}</ul></body></html>".encode()
    page = parse_page("http://x.example.cn/big.htm", body, today=TODAY)
    assert (page.kind, len(page.rows), page.rows[0].date) == ("list", 3000, TODAY)


TAGS = st.sampled_from(
    ["ul", "li", "div", "a", "span", "table", "tr", "td", "dl", "dt", "dd", "p", "script", "br"]
)
TEXTS = st.one_of(
    st.text(max_size=20),
    st.sampled_from(
        [
            "2026-07-13",
            "[05-06]",
            "2026年7月13日",
            "下一页",
            "首页",
            "更多>>",
            "暂无信息",
            "$_ts",
            "13",
            "2026-07",
        ]
    ),
)


@st.composite
def html_soup(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(0, 40))):
        tag = draw(TAGS)
        kind = draw(st.integers(0, 3))
        if kind == 0:
            href = draw(
                st.sampled_from(["/a.htm", "?page=2", "javascript:x()", "#", "http://[::1", "list2.htm", ""])
            )
            parts.append(
                f'<{tag} href="{href}" class="{draw(st.sampled_from(["list", "page", "nav", "more", ""]))}">'
            )
        elif kind == 1:
            parts.append(f"</{tag}>")
        else:
            parts.append(draw(TEXTS))
    return "".join(parts)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(html_soup(), st.sampled_from(["utf-8", "gb18030"]))
def test_parse_page_never_raises_on_arbitrary_html(html: str, encoding: str) -> None:
    body = html.encode(encoding, "replace")
    analysis = analyse_page("http://x.example.cn/c/list.htm", body, today=TODAY)
    page = analysis.parse
    assert not analysis.kind_reason.startswith("error"), analysis.kind_reason
    assert page.kind in PAGE_KINDS
    limit = TODAY + timedelta(days=366)
    for d in [r.date for r in page.rows if r.date] + ([page.published] if page.published else []):
        assert date(1990, 1, 1) <= d <= limit


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300))
def test_parse_page_never_raises_on_arbitrary_bytes(body: bytes) -> None:
    analysis = analyse_page("http://x.example.cn/", body, today=TODAY)
    assert not analysis.kind_reason.startswith("error"), analysis.kind_reason


def test_every_column_page_of_the_demo_college() -> None:
    """The extractor alone, page by page, against the demo college's ground truth (no crawl, no server):
    every list page is a list (or empty), and each column's rows give its exact item count, undated count,
    newest date and name."""
    from demo.college import DEFAULT_HOSTS, DEFAULT_PORT, DemoCollege

    college = DemoCollege(scale=0.2)
    rendered, truth = college.render(), college.ground_truth()
    bases = college.bases(DEFAULT_PORT, DEFAULT_HOSTS)
    today = date.fromisoformat(truth["as_of"])
    pages = {bases[site] + path: page for site, out in rendered.items() for path, page in out.pages.items()}
    checked = 0
    for column in truth["columns"]:
        if not column["page_urls"]:
            continue  # blocked or unreachable columns: named by the link that leads there
        if column["single_page"]:  # one text page, no date anywhere: an article without one
            page = parse_page(column["url"], pages[column["url"]].body, today=today)
            assert (page.kind, page.published) == ("article", None), column["url"]
            continue
        rows = {}
        for url in column["page_urls"]:
            page = parse_page(url, pages[url].body, content_type=pages[url].content_type, today=today)
            assert page.kind == ("list" if column["items"] else "empty"), url
            rows.update({r.url: r for r in page.rows})
        first = parse_page(column["page_urls"][0], pages[column["page_urls"][0]].body, today=today)
        dated = [r.date for r in rows.values() if r.date]
        newest = max(dated).isoformat() if dated else None
        got = (len(rows), len(rows) - len(dated), newest, first.column_name)
        assert got == (column["items"], column["undated"], column["newest"], column["name"]), column["url"]
        checked += 1
    assert checked >= 60
