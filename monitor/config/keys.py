"""Every configuration key, declared once: its name, type, default and meaning.

`load.py` validates config.toml against these tables, `docs/config.md` is checked against them by a test, and
nothing else in the project hard-codes a default. Each engineer extends only the section they own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

REQUIRED = object()  # a default meaning "must be given"


@dataclass(frozen=True, slots=True)
class Key:
    name: str
    type: str  # str | int | float | bool | list[str] | url-list | cron | date | table
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None


# Plain tables: [section] name = value
TABLES: dict[str, tuple[Key, ...]] = {
    "college": (
        Key("name", "str", "", "The college's name, shown in reports and email subjects."),
        Key("timezone", "str", "Asia/Shanghai", "The zone in which dates and weeks are reckoned."),
    ),
    "storage": (
        Key("path", "str", "data/xxgk.duckdb", "The DuckDB file (relative paths are relative to config.toml)."),
        Key(
            "compatibility",
            "str",
            "v1.5.0",
            "DuckDB storage version the file is written in, so analysts' DuckDB 1.5+ can open it.",
        ),
        Key("lock_wait", "float", 30.0, "Seconds a reader or writer waits for the database lock.", minimum=0),
    ),
    "crawl": (
        Key("user_agent", "str", "xxgk-monitor/0.1 (+college disclosure monitor)", "User-Agent sent to sites."),
        Key("concurrency", "int", 16, "Requests in flight in one crawl, all sites together.", minimum=1),
        Key("concurrency_per_host", "int", 4, "Requests in flight to one host.", minimum=1),
        Key("delay", "float", 0.0, "Seconds between two requests to one host.", minimum=0),
        Key("autothrottle", "bool", True, "Adapt the delay to each host's response time (Scrapy AutoThrottle)."),
        Key("timeout", "float", 15.0, "Seconds before a request counts as timed out.", minimum=0.1),
        Key("max_bytes", "int", 5_000_000, "Largest body read; a larger one is cut and recorded.", minimum=1024),
        Key("max_pages", "int", 5000, "Pages per site per crawl (a site's own max_pages wins).", minimum=1),
        Key("max_depth", "int", 8, "Link depth from the start URLs (a site's own max_depth wins).", minimum=0),
        Key("obey_robots", "bool", True, "Obey robots.txt."),
        Key("check_attachments", "bool", True, "Check each attachment link of an article (HEAD request)."),
        Key("conditional", "bool", True, "Send If-None-Match / If-Modified-Since learnt in the previous crawl."),
        Key("crawl_timeout", "float", 3600.0, "Seconds after which a crawl process is killed.", minimum=1),
    ),
}

# Arrays of tables: [[section]] ...
ARRAYS: dict[str, tuple[Key, ...]] = {
    "sites": (
        Key("name", "str", REQUIRED, "Unique name of the site, used in reports and routes."),
        Key("kind", "str", REQUIRED, "What the site is.", choices=("disclosure", "portal", "department")),
        Key("start_urls", "url-list", REQUIRED, "Where the crawl of this site starts (http or https URLs)."),
        Key("institution", "str", "", "The college this site belongs to (default: [college] name)."),
        Key("allowed_hosts", "list[str]", [], "Hosts the crawl may follow links to (default: start URL hosts)."),
        Key("max_pages", "int", 0, "Pages per crawl for this site (0: [crawl] max_pages).", minimum=0),
        Key("max_depth", "int", -1, "Link depth for this site (-1: [crawl] max_depth).", minimum=-1),
        Key("department", "str", "", "The department that runs this site (for routing and statistics)."),
        Key(
            "selectors",
            "table",
            {},
            "Rare per-site CSS overrides: row, row_date, pager_next, column_name.",
        ),
    ),
}
