"""Script-filled lists (crawler/scripted.py), soft 404s (crawler/softnotfound.py) and WebForms postback
pagers (crawler/postback.py), page by page."""

from __future__ import annotations

import json
from datetime import date

import pytest

from crawler.extract.dom import build_doc
from crawler.extract.pager import Pager, find_pager
from crawler.jsonrows import json_page
from crawler.postback import postback_key, postback_pager
from crawler.postjson import PostKey, post_key, split_post_key
from crawler.scripted import script_source
from crawler.sniff import looks_json
from crawler.softnotfound import soft_not_found
from storage.records import PageParse

BASE = "http://s.example.edu.cn/xsgz/list.htm"
HOSTS = frozenset({"s.example.edu.cn"})
TODAY = date(2026, 11, 26)


def _list_page(script: str, container: str = '<ul class="news-list" id="list"></ul>') -> bytes:
    return f"<html><body><h2>学生工作</h2>{container}<script>{script}</script></body></html>".encode()


@pytest.mark.parametrize(
    ("script", "endpoint"),
    [
        (
            "fetch('/api/list?col=3&page=' + n).then(r => r.json())",
            "http://s.example.edu.cn/api/list?col=3&page=1",
        ),
        (
            "$.ajax({url: 'data.jsp', data: {pageNo: 1, col: 'tz'}, success: f})",
            "http://s.example.edu.cn/xsgz/data.jsp?pageNo=1&col=tz",
        ),
        ("axios.get('/api/news?current=1').then(f)", "http://s.example.edu.cn/api/news?current=1"),
        (
            "var x = new XMLHttpRequest(); x.open('GET', '/list.json'); x.send()",
            "http://s.example.edu.cn/list.json",
        ),
        (
            "var api = '/api/list'; var col = \"12\";\n"
            "$.ajax({type: 'get', url: api + '?columnId=' + col + '&pageNo=' + pageNo, dataType: 'json'})",
            "http://s.example.edu.cn/api/list?columnId=12&pageNo=1",
        ),
        (
            "$.ajax({ url: '/api/news', data: { pageIndex: pageIndex, pageSize: 15, cid: 'tz' } })",
            "http://s.example.edu.cn/api/news?pageIndex=1&pageSize=15&cid=tz",
        ),
        ("$.getJSON('/api/news', {page: 1}, render)", "http://s.example.edu.cn/api/news?page=1"),
    ],
)
def test_the_endpoint_is_read_from_the_pages_own_script(script: str, endpoint: str) -> None:
    source = script_source(_list_page(script), "utf-8", BASE, HOSTS)
    assert source is not None and source.endpoint == endpoint


@pytest.mark.parametrize(
    "script",
    [
        "$.ajax({url: cfg.api + '/list', success: f})",  # built at run time
        "fetch('/api/list?col=' + col + '&page=' + n)",  # a variable mid-URL
        # POSTs whose body only the browser knows: asking by GET would read another answer (or a 405)
        "$.post('/api/list', {col: getColumn()}, f)",
        "$.post('/api/list', params, f)",
        "$.ajax({url: '/api/list', type: 'POST', data: query, success: f})",
        "fetch('/api/list', { method: 'POST', body: new FormData(form) }).then(draw)",
        "axios.post('/api/list', { col: vm.column, page: 1 })",
    ],
)
def test_an_unreadable_request_says_it_needs_javascript(script: str) -> None:
    source = script_source(_list_page(script), "utf-8", BASE, HOSTS)
    assert source is not None and source.endpoint is None and "needs JavaScript" in source.reason


