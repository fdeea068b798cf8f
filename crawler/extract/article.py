"""Article pages: the publication date a reader sees, the attachments, the heading and the main text.

The date comes, in order of trust, from the CMS's own meta (`<META Name="PubDate">`), a labelled line
(发布时间：/发布日期:/[ 发布日期 ]), a date printed right under the heading, and last the date a CMS writes
into the URL (a hint, marked as such). Last-Modified is never a publication date and is not looked at here.

The main text is the body alone: storage hashes it to tell an edited article from a page whose furniture
changed, so the heading, the info line (发布时间 / 来源 / 点击数: hit counters change on every visit),
上一篇/下一篇 links and link lists (related articles) are left out of it, wherever the main block puts them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from urllib.parse import unquote

from lxml import etree

from storage.records import Link

from .dates import date_from_url, find_dates, find_labelled_dates, parse_date
from .dom import Anchor, Doc, collapse, el_text, text_chunks

__all__ = ["ArticleFacts", "attachments", "find_article", "is_attachment"]

_EXT = r"pdf|docx?|xlsx?|pptx?|zip|rar|7z|wps|et|dps|txt|csv|ofd|ceb|caj"
_PATH_EXT = re.compile(rf"\.({_EXT})$", re.I)
_ANY_EXT = re.compile(rf"\.({_EXT})(?![A-Za-z0-9])", re.I)
_TEXT_EXT = re.compile(rf"\.({_EXT})\s*[)）]?\s*$", re.I)
_META_NAMES = (
    "pubdate",
    "publishdate",
    "publish_date",
    "publishtime",
    "publish-date",
    "article:published_time",
    "og:article:published_time",
    "og:release_date",
    "datepublished",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "firstpublishedtime",
    "releasedate",
    "weibo:article:create_at",
    "date",
)
_CONTENT_MARK = re.compile(
    r"vsb_content|v_news_content|wp_articlecontent|trs_editor|article[-_]?content|news[-_]?content|"
    r"content[-_]?detail|detail[-_]?content|\bzoom\b|arti_content|entry-content|post-content|main-?text|"
    r"textinfo|art[-_]?con|news[-_]?text|article[-_]?body",
    re.I,
)
_BLOCKS = {
    "div",
    "td",
    "article",
    "section",
    "main",
    "body",
    "li",
    "dd",
    "form",
    "table",
    "tbody",
    "ul",
    "center",
}
_HEADINGS = ("h1", "h2", "h3")
# Furniture inside an article's main block, left out of its text (see the module docstring).
_FURNITURE_CHARS = 200  # a longer element is body text (or holds some): look inside it
_PREV_NEXT = re.compile(
    r"^[\[【(（<《]?\s*(?:上一篇|下一篇|上一条|下一条|上一则|下一则|上一页|下一页|上篇|下篇|前一篇|后一篇|"
    r"上一個|下一個|上一條|下一條|(?:previous|next|prev)\b)",
    re.I,
)
_COUNTER = re.compile(
    r"(?:点击|點擊|浏览|瀏覽|阅读|閱讀|访问|訪問)(?:数|數|次数|次數|量|次|人次)?\s*[:：]|\b(?:views|hits|visits)\s*:",
    re.I,
)
_INFO_LABEL = re.compile(
    r"(?:来源|來源|作者|编辑|編輯|责任编辑|责编|发布者|发布人|發布者|供稿|审核|審核|审稿|摄影|撰稿|"
    r"发布部门|发布单位|文章来源|信息来源)\s*[:：]"
)
_LINK_SHARE = 0.6  # an element with two or more links whose text is mostly link text is a link list
_TITLE_SPLIT = re.compile(r"\s*(?:--|[-_|–—·]|\s{2,})\s*")
_LABEL_REST = re.compile(
    r"[\s\[\]【】()（）:：|/·]+|发布时间|发布日期|更新时间|更新日期|日期|时间|時間|发布|\d{1,2}:\d{2}(:\d{2})?"
)
_INFO_START = re.compile(
    r"^\s*(?:(?:19|20|１９|２０)[0-9０-９]{2}\s*[-/.年－／．]|(?:发布|发表|更新|时间|日期|来源|作者|点击|浏览)\S{0,3}\s*[:：])"
)
_LABEL_ONLY = re.compile(r"^(?:发布时间|发布日期|更新时间|日期|时间|点击|浏览|来源|作者)\s*[:：]\s*$")
_TITLE_MARK = re.compile(r"title|tit\b|tit_|_tit|bt\b|heading|biaoti|subject", re.I)


@dataclass(slots=True)
class ArticleFacts:
    """What an article-shaped page shows: its date and where that came from, heading, main text.

    The heading's and the main text's words are read only for a page that is an article (`words`): deciding
    the kind needs the main block's size, not its text, and most pages crawled are list pages.
    """

    published: date | None
    published_source: str | None
    strong_date: bool  # from a meta or a 发布时间-type label: the page says it is an article
    text_chars: int  # non-link text in the main block
    content_marked: bool  # the main block carries a known article-body class (vsb_content, TRS_Editor …)
    block: etree._Element | None = None  # the main block
    heading_el: etree._Element | None = None  # the heading element

    def words(self, doc: Doc, skip: set[etree._Element], today: date) -> tuple[str | None, str]:
        """(heading, main text) as a person reads them; `skip` and `today` as given to `find_article`."""
        block, heading_el = self.block, self.heading_el
        text = _body_text(doc, block, heading_el, skip, today) if block is not None else ""
        heading = heading_text(heading_el, today) if heading_el is not None else None
        return heading, text


def is_attachment(a: Anchor) -> bool:
    """A link to a document file: by its path, a filename in its query (download.jsp?…), or its text."""
    if a.attachment is None:
        path, _, query = a.url.partition("?")
        text = a.text or a.title
        a.attachment = bool(
            _PATH_EXT.search(path)
            or (query and "." in query and _ANY_EXT.search(unquote(query)))
            or (text and "." in text and _TEXT_EXT.search(text))
        )
    return a.attachment


def attachments(doc: Doc) -> list[Link]:
    """Document links outside navigation, once each, in page order."""
    out: list[Link] = []
    seen: set[str] = set()
    for a in doc.anchors:
        if not a.nav and a.url not in seen and is_attachment(a):
            seen.add(a.url)
            out.append(Link(url=a.url, text=a.text or a.title, role="attachment"))
    return out


_FREE_TEXT = etree.XPath("//body//text()[not(ancestor::a[@href])]")


_WRAPPER_BODY = 300  # characters outside the rows that make a list's article-named wrapper an article body
_WRAPPER_DATED_BODY = 50  # the same when the page also states its own publication date


def _main_block(doc: Doc, skip: set[etree._Element], dated: bool) -> tuple[etree._Element | None, int, bool]:
    """The element holding most text outside links (its own and its direct block children's).

    A block named like an article body (vsb_content, article-content …) is taken first, but its name is only a
    hint: one that wraps the page's rows is the list's wrapper unless it holds a body of its own beside them.
    """
    for el in doc.marked(_CONTENT_MARK):
        if _inside(el, skip):
            continue
        size = sum(len(c) for c in text_chunks(el, skip, limit=20000))
        wrapper = any(_inside(rows, {el}) for rows in skip)
        if wrapper and size < (_WRAPPER_DATED_BODY if dated else _WRAPPER_BODY):
            continue
        if size >= 10:
            return el, size, True
    own: dict[etree._Element, int] = {}
    block_of: dict[etree._Element, etree._Element] = {}
    for text in _FREE_TEXT(doc.root):
        size = len(text.strip())
        if not size:
            continue
        node = text.getparent()
        if node is not None and text.is_tail:
            node = node.getparent()
        if node is None:
            continue
        block = block_of.get(node)
        if block is None:
            walk: etree._Element | None = node
            path = []
            while walk is not None and walk.tag not in _BLOCKS:
                path.append(walk)
                walk = walk.getparent()
            block = walk if walk is not None else node
            for seen in path:
                block_of[seen] = block
            block_of[node] = block
        own[block] = own.get(block, 0) + size
    if skip:
        for block in [b for b in own if _inside(b, skip)]:
            del own[block]
    totals = dict(own)
    for block, size in own.items():
        parent = block.getparent()
        while parent is not None and parent.tag not in _BLOCKS:
            parent = parent.getparent()
        if parent is not None:
            totals[parent] = totals.get(parent, 0) + size
    if not totals:
        return None, 0, False
    best = max(totals, key=lambda b: totals[b])
    return best, totals[best], False


def _inside(el: etree._Element, skip: set[etree._Element]) -> bool:
    if not skip:
        return False
    node: etree._Element | None = el
    while node is not None:
        if node in skip:
            return True
        node = node.getparent()
    return False


def _heading(doc: Doc, skip: set[etree._Element]) -> etree._Element | None:
    """The article's heading: an h1-h3 or title-classed element, preferring one the <title> repeats."""
    best: etree._Element | None = None
    best_score = -1
    candidates = [el for el in doc.body.iter(*_HEADINGS)] + doc.marked(_TITLE_MARK)
    longest = max(_TITLE_SPLIT.split(doc.head_title), key=len) if doc.head_title else ""
    for el in candidates:
        if _inside(el, skip):
            continue
        text = el_text(el)
        links = doc.link_count.get(el, 0)
        if not 4 <= len(text) <= 150 or links > 1:
            continue
        score = 1
        if len(longest) >= 4 and longest in text:
            score += 5  # says the <title>'s longest part: the article's own name, not the site's
        elif doc.head_title and (text in doc.head_title or doc.head_title.split("-")[0].strip() in text):
            score += 4
        if links == 1 and any(el_text(a) == text for a in el.iter("a")):
            score -= 3  # a heading that is one link (the site's logo <h1><a href="/">) names another page
        if el.tag == "h1":
            score += 2
        elif el.tag in ("h2", "h3"):
            score += 1
        if score > best_score:
            best, best_score = el, score
    return best


def _near_heading(heading: etree._Element, today: date, skip: set[etree._Element]) -> date | None:
    """A date printed right under the heading (the rows of a list below it are not)."""
    pieces: list[str] = []
    node: etree._Element | None = heading
    for _ in range(3):
        if node is None:
            break
        sib = node.getnext()
        for _ in range(3):
            if sib is None:
                break
            if not (_inside(sib, skip) or any(_inside(rows, {sib}) for rows in skip)):
                pieces.append(el_text(sib)[:200])
            sib = sib.getnext()
        node = node.getparent()
        if pieces:
            break
    for piece in pieces:
        hits = find_dates(piece, today=today)
        if hits:
            return hits[0][0]
    return None


def find_article(
    doc: Doc, skip: set[etree._Element], today: date, visible: list[str] | None = None
) -> ArticleFacts:
    """Publication date, heading and main text, reading outside the row containers in `skip`.

    `visible` is the page's text pieces when the caller has them already (they are not recomputed).
    """
    published: date | None = None
    source: str | None = None
    strong = False
    for name in _META_NAMES:
        value = doc.metas.get(name)
        if value:
            published = parse_date(value, today=today)
            if published:
                source, strong = f"meta:{name}", True
                break
    if published is None:
        page_text = " ".join(visible if visible is not None else text_chunks(doc.body, limit=60000))
        for container in skip:
            inner = " ".join(text_chunks(container, limit=60000))
            if inner:
                page_text = page_text.replace(inner, " ", 1)
        labelled = find_labelled_dates(page_text, today=today)
        ranked = sorted(labelled, key=lambda t: not t[2])
        if ranked:
            published, label, strong = ranked[0]
            source = f"label:{label}"
    heading_el = _heading(doc, skip)
    if published is None and heading_el is not None:
        published = heading_date(heading_el, today) or _near_heading(heading_el, today, skip)
        source = "heading" if published else None
    if published is None:
        published = date_from_url(doc.url, today=today)
        source = "url" if published else None
    block, chars, marked = _main_block(doc, skip, strong)
    return ArticleFacts(published, source, strong, chars, marked, block, heading_el)


def heading_text(el: etree._Element, today: date) -> str:
    """A heading as a person reads the title: without the date, label or counter printed inside the same box
    (`<b>关于…的通知</b><i>时间：2026-07-08</i>`, `<h1>标题<br><span>2026-06-30 来源：…</span></h1>`)."""
    info = _heading_info(el, today)
    pieces = text_chunks(el, set(info), limit=2000)
    kept = [p for p in pieces if not (_info_line(p, today) or _date_piece(p, today))]
    return collapse("".join(kept)) if kept else el_text(el)


def heading_date(el: etree._Element, today: date) -> date | None:
    """A date printed inside the heading box, beside the title (see `heading_text`)."""
    for part in _heading_info(el, today):
        hits = find_dates(el_text(part), today=today)
        if hits:
            return hits[0][0]
    return None


def _heading_info(el: etree._Element, today: date) -> list[etree._Element]:
    """Elements inside a heading after its first text that start with a date or an info label, or are an
    info line: the title comes first, the date and source follow it."""
    out: list[etree._Element] = []
    seen_text = bool(collapse(el.text))
    for child in el.iter():
        if child is el or not isinstance(child.tag, str) or any(_inside(child, {o}) for o in out):
            continue
        text = el_text(child)
        if not text:
            continue
        if (
            seen_text
            and len(text) <= 120
            and (_INFO_START.match(text) or _info_line(text, today) or _date_piece(text, today))
        ):
            out.append(child)
            continue
        if collapse(child.text):
            seen_text = True
    return out


def _date_piece(text: str, today: date) -> bool:
    """A short piece that is a date, or a labelled date (时间：2026-07-08), and nothing more."""
    if len(text) > 40:
        return False
    hits = find_dates(text, today=today)
    if not hits:
        return bool(_LABEL_ONLY.match(text))
    rest = text.replace(hits[0][1], "", 1)
    return len(_LABEL_REST.sub("", rest)) == 0


def _info_line(text: str, today: date) -> bool:
    """A short text that is an article's info line: a hit counter, a publication label with a date, or a
    date / source / author line (a bare "时间：…" alone may be a meeting time in the body, so it stays)."""
    if _COUNTER.search(text):
        return True
    labelled = find_labelled_dates(text, today=today)
    if any(strong for _, _, strong in labelled):
        return True
    labels = len(_INFO_LABEL.findall(text))
    return labels >= 2 or (labels >= 1 and bool(labelled))


def _title_parts(head_title: str) -> set[str]:
    """The <title> and its longest part ("标题-站点名", "站点名--标题"): a block element saying just that is
    the heading, even when it is no h1 or title-classed element (old table layouts: <font><b>标题</b>).
    Only the longest part: the shorter one is the site's name, which a signature line may repeat."""
    if not head_title:
        return set()
    longest = max(_TITLE_SPLIT.split(head_title), key=len)
    return {head_title, longest} if len(longest) >= 4 else {head_title}


def _furniture(doc: Doc, el: etree._Element, titles: set[str], today: date) -> bool:
    """An element of the main block that is not body text: a heading, prev/next links, an info line, a link
    list."""
    text = el_text(el)
    if not text:
        return False
    if len(text) <= _FURNITURE_CHARS and (
        text in titles or _PREV_NEXT.match(text) or _info_line(text, today)
    ):
        return True
    if doc.link_count.get(el, 0) < 2:
        return False
    anchors = [doc.by_el[a] for a in el.iter("a") if a in doc.by_el]
    linked = sum(len(a.text) for a in anchors if not is_attachment(a))
    return linked >= _LINK_SHARE * len(text)


def _body_text(
    doc: Doc, block: etree._Element, heading: etree._Element | None, skip: set[etree._Element], today: date
) -> str:
    """The main block's text without its furniture (heading, info line, prev/next, link lists).

    Loose text pieces (an info line written straight into the block, no element of its own) are dropped
    too, with the bare number of a hit counter that follows one. A block that is all furniture keeps its
    whole text: an article that is a list of links is still that list.
    """
    drop = set(skip)
    if heading is not None:
        drop.add(heading)
    titles = _title_parts(doc.head_title)
    stack = list(block)
    while stack:
        el = stack.pop()
        if not isinstance(el.tag, str) or el in drop:
            continue
        if _furniture(doc, el, titles, today):
            drop.add(el)
        else:
            stack.extend(el)
    pieces: list[str] = []
    after_counter = False
    for piece in text_chunks(block, drop, limit=20000):
        if after_counter and piece.isdigit():
            after_counter = False
            continue
        after_counter = False
        if len(piece) <= _FURNITURE_CHARS and (_PREV_NEXT.match(piece) or _info_line(piece, today)):
            after_counter = bool(re.search(r"[:：]\s*$", piece)) and bool(_COUNTER.search(piece))
            continue
        pieces.append(piece)
    if not pieces:
        pieces = text_chunks(block, limit=20000)
    return collapse(" ".join(pieces))[:20000]
