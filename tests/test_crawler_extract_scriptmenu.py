"""The readers of script-built navigation (crawler/extract/jsliteral.py, menuentries.py, scriptmenu.py) on
shapes real CMS templates use, written here independently of the crawl test site (tests/scriptmenusite.py)."""

from __future__ import annotations

from datetime import date

from crawler.extract import parse_page
from crawler.extract.dom import build_doc
from crawler.extract.jsliteral import literals, strings_soup
from crawler.extract.menuentries import json_entries, menu_entries
from crawler.extract.scriptmenu import menu_like, menu_requests, script_links, script_menu

BASE = "http://www.example.edu.cn/"


def test_a_data_literal_gives_entries_by_their_values_whatever_the_keys() -> None:
    script = """
    var columns = [
      {"lmmc": "学校概况", "lj": "/xxgk/xxgk.htm", "sub": [{"lmmc": "学校章程", "lj": "/xxgk/zc.htm"}]},
      {label: '招生就业', target: 'zsjy/index.jhtml', sort: 3},
    ];
    """
    entries = [e for value in literals(script) for e in menu_entries(value)]
    assert ("/xxgk/xxgk.htm", "学校概况") in entries
    assert ("/xxgk/zc.htm", "学校章程") in entries  # children are entries too
    assert ("zsjy/index.jhtml", "招生就业") in entries
    assert len(entries) == 3


def test_dated_objects_are_rows_not_menu_entries() -> None:
    news = '{"list": [{"title": "关于放假的通知", "url": "/info/1.htm", "date": "2026-11-02"}]}'
    assert json_entries(news) == []
    menu = '{"code": 0, "data": [{"menuName": "信息公开", "menuUrl": "/xxgk/"},'
    menu += ' {"menuName": "首页", "menuUrl": "/"}]}'
    assert json_entries(menu) == [("/xxgk/", "信息公开"), ("/", "首页")]
    assert json_entries('{"data": [{"menuName": "信息公开", "menuUrl": "/xxgk/"}]}') == []  # one is no menu


def test_html_written_by_a_script_is_read_but_a_computed_link_is_not() -> None:
    script = (
        'document.write(\'<ul class="nav"><li><a href="/jwc/">教务处</a></li>\');'
        "document.write('<li><a href=\"' + base + '/kyc/\">科研处</a></li></ul>');"
        'el.innerHTML = "<a href=\'/tsg/\'>" + "图书馆</a>";'
    )
    soup = strings_soup(script)
    assert "教务处" in soup
    links = dict((name, url) for url, name in script_links(script))
    assert links.get("教务处") == "/jwc/"
    assert links.get("图书馆") == "/tsg/"  # a concatenation of written-out strings is written out
    assert "科研处" not in links  # its URL is computed at run time: not taken


def test_menu_requests_are_found_in_the_usual_calls() -> None:
    script = """
    $.getJSON('/api/channel/tree', function (d) { render(d); });
    fetch("/portal/menu.json").then(r => r.json());
    axios.get('/cms/nav/list', {params: {site: 1}});
    $.get('/e/extend/hits.php?id=3');
    """
    found = dict(menu_requests(script))
    assert set(found) == {
        "/api/channel/tree",
        "/portal/menu.json",
        "/cms/nav/list",
        "/e/extend/hits.php?id=3",
    }
    menus = {url for url, context in found.items() if menu_like(url, context)}
    assert menus == {"/api/channel/tree", "/portal/menu.json", "/cms/nav/list"}  # not the hit counter


HEAD = '<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某学院</title></head>'
TODAY = date(2026, 11, 26)


def _page(body: str) -> str:
    return f"{HEAD}<body>{body}</body></html>"


def test_an_empty_menu_container_names_its_sources_and_says_it_is_unread() -> None:
    html = _page(
        '<div class="header"><ul id="mainNav"></ul></div>'
        '<script src="/static/js/jquery.min.js"></script><script src="/static/js/navbar.js"></script>'
        "<script>$('#mainNav').load('/inc/topnav.html');</script>"
    )
    doc = build_doc(BASE, html)
    assert doc is not None
    menu = script_menu(doc)
    assert menu.links == ()
    assert BASE + "static/js/navbar.js" in menu.sources and BASE + "inc/topnav.html" in menu.sources
    assert BASE + "static/js/jquery.min.js" not in menu.sources  # a library, not the menu
    assert menu.unread and "mainNav" in menu.unread


def test_a_menu_written_by_the_server_is_not_script_built() -> None:
    items = "".join(f'<li><a href="/c{i}/">栏目{i}</a></li>' for i in range(6))
    html = _page(f'<ul class="nav">{items}</ul><ul class="menu-sub"></ul><script>var x = 1;</script>')
    doc = build_doc(BASE, html)
    assert doc is not None
    assert script_menu(doc).unread is None


def test_a_page_of_script_navigation_is_navigation_not_a_javascript_challenge() -> None:
    html = _page(
        '<div id="nav"></div><script>var nav = [{"name": "信息公开", "url": "/xxgk/"},'
        ' {"name": "通知公告", "url": "/tzgg/"}];</script>'
    )
    page = parse_page(BASE, html.encode(), today=TODAY)
    assert page.kind != "blocked", page.blocked_reason
    nav = {link.url: link.text for link in page.links if link.role == "nav"}
    assert nav.get(BASE + "xxgk/") == "信息公开" and nav.get(BASE + "tzgg/") == "通知公告"


def test_a_template_block_gives_its_links() -> None:
    html = _page(
        '<ul id="menu"></ul><script type="text/html" id="tpl">'
        '<li><a href="/xxgk/jbxx/">基本信息</a></li><li><a href="/xxgk/zsks/">招生考试</a></li></script>'
        "<script>render('#menu', '#tpl');</script>"
    )
    page = parse_page(BASE, html.encode(), today=TODAY)
    nav = {link.url: link.text for link in page.links if link.role == "nav"}
    assert nav.get(BASE + "xxgk/jbxx/") == "基本信息" and nav.get(BASE + "xxgk/zsks/") == "招生考试"
    assert page.menu_script is None  # the entries were on the page