@pytest.mark.parametrize(
    ("script", "url", "fields", "as_json"),
    [
        ("$.post('/api/list', {col: 3}, f)", "http://s.example.edu.cn/api/list", [("col", "3")], False),
        (
            "fetch('/api/list', { method: 'POST', body: JSON.stringify({ col: 3, page: 1 }) }).then(draw)",
            "http://s.example.edu.cn/api/list",
            [("col", "3"), ("page", "1")],
            True,
        ),
        (
            "fetch(\"/api/list\", {headers: {'Content-Type': 'application/json'}, method: \"post\"})",
            "http://s.example.edu.cn/api/list",
            [],
            True,
        ),
        (
            "fetch('/api/list', {method: 'POST', body: 'col=3&pageNo=1'})",
            "http://s.example.edu.cn/api/list",
            [("col", "3"), ("pageNo", "1")],
            False,
        ),
        (
            'var pageIndex = 1;\n$.ajax({url: "/ajax/List.ashx", type: "POST", dataType: "json",\n'
            "  data: {nodeId: 15, pageIndex: pageIndex, pageSize: 8}, success: f});",
            "http://s.example.edu.cn/ajax/List.ashx",
            [("nodeId", "15"), ("pageIndex", "1"), ("pageSize", "8")],
            False,
        ),
        (
            "$.ajax({type: 'post', url: 'list.do', contentType: 'application/json',"
            " data: JSON.stringify({channelId: '12', pageNum: n}), success: f})",
            "http://s.example.edu.cn/xsgz/list.do",
            [("channelId", "12"), ("pageNum", "1")],
            True,
        ),
        (
            "axios.post('/api/cms/page', { channelId: 12, current: this.current, size: 10 })",
            "http://s.example.edu.cn/api/cms/page",
            [("channelId", "12"), ("current", "1"), ("size", "10")],
            True,
        ),
    ],
)
def test_a_post_whose_body_the_script_states_is_read(
    script: str, url: str, fields: list[tuple[str, str]], as_json: bool
) -> None:
    source = script_source(_list_page(script), "utf-8", BASE, HOSTS)
    assert source is not None and source.endpoint is not None, source
    assert split_post_key(source.endpoint) == PostKey(url, tuple(fields), as_json)


def test_a_posted_lists_pages_follow_its_body_page_field() -> None:
    key = post_key("http://s.example.edu.cn/api/list", [("col", "3"), ("pageIndex", "1")])
    answer = {"Total": 3, "Rows": [{"t": "通知一", "d": "2026/11/3 10:00:00", "u": "/a/1.htm"}] * 2}
    rows, following, partial = json_page(key, json.dumps(answer, ensure_ascii=False).encode(), TODAY)  # type: ignore[misc]
    assert (
        len(rows) == 2
        and rows[0].date == date(2026, 11, 3)
        and rows[0].url == "http://s.example.edu.cn/a/1.htm"
    )
    assert following == post_key("http://s.example.edu.cn/api/list", [("col", "3"), ("pageIndex", "2")])
    assert not partial
    last = json_page(following, json.dumps(answer).encode(), TODAY)
    assert last is not None and last[1] is None  # page 2 holds rows 3 and 4 of 3: no page 3
    body, content_type = split_post_key(following).body()  # type: ignore[union-attr]
    assert (body, content_type.split(";")[0]) == (b"col=3&pageIndex=2", "application/x-www-form-urlencoded")
    as_json = PostKey("http://s.example.edu.cn/api/list", (("col", "015"), ("page", "2")), True).body()
    assert json.loads(as_json[0]) == {"col": "015", "page": 2}


@pytest.mark.parametrize(
    "template",
    [
        # Vue: an unrendered v-for row is the list's template, not a row
        '<ul class="news-list"><li v-for="item in list" :key="item.id"><a :href="item.url">{{ item.title }}'
        "</a><span>{{ item.date }}</span></li></ul>",
        '<table class="list"><tbody><tr v-for="r in rows"><td>{{ r.title }}</td></tr></tbody></table>',
        '<ul id="newsList"><li ng-repeat="n in news">{{n.title}}</li></ul>',  # AngularJS
        '<div class="list"><template v-for="x in list"><p>{{ x.title }}</p></template></div>',
    ],
)
def test_a_container_holding_only_a_template_is_empty(template: str) -> None:
    script = "axios.get('/api/news', { params: { cid: 3, pageNo: vm.pageNo, pageSize: 10 } }).then(f)"
    source = script_source(_list_page(script, template), "utf-8", BASE, HOSTS)
    assert (
        source is not None
        and source.endpoint == "http://s.example.edu.cn/api/news?cid=3&pageNo=1&pageSize=10"
    )


def test_a_page_with_rows_or_without_an_empty_list_is_no_script_list() -> None:
    counter = "$.get('/count.jsp?id=5', function (n) { $('#hits').text(n); })"
    assert script_source(_list_page(counter, "<p>正文</p>"), "utf-8", BASE, HOSTS) is None
    full = '<ul class="list"><li><a href="/a.htm">通知</a></li></ul>'
    assert script_source(_list_page("fetch('/api/list')", full), "utf-8", BASE, HOSTS) is None


