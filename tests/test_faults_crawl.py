"""Issue 9, point 1: a crawl over a site full of faults finishes, and records every fault with its reason.

The fault college (tests/faultsite.py) links to a 5xx, a hanging page, a reset connection, slow bodies,
redirect loops, a redirect to another host, bodies over the size limit, binary served as text/html, truncated
and malformed HTML, a page of 10,000 links, a page robots.txt forbids and a host that refuses connections. The
real `xxgk crawl` runs over it twice (the second time with the validators of the first, as a weekly recrawl
does); each time, each of those URLs must be recorded once, with exactly the outcome storage defines for it.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from faultsite import FAULTS, LINKS, MAX_BYTES, FaultSite, fault_college, link_faults
from xxgkrun import SiteConf, crawl_ok, query, write_config, xxgk

pytestmark = pytest.mark.slow

ERRORS = ("http_error", "network_error", "timeout", "redirect_loop")  # what a run counts as errors
FAILED = (
    "http_error",
    "network_error",
    "timeout",
    "too_large",
    "offsite_redirect",
    "redirect_loop",
    "not_html",
)


@dataclass
class Crawled:
    site: FaultSite
    config: Path
    db: Path
    expected: dict[str, str]  # absolute URL -> outcome
    procs: list[subprocess.CompletedProcess[str]]
    runs: list[int]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Crawled]:
    folder = tmp_path_factory.mktemp("faults")
    with fault_college() as site:
        expected = dict(link_faults(site))
        site.down(2)  # the third host is allowed but refuses connections
        conf = SiteConf(
            "faults",
            [site.url("/")],
            allowed_hosts=[site.netloc(0), site.netloc(2)],
            max_depth=2,  # home (0) -> notices (1) -> fault endpoints (2); the 10,000 links are not followed
        )
        config = write_config(folder, [conf])
        db = folder / "data" / "xxgk.duckdb"
        procs = [xxgk(config, "crawl"), xxgk(config, "crawl")]
        runs = [r for (r,) in query(db, "SELECT run_id FROM runs ORDER BY run_id")] if db.exists() else []
        yield Crawled(site, config, db, expected, procs, runs)


def _fetch(c: Crawled, run: int, url: str) -> list[tuple]:
    return query(
        c.db,
        "SELECT outcome, status, error, bytes, final_url, content_hash FROM fetches "
        "WHERE run_id = ? AND url = ?",
        [run, url],
    )


@pytest.mark.parametrize("attempt", [0, 1], ids=["first-crawl", "recrawl"])
def test_crawl_finishes_and_counts_as_complete(crawled: Crawled, attempt: int) -> None:
    crawl_ok(crawled.procs[attempt])
    assert len(crawled.runs) == 2
    status, errors = query(
        crawled.db, "SELECT status, errors FROM runs WHERE run_id = ?", [crawled.runs[attempt]]
    )[0]
    assert status == "ok"
    failing = sum(1 for outcome in crawled.expected.values() if outcome in ERRORS)
    assert errors >= failing, "the run's error count misses recorded faults"


@pytest.mark.parametrize("attempt", [0, 1], ids=["first-crawl", "recrawl"])
@pytest.mark.parametrize(
    ("path", "outcome"), [*FAULTS, ("dead-host", "network_error")], ids=[p for p, _ in FAULTS] + ["dead-host"]
)
def test_each_fault_is_recorded_once_with_its_outcome(
    crawled: Crawled, attempt: int, path: str, outcome: str
) -> None:
    crawl_ok(crawled.procs[attempt])
    url = crawled.site.url("/index.htm", 2) if path == "dead-host" else crawled.site.url(path)
    assert crawled.expected[url] == outcome
    rows = _fetch(crawled, crawled.runs[attempt], url)
    assert len(rows) == 1, (
        f"{url}: expected exactly one fetch record in run {crawled.runs[attempt]}, got {rows}"
    )
    got, status, error, size, _final, _hash = rows[0]
    if outcome == "ok" and attempt == 1:
        assert got in ("ok", "not_modified"), (url, got, error)
    else:
        assert got == outcome, f"{url}: recorded {got!r} ({error!r}), expected {outcome!r}"
    if outcome in FAILED or outcome == "robots_denied":
        assert error and error.strip(), f"{url}: outcome {got} recorded without a reason"
    else:
        assert error is None or error == "", f"{url}: a good fetch carries an error {error!r}"
    if path.startswith("/status?n="):
        assert status == int(path.split("=")[1])
        assert status is not None and str(status) in error
    if outcome in ("timeout", "network_error", "robots_denied"):
        assert status is None, f"{url}: no response came, yet status {status} was recorded"
    if outcome == "too_large":
        assert size <= MAX_BYTES, f"{url}: {size} bytes kept, over the {MAX_BYTES} limit"


def test_reasons_say_what_happened(crawled: Crawled) -> None:
    """The error text is the reason in words: a person reading the fetch record learns what went wrong."""
    run = crawled.runs[0]
    words = {
        "/timeout": ("time",),
        "/slow?seconds=30": ("time",),
        "/big": ("size", "large", "byte", "limit"),
        "/binary": ("html", "binary", "type"),
        "/private/secret.htm": ("robots",),
        "/loop?n=0": ("redirect",),
        "/loop/a": ("redirect",),
        "/offsite": ("redirect", "host", "offsite", "site"),
    }
    for path, any_of in words.items():
        ((_o, _s, error, _b, _f, _h),) = _fetch(crawled, run, crawled.site.url(path))
        assert any(w in error.lower() for w in any_of), f"{path}: reason {error!r} mentions none of {any_of}"
    ((_o, _s, error, _b, _f, _h),) = _fetch(crawled, run, crawled.site.url("/index.htm", 2))
    assert "refused" in error.lower(), f"connection refused recorded as {error!r}"


def test_offsite_redirect_is_recorded_not_followed(crawled: Crawled) -> None:
    ((_o, _s, _e, _b, final, _h),) = _fetch(crawled, crawled.runs[0], crawled.site.url("/offsite"))
    assert final == crawled.site.url("/elsewhere", 1), "the record should say where the redirect pointed"
    assert crawled.site.hits[(1, "/elsewhere")] == 0, "the crawler followed a redirect to another host"


def test_robots_denied_page_is_never_requested(crawled: Crawled) -> None:
    assert crawled.site.hits[(0, "/private/secret.htm")] == 0


def test_redirect_loops_are_cut_short(crawled: Crawled) -> None:
    hops = sum(
        n for (host, path), n in crawled.site.hits.items() if host == 0 and path.startswith("/loop?n=")
    )
    # two crawls, each following at most a few dozen redirects (Scrapy's default limit is 20)
    assert 0 < hops <= 2 * 30
    assert not query(
        crawled.db,
        "SELECT url FROM fetches WHERE url LIKE ? AND url NOT IN (?, ?)",
        [
            crawled.site.url("/loop%"),
            crawled.site.url("/loop?n=0"),
            crawled.site.url("/loop/a"),
        ],
    ), "each hop of a redirect chain was recorded as a URL of its own; the chain is one request"


def test_one_record_per_url_per_run(crawled: Crawled) -> None:
    dupes = query(crawled.db, "SELECT run_id, url, count(*) FROM fetches GROUP BY ALL HAVING count(*) > 1")
    assert dupes == []


def test_failed_bodies_are_not_parsed_as_pages(crawled: Crawled) -> None:
    """A body cut at the size limit, a binary body and an error page must not become a parsed page."""
    for path in ("/big", "/big?chunked=1", "/binary", "/status?n=503", "/reset"):
        url = crawled.site.url(path)
        assert query(crawled.db, "SELECT kind FROM page_parses WHERE url = ?", [url]) == [], path


def test_page_of_ten_thousand_links_is_read_whole(crawled: Crawled) -> None:
    url = crawled.site.url("/links10k.htm")
    (kind,) = query(crawled.db, "SELECT DISTINCT kind FROM page_parses WHERE url = ?", [url])[0]
    assert kind == "list"
    (rows,) = query(crawled.db, "SELECT count(DISTINCT item_url) FROM page_rows WHERE url = ?", [url])[0]
    assert rows == LINKS
    # max_depth = 2 keeps the crawl from following them: the site was not asked for /l/... pages
    followed = [p for (_h, p) in crawled.site.hits if p.startswith("/l/")]
    assert followed == []
    ((items,),) = query(
        crawled.db,
        "SELECT items FROM column_snapshots WHERE run_id = ? AND column_url = ?",
        [crawled.runs[0], url],
    )
    assert items == LINKS


def _titles(crawled: Crawled, path: str) -> set[str]:
    url = crawled.site.url(path)
    return {t for (t,) in query(crawled.db, "SELECT title FROM page_rows WHERE url = ?", [url])}


@pytest.mark.parametrize(
    ("path", "titles"),
    [
        ("/truncated", {f"残缺页面条目{i}" for i in range(1, 5)}),
        ("/nul", {"空字符条目1", "空字符条目3"}),
    ],
)
def test_truncated_and_nul_html_still_yield_their_rows(crawled: Crawled, path: str, titles: set[str]) -> None:
    found = _titles(crawled, path)
    assert titles <= found, f"{path}: rows found {sorted(found)}"


def test_malformed_html_with_a_few_bad_bytes_is_read_as_its_declared_utf8(crawled: Crawled) -> None:
    """Broken tags, bad entities and a few invalid bytes at the end: header and meta both say utf-8 and all
    but those bytes are utf-8, so the titles must come out in Chinese, not as GB18030 mojibake."""
    found = _titles(crawled, "/malformed")
    assert {"畸形条目一", "畸形条目二", "畸形条目三"} <= found, f"rows found {sorted(found)}"
    dated = query(
        crawled.db,
        "SELECT date_shown FROM page_rows WHERE url = ? AND title = '畸形条目一'",
        [crawled.site.url("/malformed")],
    )
    assert [str(d) for (d,) in dated] == ["2025-05-01"]


def test_slow_body_within_the_timeout_is_fine(crawled: Crawled) -> None:
    url = crawled.site.url("/slow?seconds=0.4")
    titles = {t for (t,) in query(crawled.db, "SELECT title FROM page_rows WHERE url = ?", [url])}
    assert "慢速条目10" in titles
