"""`python -m crawler.inspect URL_OR_FILE [--url URL] [--json]`: what the crawler makes of one page.

This is how a user finds out why a column was judged as it was: the page kind and the rules that decided it
(list, article, empty, blocked: what each found), what the spider decides beyond that (`spider:` lines of
`why`: a client redirect it follows, a postback pager it posts for, the JSON source of a script-filled list),
every group of dated rows and which one is the column's (and why the others are not: preview boxes,
navigation, nested), the column name and where it came from, the rows with their dates as printed, the pager
block and its next link, an article's date and attachments, the encoding.
`xxgk inspect` runs this module as a child process (the monitor never imports the crawler).
"""

from __future__ import annotations

import argparse
import json
import socket
import sys
import urllib.error
import urllib.request
from datetime import date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from lxml import etree

from crawler.extract import PageAnalysis, analyse_page
from crawler.plan import DEFAULT_TIMEZONE

USER_AGENT = "xxgk-monitor/0.1 (+college disclosure monitor; inspect)"
TIMEOUT = 20.0
MAX_BYTES = 5_000_000


def fetch(url: str) -> tuple[bytes, str | None, str | None, str]:
    """(body, content type, header charset, final URL) of one GET."""
    request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,*/*"})
    with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
        body = response.read(MAX_BYTES)
        return (
            body,
            response.headers.get("Content-Type"),
            response.headers.get_content_charset(),
            response.url,
        )


def fetch_failure(url: str, exc: BaseException) -> str:
    """Why `url` could not be inspected, in words: its HTTP answer, or why no answer came."""
    if isinstance(exc, urllib.error.HTTPError):
        return f"{url} answered HTTP {exc.code} {exc.reason}: no page to inspect"
    reason = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(reason, socket.gaierror):
        why = "its host name does not resolve (DNS lookup failed)"
    elif isinstance(reason, ConnectionRefusedError):
        why = "the connection was refused (nothing serves that address and port)"
    elif isinstance(reason, TimeoutError | socket.timeout):
        why = f"no answer within {TIMEOUT:.0f} s (timeout)"
    else:
        why = f"{type(reason).__name__}: {reason}"
    return f"cannot fetch {url}: {why}"


def _safe(text: str | None) -> str:
    """Web text shown on a terminal: control characters (escape sequences) made visible, never executed."""
    if text is None:
        return "-"
    return "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in text)


def where(el: etree._Element | None) -> str:
    """An element as a person finds it in the page source: `ul.list-ul < div.article-content`."""
    parts: list[str] = []
    node = el
    while node is not None and len(parts) < 3 and node.tag not in ("body", "html"):
        label = str(node.tag)
        if node.get("id"):
            label += f"#{node.get('id')}"
        elif node.get("class"):
            label += "." + ".".join(node.get("class", "").split()[:2])
        parts.append(label)
        node = node.getparent()
    return " < ".join(parts) or "-"


def _pager_block(a: PageAnalysis) -> etree._Element | None:
    """The element that holds the pager's text: the pager link's ancestor no wider than the pager itself."""
    node = a.pager_anchor
    limit = len(a.pager_text.replace(" ", "")) + 2
    while node is not None:
        parent = node.getparent()
        if parent is None or parent.tag in ("body", "html"):
            break
        if len("".join("".join(parent.itertext()).split())) > limit:
            break
        node = parent
    return node


def groups(a: PageAnalysis) -> list[dict[str, Any]]:
    """Every group of repeated dated rows, the column's own first, each with why it is (not) the column."""
    out: list[dict[str, Any]] = []
    ordered = sorted(a.groups, key=lambda g: g is not a.main_group)
    for g in ordered:
        notes = []
        if g is a.main_group:
            notes.append("the column's rows" if a.parse.kind == "list" else "largest group")
        if g.teaser:
            notes.append("a preview box (a 更多 link beside it)")
        if g.nav:
            notes.append("navigation or sidebar")
        if g.nested:
            notes.append("inside a row of another group")
        if g.single:
            notes.append("one row")
        out.append(
            {
                "where": where(g.container),
                "rows": len(g.rows),
                "dated": g.dated,
                "main": g is a.main_group,
                "notes": notes,
            }
        )
    return out


def spider_side(a: PageAnalysis, body: bytes) -> list[str]:
    """What the spider decides about the page beyond the extractor's reading, in words: where a client
    redirect sends it when it is a start page, which pages an ASP.NET postback pager makes it post for,
    and where the rows of a list a script fills come from (or why they cannot be read)."""
    from crawler.clientredirect import client_redirect
    from crawler.extract.dom import resolve_url
    from crawler.postback import postback_key, postback_pager
    from crawler.postjson import split_post_key
    from crawler.scripted import may_be_script_filled, script_source

    p = a.parse
    out: list[str] = []
    if not p.rows and p.kind != "list":
        written = client_redirect(body, p.encoding)
        target = resolve_url(p.url, written) if written else None
        if target and target != p.url:
            out.append(
                f"client redirect: as a start page it is followed to {target} (meta refresh or script), "
                "like an HTTP redirect, within the site's hosts"
            )
    if may_be_script_filled(p):
        source = script_source(body, p.encoding, p.url, frozenset({urlsplit(p.url).netloc.lower()}))
        posted = split_post_key(source.endpoint) if source is not None and source.endpoint else None
        if posted is not None:
            body, content_type = posted.body()
            out.append(
                f"script-filled list: its rows are read from the JSON the page's script POSTs for, "
                f"{posted.url} with the body {body.decode()!r} ({content_type.split(';')[0]}; filed as "
                f"{source.endpoint if source else ''}; the body's page field is followed)"
            )
        elif source is not None and source.endpoint:
            out.append(
                f"script-filled list: its rows are read from the JSON the page's script requests, "
                f"{source.endpoint} (the list's next page; its page parameter is followed)"
            )
        elif source is not None:
            out.append(f"script-filled list: blocked, {source.reason}")
    if p.kind in ("list", "empty"):
        pages = postback_pager(body, p.encoding, 1)
        if pages:
            first = pages[0]
            out.append(
                f"postback pager: {len(pages)} more pages posted for with the page's form "
                f"(__doPostBack('{first.target}', '{first.argument}') …, __VIEWSTATE carried), filed as "
                f"{postback_key(p.url, first.target, first.number)} …, within the page budget"
            )
    return out


def as_dict(a: PageAnalysis, body: bytes = b"") -> dict[str, Any]:
    p = a.parse
    spider = spider_side(a, body) if body else []
    return {
        "url": p.url,
        "kind": p.kind,
        "kind_reason": a.kind_reason,
        "why": [*a.trace, *(f"spider: {line}" for line in spider)],
        "spider": spider,
        "groups": groups(a),
        "blocked_reason": p.blocked_reason,
        "encoding": p.encoding,
        "title": p.title,
        "column_name": p.column_name,
        "column_name_source": a.column_name_source,
        "breadcrumb": list(p.breadcrumb),
        "published": p.published.isoformat() if p.published else None,
        "published_source": p.published_source,
        "rows": [
            {
                "title": r.title,
                "url": r.url,
                "date": r.date.isoformat() if r.date else None,
                "date_text": r.date_text,
            }
            for r in p.rows
        ],
        "newest": max((r.date for r in p.rows if r.date), default=None),
        "pager": p.pager,
        "pager_first": p.pager_first,
        "pager_next": a.pager_next,
        "pager_text": a.pager_text,
        "pager_where": where(_pager_block(a)) if a.pager_anchor is not None else None,
        "attachments": [{"url": x.url, "text": x.text} for x in p.attachments],
        "links": len(p.links),
        "content_hash": p.content_hash,
    }


def render(a: PageAnalysis, body: bytes = b"") -> str:
    d = as_dict(a, body)
    out = [
        f"URL:          {_safe(d['url'])}",
        f"kind:         {d['kind']}  ({_safe(d['kind_reason'])})",
        "why:",
        *(f"  {_safe(line)}" for line in d["why"]),
        f"encoding:     {d['encoding']}",
        f"title:        {_safe(d['title'])}",
        f"column name:  {_safe(d['column_name'])}  (from {d['column_name_source'] or '-'})",
        f"breadcrumb:   {_safe(' > '.join(d['breadcrumb'])) if d['breadcrumb'] else '-'}",
    ]
    if d["kind"] == "article":
        out.append(f"published:    {d['published'] or '-'}  (from {d['published_source'] or '-'})")
        out.append(f"attachments:  {len(d['attachments'])}")
        out.extend(f"  {_safe(x['text'])}  {_safe(x['url'])}" for x in d["attachments"])
    out.append(f"row groups:   {len(d['groups'])}")
    out.extend(
        f"  {'*' if g['main'] else ' '} {_safe(g['where'])}  {g['rows']} rows, {g['dated']} dated"
        + (f"  ({'; '.join(g['notes'])})" if g["notes"] else "")
        for g in d["groups"]
    )
    rows = d["rows"]
    newest = d["newest"].isoformat() if d["newest"] else "-"
    out.append(f"rows:         {len(rows)} (dated {sum(1 for r in rows if r['date'])}, newest {newest})")
    out.extend(
        f"  {r['date'] or '----------'}  {_safe(r['title'])}  {_safe(r['url'])}"
        + (f"  [shown: {_safe(r['date_text'])}]" if r["date_text"] and r["date_text"] != r["date"] else "")
        for r in rows
    )
    out.append(f"pager:        {len(d['pager'])} links  {_safe(d['pager_text'])}")
    if d["pager_where"]:
        out.append(f"  in:    {_safe(d['pager_where'])}")
    out.append(f"  next:  {_safe(d['pager_next'])}")
    out.append(f"  first: {_safe(d['pager_first'])}")
    out.extend(f"  {_safe(u)}" for u in d["pager"][:50])
    out.append(f"links:        {d['links']}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m crawler.inspect",
        description="Show what the crawler makes of one page. Example: python -m crawler.inspect page.html "
        "--url http://www.example.edu.cn/tzgg.htm",
    )
    parser.add_argument("source", help="a URL to fetch, or a saved HTML file")
    parser.add_argument("--url", help="the URL the file was fetched from (resolves its links)")
    parser.add_argument("--json", action="store_true", help="print JSON for machines")
    parser.add_argument("--today", help="reference date YYYY-MM-DD for year-less dates (default: today)")
    parser.add_argument(
        "--timezone",
        default=DEFAULT_TIMEZONE,
        help="the college's zone, in which today is reckoned (default %(default)s; xxgk inspect passes "
        "[college] timezone)",
    )
    args = parser.parse_args(argv)
    content_type = header_charset = None
    if args.source.startswith(("http://", "https://")):
        try:
            body, content_type, header_charset, final = fetch(args.source)
        except Exception as exc:  # the site's answer, not a usage mistake: exit 1 with the reason in words
            print(f"xxgk inspect: {_safe(fetch_failure(args.source, exc))}", file=sys.stderr)
            return 1
        url = args.url or final
    else:
        path = Path(args.source)
        try:
            body = path.read_bytes()
        except OSError as exc:
            print(f"cannot read {_safe(str(path))}: {_safe(exc.strerror)}", file=sys.stderr)
            return 2
        url = args.url or path.resolve().as_uri().replace("file://", "http://localhost", 1)
    try:
        today = date.fromisoformat(args.today) if args.today else datetime.now(ZoneInfo(args.timezone)).date()
    except (KeyError, ValueError) as exc:  # ZoneInfoNotFoundError is a KeyError
        print(f"bad --today or --timezone: {_safe(str(exc))}", file=sys.stderr)
        return 2
    analysis = analyse_page(url, body, content_type=content_type, header_charset=header_charset, today=today)
    try:
        if args.json:
            print(json.dumps(as_dict(analysis, body), ensure_ascii=False, indent=2, default=str))
        else:
            print(render(analysis, body))
    except BrokenPipeError:  # piped into head: fine
        return 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
