"""Renderers of a `Judgement`: Chinese text for people, JSON (the machine contract), CSV for spreadsheets.

Public API: `render(judgement, fmt, csv_style) -> str` with fmt one of `FORMATS` and csv_style one of
`CSV_STYLES` (machine: the JSON keys; excel: for people, opens in Excel on a Chinese Windows). Renderers
only lay out what the judge found; each escapes web text for its own format (control characters in text,
formula prefixes in CSV).
"""

from __future__ import annotations

from monitor.errors import Failure
from monitor.judgement import Judgement

from .csvfmt import STYLES as CSV_STYLES
from .csvfmt import render_csv
from .jsonfmt import render_json
from .text import render_text

FORMATS = ("text", "json", "csv")

__all__ = ["CSV_STYLES", "FORMATS", "ReportError", "render"]


class ReportError(Failure):
    """A report that cannot be produced as asked (e.g. an unknown format); the CLI prints it in one line."""


def render(judgement: Judgement, fmt: str = "text", csv_style: str = "machine") -> str:
    """`csv_style` (csv only): "machine" (the JSON keys) or "excel" (people's: BOM, Chinese headers)."""
    if fmt == "text":
        return render_text(judgement)
    if fmt == "json":
        return render_json(judgement)
    if fmt == "csv":
        return render_csv(judgement, csv_style)
    raise ReportError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
