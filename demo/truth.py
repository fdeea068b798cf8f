"""The demo college's ground truth: what a perfect crawl and judgement of it would find.

Keys of `build_ground_truth(...)` (and of the JSON file):
- `as_of` (the day shown: base as_of + days_later), `base_as_of`, `days_later`, `scale`, `college`;
- `sites`: name → {start_url, kind, host, style, title};
- `columns`: one entry per column a monitor should report: {site, key, name, url (first list page as linked
  in the nav), page_urls, newest (YYYY-MM-DD or None), items (distinct rows over all pages), undated, pinned,
  expected_status (fresh|stale|empty|unreachable|blocked|undated), pages, catalog_item (清单 item name or
  None), single_page (true: a single-page column, its one page an article that shows no date: `undated`)};
- `gone_columns`: columns the site no longer has that day: {site, key, name, since_days_later};
- `missing_items` (applicable 清单 items with no column), `not_applicable_items` (graduate/degree items);
- `articles` (article pages of visible items), `pages_total` (distinct HTML URLs answering 200 that a crawler
  following links from the start URLs and obeying robots.txt reaches), `attachments`, `broken_links` (URLs a
  link points to that answer 404: the broken attachment and the unreachable columns), `disallowed_urls`
  (linked pages under a robots.txt Disallow, which must never be fetched);
- `period_counts`: academic year "YYYY-09-01..YYYY-08-31" → {"total": n, site: n, ...} of dated items;
- `changes` (relative to days_later=0): {new_items: [article URLs], edited: URL, deleted: URL};
- `hostile_title_url`: the portal article whose title carries `<script>alert(1)</script>`.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections import deque
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any, Protocol
from urllib.parse import urljoin, urlsplit

from demo.layout import CollegeSpec
from demo.model import HOSTILE_TITLE, Timeline
from demo.render_common import RenderedSite
from demo.rules import Band, band, catalog_item_names, generic_band


class College(Protocol):
    """What the ground truth reads of a `demo.college.DemoCollege` (which calls it: no import back)."""

    scale: float
    spec: CollegeSpec
    timeline: Timeline

    def render(
        self, days_later: int = 0, *, port: int = ..., hosts: Sequence[str] = ...
    ) -> dict[str, RenderedSite]: ...

    def bases(self, port: int, hosts: Sequence[str]) -> dict[str, str]: ...

    def hosts_of(self, hosts: Sequence[str]) -> dict[str, str]: ...

    def count_items(self, start: date, end: date, site: str | None = None, days_later: int = 0) -> int: ...


_HREF = re.compile(r"""href\s*=\s*["']([^"']*)["']""", re.IGNORECASE)


def expected_status(status: str, newest: date | None, day: date, limits: Band | None = None) -> str:
    """The status a monitor should give: fresh/stale columns by the age of their newest item against the band
    the shipped rules table gives the column (`demo.rules.band`; the generic limits when none is given)."""
    if status not in ("fresh", "stale"):
        return status
    if newest is None:
        raise AssertionError("a fresh or stale column without a dated item")
    limits = limits or generic_band()
    age = (day - newest).days
    if age <= limits.fresh_max:
        return "fresh"
    if age >= limits.stale_min:
        return "stale"
    raise AssertionError(
        f"newest item {age} days old: between {limits.fresh_max} and {limits.stale_min} days"
        f" ({limits.source}), where the rule's verdict depends on the day"
    )


def _join(base: str, href: str) -> str:
    """`urljoin` for the demo's plain http URLs, several times faster (the walk joins ~40,000 links)."""
    if "://" in href:
        return href
    cut = base.index("/", base.index("://") + 3)
    root, path = base[:cut], base[cut:].split("?", 1)[0]
    if href.startswith("//"):
        return base[: base.index("://") + 1] + href
    if href.startswith("?"):
        return root + path + href
    rel, sep, query = href.partition("?")
    if not rel.startswith("/"):
        rel = path[: path.rfind("/") + 1] + rel
    joined = posixpath.normpath(rel)
    if rel.endswith(("/", "/.", "/..")) and not joined.endswith("/"):
        joined += "/"
    return root + "/" + joined.lstrip("/") + sep + query


def link_walk(rendered: dict[str, RenderedSite], bases: dict[str, str]) -> dict[str, set[str]]:
    """Follow every href from each site's "/" over the rendered pages, as an obedient crawler would.

    Returns sets of absolute URLs: `html` (200 HTML pages), `files` (200 non-HTML), `broken` (404 targets),
    `disallowed` (linked URLs that robots.txt forbids, not followed).
    """
    by_netloc = {urlsplit(base).netloc: name for name, base in bases.items()}
    found: dict[str, set[str]] = {"html": set(), "files": set(), "broken": set(), "disallowed": set()}
    seen: set[str] = set()
    joined: dict[tuple[str, str], str] = {}  # (directory URL, href) → URL: nav links repeat on every page
    queue = deque(base + "/" for base in bases.values())
    while queue:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        parts = urlsplit(url)
        site = by_netloc.get(parts.netloc)
        if site is None:
            continue  # another host: not ours
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if any(path.startswith(prefix) for prefix in rendered[site].robots_disallow):
            found["disallowed"].add(url)
            continue
        page = rendered[site].pages.get(path)
        if page is None or page.status == 404:
            found["broken"].add(url)
            continue
        if page.location is not None:
            queue.append(urljoin(url, page.location))
            continue
        if not page.content_type.startswith("text/html"):
            found["files"].add(url)
            continue
        found["html"].add(url)
        try:
            text = page.body.decode("utf-8")
        except UnicodeDecodeError:
            text = page.body.decode("gbk")
        directory = url if "?" in url else url[: url.rfind("/") + 1]
        for href in _HREF.findall(text):
            href = html.unescape(href).strip()
            if not href or href.startswith(("javascript:", "mailto:", "#")):
                continue
            target = joined.get((directory, href))
            if target is None:
                target = joined[(directory, href)] = _join(url, href.split("#")[0])
            if target not in seen:
                queue.append(target)
    return found


