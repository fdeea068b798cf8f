"""The name a person sees for a column: breadcrumb leaf, list heading, ColumnName meta, <title>, link text.

Reports must name a column the way the school's own site does, so we read the name from what the page shows
(the 当前位置 trail, the heading over the list) before falling back to what the CMS hides in metadata or the
<title>, and finally to the text of the link that led to the page.
"""

from __future__ import annotations

import re

from lxml import etree

from .dom import Doc, collapse, el_text, marker, text_chunks

__all__ = [
    "breadcrumb_leaf",
    "column_name",
    "find_breadcrumb",
    "heading_near",
    "more_link_name",
    "title_without_site",
]

_CRUMB_LABEL = re.compile(
    r"(当前位置|您的位置|你的位置|所在位置|您现在的位置|你现在的位置|当前的位置|您当前的位置|您当前所在位置|"
    r"您所在的位置|现在的位置|現在位置|目前位置|當前位置|您的當前位置|位置(?=\s*[:：]))\s*(?:是|为|在)?\s*[:：]?\s*"
)
_CRUMB_MARK = re.compile(
    r"bread|crumb|position|location|weizhi|dqwz|curpos|current-?nav|site-?path|lujing|wz\b", re.I
)
_CRUMB_TEXT = etree.XPath(".//text()[contains(., '位置')]")
_SEPARATORS = re.compile(r"\s*(?:>>|>|»|›|＞|→|/|\\|＼|》)\s*|\s+[-–—－]\s+")  # 首页 - 通知公告
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN_ONLY = re.compile(r"[A-Za-z][A-Za-z &'.\-]*")
# What may stand between the links of a trail with no label: arrows, never "|" (menus use that).
_TRAIL_GLUE = re.compile(r"^((?:\s*(?:>>|>|»|›|＞|→|/|》)\s*)+)([^>»›＞→/》|]{1,20})?$")
_OUTSIDE_LINKS = etree.XPath(".//text()[not(ancestor::a)]")
_HOME_WORDS = ("首页", "网站首页", "学校首页", "学院首页", "主页", "返回首页", "Home", "home", "HOME")
_LEAF_NOISE = {
    "正文",
    "内容",
    "详情",
    "正文内容",
    "文章内容",
    "浏览文章",
    "查看内容",
    "详细内容",
    "阅读",
    "文章",
    "详细",
    "列表",
    "文章列表",
    "信息列表",
    "内容列表",
    "新闻列表",
    "列表页",
}
_HEAD_MARK = re.compile(r"title|tit\b|tit_|_tit|lm|lanmu|column|channel|head|bt\b|cate|name", re.I)
_TITLE_SPLIT = re.compile(r"\s*(?:--|[-_|｜–—])\s*")
_SITE_WORDS = re.compile(
    r"大学|学院|学校|官网|网站|主页|门户|信息公开网|University|College|School|Institute", re.I
)
_MORE_TAIL = re.compile(r"\s*(更多|查看更多|more|MORE|More)?\s*[>»+＋]*\s*$")


def _trail(el: etree._Element) -> tuple[str, ...]:
    """Trail items after the 当前位置 label: each text piece (link texts are pieces of their own) split at
    the separators."""
    chunks = text_chunks(el, limit=400)
    for i, chunk in enumerate(chunks):
        m = _CRUMB_LABEL.search(chunk)
        if m:
            chunks = [chunk[m.end() :], *chunks[i + 1 :]]
            break
    items: list[str] = []
    for chunk in chunks:
        items.extend(collapse(x).strip(":： ") for x in _SEPARATORS.split(chunk))
    return tuple(x for x in items if x and len(x) <= 40 and x not in ("-", "|", "·"))


