"""`xxgk report --format html --output DIR`: the visual report, self-contained pages built from the history.

`build` reads storage and the judgement into plain data (`model`): the scorecards, the column × crawl-week
heat map (each cell the judgement of the stored crawls as of that week, never a re-crawl), the column pages,
the 清单 table and the league table of institutions. `write` renders it through the templates in
`monitor/templates/report/` (autoescape on) into DIR/index.html, one page per site and one per column. No page
loads anything from elsewhere: styles and the few lines of sorting script are inline, charts are inline SVG.
"""

from __future__ import annotations

from .build import build_report
from .write import overview_page, write_report

__all__ = ["build_report", "overview_page", "write_report"]