def test_json_rows_are_found_by_their_values_and_paged() -> None:
    records = [
        {
            "id": 7,
            "fbsj": "2026-11-0" + str(9 - i) + " 10:00:00",
            "bt": f"关于第{i}项工作的通知",
            "lj": f"/info/{i}.htm",
        }
        for i in range(10)
    ]
    body = json.dumps({"code": 200, "result": {"total": 25, "list": records}}, ensure_ascii=False).encode()
    rows, following, partial = json_page("http://s.example.edu.cn/api/list?col=3&pageNo=1", body, TODAY)  # type: ignore[misc]
    assert [(r.title, r.url, r.date) for r in rows[:2]] == [
        ("关于第0项工作的通知", "http://s.example.edu.cn/info/0.htm", date(2026, 11, 9)),
        ("关于第1项工作的通知", "http://s.example.edu.cn/info/1.htm", date(2026, 11, 8)),
    ]
    assert following == "http://s.example.edu.cn/api/list?col=3&pageNo=2" and not partial
    last = json_page("http://s.example.edu.cn/api/list?col=3&pageNo=3", body, TODAY)
    assert last is not None and last[1] is None  # 3 pages of 10 hold the 25


def test_jsonp_is_read_and_a_total_beyond_an_unpaged_answer_is_partial() -> None:
    rows = [{"t": f"通知{i}", "d": "2026-11-0" + str(i + 1), "u": f"/a/{i}.htm"} for i in range(3)]
    body = "jQuery1234_567(" + json.dumps({"count": 40, "list": rows}, ensure_ascii=False) + ");"
    got = json_page("http://s.example.edu.cn/api/list?col=3", body.encode(), TODAY)
    assert got is not None and len(got[0]) == 3 and got[1] is None and got[2] is True
    assert looks_json(None, body.encode()) and not looks_json(None, b"<html><body>x</body></html>")


def test_epoch_milliseconds_are_a_date_in_the_colleges_day() -> None:
    body = json.dumps([{"name": "学院简讯", "time": 1763913600000, "href": "a.htm"}], ensure_ascii=False)
    rows, _, _ = json_page(BASE, body.encode(), TODAY)  # type: ignore[misc]
    assert rows[0].date == date(2025, 11, 24)  # 2025-11-23T16:00Z is the 24th in Beijing


def test_an_empty_array_is_an_empty_page_and_other_json_is_unreadable() -> None:
    assert json_page(BASE, b'{"total": 0, "rows": []}', TODAY) == ([], None, False)
    assert json_page(BASE, b'{"status": "ok", "user": {"name": "x"}}', TODAY) is None
    assert json_page(BASE, b"<html>", TODAY) is None


def _parsed(kind: str = "other", published: date | None = None) -> PageParse:
    return PageParse(url=BASE, content_hash="h", kind=kind, published=published)


@pytest.mark.parametrize(
    "html",
    [
        "<title>页面不存在</title><body><p>返回首页</p></body>",
        "<title>示范学院</title><body><div class=nav><a href=/>首页</a></div>"
        "<p>您访问的页面不存在或已被删除！</p></body>",
        "<title>404 Not Found - 示范学院</title><body><h1>出错了</h1></body>",
        "<title>提示</title><body><p>对不起，您要查看的信息不存在或已被删除。</p></body>",
        # 动易's error template: neither the title nor a 不存在 says it
        "<title>错误信息</title><body><table><tr><td><b>产生错误的可能原因：</b><br><li>找不到指定的栏目！</li>"
        "</td></tr></table></body>",
        "<title>提示信息</title><body><p>找不到该文章，请返回。</p></body>",
    ],
)
def test_a_page_that_says_it_does_not_exist_is_a_soft_404(html: str) -> None:
    reason = soft_not_found(_parsed(), f"<html><head>{html}</html>".encode())
    assert reason is not None and reason.startswith("soft 404")


def test_content_that_mentions_a_missing_page_is_no_soft_404() -> None:
    long = (
        "<title>关于网站改版的通知</title><body><p>"
        + "旧版网站部分页面不存在，请从新版首页进入。" * 40
        + "</p></body>"
    )
    assert soft_not_found(_parsed(), f"<html><head>{long}</html>".encode()) is None
    dated = "<title>页面不存在问题的处理办法</title><body><p>x</p></body>"
    assert soft_not_found(_parsed("article", date(2026, 1, 5)), dated.encode()) is None
    # an empty list or search says it found nothing: that is an empty column, not a missing page
    for empty in ("没有找到相关信息", "未找到相关内容", "暂无信息"):
        page = f"<html><head><title>通知公告</title></head><body><p>{empty}</p></body></html>"
        assert soft_not_found(_parsed("empty"), page.encode()) is None, empty


def _webforms(links: str) -> bytes:
    return (
        '<html><body><form id="form1" method="post"><input type="hidden" name="__VIEWSTATE" value="x">'
        f"<table>{links}</table></form></body></html>"
    ).encode()


