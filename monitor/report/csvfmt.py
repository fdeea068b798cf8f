"""The report as CSV, in two forms: for machines (the JSON contract's keys) and for people (Excel).

`machine` (the default of `--format csv`): one row per section, the JSON contract's columns first, English
keys and status codes (the site's config id; its display name in `site_name`), UTF-8 without BOM, LF line
ends — what scripts and `csv.DictReader` expect. The people's form shows the site's display name.

`excel` (`--excel` or `[report] csv_style = "excel"`): what opens right in Excel on a Chinese Windows, whose
CSV import guesses the ANSI code page (GBK) unless the file starts with a UTF-8 byte order mark: the BOM, CRLF
line ends, Chinese headers and status words, fetch errors in words, times in the college's zone; the
technical columns (mapping source, error text) stay in the machine form and the JSON.

In both, a cell a spreadsheet would read as a formula (starting with = + - @, tab or CR) gets a leading
apostrophe: column names and titles come from the web. `cell` is storage.csvcell's, shared with `xxgk sql`
and `xxgk export`.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from monitor.findings import Section
from monitor.judgement import Judgement
from monitor.statuses import STATUS_LABELS
from storage.csvcell import cell

from .jsonfmt import CONTRACT_KEYS

STYLES = ("machine", "excel")
BOM = "\ufeff"

EXTRA_KEYS = (
    "institution",
    "item_id",
    "via",
    "mapping",
    "rule",
    "reason",
    "undated",
    "due",
    "since",
    "error",
    "department",
    "site_down",
    "site_name",
)


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return f"{value:%Y-%m-%d %H:%M}" if isinstance(value, datetime) else value.isoformat()


def _status(status: str | None) -> str:
    return STATUS_LABELS.get(status or "", status or "")


SINCE = "起始时间"  # unreachable / blocked / gone since: the one column with a time of day
# The people's columns: (header, value of a section). Times are the college's: the judge converts them.
PEOPLE: tuple[tuple[str, Callable[[Section], Any]], ...] = (
    ("单位", lambda s: s.institution),
    ("站点", lambda s: s.site or ""),  # replaced by the site's display name in render_csv
    ("责任部门", lambda s: s.department),
    ("清单类别", lambda s: s.category or "未归类"),
    ("清单事项", lambda s: s.item or ""),
    ("栏目", lambda s: s.name),
    ("状态", lambda s: _status(s.status)),
    ("最新发布", lambda s: _day(s.last_published)),
    ("已过天数", lambda s: "" if s.age_days is None else s.age_days),
    ("时限天数", lambda s: "" if s.limit_days is None else s.limit_days),
    ("截止日期", lambda s: _day(s.due)),
    ("条目数", lambda s: s.items),
    ("更新要求", lambda s: s.rule),
    ("说明", lambda s: s.reason),
    (SINCE, lambda s: _day(s.since)),
    ("栏目网址", lambda s: s.url or ""),
)


def write_rows(header: Sequence[str], rows: list[dict[str, Any]], *, labels: Sequence[str] = ()) -> str:
    """Machine CSV of `rows` (dicts) in `header`'s order; `labels` given: the people's form (BOM, CRLF,
    `labels` as the header line)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n" if labels else "\n")
    writer.writerow(labels or header)
    for row in rows:
        writer.writerow([cell(row.get(k)) for k in header])
    return (BOM if labels else "") + out.getvalue()


def render_csv(judgement: Judgement, style: str = "machine") -> str:
    if style == "excel":
        rows = [
            {h: get(s) for h, get in PEOPLE} | {"站点": judgement.site_name(s.site) if s.site else ""}
            for s in judgement.sections
        ]
        keys = [h for h, _ in PEOPLE]
        # the one column with a time of day says its zone (the college's)
        labels = [f"{h}（{judgement.zone}）" if h == SINCE else h for h in keys]
        return write_rows(keys, rows, labels=labels)
    header = (*CONTRACT_KEYS, *EXTRA_KEYS)
    return write_rows(header, judgement.to_json()["sections"])
