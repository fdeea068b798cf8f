"""The statistics as one printable HTML page the office can paste from into its annual report.

Everything that comes from the web or the config is escaped; a link is made only for http(s) URLs.
"""

from __future__ import annotations

from collections.abc import Collection
from html import escape
from urllib.parse import urlsplit

from monitor.findings import STATUS_LABELS

from .model import Stats
from .render import share, site_rows, wd_cell

STYLE = """
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "SimSun", sans-serif; margin: 2em; color: #111; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.6em; }
table { border-collapse: collapse; width: 100%; margin: .6em 0; font-size: .92em; }
th, td { border: 1px solid #888; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #eee; } td.n { text-align: right; }
.missing, .stale, .unreachable { color: #a00; } .empty, .blocked { color: #a60; }
.note { color: #555; font-size: .9em; }
@media print {
  body { margin: 0; } a { color: inherit; text-decoration: none; } h2 { page-break-after: avoid; }
}
"""


def _e(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def _link(url: str, text: str) -> str:
    if urlsplit(url).scheme in ("http", "https"):
        return f'<a href="{_e(url)}">{_e(text)}</a>'
    return _e(text)


def _table(header: list[str], rows: list[list[str]], numeric: Collection[int] = ()) -> list[str]:
    """Rows are already-escaped HTML cells."""
    out = ["<table>", "<tr>" + "".join(f"<th>{_e(h)}</th>" for h in header) + "</tr>"]
    for row in rows:
        cells = "".join(
            f'<td class="n">{c}</td>' if i in numeric else f"<td>{c}</td>" for i, c in enumerate(row)
        )
        out.append(f"<tr>{cells}</tr>")
    out.append("</table>")
    return out


def render_html(stats: Stats) -> str:
    title = f"{stats.college}信息公开统计" if stats.college else "信息公开统计"
    period = f"{stats.start.isoformat()} 至 {stats.end.isoformat()}"
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{_e(title)}（{_e(period)}）</title><style>{STYLE}</style></head><body>",
        f"<h1>{_e(title)}</h1>",
        f"<p>统计期：{_e(period)}；状态按 {_e(stats.as_of.isoformat())} 判断。</p>",
        f"<h2>一、发布信息数量（按标注的发布日期）：共 {stats.total} 条</h2>",
    ]
    rows = [[_e(r[0]), *r[1:]] for r in site_rows(stats)]
    parts += _table(
        ["站点", "发布", "监测到新出现", "修改", "删除"],
        rows,
        (
            1,
            2,
            3,
            4,
        ),
    )
    parts += _table(["清单类别", "条数"], [[_e(k), str(v)] for k, v in stats.by_category.items()], (1,))
    rows = [
        [_e(c.site), _link(c.url, c.name), _e(c.category or "—"), str(c.by_date_shown), str(c.appeared)]
        for c in sorted(stats.columns, key=lambda c: (c.site, -c.by_date_shown, c.name))
    ]
    parts += _table(
        ["站点", "栏目", "类别", "发布", "监测到新出现"],
        rows,
        (
            3,
            4,
        ),
    )
    parts.append("<h2>二、清单事项公开情况表</h2>")
    rows = []
    for r in stats.catalog:
        links = "<br>".join(_link(u, n) for _, n, u in r.columns) or "未找到栏目"
        status = f'<span class="{_e(r.status)}">{_e(STATUS_LABELS.get(r.status, r.status))}</span>'
        newest = r.last_published.isoformat() if r.last_published else "—"
        wd = wd_cell(r.met_working_days, r.known_working_days, r.working_days)
        rows.append([_e(r.category), _e(r.item), links, str(r.items_in_period), _e(newest), status, _e(wd)])
    parts += _table(
        ["类别", "事项", "公开栏目", "本期条数", "最新发布", "状态", "20个工作日内发布"], rows, (3,)
    )
    if stats.departments:
        parts.append("<h2>三、各部门时效（每周最后一次抓取时栏目正常的比例）</h2>")
        rows = [
            [
                _e(d.name),
                str(d.columns),
                str(d.weeks),
                share(d.mean_share),
                share(d.min_share),
                share(d.last_share),
            ]
            for d in stats.departments
        ]
        parts += _table(
            ["部门", "栏目", "周数", "平均", "最低", "最近"],
            rows,
            (
                1,
                2,
                3,
                4,
                5,
            ),
        )
    for note in stats.notes:
        parts.append(f'<p class="note">{_e(note)}</p>')
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
