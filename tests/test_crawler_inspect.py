"""`python -m crawler.inspect`: the real entry point as a child process, on a file and over loopback HTTP."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

PAGES = Path(__file__).parent / "pages"
ROOT = Path(__file__).parent.parent


def inspect(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "crawler.inspect", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def test_file_as_json() -> None:
    done = inspect(
        str(PAGES / "vsb_list.htm"),
        "--url",
        "http://www.hcvc.example.cn/tzgg.htm",
        "--today",
        "2026-07-20",
        "--json",
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["kind"], data["column_name"], data["column_name_source"]) == (
        "list",
        "通知公告",
        "breadcrumb",
    )
    assert (len(data["rows"]), data["newest"], data["encoding"]) == (10, "2026-07-13", "utf-8")
    assert data["pager_next"] == "http://www.hcvc.example.cn/tzgg/143.htm"


def test_file_as_text_shows_what_a_user_needs() -> None:
    done = inspect(
        str(PAGES / "trs_article.html"),
        "--url",
        "http://xxgk.hcvc.example.cn/jbxx/gzzd/202407/t20240715_4721.html",
        "--today",
        "2026-07-20",
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "kind:         article" in out
    assert "published:    2024-07-16  (from label:发布日期)" in out
    assert "column name:  规章制度  (from breadcrumb)" in out
    assert "章程修订说明.docx" in out


class _Handler(BaseHTTPRequestHandler):
    BODY = (
        "<html><head><title>\x1b[31m院系动态\x1b[0m</title></head><body>"
        '<div class="crumb">您的位置：首页 &gt;&gt; 院系动态</div><ul>'
        '<li><a href="v.asp?id=1">学院简讯第一期</a><span>2024.05.06</span></li>'
        '<li><a href="v.asp?id=2">学院简讯第二期</a><span>2024.04.27</span></li></ul></body></html>'
    ).encode("gbk")

    def do_GET(self) -> None:
        if self.path.endswith("/gone.htm"):
            self.send_error(404, "Not Found")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=GBK")
        self.send_header("Content-Length", str(len(self.BODY)))
        self.end_headers()
        self.wfile.write(self.BODY)

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.2", 0), _Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.2:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_fetches_a_url_and_escapes_hostile_text(site: str) -> None:
    done = inspect(f"{site}/dept/list.asp")
    assert done.returncode == 0, done.stderr
    assert "encoding:     gb18030" in done.stdout
    assert "学院简讯第一期" in done.stdout and f"{site}/dept/v.asp?id=1" in done.stdout
    assert "\x1b" not in done.stdout and "\\x1b[31m院系动态" in done.stdout


def test_unreachable_url_and_missing_file_fail_with_a_reason() -> None:
    # a site that does not answer is a failure (1), not a usage mistake (2)
    done = inspect("http://127.0.0.1:9/nothing")
    assert done.returncode == 1 and "the connection was refused" in done.stderr, done.stderr
    assert "Traceback" not in done.stderr and done.stdout == ""
    done = inspect(str(PAGES / "no-such-page.html"))
    assert done.returncode == 2 and "cannot read" in done.stderr


def test_a_url_answering_404_says_so_and_exits_1(site: str) -> None:
    done = inspect(f"{site}/dept/gone.htm")
    assert done.returncode == 1, done
    assert (
        done.stderr.strip()
        == f"xxgk inspect: {site}/dept/gone.htm answered HTTP 404 Not Found: no page to inspect"
    )
    assert done.stdout == ""


def test_says_which_rule_made_a_list_and_which_rows_and_pager() -> None:
    """The wrapped VSB list: the list rule won over the article-named wrapper; the rows and pager are named
    by where they sit in the page source."""
    done = inspect(
        str(PAGES / "vsb_wrapped_list.htm"),
        "--url",
        "http://www.hcvc.example.cn/tzgg/bkjx.htm",
        "--today",
        "2026-07-20",
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout.splitlines()
    why = out[out.index("why:") + 1 : out.index("why:") + 3]
    assert why[0] == "  list: 15 rows with a pager"
    assert why[1].startswith("  not an article: no publication date of its own;")
    assert (
        "  * ul.list-ul < div.article-content < div.am-u-md-9  15 rows, 15 dated  (the column's rows)" in out
    )
    assert "  in:    span.p_pages < div.pb_sys_common.pb_sys_normal < div" in out
    assert "  next:  http://www.hcvc.example.cn/tzgg/bkjx/3.htm" in out


def test_says_why_a_page_is_not_a_column_as_json() -> None:
    done = inspect(
        str(PAGES / "home.html"), "--url", "http://www.hcvc.example.cn/", "--today", "2026-07-20", "--json"
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["kind"] == "other"
    assert data["why"][0] == "not a list: dated rows only in preview boxes with 更多 links"
    assert data["why"][-1] == "the site's home page: never a column itself"
    assert data["groups"] and all(
        "a preview box (a 更多 link beside it)" in g["notes"] for g in data["groups"]
    )
    article = inspect(
        str(PAGES / "trs_article.html"),
        "--url",
        "http://xxgk.hcvc.example.cn/jbxx/gzzd/202407/t20240715_4721.html",
        "--today",
        "2026-07-20",
        "--json",
    )
    why = json.loads(article.stdout)["why"]
    assert any(
        w.startswith("article: date 2024-07-16 from label:发布日期 (a publication label or meta)")
        for w in why
    )


def test_why_shows_what_the_spider_decides_beyond_the_page() -> None:
    """The spider's own decisions are in `why` (lines starting `spider:`) and in `spider` of the JSON: a start
    page's client redirect, the postback pages it posts for, the JSON source of a script-filled list, and
    why a script's request cannot be read."""
    from cmssite import XXGK, CmsSite

    site = CmsSite().start()
    try:

        def spider(path: str) -> list[str]:
            done = inspect(site.url(XXGK, path), "--today", "2026-11-26", "--json")
            assert done.returncode == 0, done.stderr
            data = json.loads(done.stdout)
            assert [w.removeprefix("spider: ") for w in data["why"] if w.startswith("spider: ")] == data[
                "spider"
            ]
            return list(data["spider"])

        (redirect,) = spider("/")
        assert redirect.startswith(
            f"client redirect: as a start page it is followed to {site.url(XXGK, '/xxgk/index.htm')}"
        )
        (postback,) = spider("/xxgk/rsxx/list.aspx")
        assert postback.startswith("postback pager: 2 more pages posted for with the page's form")
        assert f"{site.url(XXGK, '/xxgk/rsxx/list.aspx')}#postback=gvList:2" in postback
        (json_source,) = spider("/xxgk/xsgz/list.htm")
        assert site.url(XXGK, "/xxgk/api/articles?columnId=12&page=1") in json_source
        (blocked,) = spider("/xxgk/xyxw/list.htm")
        assert blocked.startswith("script-filled list: blocked, needs JavaScript")
        assert spider("/xxgk/tzgg/list.htm") == []  # a plain list: nothing beyond the extractor
        text = inspect(site.url(XXGK, "/xxgk/rsxx/list.aspx"), "--today", "2026-11-26").stdout
        assert "  spider: postback pager: 2 more pages" in text
    finally:
        site.stop()
