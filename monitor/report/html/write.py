"""Render the HTML report's pages into a folder: index.html, one page per site, one per column.

Each page is written to a temporary name and renamed into place, so a reader (an intranet web server) never
serves half a page. The charts of a column page are computed here as inline SVG coordinates.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

from monitor.templating import is_web_url, render

from .model import ColumnView, HtmlReport

CHART_W, CHART_H, PAD = 560, 140, 28


@dataclass(frozen=True, slots=True)
class Dot:
    x: float
    y: float
    label: str  # the tooltip


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    unit: str
    top: int  # the value at the top of the y axis
    dots: tuple[Dot, ...]
    first: str  # the first and the last day, under the x axis
    last: str

    @property
    def polyline(self) -> str:
        return " ".join(f"{d.x:.1f},{d.y:.1f}" for d in self.dots)


def chart(title: str, unit: str, series: list[tuple[str, int | None]]) -> Chart | None:
    """A line over (day, value) pairs; values that are None (no dated item) are left out."""
    known = [(day, v) for day, v in series if v is not None]
    if not known:
        return None
    top = max(max(v for _, v in known), 1)
    step = (CHART_W - 2 * PAD) / max(len(series) - 1, 1)
    dots = []
    for n, (day, v) in enumerate(series):
        if v is None:
            continue
        x = PAD + n * step
        y = CHART_H - PAD - (CHART_H - 2 * PAD) * v / top
        dots.append(Dot(x, y, f"{day}：{v} {unit}"))
    return Chart(title, unit, top, tuple(dots), series[0][0], series[-1][0])


def column_charts(c: ColumnView) -> list[Chart]:
    days = [p.day.isoformat() for p in c.points]
    charts = [
        chart("条目数", "条", list(zip(days, [p.items for p in c.points], strict=True))),
        chart("最新一条距抓取日的天数", "天", list(zip(days, [p.age_days for p in c.points], strict=True))),
    ]
    return [ch for ch in charts if ch is not None]


def _write(path: Path, text: str) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _common(report: HtmlReport, base_href: str = "") -> tuple[str, dict[str, object]]:
    j = report.judgement
    title = f"{j.college}信息公开监测报告" if j.college else "信息公开监测报告"
    common = {"r": report, "zone": j.zone, "college_title": title, "base_href": base_href}
    return title, common | {"site_name": j.site_name}  # sites by display name, never by config id


def overview_page(report: HtmlReport, published: str = "") -> str:
    """index.html alone, as one self-contained file (an email attachment). With `published`, the URL of the
    published index.html ([report] html_url), its links to site and column pages resolve there."""
    base = urljoin(published, ".") if is_web_url(published) else ""
    title, common = _common(report, base)
    return render("report/index.html", title=title, **common)


def write_report(report: HtmlReport, out: Path) -> list[Path]:
    """Write every page of `report` into `out` (created when missing); returns the paths, index first."""
    out.mkdir(parents=True, exist_ok=True)
    title, common = _common(report)
    written = []
    path = out / "index.html"
    _write(path, render("report/index.html", title=title, **common))
    written.append(path)
    for sv in report.sites:
        path = out / sv.page
        _write(path, render("report/site.html", title=f"{sv.card.name} · {title}", sv=sv, **common))
        written.append(path)
    for c in [*report.columns, *report.former_columns]:
        path = out / c.page
        page_title = f"{c.section.name} · {report.judgement.site_name(c.section.site)} · {title}"
        _write(path, render("report/column.html", title=page_title, c=c, charts=column_charts(c), **common))
        written.append(path)
    return written
