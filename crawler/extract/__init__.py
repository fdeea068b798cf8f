"""Page extraction: one page's bytes to a `storage.records.PageParse`, by general rules, with no I/O.

Works on sites nobody has seen: rows are found as repeated sibling structures holding a link and a date,
pagers from the links a page prints, names from what a person reads (breadcrumb, heading). Pure functions;
Scrapy-free, so the spider, `crawler.inspect` and the tests all call the same code. `today` is required: the
college's day of the crawl (crawler.plan.CrawlPlan.today, in [college] timezone), never the machine's clock.

Public API:
    parse_page(url, body, *, content_type, header_charset, link_text, selectors, today) -> PageParse
    analyse_page(...same...) -> PageAnalysis   (the parse plus the name's source, the kind's reason, groups)
    decode_body(body, header_charset) -> (text, encoding)
    parse_date(text, *, today, context_year) -> date | None
    find_dates(text, *, today, context_year, yearless) -> [(date, matched text)]

Names are loaded from their modules on first use (PEP 562): a module of the package imported on its own
(`crawler.extract.yearless`, which column assembly needs at the end of every crawl, or `dates`) does not load
the whole extractor, which an unchanged recrawl never needs (12 ms instead of 47 ms of CPU).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .dates import date_from_url, find_dates, find_labelled_dates, parse_date
    from .decode import decode_body
    from .page import PageAnalysis, analyse_page, parse_page

_HOME = {
    "PageAnalysis": "page",
    "analyse_page": "page",
    "parse_page": "page",
    "decode_body": "decode",
    "date_from_url": "dates",
    "find_dates": "dates",
    "find_labelled_dates": "dates",
    "parse_date": "dates",
}


def __getattr__(name: str) -> Any:
    home = _HOME.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{home}", __name__), name)
    globals()[name] = value
    return value


__all__ = [
    "PageAnalysis",
    "analyse_page",
    "date_from_url",
    "decode_body",
    "find_dates",
    "find_labelled_dates",
    "parse_date",
    "parse_page",
]