def find_breadcrumb(doc: Doc) -> tuple[str, ...]:
    """The 当前位置 trail, as its items (the leaf last); empty when the page has none."""
    labelled: list[etree._Element] = []
    for text in _CRUMB_TEXT(doc.body):
        el = text.getparent()
        if el is not None and text.is_tail:
            el = el.getparent()  # "<b>栏目</b> 当前位置：…": the label is the tail of a sibling
        if el is None:
            continue
        own = str(text)
        m = _CRUMB_LABEL.search(own)
        if m and len(own) < 80:
            node = el
            for _ in range(3):
                if collapse(own[m.end() :]) or doc.link_count.get(node, 0):
                    break  # the trail follows the label in this element
                if _SEPARATORS.search(el_text(node)):
                    break
                parent = node.getparent()
                if parent is None:
                    break
                node = parent
            labelled.append(node)
    marked = [el for el in doc.marked(_CRUMB_MARK) if doc.link_count.get(el, 0) <= 12]
    for el in labelled + marked + _unlabelled_trails(doc):
        text = el_text(el)
        if not text or len(text) > 200:
            continue
        trail = _trail(el)
        if len(trail) >= 2 or (trail and _CRUMB_LABEL.search(text)):
            return trail
    return ()


def _unlabelled_trails(doc: Doc) -> list[etree._Element]:
    """Trails with neither a label nor a telling class: a 首页 link followed by links joined only by arrows
    (`<span class="am-fr"><a>首页</a> > <a>通知公告</a> > <a>学生通知</a></span>`)."""
    found: list[etree._Element] = []
    for a in doc.anchors:
        if a.text not in _HOME_WORDS:
            continue
        node = a.el.getparent()
        for _ in range(2):
            if node is None:
                break
            if 2 <= doc.link_count.get(node, 0) <= 8 and is_trail(node):
                found.append(node)
                break
            node = node.getparent()
    return found


def is_trail(el: etree._Element) -> bool:
    """An element that is links joined by arrows (the last item may be plain text), and nothing else."""
    links = sum(1 for x in el.iter("a") if x is not el)
    if links < 2 or len(el_text(el)) > 120:
        return False
    pieces = [p for p in (collapse(t) for t in _OUTSIDE_LINKS(el)) if p]
    arrows = 0
    for i, piece in enumerate(pieces):
        m = _TRAIL_GLUE.match(piece)
        if m is None:
            return False
        arrows += len(_SEPARATORS.findall(m.group(1)))
        if m.group(2) and i != len(pieces) - 1:
            return False  # words between the links: a sentence or a menu, not a trail
    return arrows >= links - 1


def breadcrumb_leaf(trail: tuple[str, ...]) -> str | None:
    """The column in a trail: the last item, skipping an article's 正文 leaf."""
    items = [t for t in trail if t not in _LEAF_NOISE]
    if len(items) >= 1 and items[-1] not in ("首页", "网站首页", "主页", "Home", "home"):
        return items[-1]
    return None


def heading_near(doc: Doc, container: etree._Element) -> str | None:
    """A short heading printed above a list container (its box's title bar)."""
    node = container
    for _ in range(4):
        parent = node.getparent()
        if parent is None:
            return None
        sib = node.getprevious()
        steps = 0
        while sib is not None and steps < 4:
            if isinstance(sib.tag, str):
                found = _heading_in(doc, sib)
                if found:
                    return found
            sib = sib.getprevious()
            steps += 1
        node = parent
    return None


def more_link_name(doc: Doc, anchor: etree._Element, more: set[etree._Element]) -> str | None:
    """The name of the column a box's 更多 link leads to: the title of its box — the title bar the link sits
    in (`<div class="tit"><span>招标采购</span><a>更多</a></div>`), or a heading printed before it within
    the box (`<h3>学术活动</h3><ul>…</ul><p><a>更多</a></p>`), never past another box (one with a 更多
    link of its own, `more`) or inside a list of links."""
    parent = anchor.getparent()
    if parent is not None:
        own = _heading_in(doc, parent)
        if own:
            return own
    node = anchor
    for _ in range(3):
        up = node.getparent()
        if up is None:
            return None
        sib = node.getprevious()
        while sib is not None:
            if isinstance(sib.tag, str):
                if any(a in more for a in sib.iter("a")):
                    return None  # another box
                if doc.link_count.get(sib, 0) < 2:
                    found = _heading_in(doc, sib)
                    if found:
                        return found
            sib = sib.getprevious()
        node = up
    return None


