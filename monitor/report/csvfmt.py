"""The report as CSV: one row per section, the JSON contract's columns first, for spreadsheets.

A cell a spreadsheet would read as a formula (starting with = + - @, tab or CR) gets a leading
apostrophe: column names and titles come from the web. `cell` is storage.csvcell's, shared with `xxgk sql`
and `xxgk export`.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from monitor.findings import Judgement
from storage.csvcell import cell

from .jsonfmt import CONTRACT_KEYS

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
)


def write_rows(header: tuple[str, ...], rows: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([cell(row.get(k)) for k in header])
    return out.getvalue()


def render_csv(judgement: Judgement) -> str:
    header = (*CONTRACT_KEYS, *EXTRA_KEYS)
    return write_rows(header, [s.to_json() for s in judgement.sections])
