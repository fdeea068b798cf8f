"""The demo college over real HTTP: hosts, validators and 304, robots.txt, GBK, blocked pages, and the ground
truth checked against an independent walk of the served list pages (BeautifulSoup, not the project's crawler).
"""

from __future__ import annotations

import http.client
import re
from collections.abc import Iterator
from datetime import date, timedelta
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup, Tag

from demo import DemoCollege, DemoServer, serve_demo


def fetch(
    url: str, method: str = "GET", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One request over a fresh connection (no proxies, no redirects followed)."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname or "", parts.port, timeout=10)
    try:
        conn.request(method, parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers or {})
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    finally:
        conn.close()


def decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("gbk")


# Article links of each site's URL scheme: on a list page every such link is a row.
ARTICLE = {
    "disclosure": re.compile(r"/info/\d+/\d+\.htm$"),
    "portal": re.compile(r"/c\d+a\d+/page\.htm$"),
    "dept-jwc": re.compile(r"/content\.aspx\?id=\d+$"),
    "dept-zsjy": re.compile(r"/t\d{8}_\d+\.html$"),
    "dept-cwc": re.compile(r"/show/\d+\.htm$"),
}
NEXT_TEXTS = ("下页", "下一页")
FULL_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
MONTH_DAY = re.compile(r"(?<![\d-])(\d{2})-(\d{2})(?![\d-])")


def row_date(link: Tag) -> date | None:
    """The date shown in a link's row (li or tr), ignoring the link text itself."""
    row = link.find_parent(["li", "tr"])
    assert row is not None
    text = row.get_text(" ", strip=True).replace(link.get_text(" ", strip=True), " ")
    if m := FULL_DATE.search(text):
        return date(int(m[1]), int(m[2]), int(m[3]))
    year, days = row.select_one(".news_year"), row.select_one(".news_days")
    if year is not None and days is not None:
        y, mo = year.get_text(strip=True).split("-")
        return date(int(y), int(mo), int(days.get_text(strip=True)))
    if m := MONTH_DAY.search(text):
        heading = row.find_previous(class_="year")
        assert heading is not None, "a year-less date needs a year heading above it"
        return date(int(heading.get_text(strip=True).rstrip("年")), int(m[1]), int(m[2]))
    return None


def walk_column(site: str, url: str) -> tuple[dict[str, date | None], list[str]]:
    """Follow 下页/下一页 from a column's first page; returns {article URL: shown date} and the pages seen."""
    rows: dict[str, date | None] = {}
    pages: list[str] = []
    while url and url not in pages:
        status, _, body = fetch(url)
        assert status == 200, url
        pages.append(url)
        soup = BeautifulSoup(decode(body), "html.parser")
        links = [(a, str(a["href"])) for a in soup.find_all("a", href=True)]
        for link, href in links:
            target = urljoin(url, href)
            if ARTICLE[site].search(target):
                rows[target] = row_date(link)
        nxt = [
            href
            for a, href in links
            if a.get_text(strip=True).strip("[]<>") in ("下页", "下一页")
            and not href.startswith("javascript")
        ]
        url = urljoin(url, nxt[0]) if nxt else ""
    return rows, pages


@pytest.fixture(scope="module")
def truth(demo_college_small: Any) -> dict[str, Any]:
    return demo_college_small.ground_truth


def test_sites_live_on_separate_hosts_sharing_one_port(demo_college_small: Any) -> None:
    sites = demo_college_small.sites
    parts = [urlsplit(u) for u in sites.values()]
    assert len({p.hostname for p in parts}) == len(sites) == 5
    assert len({p.port for p in parts}) == 1
    for url in sites.values():
        status, headers, body = fetch(url)
        assert status == 200 and headers["content-length"] == str(len(body))
    # a path of one site is not served by another host
    status, _, _ = fetch(urljoin(sites["portal"], "/xwdt/list.htm"))
    assert status == 200
    status, _, _ = fetch(urljoin(sites["disclosure"], "/xwdt/list.htm"))
    assert status == 404


@pytest.mark.parametrize("site", ["disclosure", "portal", "dept-jwc", "dept-zsjy", "dept-cwc"])
def test_conditional_requests_answer_304_with_either_validator(demo_college_small: Any, site: str) -> None:
    url = demo_college_small.sites[site]
    status, headers, body = fetch(url)
    assert status == 200
    etag, modified = headers["etag"], headers["last-modified"]
    status, headers304, body304 = fetch(url, headers={"If-None-Match": etag})
    assert (status, body304, headers304["etag"]) == (304, b"", etag)
    assert fetch(url, headers={"If-Modified-Since": modified})[0] == 304
    assert fetch(url, headers={"If-None-Match": '"other"'})[0] == 200
    assert fetch(url, headers={"If-None-Match": '"other"', "If-Modified-Since": modified})[0] == 200
    earlier = format_datetime(parsedate_to_datetime(modified) - timedelta(seconds=1), usegmt=True)
    assert fetch(url, headers={"If-Modified-Since": earlier})[0] == 200
    status, head_headers, head_body = fetch(url, method="HEAD")
    assert (status, head_body, head_headers["content-length"], head_headers["etag"]) == (
        200,
        b"",
        str(len(body)),
        etag,
    )


def test_last_modified_is_not_the_publication_date(demo_college_small: Any, truth: dict[str, Any]) -> None:
    column = next(c for c in truth["columns"] if c["expected_status"] == "stale")
    _, headers, _ = fetch(column["url"])
    modified = parsedate_to_datetime(headers["last-modified"]).date()
    assert modified != date.fromisoformat(column["newest"])


def test_every_host_has_a_robots_txt_and_disallowed_pages_exist(demo_college_small: Any, truth: dict) -> None:
    for url in demo_college_small.sites.values():
        status, headers, body = fetch(urljoin(url, "/robots.txt"))
        assert status == 200 and headers["content-type"].startswith("text/plain")
        assert b"Disallow: /" in body
    assert truth["disallowed_urls"]
    for url in truth["disallowed_urls"]:
        assert fetch(url)[0] == 200  # served to whoever ignores robots.txt
    oa = next(u for u in truth["disallowed_urls"] if "/oa/" in u)
    _, _, robots = fetch(urljoin(oa, "/robots.txt"))
    assert b"Disallow: /oa/" in robots
    assert b"/oa/list.htm" in fetch(truth["sites"]["portal"]["start_url"])[2]


def test_gbk_site_declares_no_charset(demo_college_small: Any, truth: dict[str, Any]) -> None:
    urls = [truth["sites"]["dept-cwc"]["start_url"]]
    urls += [c["url"] for c in truth["columns"] if c["site"] == "dept-cwc" and c["items"]]
    _, _, first_list = fetch(urls[1])
    articles = re.findall(rb'href="(/show/\d+\.htm)"', first_list)[:3]
    urls += [urljoin(urls[1], href.decode()) for href in articles]
    for url in urls:
        status, headers, body = fetch(url)
        assert status == 200
        assert headers["content-type"] == "text/html"
        assert b"charset" not in body.lower()
        text = body.decode("gbk")  # strict: raises if not GBK
        assert "滨江城市职业学院" in text
        with pytest.raises(UnicodeDecodeError):
            body.decode("utf-8")


def test_blocked_columns_show_a_login_form_or_a_js_challenge(truth: dict[str, Any]) -> None:
    blocked = {c["site"]: c["url"] for c in truth["columns"] if c["expected_status"] == "blocked"}
    assert set(blocked) == {"disclosure", "dept-jwc", "dept-zsjy"}
    status, headers, _ = fetch(blocked["disclosure"])
    assert status == 302 and "/cas/login" in headers["location"]
    status, _, body = fetch(headers["location"])
    assert status == 200 and b'type="password"' in body
    status, _, body = fetch(blocked["dept-jwc"])
    assert status == 200 and b'type="password"' in body
    status, _, body = fetch(blocked["dept-zsjy"])
    assert status == 200 and b"$_ts" in body and len(body) < 1500


def test_unreachable_columns_are_linked_but_answer_404(truth: dict[str, Any]) -> None:
    unreachable = [c for c in truth["columns"] if c["expected_status"] == "unreachable"]
    assert len(unreachable) == 2
    for column in unreachable:
        assert fetch(column["url"])[0] == 404
        start = truth["sites"][column["site"]]["start_url"]
        home = BeautifulSoup(decode(fetch(start)[2]), "html.parser")
        assert column["url"] in {urljoin(start, str(a["href"])) for a in home.find_all("a", href=True)}
        assert column["url"] in truth["broken_links"]


def test_attachments_answer_and_one_is_broken(truth: dict[str, Any]) -> None:
    broken = [u for u in truth["broken_links"] if u.endswith((".pdf", ".doc", ".docx", ".xls", ".xlsx"))]
    assert len(broken) == 1
    assert fetch(broken[0], method="HEAD")[0] == 404
    assert truth["attachments"] > 10


def test_hostile_title_is_escaped(truth: dict[str, Any]) -> None:
    status, _, body = fetch(truth["hostile_title_url"])
    assert status == 200
    assert b"<script>alert(1)</script>" not in body
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_empty_columns_say_so(truth: dict[str, Any]) -> None:
    empty = [c for c in truth["columns"] if c["expected_status"] == "empty"]
    assert len(empty) >= 3
    for column in empty:
        status, _, body = fetch(column["url"])
        assert status == 200 and re.search("暂无(信息|内容|数据)", decode(body))


def test_ground_truth_matches_an_independent_walk_of_every_column(truth: dict[str, Any]) -> None:
    for column in truth["columns"]:
        if column["expected_status"] not in ("fresh", "stale"):
            continue
        rows, pages = walk_column(column["site"], column["url"])
        label = f"{column['site']}/{column['name']}"
        assert len(rows) == column["items"], label
        assert len(pages) == column["pages"], label
        assert sum(1 for d in rows.values() if d is None) == column["undated"], label
        assert max(d for d in rows.values() if d).isoformat() == column["newest"], label


@pytest.mark.parametrize(("site", "key"), [("disclosure", "cggg"), ("portal", "xwdt"), ("dept-cwc", "sfgs")])
def test_big_columns_at_full_scale_match_a_walk(demo_college: Any, site: str, key: str) -> None:
    column = next(c for c in demo_college.ground_truth["columns"] if (c["site"], c["key"]) == (site, key))
    rows, pages = walk_column(site, column["url"])
    assert (len(rows), len(pages)) == (column["items"], column["pages"])
    assert max(d for d in rows.values() if d).isoformat() == column["newest"]
    if site == "disclosure":  # reverse-numbered static pages: page 2 has the highest number
        assert pages[1].endswith(f"/{column['pages'] - 1}.htm") and pages[-1].endswith("/1.htm")


@pytest.fixture()
def own_server() -> Iterator[DemoServer]:
    """A private server, so moving it in time does not disturb the shared fixtures."""
    server = serve_demo(DemoCollege(as_of=date(2026, 11, 26), scale=0.2), port=0)
    try:
        yield server
    finally:
        server.stop()


def test_days_later_adds_edits_and_deletes_exactly_as_the_truth_says(own_server: DemoServer) -> None:
    before = own_server.ground_truth()
    cols_before = {(c["site"], c["key"]): c for c in before["columns"]}
    probes = own_server.ground_truth(7)["changes"]
    etags = {url: fetch(url)[1]["etag"] for url in (probes["edited"], probes["deleted"])}
    stale = next(c for c in before["columns"] if c["expected_status"] == "stale")
    stale_etag = fetch(stale["url"])[1]["etag"]

    own_server.set_days_later(7)
    after = own_server.ground_truth()
    changes = after["changes"]
    assert after["as_of"] == "2026-12-03" and changes == probes
    # the edited article: same URL, new body, new validator
    status, headers, body = fetch(changes["edited"], headers={"If-None-Match": etags[changes["edited"]]})
    assert status == 200 and headers["etag"] != etags[changes["edited"]] and "更正".encode() in body
    # the deleted item: its article 404s and no list shows it
    assert fetch(changes["deleted"])[0] == 404
    walked: dict[str, date | None] = {}
    for column in after["columns"]:
        if column["expected_status"] in ("fresh", "stale"):
            rows, _ = walk_column(column["site"], column["url"])
            walked.update(rows)
            old = cols_before[(column["site"], column["key"])]
            if column["expected_status"] == "fresh":
                assert column["items"] >= old["items"] - 1
    assert changes["deleted"] not in walked
    # new items: listed, dated within the 7 days, their articles served
    assert changes["new_items"]
    for url in changes["new_items"]:
        shown = walked[url]
        assert shown is not None and date(2026, 11, 26) < shown <= date(2026, 12, 3)
        assert fetch(url, method="HEAD")[0] == 200
    assert after["articles"] == before["articles"] + len(changes["new_items"]) - 1
    # an untouched stale column still answers 304 to its old validator
    assert fetch(stale["url"], headers={"If-None-Match": stale_etag})[0] == 304
    own_server.set_days_later(0)
    assert fetch(changes["deleted"])[0] == 200


def test_server_records_what_it_answered(own_server: DemoServer) -> None:
    own_server.hits(clear=True)
    fetch(own_server.sites["portal"])
    fetch(own_server.sites["portal"] + "nothing-here", method="HEAD")
    hits = own_server.hits()
    assert [(h.site, h.method, h.path, h.status) for h in hits] == [
        ("portal", "GET", "/", 200),
        ("portal", "HEAD", "/nothing-here", 404),
    ]


def test_binding_a_busy_port_fails_clearly(own_server: DemoServer) -> None:
    with pytest.raises(OSError, match="could not bind"):
        serve_demo(own_server.college, port=own_server.port, hosts=own_server.hosts)
