"""What a crawl reads from history before it starts, in one read-only open of the file.

The known columns (storage.previous: reported even when not reached), every URL's validators and last parse
(conditional requests, 304s) and each site's revisit rotation (storage.revisit): one open instead of two plus
one per site — an open costs tens of milliseconds on a grown file, and a province crawl has dozens of sites.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from storage.connection import DEFAULT_WAIT, open_readonly
from storage.previous import known_columns_in, previous_in
from storage.records import PreviousPage
from storage.revisit import RevisitHistory, revisit_in


@dataclass(frozen=True, slots=True)
class CrawlHistory:
    known: dict[str, dict[str, str]]  # site -> column URL -> latest name
    previous: dict[str, dict[str, PreviousPage]]  # site -> URL -> validators and parse (empty: not read)
    revisits: dict[str, RevisitHistory]  # site -> rotation facts, for sites with previous pages when asked


def crawl_history(
    path: str,
    sites: Iterable[str],
    *,
    previous: bool = True,
    revisits: bool = True,
    wait: float = DEFAULT_WAIT,
) -> CrawlHistory:
    """Known columns of `sites`; with `previous`, their stored pages; with `revisits` too, the revisit facts
    of each site that has stored pages."""
    wanted = list(dict.fromkeys(sites))
    with open_readonly(path, wait=wait) as conn:
        known = known_columns_in(conn, wanted)
        pages = previous_in(conn, wanted) if previous else {site: {} for site in wanted}
        rotation = {site: revisit_in(conn, site) for site in wanted if previous and revisits and pages[site]}
    return CrawlHistory(known, pages, rotation)
