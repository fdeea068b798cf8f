"""The entry point: one page's bytes in, one `PageParse` out; pure, and never raises.

Decode once, parse once, then ask each extractor in turn. `analyse_page` also returns the intermediate facts
(why the page got its kind, every row group, the pager's text) for `crawler.inspect`. What column assembly
needs (where the column name came from, the 下一页 link) is on the `PageParse` itself, so storage keeps it and
a 304 gets it back.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from datetime import date

from lxml import etree

from crawler.sniff import not_html
from storage.records import PageParse, Row

from .article import attachments, find_article
from .classify import blocked_reason, decide_kind
from .decode import decode_body
from .dom import Doc, build_doc, text_chunks
from .links import collect_links
from .names import column_name, find_breadcrumb
from .pager import Pager, find_pager
from .rows import RowGroup, choose_main, find_row_groups, rows_from_selector
from .scriptmenu import script_menu

__all__ = ["PageAnalysis", "analyse_page", "parse_page"]

log = logging.getLogger(__name__)


@dataclass(slots=True)
class PageAnalysis:
    """A `PageParse` plus how it was reached: what `xxgk inspect` shows, what column records need."""

    parse: PageParse
    kind_reason: str = ""
    groups: list[RowGroup] = field(default_factory=list)
    main_group: RowGroup | None = None
    pager_text: str = ""
    trace: list[str] = field(default_factory=list)  # the rules that decided the kind, in order (for inspect)
    pager_anchor: etree._Element | None = None  # one link of the pager block (for inspect)

    @property
    def column_name_source(self) -> str | None:
        """Where the column name came from (see `PageParse.column_name_source`)."""
        return self.parse.column_name_source

    @property
    def pager_next(self) -> str | None:
        """The pager's 下一页 link (see `PageParse.pager_next`)."""
        return self.parse.pager_next


def analyse_page(
    url: str,
    body: bytes,
    *,
    content_type: str | None = None,
    header_charset: str | None = None,
    link_text: str | None = None,
    selectors: dict[str, str] | None = None,
    today: date,
) -> PageAnalysis:
    """Everything the extractor sees in one page. Never raises: junk yields kind "other"."""
    digest = hashlib.sha256(body).hexdigest()
    try:
        return _analyse(url, body, digest, content_type, header_charset, link_text, selectors or {}, today)
    except Exception as exc:  # hostile bytes must never stop a crawl; the page is recorded as "other"
        log.warning("extraction failed for %s: %r", url, exc)
        return PageAnalysis(
            PageParse(url=url, content_hash=digest, kind="other"), kind_reason=f"error: {exc!r}"
        )


def parse_page(
    url: str,
    body: bytes,
    *,
    content_type: str | None = None,
    header_charset: str | None = None,
    link_text: str | None = None,
    selectors: dict[str, str] | None = None,
    today: date,
) -> PageParse:
    """What the crawler stores for one page body (see `analyse_page`)."""
    return analyse_page(
        url,
        body,
        content_type=content_type,
        header_charset=header_charset,
        link_text=link_text,
        selectors=selectors,
        today=today,
    ).parse


