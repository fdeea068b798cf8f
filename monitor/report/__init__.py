"""Renderers of a `Judgement`: Chinese text for people, JSON (the machine contract), CSV for spreadsheets.

Public API: `render(judgement, fmt) -> str` with fmt one of `FORMATS`. Renderers only lay out what the judge
found; each escapes web text for its own format (control characters in text, formula prefixes in CSV).
"""

from __future__ import annotations

from monitor.errors import Failure
from monitor.findings import Judgement

from .csvfmt import render_csv
from .jsonfmt import render_json
from .text import render_text

FORMATS = ("text", "json", "csv")

__all__ = ["FORMATS", "ReportError", "render"]


class ReportError(Failure):
    """A report that cannot be produced as asked (e.g. an unknown format); the CLI prints it in one line."""


def render(judgement: Judgement, fmt: str = "text") -> str:
    if fmt == "text":
        return render_text(judgement)
    if fmt == "json":
        return render_json(judgement)
    if fmt == "csv":
        return render_csv(judgement)
    raise ReportError(f"unknown report format {fmt!r}; expected one of {', '.join(FORMATS)}")
