"""What a page is: blocked, article, list, empty or other, decided from facts the other modules found.

The order matters. A challenge or login page must never look like a stale column (blocked first); an article
with a "related articles" box must not look like a list (article before list); a home page's teaser boxes are
previews of columns, not a column (they carry 更多 links, and no single box holds most of the dated rows).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lxml import etree

from .article import ArticleFacts
from .dom import Doc, collapse
from .pager import Pager
from .rows import RowGroup

__all__ = ["Verdict", "blocked_reason", "decide_kind", "is_home_url"]

_CHALLENGE_SCRIPT = re.compile(
    r"\$_ts|__jsl_clearance|acw_sc__v2|_waf_|challenge-platform|cf_chl_|yunsuo_session"
)
_NEEDS_JS = re.compile(
    r"(开启|启用|打开|允许|支持)\s*(浏览器的?|您的?)?\s*(JavaScript|javascript|JS|js)|enable JavaScript|"
    r"JavaScript (is )?(disabled|required)|(JavaScript|javascript).{0,6}(已禁用|被禁用|未启用)",
)
_CAPTCHA = re.compile(r"验证码|人机验证|安全验证|滑动验证|拖动滑块|请完成验证|我不是机器人|captcha", re.I)
_CAPTCHA_SCRIPT = re.compile(r"geetest|recaptcha|hcaptcha|TencentCaptcha|captcha", re.I)
_WAF = re.compile(
    r"访问被(阻断|拦截|拒绝)|网站防火墙|安全狗|云锁|请求带有不合法参数|疑似黑客攻击|"
    r"Access Denied|Request Rejected",
    re.I,
)
_EMPTY = re.compile(
    r"暂无(相关)?(信息|内容|数据|记录|文章|新闻|公告|通知|资料|公开信息)|没有(相关|找到|任何)?的?(信息|内容|数据|记录|文章)|"
    r"该栏目(下)?(暂无|没有)|(栏目|列表)为空|No (data|records|content|items)|Nothing found",
    re.I,
)
_ZERO_COUNT = re.compile(r"共\s*0\s*(条|篇|页|项)|总共\s*0\s*(条|记录)|总记录数?\s*[:：]?\s*0\b|\b0\s*条记录")
_ARTICLE_LEAVES = {"正文", "详情", "正文内容", "文章内容", "浏览文章", "查看内容", "详细内容", "内容"}
_MOUNT_IDS = {"app", "root", "__nuxt", "__next", "q-app", "vue-app", "main-app"}
_INLINE_REQUEST = re.compile(
    r"\bfetch\s*\(|XMLHttpRequest|\$\s*\.\s*(ajax|get|getJSON|post)\b|\baxios\b", re.I
)
_HOME_PATHS = re.compile(r"^/?((index|default|main|home)\.(s?html?|jsp|php|aspx?|psp))?$", re.I)


# Links outside an empty app mount point that make it a served page with a menu, not an app's shell.
SERVED_MENU = 3
# Characters of non-link text in one block that make an undated page an article (a text page, 单页).
UNDATED_TEXT = 200


@dataclass(slots=True)
class Verdict:
    kind: str
    reason: str  # in words, for inspect: why this kind
    trace: list[str] = field(default_factory=list)  # each rule asked, in order, and what it answered


def is_home_url(url: str) -> bool:
    """The site's root page (/, /index.html …): a home page is never a column."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return not parts.query and bool(_HOME_PATHS.match(parts.path))


def blocked_reason(
    doc: Doc, visible_chars: int, has_password: bool, has_content: bool, *, scripted_menu: bool = False
) -> str | None:
    """login | captcha | js_challenge | waf | needs_js when the page stands in for the content, else None.
    `scripted_menu`: the page's scripts draw a menu crawler/extract/scriptmenu.py can read or fetch — a
    page with no link and little text is then a page of navigation, not a challenge."""
    links = len(doc.anchors)
    small = visible_chars < 300 and links < 8
    if has_password and not has_content and (links <= 25 or visible_chars < 800):
        return "login"
    if has_content:
        return None
    text_sample = " ".join(x for x in (doc.noscript, doc.head_title) if x)
    if small and _CHALLENGE_SCRIPT.search(doc.scripts):
        return "js_challenge"
    if visible_chars < 60 and _app_shell(doc):
        return "needs_js"
    if visible_chars < 600 and links < 10:
        body_text = "".join(doc.body.itertext())[:3000]
        if _CAPTCHA.search(body_text) and (doc.root.find(".//input") is not None or small):
            return "captcha"
        if _WAF.search(body_text) or _WAF.search(doc.head_title):
            return "waf"
        if small and (_NEEDS_JS.search(body_text) or _NEEDS_JS.search(text_sample)):
            return "js_challenge"
    if small and _CAPTCHA_SCRIPT.search(doc.scripts):
        return "captcha"
    if visible_chars < 30 and links == 0 and doc.script_count and not doc.extra_links and not scripted_menu:
        return "js_challenge"
    return None


def _app_shell(doc: Doc) -> bool:
    """A single-page app's shell (Vue, React, Nuxt): an empty mount point and script bundles, no inline
    script request the crawler could read the rows from (crawler/scripted.py reads those), and no menu the
    server wrote around the mount point (its links are the site's, followed like any page's)."""
    if not doc.script_count or _INLINE_REQUEST.search(doc.scripts):
        return False
    for el in doc.body.iter():
        if (el.get("id") or "").lower() in _MOUNT_IDS or el.get("data-v-app") is not None:
            if collapse("".join(el.itertext())):
                return False
            outside = [a for a in doc.anchors if a.text and not _inside(a.el, el)]
            return len(outside) < SERVED_MENU
    return False