def test_gridview_and_aspnetpager_postbacks_are_pages_by_number() -> None:
    grid = (
        "".join(f"<a href=\"javascript:__doPostBack('gv','Page${n}')\">{n}</a>" for n in (1, 3, 4))
        + "<a href=\"javascript:__doPostBack('gv','Page$Next')\">下一页</a>"
    )
    got = postback_pager(_webforms(grid), "utf-8", 2)
    assert [(p.target, p.argument, p.number) for p in got] == [
        ("gv", "Page$1", 1),
        ("gv", "Page$3", 3),  # Page$Next is the same page: one request
        ("gv", "Page$4", 4),
    ]
    pager = "<a href=\"javascript:__doPostBack('AspNetPager1','2')\">2</a>" + (
        "<a onclick=\"__doPostBack('AspNetPager1','9')\">尾页</a>"
    )
    assert [p.number for p in postback_pager(_webforms(pager), "utf-8", 1)] == [2, 9]
    assert postback_key("http://s/l.aspx", "gv", 1) == "http://s/l.aspx"
    assert postback_key("http://s/l.aspx#postback=gv:2", "gv", 3) == "http://s/l.aspx#postback=gv:3"


def test_other_postbacks_are_no_pager() -> None:
    links = "<a href=\"javascript:__doPostBack('gv','Select$3')\">查看</a>" + (
        "<a href=\"javascript:__doPostBack('btnSearch','')\">搜索</a>"
    )
    assert postback_pager(_webforms(links), "utf-8", 1) == []
    no_form = b"<a href=\"javascript:__doPostBack('gv','Page$2')\">2</a>"
    assert postback_pager(no_form, "utf-8", 1) == []


def _pager_of(body: str, url: str = "http://s.example.edu.cn/jxky/index.htm") -> Pager:
    doc = build_doc(url, f"<html><body><ul class='list'><li>x</li></ul>{body}</body></html>")
    assert doc is not None
    return find_pager(doc)


@pytest.mark.parametrize(
    ("script", "page3"),
    [
        ('function goPage(n) { window.location.href = "index_" + n + ".htm"; }', "index_3.htm"),
        (
            "var base = 'list_'; function goPage(p){ location.href = base + (p - 1) + '.html'; }",
            "list_2.html",
        ),
        (
            "goPage = function (i) { if (i == 1) { location.href = 'index.htm'; } else { "
            "location.replace('index_' + parseInt(i) + '.htm'); } }",
            "index_3.htm",
        ),
    ],
)
def test_a_script_pager_with_a_readable_template_is_followed(script: str, page3: str) -> None:
    links = "".join(f'<a href="javascript:goPage({n})">{n}</a>' for n in (2, 3))
    pager = _pager_of(
        f'<div class="page">{links}<a href="javascript:goPage(2)">下一页</a></div><script>{script}</script>'
    )
    assert f"http://s.example.edu.cn/jxky/{page3}" in pager.urls and not pager.partial
    assert pager.next is not None


def test_a_script_pager_that_submits_a_form_is_partial() -> None:
    links = "".join(f'<a href="javascript:void(0)" onclick="turnPage({n})">{n}</a>' for n in (2, 3))
    script = "<script>function turnPage(n){ document.f.pageNo.value = n; document.f.submit(); }</script>"
    pager = _pager_of(f'<div class="pagination">{links}</div>{script}')
    assert pager.partial and pager.urls == []


@pytest.mark.parametrize(
    "control",
    [
        '<a href="javascript:;" id="loadMore">点击加载更多</a>',
        '<button class="btn-more" type="button">加载更多</button>',
        '<div class="more" onclick="more()">查看更多</div>',
        '<a href="#" class="load">Load more</a>',
    ],
)
def test_a_load_more_button_makes_the_count_partial(control: str) -> None:
    script = "<script>var p = 1; function more(){ p++; $.get('/api/list?page=' + p, draw); }</script>"
    pager = _pager_of(f"{control}{script}")
    assert pager.partial and pager.urls == []


def test_a_more_link_to_a_page_is_no_load_more_button() -> None:
    pager = _pager_of('<a href="/tzgg/index.htm">查看更多</a><script>var x = 1;</script>')
    assert not pager.partial


def test_tabs_that_call_a_function_with_a_number_are_no_pager() -> None:
    tabs = "".join(f'<a href="javascript:showTab({n})">栏目{n}</a>' for n in (1, 2, 3))
    pager = _pager_of(f"<div class='tabs'>{tabs}</div><script>function showTab(n){{}}</script>")
    assert not pager.partial and pager.urls == []
