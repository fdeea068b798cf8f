"""The statistics as one printable HTML page the office can paste from into its annual report.

Rendered from `monitor/templates/stats.html`: the environment escapes everything that comes from the web or
the config, and makes a link only for http(s) URLs.
"""

from __future__ import annotations

from monitor.templating import render

from .model import Stats
from .render import share, site_rows, wd_cell


def render_html(stats: Stats) -> str:
    title = f"{stats.college}信息公开统计" if stats.college else "信息公开统计"
    return render(
        "stats.html",
        stats=stats,
        title=title,
        period=f"{stats.start.isoformat()} 至 {stats.end.isoformat()}",
        site_rows=site_rows(stats),
        columns=sorted(stats.columns, key=lambda c: (c.site, -c.by_date_shown, c.name)),
        site_name=stats.site_name,
        catalog=[
            (r, wd_cell(r.met_working_days, r.known_working_days, r.working_days, r.items_in_period))
            for r in stats.catalog
        ],
        departments=[
            [d.name, d.columns, d.weeks, share(d.mean_share), share(d.min_share), share(d.last_share)]
            for d in stats.departments
        ],
    )