def _inside(node: etree._Element, ancestor: etree._Element) -> bool:
    return any(p is ancestor for p in node.iterancestors())


def decide_kind(
    doc: Doc,
    groups: list[RowGroup],
    main: RowGroup | None,
    pager: Pager,
    article: ArticleFacts,
    breadcrumb: tuple[str, ...],
    attachment_count: int,
    visible_text: str,
) -> Verdict:
    """article → list → empty → other (blocked is decided before, by `blocked_reason`)."""
    home = is_home_url(doc.url)
    pager_main = bool(pager.urls) and main is not None
    list_ok = False
    list_why = ""
    if main is not None:
        others = sum(g.dated for g in groups if not g.teaser and not g.nested)
        teasers = sum(g.dated for g in groups if g.teaser and not g.nested)
        # A short column (one item, or mostly undated items) is still a column when it is the page's only
        # dated structure under a breadcrumb that does not end in an article's 正文.
        lone_column = (
            bool(breadcrumb)
            and breadcrumb[-1] not in _ARTICLE_LEAVES
            and not home
            and not teasers
            and main.dated == others
            and not article.strong_date
        )
        if main.single or (main.dated == 1 and len(main.rows) >= 2):
            if lone_column:
                list_ok, list_why = True, f"the only dated list under a breadcrumb ({len(main.rows)} rows)"
            else:
                list_why = "a single dated row without a breadcrumb"
        elif pager_main:
            list_ok, list_why = True, f"{len(main.rows)} rows with a pager"
        elif main.dated >= 2 and main.dated * 2 >= others:
            if teasers > 2 * main.dated and not breadcrumb:
                list_why = "dated rows sit mostly in teaser boxes (更多 links)"
            else:
                list_ok, list_why = True, f"{main.dated} dated rows of {others + teasers} on the page"
        else:
            list_why = f"largest row group holds {main.dated} of {others} dated rows"
        if list_ok and home and not pager_main:
            list_ok, list_why = False, "site home page: its boxes preview columns"
        elif list_ok and main.nav and not pager_main and _EMPTY.search(visible_text):
            list_ok, list_why = False, "the only dated rows sit in a sidebar; the page says it is empty"

    if main is None and any(g.teaser for g in groups):
        list_why = "dated rows only in preview boxes with 更多 links"
    elif main is None and groups:
        list_why = "no group of dated rows stands out as the page's own (navigation, nested or single rows)"
    trace = [f"{'list' if list_ok else 'not a list'}: {list_why or 'no group of dated rows'}"]
    evidence = article.content_marked or attachment_count > 0 or article.text_chars >= 150
    shown = article.published is not None and article.published_source != "url"
    article_ok = article.strong_date or (shown and evidence)
    article_ok = article_ok or (article.content_marked and article.text_chars >= 50)
    if not article_ok and not list_ok:
        # An undated article still reads as one: a trail ending in 正文, or a body of text with attachments.
        # And so does a page that is a body of text and nothing else (an undated 学校概况 / 领导分工 page):
        # no list, no date, but a text block of its own.
        trail_says = bool(breadcrumb) and breadcrumb[-1] in _ARTICLE_LEAVES
        text_page = article.text_chars >= UNDATED_TEXT and not home
        article_ok = trail_says or (article.text_chars >= 300 and attachment_count > 0) or text_page
    trace.append(
        f"{'article' if article_ok else 'not an article'}: {_article_words(article, attachment_count)}"
    )
    if article_ok and list_ok and main is not None:
        weak_article = article.text_chars < 300 and not article.content_marked and not attachment_count
        if (pager_main and not article.content_marked) or (main.dated >= 5 and weak_article):
            article_ok = False
            trace.append(
                "the rows outweigh the article: "
                + (
                    "a pager and no article body"
                    if pager_main
                    else "5+ dated rows, under 300 characters of text"
                )
            )
    if home:
        trace.append("the site's home page: never a column itself")
    if article_ok and not home:
        return Verdict("article", f"publication date from {article.published_source or 'none'}", trace)
    if list_ok:
        return Verdict("list", list_why, trace)
    if not home:
        m = _EMPTY.search(visible_text)
        if m and not any(g.teaser for g in groups):  # an overview page's empty box is not an empty column
            return Verdict("empty", f"says {m.group(0)}", [*trace, f"empty: the page says {m.group(0)}"])
        if _ZERO_COUNT.search(pager.text or "") or (main is None and _ZERO_COUNT.search(visible_text)):
            return Verdict("empty", "pager counts 0 items", [*trace, "empty: the pager counts 0 items"])
    if not list_why and any(g.teaser for g in groups):
        list_why = "dated rows only in preview boxes with 更多 links"
    return Verdict("other", list_why or "no group of dated rows", trace)


def _article_words(article: ArticleFacts, attachment_count: int) -> str:
    """An article's evidence in words: its own date and where it came from, its body, its attachments."""
    if article.published is None:
        date_words = "no publication date of its own"
    else:
        strength = " (a publication label or meta)" if article.strong_date else ""
        date_words = f"date {article.published.isoformat()} from {article.published_source}{strength}"
    marked = ", in a block named like an article body" if article.content_marked else ""
    return (
        f"{date_words}; {article.text_chars} characters of text outside the rows{marked}; "
        f"{attachment_count} attachment{'s' if attachment_count != 1 else ''}"
    )