def _academic_years(day: date, count: int = 3) -> list[tuple[date, date]]:
    last_end = date(day.year if day >= date(day.year, 9, 1) else day.year - 1, 8, 31)
    return [(date(last_end.year - n - 1, 9, 1), date(last_end.year - n, 8, 31)) for n in range(count)]


def build_ground_truth(
    college: College, days_later: int, port: int, hosts: tuple[str, ...]
) -> dict[str, Any]:
    tl = college.timeline
    day = tl.view_day(days_later)
    rendered = college.render(days_later, port=port, hosts=hosts)
    bases = college.bases(port, hosts)
    host_of = college.hosts_of(hosts)
    columns = []
    gone = []
    for site in tl.sites:
        out = rendered[site.name]
        for spec in site.columns:
            if spec.robots:
                continue
            if not spec.shown(days_later):
                gone.append(
                    {"site": site.name, "key": spec.key, "name": spec.name, "since_days_later": spec.until}
                )
                continue
            items = tl.visible(site.name, spec.key, days_later)
            dated = [i.day for i in items if i.dated]
            newest = max(dated) if dated else None
            columns.append(
                {
                    "site": site.name,
                    "key": spec.key,
                    "name": spec.name,
                    "url": bases[site.name] + out.column_links[spec.key],
                    "page_urls": [bases[site.name] + p for p in out.column_pages.get(spec.key, [])],
                    "newest": newest.isoformat() if newest else None,
                    "items": len(items),
                    "undated": len(items) - len(dated),
                    "pinned": sum(1 for i in items if i.pinned),
                    "expected_status": expected_status(
                        spec.status, newest, day, band(spec.catalog_item, spec.name)
                    ),
                    "pages": len(out.column_pages.get(spec.key, [])),
                    "catalog_item": spec.catalog_item,
                    "single_page": False,
                }
            )
        for single in out.single_pages:  # read, with content, no date: its timeliness cannot be judged
            url = bases[site.name] + single.path
            columns.append(
                {
                    "site": site.name,
                    "key": single.key,
                    "name": single.name,
                    "url": url,
                    "page_urls": [url],
                    "newest": None,
                    "items": 1,
                    "undated": 1,
                    "pinned": 0,
                    "expected_status": "undated",
                    "pages": 1,
                    "catalog_item": single.catalog_item,
                    "single_page": True,
                }
            )
    walk = link_walk(rendered, bases)
    article_urls = {  # ids are unique within a site only
        (site.name, item.id): bases[site.name] + rendered[site.name].articles[item.id]
        for site in tl.sites
        for spec in site.columns
        if spec.shown(days_later)
        for item in tl.visible(site.name, spec.key, days_later)
    }
    base_ids = {(i.site, i.id) for c in tl.columns.values() for i in c.items if i.day <= tl.as_of}
    new_items = sorted(
        url
        for (site_name, key), col in tl.columns.items()
        if not col.spec.robots and col.spec.shown(days_later)
        for i in tl.visible(site_name, key, days_later)
        if (i.site, i.id) not in base_ids and (url := article_urls[(i.site, i.id)])
    )
    periods = {}
    for start, end in _academic_years(day):
        counts = {"total": college.count_items(start, end, days_later=days_later)}
        counts.update({s.name: college.count_items(start, end, s.name, days_later) for s in tl.sites})
        periods[f"{start.isoformat()}..{end.isoformat()}"] = counts
    hostile = next(
        (
            article_urls[(i.site, i.id)]
            for c in tl.columns.values()
            for i in c.items
            if i.title == HOSTILE_TITLE and (i.site, i.id) in article_urls
        ),
        None,
    )
    deleted = tl.deleted
    college_spec = college.spec
    missing = college_spec.missing_items
    if missing is None:  # every applicable item no column stands for
        covered = {c["catalog_item"] for c in columns}
        skip = set(college_spec.not_applicable_items) | covered
        missing = tuple(name for name in catalog_item_names() if name not in skip)
    return {
        "as_of": day.isoformat(),
        "base_as_of": tl.as_of.isoformat(),
        "days_later": days_later,
        "scale": college.scale,
        "college": college_spec.name,
        "sites": {
            s.name: {
                "start_url": bases[s.name] + "/",
                "kind": s.kind,
                "host": host_of[s.name],
                "style": s.style,
                "title": s.title,
            }
            for s in tl.sites
        },
        "columns": columns,
        "gone_columns": gone,
        "missing_items": list(missing),
        "not_applicable_items": list(college_spec.not_applicable_items),
        "articles": sum(c["items"] for c in columns),
        "pages_total": len(walk["html"]),
        "attachments": len(walk["files"]),
        "broken_links": sorted(walk["broken"]),
        "disallowed_urls": sorted(walk["disallowed"]),
        "period_counts": periods,
        "changes": {
            "new_items": new_items,
            "edited": article_urls.get((tl.edited.site, tl.edited.id)) if tl.edited and days_later else None,
            "deleted": (
                bases[deleted.site]
                + college.render(0, port=port, hosts=hosts)[deleted.site].articles[deleted.id]
                if deleted and days_later
                else None
            ),
        },
        "hostile_title_url": hostile,
    }


def academic_year_of(day: date) -> tuple[date, date]:
    """The statistics period (Sept 1 – Aug 31) that contains `day`."""
    start = date(day.year if day.month >= 9 else day.year - 1, 9, 1)
    return start, date(start.year + 1, 9, 1) - timedelta(days=1)
