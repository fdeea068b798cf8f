"""Issue 14, point 10: columns exactly at their limit, one day past it, and at an annual deadline.

The demo college and the other tests keep every column far from its limit, so an off-by-one (`>=` for `>`, a
deadline counted from the wrong day) or a day lost to a timezone would pass them all. This loopback college
sits on the edges instead, around New Year in Beijing, where a year-less `MM-DD` and a UTC day both go wrong:

- 学院新闻 (news, 14 days): newest 2025-12-17, so 14 days old on 12-31 (fresh) and 15 on 01-01 (stale);
- 校园动态 (news, year-less): newest `12-18`, 14 days old on 01-01: fresh at the limit, read in January;
- 学院通知 (notices, 183 days): newest 2025-07-01, 183 days old on 12-31 (fresh), 184 on 01-01 (stale);
- 通知公告 (notices, year-less): `12-30`, `11-02`, then `01-01` published just after midnight;
- 毕业生就业质量年度报告 (annual, due 12-31 for the year ending 08-31): newest 2024-12-20 is still fresh on
  the deadline day itself and stale the day after;
- 就业质量报告 (the same item, year-less): `12-31`, published on the deadline day, is fresh the day after;
- 其他信息 (365 days): two items appear in the January crawl although the column was checked on 12-31
  without them: one dated 12-17 (14 days before that check: not flagged) and one dated 12-16 (15 days:
  flagged back-dated, first seen on 2026-01-01 in Beijing, which is 2025-12-31 in UTC).

The real `xxgk crawl` runs under TZ=UTC twice: at 23:30 on 31 December Beijing time (a naive --observed-at)
and at 00:30 on 1 January Beijing time (given in UTC, when it is still 31 December there). `xxgk report` for
each day, under TZ=America/Los_Angeles, must give exactly these statuses, ages and limits.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any

import pytest
from faultsite import Column, FaultSite, Row
from xxgkrun import SiteConf, crawl_ok, write_config, xxgk

pytestmark = pytest.mark.slow

SITE = "college"


def _yearless(slug: str, name: str, days: list[date]) -> Column:
    rows = [Row(f"{name}第{i + 1}号", f"/info/{slug}/{i + 1}.htm", d) for i, d in enumerate(days)]
    return Column(slug, name, rows, yearless=True)


def _college() -> FaultSite:
    return FaultSite(
        ("127.0.0.32",),
        [
            Column.of_articles("xwzx", "学院新闻", [date(2025, 12, 17), date(2025, 12, 1)]),
            _yearless("xydt", "校园动态", [date(2025, 12, 18), date(2025, 12, 2)]),
            Column.of_articles("xytz", "学院通知", [date(2025, 7, 1), date(2025, 5, 1)]),
            _yearless("tzgg", "通知公告", [date(2025, 12, 30), date(2025, 11, 2)]),
            Column.of_articles("jybg", "毕业生就业质量年度报告", [date(2024, 12, 20)]),
            _yearless("jyzl", "就业质量报告", [date(2025, 12, 31), date(2024, 12, 25)]),
            Column.of_articles("qtxx", "其他信息", [date(2025, 6, 1)]),
        ],
        name="边界测试学院信息公开网",
    )


# (status, age_days, limit_days) of each column, by slug, on each day
ON_DEC_31 = {
    "xwzx": ("fresh", 14, 14),
    "xydt": ("fresh", 13, 14),
    "xytz": ("fresh", 183, 183),
    "tzgg": ("fresh", 1, 183),
    "jybg": ("fresh", 376, 486),  # the deadline is today: last cycle's report still counts
    "jyzl": ("fresh", 0, 486),
    "qtxx": ("fresh", 213, 365),
}
ON_JAN_1 = {
    "xwzx": ("stale", 15, 14),
    "xydt": ("fresh", 14, 14),
    "xytz": ("stale", 184, 183),
    "tzgg": ("fresh", 0, 183),
    "jybg": ("stale", 377, 122),  # 2025-12-31 has passed: something after 2025-08-31 was due
    "jyzl": ("fresh", 1, 122),
    "qtxx": ("fresh", 15, 365),
}
LATE = Row("其他信息补发第2号", "/info/qtxx/2.htm", date(2025, 12, 16))  # 15 days before the 12-31 check
IN_TIME = Row("其他信息补发第3号", "/info/qtxx/3.htm", date(2025, 12, 17))  # 14 days: within the limit
EMAIL = '\n[email]\nsender = "xxgk@example.edu.cn"\nto = ["office@example.edu.cn"]\n'


@pytest.fixture
def college(tmp_path: Path) -> Iterator[tuple[FaultSite, Path]]:
    with _college() as site:
        sites = [SiteConf(SITE, [site.url("/")])]
        yield site, write_config(tmp_path, sites, college="边界测试学院", extra=EMAIL)


def _verdicts(report: dict[str, Any], site: FaultSite) -> dict[str, tuple[str, int, int]]:
    by_url = {s["url"]: s for s in report["sections"] if s.get("site") == SITE and s.get("url")}
    out = {}
    for c in site.columns:
        s = by_url.get(site.url(c.path))
        assert s is not None, f"column {c.name} is missing from the report"
        out[c.slug] = (s["status"], s["age_days"], s["limit_days"])
    return out


def _report(config: Path, day: str) -> dict[str, Any]:
    proc = xxgk(config, "report", "--format", "json", "--as-of", day, env={"TZ": "America/Los_Angeles"})
    assert proc.returncode == 0, proc.stderr[-3000:]
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def test_limits_and_deadlines_hold_to_the_day(college: tuple[FaultSite, Path]) -> None:
    site, config = college
    crawl_ok(xxgk(config, "crawl", "--observed-at", "2025-12-31T23:30", env={"TZ": "UTC"}))
    site.column("tzgg").rows.insert(0, Row("通知公告新年第1号", "/info/tzgg/9.htm", date(2026, 1, 1)))
    site.column("qtxx").rows[:0] = [IN_TIME, LATE]
    crawl_ok(xxgk(config, "crawl", "--observed-at", "2025-12-31T16:30:00+00:00", env={"TZ": "UTC"}))

    assert _verdicts(_report(config, "2025-12-31"), site) == ON_DEC_31
    report = _report(config, "2026-01-01")
    assert _verdicts(report, site) == ON_JAN_1
    late = [f for f in report["findings"] if f["kind"] == "backdated"]
    assert [f["url"] for f in late] == [site.url(LATE.href)], late
    assert "2026-01-01才首次发现（晚16天）" in late[0]["detail"], late[0]

    # the week's email says the day it was found in college time too
    outbox = config.parent / "outbox"
    proc = xxgk(
        config, "email", "--dry-run", "--as-of", "2026-01-01", "--outbox", str(outbox), env={"TZ": "UTC"}
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    [eml] = list(outbox.glob("*.eml"))
    message = BytesParser(policy=policy.default).parsebytes(eml.read_bytes())
    body = message.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert f"{LATE.title}，发现于 2026-01-01" in text, text
