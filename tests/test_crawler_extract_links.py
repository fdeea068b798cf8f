"""Outgoing links: absolute, once each, fragments stripped, junk schemes dropped, each with its role."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from crawler.extract import parse_page

PAGES = Path(__file__).parent / "pages"
TODAY = date(2026, 7, 20)


def links_of(body: str, url: str = "http://x.example.cn/a/b/list.htm") -> dict[str, str]:
    return {link.url: link.role for link in parse_page(url, body.encode(), today=TODAY).links}


def test_roles_on_a_vsb_list() -> None:
    page = parse_page(
        "http://www.hcvc.example.cn/tzgg.htm", (PAGES / "vsb_list.htm").read_bytes(), today=TODAY
    )
    roles = {link.url: link.role for link in page.links}
    assert roles["http://www.hcvc.example.cn/tzgg/143.htm"] == "pager"
    assert roles["http://www.hcvc.example.cn/info/1074/65321.htm"] == "content"
    assert roles["http://www.hcvc.example.cn/xwzx.htm"] == "nav"
    assert roles["http://www.moe.gov.cn/"] == "nav"  # 友情链接 in the footer
    assert len(roles) == len(page.links)


def test_urls_are_absolute_clean_and_unique() -> None:
    body = (
        '<html><body><div class="content">'
        '<a href="x.htm#top">一</a><a href="x.htm">一again</a><a href="/y.htm?a=1&amp;b=2">二</a>'
        '<a href="javascript:void(0)">js</a><a href="mailto:a@b.cn">mail</a><a href="tel:123">tel</a>'
        '<a href="#sec">frag</a><a href=" ../z.htm\n">三</a><a href="https://other.example.org/p">外</a>'
        '<a href="/doc/a.pdf">附件</a><a>no href</a></div></body></html>'
    )
    assert links_of(body) == {
        "http://x.example.cn/a/b/x.htm": "other",
        "http://x.example.cn/y.htm?a=1&b=2": "other",
        "http://x.example.cn/a/z.htm": "other",
        "https://other.example.org/p": "other",
        "http://x.example.cn/doc/a.pdf": "attachment",
    }


def test_base_href_frames_refresh_and_script_redirects() -> None:
    body = (
        '<html><head><base href="http://x.example.cn/site/">'
        '<meta http-equiv="refresh" content="0; URL=main.htm">'
        "<script>window.location.href = 'portal/index.htm';</script></head>"
        '<frameset><frame src="top.htm"><frame src="left.htm"></frameset></html>'
    )
    assert links_of(body) == {
        "http://x.example.cn/site/top.htm": "nav",
        "http://x.example.cn/site/left.htm": "nav",
        "http://x.example.cn/site/main.htm": "nav",
        "http://x.example.cn/site/portal/index.htm": "nav",
    }


def test_a_boxs_more_link_is_navigation_named_by_its_box() -> None:
    """更多 / MORE+ leads to a column: role nav, and the box's title as its text (更多 names nothing), whether
    the title bar holds the link or a heading precedes it; a 更多 link with no title keeps its own text."""
    body = (
        '<html><body><div class="sy_box"><div class="bt"><b>招标采购</b><a class="more" href="/col/zbcg/">'
        'MORE+</a></div><div class="nr"><p><a href="/art/1.htm">实训设备采购公告</a> (2026-07-01)</p>'
        '<p><a href="/art/2.htm">图书采购公告</a> (2026-06-21)</p></div></div>'
        '<div class="box"><h3>学术活动</h3><ul><li><a href="/art/3.htm">学术报告会</a><span>2026-07-02</span>'
        '</li><li><a href="/art/4.htm">研讨会</a><span>2026-06-30</span></li></ul><p><a href="/col/xshd/">'
        '更多&gt;&gt;</a></p></div><p><a href="/col/qt/">更多</a></p></body></html>'
    )
    links = {link.url: link for link in parse_page("http://x.example.cn/", body.encode(), today=TODAY).links}
    got = {u.removeprefix("http://x.example.cn"): (x.role, x.text) for u, x in links.items() if "/col/" in u}
    assert got == {
        "/col/zbcg/": ("nav", "招标采购"),
        "/col/xshd/": ("nav", "学术活动"),
        "/col/qt/": ("nav", "更多"),
    }