def _analyse(
    url: str,
    body: bytes,
    digest: str,
    content_type: str | None,
    header_charset: str | None,
    link_text: str | None,
    selectors: dict[str, str],
    today: date,
) -> PageAnalysis:
    day0 = today
    why_not = not_html(content_type, body)
    if why_not:
        return PageAnalysis(
            PageParse(url=url, content_hash=digest, kind="other"), kind_reason=f"not HTML: {why_not}"
        )
    text, encoding = decode_body(body, header_charset)
    doc = build_doc(url, text)
    if doc is None:
        return PageAnalysis(
            PageParse(url=url, content_hash=digest, kind="other", encoding=encoding),
            kind_reason="no document",
        )

    groups = find_row_groups(doc, day0)
    pager = find_pager(doc)
    main: RowGroup | None = None
    if selectors.get("row"):
        main = rows_from_selector(doc, selectors["row"], selectors.get("row_date"), day0)
        if main is not None:
            groups = [main, *groups]
    if main is None:
        main = choose_main(groups, pager.anchor)
    if selectors.get("pager_next"):
        _apply_pager_selector(doc, pager, selectors["pager_next"])

    visible = text_chunks(doc.body, limit=60000)
    visible_text = " ".join(visible)
    has_password = doc.root.find(".//input[@type='password']") is not None or (
        doc.root.find(".//input[@type='PASSWORD']") is not None
    )
    list_like = main is not None and (main.dated >= 2 or bool(pager.urls))
    skip = {main.container, *main.extra_containers} if main is not None and list_like else set()
    article = find_article(doc, skip, day0, visible)
    has_content = list_like or article.strong_date or article.text_chars >= 400
    breadcrumb = find_breadcrumb(doc)
    scripted = script_menu(doc)  # a menu only a script draws: a page of navigation, not a challenge
    reason = blocked_reason(
        doc,
        len(visible_text),
        has_password,
        has_content,
        scripted_menu=bool(scripted.links or scripted.sources),
    )
    atts = attachments(doc)
    if reason:
        kind, why = "blocked", reason
        trace = [f"blocked: the page stands in for the content ({reason})"]
    else:
        verdict = decide_kind(doc, groups, main, pager, article, breadcrumb, len(atts), visible_text)
        kind, why, trace = verdict.kind, verdict.reason, verdict.trace

    is_list = kind == "list" and main is not None
    rows: list[Row] = list(main.rows) if is_list and main is not None else []
    name_container = main.container if main is not None and kind in ("list", "empty") else None
    if kind == "blocked":  # a login or challenge page's own title is not the column's name
        name, name_source = (link_text, "link_text") if link_text else (None, None)
    else:
        name, name_source = column_name(
            doc,
            breadcrumb,
            name_container,
            link_text,
            selectors.get("column_name"),
            article=kind == "article",
        )
    heading, body_text = article.words(doc, skip, day0) if kind == "article" else (None, "")
    in_list = kind in ("list", "empty")
    content_urls = {r.url for g in groups for r in g.rows}
    menu = scripted if kind != "blocked" or reason == "needs_js" else None
    links = collect_links(doc, pager.urls, content_urls, menu)
    parse = PageParse(
        url=url,
        content_hash=digest,
        kind=kind,
        encoding=encoding,
        title=(heading or doc.head_title or None) if kind == "article" else (doc.head_title or None),
        column_name=name,
        column_name_source=name_source if name else None,
        breadcrumb=breadcrumb,
        published=article.published if kind == "article" else None,
        published_source=article.published_source if kind == "article" else None,
        rows=rows,
        pager=list(pager.urls) if in_list else [],
        pager_first=pager.first if in_list else None,
        pager_next=pager.next if in_list else None,
        pager_partial=pager.partial and in_list,
        links=links,
        attachments=atts if kind == "article" else [],
        blocked_reason=reason,
        menu_script=menu.unread if menu is not None else None,
        text="\n".join(r.title for r in rows) if is_list else body_text,
    )
    return PageAnalysis(
        parse,
        kind_reason=why,
        groups=groups,
        main_group=main,
        pager_text=pager.text,
        trace=trace,
        pager_anchor=pager.anchor,
    )


def _apply_pager_selector(doc: Doc, pager: Pager, css: str) -> None:
    """A per-site CSS override for the next-page link (config `selectors.pager_next`)."""
    from lxml.cssselect import CSSSelector

    try:
        hits = CSSSelector(css)(doc.root)
    except Exception:  # a bad selector in config falls back to the general method
        return
    for el in hits:
        a = doc.by_el.get(el)
        if a is None:
            for inner in el.iter("a"):
                a = doc.by_el.get(inner)
                if a is not None:
                    break
        if a is not None and a.url != doc.url:
            pager.next = a.url
            if a.url not in pager.urls:
                pager.urls.append(a.url)
            if pager.anchor is None:
                pager.anchor = a.el
            return
