"""Every configuration key, declared once: its name, type, default and meaning.

`load.py` validates config.toml against these tables (type, choices, minimum, then the key's own `check`),
`values.py` gives each table a typed class checked against them, `docs/config.md` is generated from them, and
nothing else in the project hard-codes a default (`default(section, key)` reads one). Checks that need the
catalog or the sites (a route naming an unknown category) run in the modules that own those, from
`monitor.app.load_config`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from monitor.rules import check_month_day, rule_check

REQUIRED = object()  # a default meaning "must be given"
Check = Callable[[Any], str | None]  # what was expected, or None when the value is fine


@dataclass(frozen=True, slots=True)
class Key:
    name: str
    type: str  # str | int | float | bool | list[str] | url-list | cron | date | table
    default: Any
    help: str
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    check: Check | None = None  # a value check beyond the type (addresses, cron, cadence tables ...)


_ADDRESS = re.compile(r"^[^@\s<>]+@[^@\s<>]+$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PROGRAMS = ("undergraduate", "vocational", "graduate")


def _check_addresses(value: list[str]) -> str | None:
    bad = [a for a in value if not _ADDRESS.match(a)]
    return f"e-mail addresses such as 'office@example.edu.cn', got {bad[0]!r}" if bad else None


def _check_contacts(value: list[str]) -> str | None:
    return _check_addresses(value) if value else "at least one e-mail address"


def _check_sender(value: str) -> str | None:
    return None if value == "" else _check_addresses([value])


def _check_env_name(value: str) -> str | None:
    # The value is never echoed: someone may have pasted the password itself here.
    return None if _ENV_NAME.match(value) else "the NAME of an environment variable (letters, digits, _)"


def _check_optional_env_name(value: str) -> str | None:
    return None if value == "" else _check_env_name(value)


def _check_schedule(value: str) -> str | None:
    # APScheduler is imported only when a config sets a schedule.
    from monitor.scheduler.expressions import check_schedule

    return check_schedule(value)


def _check_timezone(value: str) -> str | None:
    from monitor.scheduler.expressions import check_timezone

    return check_timezone(value)


def _check_zone(value: str) -> str | None:
    from monitor.scheduler.expressions import check_timezone

    return check_timezone(value) if value else "an IANA timezone name such as 'Asia/Shanghai'"


def _check_nodes(value: list[str]) -> str | None:
    from urllib.parse import urlsplit

    for url in value:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/"):
            return f"Scrapyd node URLs such as 'http://127.0.0.1:6800', got {url!r}"
    if len(set(value)) != len(value):
        return "each node once"
    return None


def _check_catalog(value: str) -> str | None:
    if value == "":
        return None
    if not value.startswith("ducklake:postgres:"):
        return (
            "'' (the DuckDB file at path) or a DuckLake catalog in PostgreSQL: 'ducklake:postgres:dbname=…'"
        )
    conninfo = value.removeprefix("ducklake:postgres:")
    if "dbname=" not in conninfo:
        return (
            "the catalog's PostgreSQL database in its connection string: 'ducklake:postgres:host=… dbname=…'"
        )
    if "|" in value:
        return "a connection string without '|'"
    return None


# What crawler/extract reads of [[sites]] selectors.
SELECTORS = ("row", "row_date", "pager_next", "column_name")


def _check_selectors(value: dict[str, Any]) -> str | None:
    """Each override is a known name with a CSS selector that compiles as the crawler compiles it."""
    wanted = "CSS selectors for " + ", ".join(SELECTORS)
    for name, css in value.items():
        if name not in SELECTORS:
            return f"{wanted}, got a selector named {name!r}"
        if not isinstance(css, str) or not css.strip():
            return f"{wanted}; {name} is not a selector (a non-empty string), got {css!r}"
        from lxml.cssselect import CSSSelector, SelectorError  # only when a site overrides something

        try:
            CSSSelector(css)
        except SelectorError as exc:
            return f"{wanted} that compile; {name} = {css!r} is not valid CSS ({exc})"
    return None


def _check_programs(value: list[str]) -> str | None:
    bad = [p for p in value if p not in _PROGRAMS]
    return "programmes among " + ", ".join(repr(p) for p in _PROGRAMS) + f", got {bad[0]!r}" if bad else None


def _check_patterns(value: list[str]) -> str | None:
    for pattern in value:
        try:
            re.compile(pattern)
        except re.error as exc:
            return f"regular expressions (Python re) that compile; {pattern!r} does not ({exc})"
    return None


def _check_names(value: dict[str, Any]) -> str | None:
    for program, wording in value.items():
        if program not in _PROGRAMS or not isinstance(wording, str) or not wording:
            return (
                'a table of programme = wording, e.g. {vocational = "高等职业教育质量年度报告"}, '
                f"programmes among {', '.join(_PROGRAMS)}; got {program} = {wording!r}"
            )
    return None


_MAX_AGE = rule_check("max_age_days")
_ANNUAL = rule_check("annual")
_EVENT = rule_check("event")

# The three cadence keys a catalog item and a rule override share (one of them per entry).
_CADENCE: tuple[Key, ...] = (
    Key(
        "max_age_days",
        "int",
        0,
        "Cadence: the newest item may be at most this many days old.",
        minimum=0,
        check=_MAX_AGE,
    ),
    Key(
        "annual",
        "table",
        {},
        'Cadence: yearly, e.g. {due = "10-31", period_end = "08-31"}.',
        check=_ANNUAL,
    ),
    Key(
        "event",
        "table",
        {},
        "Cadence: within working days of the fact, e.g. {working_days = 20}.",
        check=_EVENT,
    ),
)


# Plain tables: [section] name = value
TABLES: dict[str, tuple[Key, ...]] = {
    "college": (
        Key("name", "str", "", "The college's name, shown in reports and email subjects."),
        Key(
            "timezone",
            "str",
            "Asia/Shanghai",
            "The college's zone: every today, day and week (year-less dates, --as-of, a naive --observed-at, "
            "the email week) is reckoned in it, whatever the zone of the machine.",
            check=_check_zone,
        ),
    ),
    "storage": (
        Key(
            "path", "str", "data/xxgk.duckdb", "The DuckDB file (relative paths are relative to config.toml)."
        ),
        Key(
            "lock_wait",
            "float",
            30.0,
            "Seconds a reader or writer (the crawl too) waits for the database lock; past it a crawl keeps"
            " what it could not write in <path>.pending/ and the next command that opens the database"
            " writes it.",
            minimum=0,
        ),
        Key(
            "catalog",
            "str",
            "",
            "The shared catalog many crawl nodes write into (docs/scale.md, Storage): a DuckLake whose"
            " catalog is in PostgreSQL, as 'ducklake:postgres:host=… port=… dbname=… user=…' (a libpq"
            " connection string; keep the password in ~/.pgpass or PGPASSWORD, not here). Empty: the DuckDB"
            " file at path, no server. With a catalog, path stays this node's own: its <path>.pending/"
            " keeps what the catalog could not take while PostgreSQL was down.",
            check=_check_catalog,
        ),
        Key(
            "data_path",
            "str",
            "",
            "With catalog: the folder of the lake's Parquet files, the same path on every node (a shared"
            " mount); relative paths are relative to config.toml.",
        ),
    ),
    "crawl": (
        Key(
            "user_agent", "str", "xxgk-monitor/0.1 (+college disclosure monitor)", "User-Agent sent to sites."
        ),
        Key("concurrency", "int", 16, "Requests in flight in one crawl, all sites together.", minimum=1),
        Key("concurrency_per_host", "int", 4, "Requests in flight to one host.", minimum=1),
        Key("delay", "float", 0.0, "Seconds between two requests to one host.", minimum=0),
        Key(
            "autothrottle",
            "bool",
            True,
            "Adapt the delay to each host's response time (Scrapy AutoThrottle).",
        ),
        Key("timeout", "float", 15.0, "Seconds before a request counts as timed out.", minimum=0.1),
        Key(
            "max_bytes",
            "int",
            5_000_000,
            "Largest body read; a larger one is cut and recorded.",
            minimum=1024,
        ),
        Key(
            "max_pages",
            "int",
            5000,
            "Pages per site per crawl (a site's own max_pages wins). A crawl that hits it records the"
            " requests it did not make (outcome budget) and says so; columns it did not reach are 本次未检查"
            " (unchecked), never gone, and none of their items is taken as deleted.",
            minimum=1,
        ),
        Key(
            "max_depth",
            "int",
            8,
            "Link depth from the start URLs (a site's own max_depth wins). Pager links do not count; links"
            " not followed for it are recorded (outcome depth) and judged as for max_pages.",
            minimum=0,
        ),
        Key("obey_robots", "bool", True, "Obey robots.txt."),
        Key("check_attachments", "bool", True, "Check each attachment link of an article (HEAD request)."),
        Key(
            "conditional",
            "bool",
            True,
            "Send If-None-Match / If-Modified-Since learnt in the previous crawl.",
        ),
        Key(
            "revisit_every",
            "int",
            7,
            "Known articles and attachments still listed are asked again at least every this many crawls"
            " (a rotation); list pages, new and changed items every crawl. 1: everything, every crawl"
            " (so is any value with conditional = false).",
            minimum=1,
        ),
        Key(
            "ignore_query_keys",
            "list[str]",
            [
                "jsessionid",
                "phpsessid",
                "aspsessionid",
                "sid",
                "sessionid",
                "session_id",
                "cfid",
                "cftoken",
                "utm_source",
                "utm_medium",
                "utm_campaign",
                "utm_term",
                "utm_content",
                "spm",
            ],
            "Query keys dropped from every URL before it is requested or stored (session ids, tracking"
            " tags; any case). Path parameters (;jsessionid=...) and fragments are always dropped.",
        ),
        Key(
            "max_query_variants",
            "int",
            500,
            "Distinct queries of one path (same keys) followed among navigation and other links; more are"
            " a crawler trap, recorded (outcome trap) and not requested. Pager and row links never count.",
            minimum=1,
        ),
        Key("crawl_timeout", "float", 3600.0, "Seconds after which a crawl process is killed.", minimum=1),
    ),
    "email": (
        Key("smtp_host", "str", "localhost", "SMTP server that sends the weekly email."),
        Key("smtp_port", "int", 0, "Its port (0: 587 for starttls, 465 for ssl, 25 for none).", minimum=0),
        Key(
            "security",
            "str",
            "starttls",
            "How the SMTP connection is protected: STARTTLS, implicit TLS, or none (a local relay only).",
            choices=("starttls", "ssl", "none"),
        ),
        Key("ca_file", "str", "", "PEM file of extra certificate authorities to trust (a school's own CA)."),
        Key("username", "str", "", "SMTP login name (empty: send without logging in)."),
        Key(
            "password_env",
            "str",
            "XXGK_SMTP_PASSWORD",
            "NAME of the environment variable holding the SMTP password (never the password itself).",
            check=_check_env_name,
        ),
        Key("sender", "str", "", "The From address of the weekly email.", check=_check_sender),
        Key("sender_name", "str", "信息公开监测", "The display name shown with the From address."),
        Key(
            "to",
            "list[str]",
            [],
            "The office's addresses: they get every column's findings.",
            check=_check_addresses,
        ),
        Key(
            "send_empty", "bool", False, "Also write to a route's contact when none of their columns is late."
        ),
        Key("subject", "str", "信息公开周报", "The start of every subject line."),
        Key("weeks", "int", 8, "Weeks shown in the category × week table.", minimum=1),
        Key(
            "remind_days",
            "int",
            30,
            "Days before an annual deadline (预算 5月31日, the annual report 10月31日) from which a column"
            " whose new cycle is not published yet is on the to-do as 即将到期; 0: no reminders.",
            minimum=0,
        ),
        Key("timeout", "float", 30.0, "Seconds to wait for the SMTP server at each step.", minimum=1),
        Key(
            "retries",
            "int",
            3,
            "Further attempts after a temporary failure (4xx reply, timeout, dropped connection); a refused"
            " connection or an unknown host fails at once.",
            minimum=0,
        ),
        Key(
            "retry_delay",
            "float",
            10.0,
            "Seconds before the first retry; doubled for each next one.",
            minimum=0,
        ),
        Key("outbox", "str", "data/outbox", "Where --dry-run writes .eml files (relative to config.toml)."),
        Key(
            "reporters",
            "list[str]",
            ["smtp"],
            "How the office's message is delivered: smtp, outbox (.eml files in [email] outbox), or the"
            " name of an [[email.robots]] robot (企业微信, 钉钉); several may be given.",
        ),
    ),
    "cluster": (
        Key(
            "nodes",
            "list[str]",
            [],
            "Scrapyd nodes (http://host:port) that crawl for `xxgk crawl`; empty: the crawl runs here, in"
            " one child process. With nodes, the sites are split by host into Scrapyd jobs (every site of one"
            " host in one job, so per-host politeness holds on one node), scheduled on the nodes, and each"
            " job writes through storage as a local crawl does: [storage] path (and [cluster] shared_dir)"
            " must be the same path on every node. Upload the crawler first with `xxgk deploy`.",
            check=_check_nodes,
        ),
        Key("project", "str", "xxgk", "The Scrapyd project the crawler egg is deployed as."),
        Key(
            "shared_dir",
            "str",
            "",
            "A folder every node sees at the same path, for the crawl plans (relative paths are relative to"
            " config.toml); empty: <[storage] path>.cluster/ next to the database.",
        ),
        Key(
            "job_sites",
            "int",
            1,
            "Sites per Scrapyd job at most: host groups are packed into one job up to this many sites (fewer"
            " processes to start); the sites of one host are never split, whatever their number.",
            minimum=1,
        ),
        Key(
            "attempts",
            "int",
            3,
            "Times a job is scheduled at most: a job lost with its node (down, killed, its run left"
            " unfinished) runs again on another node; past this its sites are unreachable for the crawl.",
            minimum=1,
        ),
        Key("poll_interval", "float", 2.0, "Seconds between two looks at the nodes' jobs.", minimum=0.1),
        Key(
            "node_timeout",
            "float",
            10.0,
            "Seconds a node has to answer one API call; a node that fails to answer twice in a row is down.",
            minimum=0.5,
        ),
    ),
    "schedule": (
        Key(
            "crawl",
            "cron",
            "0 2 * * *",
            "When to crawl: 5-field cron, or 'every 20s' / 'every 6h' / 'every 7d'; '' is off.",
            check=_check_schedule,
        ),
        Key(
            "email",
            "cron",
            "0 8 * * 1",
            "When to send the weekly email (same forms as crawl); '' is off.",
            check=_check_schedule,
        ),
        Key(
            "timezone",
            "str",
            "",
            "Zone of the cron expressions (empty: [college] timezone).",
            check=_check_timezone,
        ),
        Key(
            "catch_up",
            "bool",
            True,
            "At start-up, run once a crawl or email whose time passed while the scheduler was not running.",
        ),
        Key(
            "stop_timeout",
            "float",
            30.0,
            "On SIGTERM/SIGINT, seconds a running crawl may go on before it is interrupted (killed 5 s on).",
            minimum=0,
        ),
    ),
    # ---- the monitor's judgement: monitor/catalog, mapping, rules, report, stats
    "catalog": (
        Key(
            "programs",
            "list[str]",
            ["undergraduate", "graduate"],
            "Programmes the college runs (undergraduate, vocational, graduate): 清单 items that concern "
            "none of them (graduate admission, degrees at a vocational college) are not expected.",
            check=_check_programs,
        ),
        Key(
            "disabled",
            "list[str]",
            [],
            "清单 item ids (monitor/catalog/moe_list.toml) not expected of this college.",
        ),
        Key(
            "shipped_directory",
            "bool",
            True,
            "Map columns named like the shipped school directory (monitor/catalog/directory.toml) too.",
        ),
    ),
    "mapping": (
        Key(
            "use_paths",
            "bool",
            True,
            "When a column's name names no 清单 item, try pinyin initials in its URL path (/zszc/ 招生章程).",
        ),
    ),
    "rules": (
        Key(
            "default_max_age_days",
            "int",
            0,
            "Limit for a column no 清单 item or generic group covers (0: generic.toml's, 365 days).",
            minimum=0,
        ),
        Key(
            "backdated_days",
            "int",
            14,
            "An item first seen this many days after the date it shows, although its column was checked in "
            "between, is flagged late or back-dated.",
            minimum=1,
        ),
        Key(
            "working_days",
            "int",
            20,
            "Working days within which information must be public, for columns no 清单 item covers.",
            minimum=1,
        ),
    ),
    "report": (
        Key("format", "str", "text", "Default output of `xxgk report`.", choices=("text", "json", "csv")),
        Key(
            "csv_style",
            "str",
            "machine",
            "The CSV of `xxgk report` and `xxgk stats`: `machine` (English keys and status codes, UTF-8, "
            "LF: for scripts) or `excel` (for people: UTF-8 with BOM and CRLF so Excel on a Chinese Windows "
            "opens it, Chinese headers and status words); `--excel` gives the people's form for one run.",
            choices=("machine", "excel"),
        ),
        Key(
            "changes_days",
            "int",
            28,
            "Days before --as-of in which deleted, edited and back-dated items are listed.",
            minimum=1,
        ),
        Key(
            "html_url",
            "str",
            "",
            "Where the HTML report (`xxgk report --format html --output DIR`) is published, e.g. an intranet "
            "URL of DIR/index.html; the weekly email links to it when set.",
        ),
        Key(
            "attach_html",
            "bool",
            False,
            "Attach the HTML report's overview page (index.html, self-contained) to the office's weekly "
            "email, judged as of the email's day; with `html_url` set its links open the published pages.",
        ),
    ),
    "stats": (
        Key(
            "year_end",
            "str",
            "08-31",
            "Last day (MM-DD) of the statistics year: `xxgk stats --year Y` covers the year ending in Y.",
            check=check_month_day,
        ),
        Key(
            "format",
            "str",
            "text",
            "Default output of `xxgk stats`.",
            choices=("text", "json", "csv", "html"),
        ),
    ),
}

# Arrays of tables: [[section]] ...
ARRAYS: dict[str, tuple[Key, ...]] = {
    "sites": (
        Key("name", "str", REQUIRED, "Unique name of the site, used in reports and routes."),
        Key("kind", "str", REQUIRED, "What the site is.", choices=("disclosure", "portal", "department")),
        Key("start_urls", "url-list", REQUIRED, "Where the crawl of this site starts (http or https URLs)."),
        Key("institution", "str", "", "The college this site belongs to (default: [college] name)."),
        Key(
            "allowed_hosts",
            "list[str]",
            [],
            "Hosts the crawl may follow links to (default: the start URLs' hosts, and any host a start URL "
            "redirects to).",
        ),
        Key("max_pages", "int", 0, "Pages per crawl for this site (0: [crawl] max_pages).", minimum=0),
        Key("max_depth", "int", -1, "Link depth for this site (-1: [crawl] max_depth).", minimum=-1),
        Key("department", "str", "", "The department that runs this site (for routing and statistics)."),
        Key(
            "title",
            "str",
            "",
            "The site's name as people read it (e.g. 财务处网站) in the text, HTML and Excel reports, the "
            "statistics and the weekly email; default: the <title> of its start page as last crawled, else "
            "its department's or kind's name. JSON and plain CSV keep the config name and add this one.",
        ),
        Key(
            "selectors",
            "table",
            {},
            "Rare per-site CSS overrides: row, row_date, pager_next, column_name; each must compile.",
            check=_check_selectors,
        ),
    ),
    "email.routes": (
        Key(
            "to",
            "list[str]",
            REQUIRED,
            "The contact's addresses: they get only the columns this route selects.",
            check=_check_contacts,
        ),
        Key("name", "str", "", "Who the contact is (e.g. 教务处), shown in the subject and greeting."),
        Key("sites", "list[str]", [], "Site names ([[sites]] name) whose columns go to this contact."),
        Key(
            "departments",
            "list[str]",
            [],
            "Departments ([[sites]] department) whose columns go to this contact.",
        ),
        Key(
            "categories",
            "list[str]",
            [],
            "清单 categories (e.g. 招生考试信息) whose columns go to this contact.",
        ),
        Key("columns", "list[str]", [], "Column names or column URLs that go to this contact."),
        Key(
            "reporters",
            "list[str]",
            ["smtp"],
            "How this contact's message is delivered: smtp, outbox, or [[email.robots]] robot names.",
        ),
    ),
    "email.robots": (
        Key("name", "str", REQUIRED, "The robot's name, as reporters lists name it (e.g. cwc-wecom)."),
        Key(
            "kind",
            "str",
            REQUIRED,
            "wecom: a 企业微信 group robot (群机器人); dingtalk: a 钉钉 custom robot (自定义机器人).",
            choices=("wecom", "dingtalk"),
        ),
        Key(
            "url_env",
            "str",
            REQUIRED,
            "NAME of the environment variable holding the robot's webhook URL (its key or access_token is a"
            " credential, like a password).",
            check=_check_env_name,
        ),
        Key(
            "secret_env",
            "str",
            "",
            "dingtalk with 加签 security: NAME of the environment variable holding the signing secret"
            " (SEC…).",
            check=_check_optional_env_name,
        ),
    ),
    # ---- the monitor's judgement: overrides of the shipped catalog and rules (cadences as in moe_list.toml)
    "catalog.items": (
        Key("id", "str", REQUIRED, "The 清单 item to change (an id of moe_list.toml), or a new item's id."),
        Key("name", "str", "", "The name reports show (a new item needs one)."),
        Key("category", "str", "", "Its category, one of the 10 清单 categories (a new item needs one)."),
        Key("full_name", "str", "", "The full wording, for reference."),
        Key("keywords", "list[str]", [], "Replace the column-name keywords that identify the item."),
        Key("add_keywords", "list[str]", [], "Add column-name keywords (the college's own naming habits)."),
        Key("paths", "list[str]", [], "Replace the URL path segments that identify the item."),
        Key(
            "titles",
            "list[str]",
            [],
            "Replace the title patterns: regular expressions searched in an item's title (normalised as"
            " column names are); a matching item in any column of the institution covers the 清单 item.",
            check=_check_patterns,
        ),
        Key("add_titles", "list[str]", [], "Add title patterns.", check=_check_patterns),
        Key(
            "names",
            "table",
            {},
            'The item\'s wording for a programme, e.g. {vocational = "高等职业教育质量年度报告"}: shown to an'
            " institution that runs that programme and no undergraduate one.",
            check=_check_names,
        ),
        Key(
            "applies_to", "list[str]", [], "Replace the programmes the item concerns.", check=_check_programs
        ),
        *_CADENCE,
        Key("disabled", "bool", False, "Not expected of this college."),
    ),
    "catalog.directory": (
        Key("name", "str", REQUIRED, "A column name of the college's own directory (目录)."),
        Key("aliases", "list[str]", [], "Other names of the same column."),
        Key("category", "str", "", "The 清单 category the column belongs to."),
        Key("items", "list[str]", [], "清单 item ids the column carries (the first is shown)."),
        Key(
            "max_age_days",
            "int",
            0,
            "Cadence of the column (default: the generic limit by its name).",
            minimum=0,
            check=_MAX_AGE,
        ),
        Key("annual", "table", {}, "Cadence: yearly deadline.", check=_ANNUAL),
        Key("event", "table", {}, "Cadence: within working days of the fact.", check=_EVENT),
    ),
    "catalog.institutions": (
        Key("name", "str", REQUIRED, "An institution named by [[sites]] institution (or [college] name)."),
        Key(
            "programs",
            "list[str]",
            REQUIRED,
            "Its programmes, replacing [catalog] programs for its sites.",
            check=_check_programs,
        ),
        Key("disabled", "list[str]", [], "清单 item ids not expected of it, besides [catalog] disabled."),
    ),
    "mapping.overrides": (
        Key("column", "str", REQUIRED, "A column name, or a column's URL (its first list page)."),
        Key("site", "str", "", "Only on this site (default: any site)."),
        Key("item", "str", "", "The 清单 item id it stands for; 'none' for no item (generic rules)."),
        Key("category", "str", "", "Its 清单 category (default: the item's)."),
    ),
    "rules.overrides": (
        Key("site", "str", "", "Applies to this site's columns (any when empty)."),
        Key("category", "str", "", "... to columns of this 清单 category."),
        Key("item", "str", "", "... to columns mapped to this 清单 item id."),
        Key("column", "str", "", "... to the column of this name or URL."),
        *_CADENCE,
    ),
    "rules.generic": (
        Key(
            "name",
            "str",
            REQUIRED,
            "A group of generic.toml to change (新闻动态, 通知公告, 人事规划) or a new one.",
        ),
        Key("keywords", "list[str]", [], "Column-name keywords of the group (a new group needs some)."),
        Key("max_age_days", "int", REQUIRED, "The group's limit in days.", minimum=1),
    ),
}


def default(section: str, key: str) -> Any:
    """The declared default of `[section] key` (or of an array's key), for code outside the config."""
    for k in TABLES.get(section) or ARRAYS[section]:
        if k.name == key:
            if k.default is REQUIRED:
                raise KeyError(f"{section}.{key} is required: it has no default")
            return k.default
    raise KeyError(f"no key {section}.{key}")