def _heading_in(doc: Doc, el: etree._Element) -> str | None:
    for cand in el.iter():
        if not isinstance(cand.tag, str):
            continue
        if cand.tag in ("h1", "h2", "h3", "h4", "h5") or _HEAD_MARK.search(marker(cand)):
            if _header_row(cand):
                continue  # cells side by side: a list's header row (序号 名称 发布日期), no heading
            pieces = _own_heading_pieces(doc, cand)
            if any(_CJK.search(p) for p in pieces):  # a bilingual title: 通知公告 and its NOTICE twin
                pieces = [p for p in pieces if not _LATIN_ONLY.fullmatch(p.strip())]
            text = _MORE_TAIL.sub("", collapse("".join(pieces)))
            if _CRUMB_LABEL.search(text):
                text = collapse(text[: _CRUMB_LABEL.search(text).start()])  # type: ignore[union-attr]
            if 2 <= len(text) <= 24 and not _CRUMB_LABEL.match(text):
                return text
    return None


def _header_row(el: etree._Element) -> bool:
    """Three or more children of one tag, each a short label: the column names over a list, not its title
    (a bilingual title box, `<span>通知公告</span><span>NOTICE</span><a>更多</a>`, has two)."""
    counts: dict[str, int] = {}
    for child in el:
        if isinstance(child.tag, str) and 0 < len(el_text(child)) <= 8:
            counts[child.tag] = counts.get(child.tag, 0) + 1
    return any(n >= 3 for n in counts.values())


def _own_heading_pieces(doc: Doc, el: etree._Element) -> list[str]:
    """A heading box's text pieces without the trail or link list it also holds (`<span>学生通知</span>`
    beside `<span><a>首页</a> > <a>通知公告</a></span>`): the name is what the box says, not the whole box."""
    if doc.link_count.get(el, 0) < 2:
        return text_chunks(el, limit=400)
    skip = {
        x
        for x in el.iter()
        if x is not el and isinstance(x.tag, str) and (doc.link_count.get(x, 0) >= 2 or _crumbish(x))
    }
    return text_chunks(el, skip, limit=400)


def _crumbish(el: etree._Element) -> bool:
    text = el_text(el)
    return bool(text) and (bool(_CRUMB_LABEL.match(text)) or bool(_CRUMB_MARK.search(marker(el))))


def title_without_site(title: str) -> str | None:
    """The <title> without the site's name: `通知公告-某某学院` → 通知公告."""
    parts = [p for p in _TITLE_SPLIT.split(title) if p]
    if not parts:
        return None
    for part in parts:
        if not _SITE_WORDS.search(part) and len(part) <= 40:
            return part
    return None


def column_name(
    doc: Doc,
    breadcrumb: tuple[str, ...],
    list_container: etree._Element | None,
    link_text: str | None,
    selector: str | None,
    *,
    article: bool = False,
) -> tuple[str | None, str | None]:
    """(name, source) where source is config | breadcrumb | heading | meta | title | link_text.

    For an article the <title> and the link text name the article itself, so only the trail, the meta and the
    config count.
    """
    if selector:
        from lxml.cssselect import CSSSelector

        try:
            hits = CSSSelector(selector)(doc.root)
        except Exception:  # a bad selector in config falls back to the general method
            hits = []
        for el in hits:
            text = el_text(el)
            if text:
                return text, "config"
    leaf = breadcrumb_leaf(breadcrumb)
    if leaf:
        return leaf, "breadcrumb"
    if list_container is not None:
        heading = heading_near(doc, list_container)
        if heading:
            return heading, "heading"
    meta = doc.metas.get("columnname") or doc.metas.get("column")
    if meta:
        return meta, "meta"
    if article:
        return None, None
    if doc.head_title:
        name = title_without_site(doc.head_title)
        if name:
            return name, "title"
    text = collapse(link_text)
    if text:
        return _MORE_TAIL.sub("", text) or text, "link_text"
    return None, None
