"""The generated college: hosts, columns, list pages and articles, rendered as HTML on demand.

Why generated and not the demo college: the benchmark needs a site whose size is a parameter (the base site
and one 10× larger), whose pages can change by an exact fraction between recrawls (1 %), and whose markup is
plain enough that the bare Scrapy baseline and the product fetch exactly the same pages. The layout follows
the common CMS shape (a nav of columns, list pages of "link + date" rows with a pager of
首页/上页/下页/尾页, articles with a PubDate meta, a breadcrumb and some attachments), and pages carry
the chrome a real college page carries, so bytes per page are realistic (~8–12 KB).

Time is simulated: `day` is days after `as_of`; columns marked active gain an item every `spacing` days, so
`set_day(7 * w)` gives the site as it stands w weeks later (used for 52 stored weekly crawls).
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from html import escape

COLUMN_NAMES = (
    "通知公告", "学校概况", "规章制度", "发展规划", "招生信息", "就业指导", "财务公开", "采购公告",
    "人事招聘", "干部任免", "收费标准", "学生资助", "教学质量", "学术委员会", "教代会", "后勤服务",
    "校企合作", "巡视整改", "学风建设", "信访举报",
)  # fmt: skip
GROUP = 8  # columns per nav category
CATEGORY_NAMES = (
    "基本信息",
    "招生考试",
    "财务资产",
    "人事师资",
    "教学质量",
    "学生管理",
    "学风建设",
    "对外交流",
)
SITE_KINDS = ("disclosure", "portal", "department", "department", "department", "department")
WORDS = "学校召开关于做好年度工作的通知会议公示结果名单招聘计划办法实施细则报告专项检查安排"
SENTENCE = "为进一步加强学校信息公开工作，规范办事程序，提高工作效率，经研究决定，现将有关事项通知如下。"
# The boilerplate every page of a CMS site carries: styles, scripts, header and footer (~6 KB).
CHROME_CSS = (
    "<style>"
    + "".join(f".c{i}{{margin:{i}px;padding:{i % 7}px;color:#{i:06x}}}" for i in range(130))
    + "</style>"
)
CHROME_JS = (
    "<script>var _cms={site:1,ver:'5.3'};function nav(i){return document.getElementById('n'+i)}</script>"
)
FOOTER = (
    '<div class="footer"><p>版权所有 © 滨江城市职业学院 地址：滨江市学府路1号 邮编：310000</p>'
    "<p>电话：0571-00000000 ICP备00000000号 公安备案号 00000000000000</p>"
    + "".join(f'<a href="#f{i}">友情链接{i}</a>' for i in range(30))
    + "</div>"
)


def category_name(g: int) -> str:
    return CATEGORY_NAMES[g % len(CATEGORY_NAMES)] + ("" if g < len(CATEGORY_NAMES) else str(g))


@dataclass(frozen=True, slots=True)
class SiteShape:
    """How big the generated college is. `scale` multiplies the columns of every host."""

    hosts: int = 4
    columns: int = 5  # per host, at scale 1
    list_pages: int = 3  # per column at day 0
    rows: int = 15  # rows per list page
    attachment_every: int = 10  # one article in N links an attachment
    scale: int = 1

    @property
    def columns_per_host(self) -> int:
        return self.columns * self.scale


@dataclass(slots=True)
class Column:
    host: int
    index: int  # within its host
    name: str
    spacing: int  # days between two items
    active: bool  # gains items as days pass
    newest: date  # the newest item's date at day 0
    count0: int  # items at day 0

    @property
    def key(self) -> str:
        return f"c{self.index}"

    def item_date(self, k: int) -> date:
        """Item k (0 = the oldest) was published on this day."""
        return self.newest - timedelta(days=(self.count0 - 1 - k) * self.spacing)

    def count_on(self, today: date) -> int:
        if not self.active or today <= self.newest:
            return self.count0
        return self.count0 + (today - self.newest).days // self.spacing


@dataclass(slots=True)
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"


@dataclass
class GeneratedSite:
    """The whole college; `render(host, path)` is the only thing the server asks of it."""

    shape: SiteShape = field(default_factory=SiteShape)
    as_of: date = field(default_factory=date.today)
    seed: int = 7
    college: str = "滨江城市职业学院"  # shown in every page's header
    day: int = 0
    versions: dict[tuple[int, str], int] = field(default_factory=dict)  # pages edited since day 0

    def __post_init__(self) -> None:
        rng = random.Random(self.seed)
        self.columns: list[list[Column]] = []
        for h in range(self.shape.hosts):
            cols = []
            for c in range(self.shape.columns_per_host):
                active = rng.random() < 0.6
                spacing = rng.choice((3, 5, 7, 10, 14)) if active else rng.choice((20, 30, 45))
                age = rng.randint(0, spacing - 1) if active else rng.randint(120, 400)
                name = COLUMN_NAMES[c % len(COLUMN_NAMES)] + ("" if c < len(COLUMN_NAMES) else str(c))
                count0 = self.shape.rows * self.shape.list_pages
                cols.append(Column(h, c, name, spacing, active, self.as_of - timedelta(days=age), count0))
            self.columns.append(cols)

    # -- state ---------------------------------------------------------------------------------------------
    @property
    def today(self) -> date:
        return self.as_of + timedelta(days=self.day)

    def set_day(self, day: int) -> None:
        self.day = day

    def html_paths(self, host: int) -> list[str]:
        """Every HTML page of one host as it stands today (home, list pages, articles)."""
        paths = ["/index.htm"]
        for col in self.columns[host]:
            paths += [self.list_path(col, k) for k in range(1, self.pages_of(col) + 1)]
            paths += [self.article_path(col, k) for k in range(col.count_on(self.today))]
        return paths

    def list_pages(self) -> list[tuple[int, str]]:
        """Every list page of every host: (host, path)."""
        return [
            (h, self.list_path(col, k))
            for h, cols in enumerate(self.columns)
            for col in cols
            for k in range(1, self.pages_of(col) + 1)
        ]

    def page_count(self) -> int:
        return sum(len(self.html_paths(h)) for h in range(self.shape.hosts))

    def edit(self, fraction: float, seed: int = 1) -> int:
        """Change the text of `fraction` of all HTML pages (an article's body, a list page's row title)."""
        every = [(h, p) for h in range(self.shape.hosts) for p in self.html_paths(h)]
        chosen = random.Random(seed).sample(every, max(1, round(fraction * len(every))))
        for key in chosen:
            self.versions[key] = self.versions.get(key, 0) + 1
        return len(chosen)

    # -- URLs ----------------------------------------------------------------------------------------------
    def pages_of(self, col: Column) -> int:
        return max(1, -(-col.count_on(self.today) // self.shape.rows))

    @staticmethod
    def list_path(col: Column, k: int) -> str:
        return f"/list/{col.key}.htm" if k == 1 else f"/list/{col.key}/{k}.htm"

    @staticmethod
    def article_path(col: Column, k: int) -> str:
        return f"/info/{col.index + 1}/{1000 + k}.htm"

    # -- rendering -----------------------------------------------------------------------------------------
    def render(self, host: int, path: str) -> Page | None:
        """The page at `path` on host number `host`, or None (404)."""
        if host >= self.shape.hosts:
            return None
        if path in ("/", "/index.htm"):
            return self._html(host, "/index.htm", "首页", self._home(host))
        if path == "/robots.txt":
            return Page(b"User-agent: *\nAllow: /\n", "text/plain")
        parts = path.strip("/").removesuffix(".htm").split("/")
        try:
            if parts[0] == "list":
                col = self.columns[host][int(parts[1].removeprefix("c"))]
                k = int(parts[2]) if len(parts) == 3 else 1
                if path != self.list_path(col, k) or not 1 <= k <= self.pages_of(col):
                    return None
                return self._html(host, path, col.name, self._list(host, col, k), col)
            if parts[0] == "info" and len(parts) == 3:
                col = self.columns[host][int(parts[1]) - 1]
                k = int(parts[2]) - 1000
                if not 0 <= k < col.count_on(self.today):
                    return None
                return self._html(host, path, self._title(col, k), self._article(host, col, k), col)
            if parts[0] == "files" and len(parts) == 2:
                return Page(b"%PDF-1.4\n" + 2000 * b"0" + b"\n%%EOF\n", "application/pdf")
        except (ValueError, IndexError):
            return None
        return None

    def _title(self, col: Column, k: int) -> str:
        rng = random.Random(hash((col.host, col.index, k)) & 0xFFFF)
        words = "".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18)))
        return f"{col.name}：关于{words}的通知（{k}）"

    def _nav(self, host: int, current: Column | None) -> str:
        """Two levels, as college sites have: the categories, then the columns of the current category. So a
        page carries about as many links on the 10× site as on the base site (only the categories grow)."""
        cols = self.columns[host]
        tops = "".join(
            f'<li id="n{g}"><a href="{self.list_path(first, 1)}">{escape(category_name(g))}</a></li>'
            for g, first in enumerate(cols[::GROUP])
        )
        sub = ""
        if current is not None:
            first = current.index - current.index % GROUP
            sub = "".join(
                f'<li><a href="{self.list_path(c, 1)}">{escape(c.name)}</a></li>'
                for c in cols[first : first + GROUP]
            )
        return (
            f'<div class="nav"><a href="/index.htm">首页</a><ul>{tops}</ul><ul class="sub">{sub}</ul></div>'
        )

    def _html(self, host: int, path: str, title: str, main: str, current: Column | None = None) -> Page:
        edits = self.versions.get((host, path), 0)
        note = f'<p class="rev">本页已于第{edits}次修订后更新。</p>' if edits else ""
        kind = SITE_KINDS[host % len(SITE_KINDS)]
        html = (
            f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{escape(title)}</title>'
            f"{CHROME_CSS}{CHROME_JS}</head><body>"
            f'<div class="header"><h2>{escape(self.college)} · {kind}{host}</h2></div>'
            f"{self._nav(host, current)}"
            f'<div class="main">{main}{note}</div>{FOOTER}</body></html>'
        )
        return Page(html.encode("utf-8"))

    def _home(self, host: int) -> str:
        latest = sorted(
            ((col.item_date(col.count_on(self.today) - 1), col) for col in self.columns[host]),
            key=lambda t: t[0],
            reverse=True,
        )[:8]
        rows = "".join(
            f'<li><a href="{self.article_path(c, c.count_on(self.today) - 1)}">'
            f"{escape(self._title(c, c.count_on(self.today) - 1))}</a><span>{d.isoformat()}</span></li>"
            for d, c in latest
        )
        return f'<div class="latest"><h3>最新动态</h3><ul>{rows}</ul></div>'

    def _list(self, host: int, col: Column, k: int) -> str:
        count = col.count_on(self.today)
        pages = self.pages_of(col)
        newest_first = range(
            count - 1 - (k - 1) * self.shape.rows, max(-1, count - 1 - k * self.shape.rows), -1
        )
        rows = "".join(
            f'<li id="line_u6_{i}"><a href="{self.article_path(col, j)}" title="{title}">{title}</a>'
            f'<span class="date">{col.item_date(j).isoformat()}</span></li>'
            for i, j, title in ((i, j, escape(self._title(col, j))) for i, j in enumerate(newest_first))
        )
        pager = [f"<span>共{count}条 {k}/{pages}</span>", f'<a href="{self.list_path(col, 1)}">首页</a>']
        if k > 1:
            pager.append(f'<a href="{self.list_path(col, k - 1)}">上页</a>')
        if k < pages:
            pager.append(f'<a href="{self.list_path(col, k + 1)}">下页</a>')
        pager.append(f'<a href="{self.list_path(col, pages)}">尾页</a>')
        crumb = f'<div class="crumb">当前位置：<a href="/index.htm">首页</a> &gt; {escape(col.name)}</div>'
        return (
            f'{crumb}<h1>{escape(col.name)}</h1><ul class="list">{rows}</ul>'
            f'<div class="pagebar">{"".join(pager)}</div>'
        )

    def _article(self, host: int, col: Column, k: int) -> str:
        day = col.item_date(k)
        title = escape(self._title(col, k))
        rng = random.Random(k * 31 + col.index)
        body = "".join(f"<p>{SENTENCE * rng.randint(2, 5)}</p>" for _ in range(4))
        attach = ""
        if self.shape.attachment_every and k % self.shape.attachment_every == 0:
            attach = f'<p>附件：<a href="/files/{col.index}_{k}.pdf">{title}.pdf</a></p>'
        return (
            f'<meta name="PubDate" content="{day.isoformat()} 09:00"><meta name="ColumnName" '
            f'content="{escape(col.name)}"><div class="crumb">当前位置：<a href="/index.htm">首页</a> &gt; '
            f'<a href="{self.list_path(col, 1)}">{escape(col.name)}</a> &gt; 正文</div>'
            f'<h1>{title}</h1><div class="info">发布时间：{day.isoformat()} '
            f"浏览量：{rng.randint(10, 999)}</div>"
            f'<div id="vsb_content"><div class="v_news_content">{body}</div></div>{attach}'
        )


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha1(body).hexdigest()[:20] + '"'
