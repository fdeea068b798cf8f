"""The mail tests' college: its configuration (one TOML text, varied by keyword) and its one recorded crawl.

Two sites — `xxgk` (the disclosure site, 127.0.0.31) and `dept` (经管学院's site, 127.0.0.32) — the office
at office@example.edu.cn and, by default, one contact route for 经管学院. `record_crawl` writes one finished
crawl of both through storage as the crawler would: on AS_OF three columns are late (通知公告 with a hostile
newest title, 规章制度, 学院新闻), two are fresh, and one attachment is broken.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import storage
from storage.records import ColumnObservation, FetchRecord, Row

SH = ZoneInfo("Asia/Shanghai")
AS_OF = "2026-03-11"  # ISO week 11
OBSERVED = datetime(2026, 3, 10, 2, 0, tzinfo=SH)
OLD, FRESH = date(2023, 1, 5), date(2026, 3, 9)
HOSTILE = "<script>alert(1)</script></td></tr></table>旧闻"
X, D = "http://127.0.0.31", "http://127.0.0.32"

DEPT_ROUTE = """[[email.routes]]
to = ["dept@example.edu.cn"]
name = "经管学院"
sites = ["dept"]
"""
SITES = """[[sites]]
name = "xxgk"
kind = "disclosure"
start_urls = ["http://127.0.0.31/"]
[[sites]]
name = "dept"
kind = "department"
department = "经管学院"
start_urls = ["http://127.0.0.32/"]
"""


def mail_config(
    port: int,
    *,
    security: str = "none",
    email: str = "",
    storage: str = "",
    routes: str = DEPT_ROUTE,
    extra: str = "",
    retry_delay: float | None = 0.01,
) -> str:
    """config.toml of the mail tests' college: `email` adds [email] keys, `storage` [storage] keys, `routes`
    replaces the 经管学院 route, `extra` adds tables (robots) before the sites."""
    delay = f"retry_delay = {retry_delay}\n" if retry_delay is not None else ""
    return f"""
[college]
name = "示例职业学院"
[storage]
path = "xxgk.duckdb"
{storage}[email]
smtp_host = "127.0.0.1"
smtp_port = {port}
security = "{security}"
sender = "xxgk@example.edu.cn"
to = ["office@example.edu.cn"]
{delay}{email}{routes}{extra}{SITES}"""


def obs(site: str, url: str, name: str, newest: date, title: str = "一条信息") -> ColumnObservation:
    return ColumnObservation(site, url, name, "ok", pages=1, rows=[Row(title, url + "/a1.htm", newest)])


def record_crawl(db: str) -> None:
    """One finished crawl of two sites, written through storage as the crawler would."""
    columns = {
        "xxgk": [
            obs("xxgk", X + "/tzgg", "通知公告", OLD, HOSTILE),
            obs("xxgk", X + "/gzzd", "规章制度", OLD),
            obs("xxgk", X + "/hqtz", "后勤通知", FRESH),
        ],
        "dept": [obs("dept", D + "/xyxw", "学院新闻", OLD), obs("dept", D + "/xytz", "学院通知", FRESH)],
    }
    run = storage.start_run(db, list(columns), observed_at=OBSERVED)
    writer = storage.RunWriter(db, run)
    for site, cols in columns.items():
        home = (X if site == "xxgk" else D) + "/"
        writer.add_fetch(FetchRecord(site, home, OBSERVED, "ok", status=200, depth=0))
        for c in cols:
            writer.add_fetch(FetchRecord(site, c.url, OBSERVED, "ok", status=200, depth=1))
    writer.add_fetch(
        FetchRecord(
            "dept", D + "/files/plan.pdf", OBSERVED, "http_error", status=404, error="HTTP 404", depth=2,
            referer=D + "/xyxw/a1.htm", link_text="招生计划.pdf", role="attachment",
        )
    )  # fmt: skip
    writer.flush()
    storage.finish_run(db, run, [c for cols in columns.values() for c in cols])
