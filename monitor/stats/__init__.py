"""Annual-report statistics (issue 10): what was published in a period, and the 清单事项公开情况表.

Public API: `compute(conn, config, *, start, end) -> Stats`, `render(stats, fmt, csv_style) -> str` with fmt
one of `FORMATS` (text, json, csv, html: a printable page, everything escaped) and csv_style machine or
excel, `academic_year(year, year_end)`.
"""

from __future__ import annotations

from .compute import academic_year, compute
from .html import render_html
from .model import CatalogRow, ColumnCount, DepartmentRow, Stats
from .render import render_csv, render_json, render_text

FORMATS = ("text", "json", "csv", "html")

__all__ = [
    "FORMATS",
    "CatalogRow",
    "ColumnCount",
    "DepartmentRow",
    "Stats",
    "academic_year",
    "compute",
    "render",
]


def render(stats: Stats, fmt: str = "text", csv_style: str = "machine") -> str:
    """`csv_style` (csv only): "machine" (English keys) or "excel" (people's: BOM, Chinese headers)."""
    renderers = {"text": render_text, "json": render_json, "csv": render_csv, "html": render_html}
    if fmt not in renderers:
        from monitor.report import ReportError

        raise ReportError(f"unknown stats format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if fmt == "csv":
        return render_csv(stats, csv_style)
    return renderers[fmt](stats)
