"""The HTML part of the weekly email: tables with inline CSS, no images, no scripts, no external resources.

Mail clients (Outlook, Foxmail, webmail) drop <style> blocks and ignore most layout CSS, so every element
carries its own `style` and the layout is nested tables. Every string that came from a crawled page (titles,
column names, URLs, error text) goes through `_t` (escaped text) or `_link` (escaped, and linked only when it
is an http(s) URL), so a title such as `</table><script>` shows as text and changes nothing.
"""

from __future__ import annotations

from html import escape
from urllib.parse import urlsplit

from monitor.findings import LATE, STATUS_LABELS

from .digest import ITEM_LABELS, ColumnLine, Digest, WeekGrid

FONT = "font-family:'Microsoft YaHei','PingFang SC','Hiragino Sans GB',Arial,sans-serif;"
# Background / text colour per status: readable without colour too (each cell also says its status in words).
COLOURS: dict[str, tuple[str, str]] = {
    "unreachable": ("#f8d7da", "#842029"),
    "stale": ("#fde2c8", "#8a4b08"),
    "blocked": ("#e2d9f3", "#4b2c83"),
    "empty": ("#fff3cd", "#664d03"),
    "missing": ("#e9ecef", "#495057"),
    "fresh": ("#d1e7dd", "#0f5132"),
}
TH = (
    "padding:6px 8px;border:1px solid #d0d7de;background:#f1f3f5;text-align:left;font-weight:bold;"
    "font-size:13px;"
)
TD = "padding:6px 8px;border:1px solid #d0d7de;vertical-align:top;font-size:13px;"
TABLE = "border-collapse:collapse;width:100%;margin:0 0 16px 0;"
H2 = "font-size:16px;margin:20px 0 8px 0;color:#1f2328;"


def _t(text: object) -> str:
    """Escaped text (quotes too, so it is also safe inside attributes)."""
    return escape("" if text is None else str(text), quote=True)


def _link(url: str | None, text: str | None = None) -> str:
    """A link for http(s) URLs only; anything else (javascript:, data:, junk) is shown as plain text."""
    label = _t(text if text else url or "")
    if url and urlsplit(url).scheme.lower() in ("http", "https"):
        return f'<a href="{_t(url)}" style="color:#0b57d0;text-decoration:underline;">{label}</a>'
    return label


def _badge(status: str) -> str:
    bg, fg = COLOURS.get(status, COLOURS["missing"])
    label = STATUS_LABELS.get(status, status)
    return f'<span style="background:{bg};color:{fg};padding:1px 6px;white-space:nowrap;">{_t(label)}</span>'


def _table(headers: list[str], rows: list[list[str]]) -> str:
    head = "".join(f'<th style="{TH}">{_t(h)}</th>' for h in headers)
    body = "".join(
        "<tr>" + "".join(f'<td style="{TD}">{cell}</td>' for cell in row) + "</tr>" for row in rows
    )
    return (
        f'<table role="presentation" cellpadding="0" cellspacing="0" style="{TABLE}">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def _days(c: ColumnLine) -> str:
    if c.status in ("unreachable", "blocked"):
        return _t(c.note) if c.note else "—"
    if c.age_days is None:
        return "无日期"
    limit = f" / 时限 {c.limit_days} 天" if c.limit_days is not None else ""
    return f"{c.age_days} 天{limit}"


def _column_rows(columns: list[ColumnLine]) -> list[list[str]]:
    rows = []
    for c in columns:
        newest = "—"
        if c.newest_title or c.last_published:
            when = c.last_published.isoformat() if c.last_published else "无日期"
            newest = f"{_link(c.newest_url, c.newest_title or c.newest_url)}<br>{_t(when)}"
        where = f"{_t(c.site)}<br>{_link(c.url, c.name or c.url)}"
        what = _t(" · ".join(x for x in (c.category, c.item) if x)) or "—"
        rows.append([_badge(c.status), where, what, _days(c), newest])
    return rows


def _summary(d: Digest) -> str:
    cells = []
    for status in (*LATE, "fresh"):
        bg, fg = COLOURS[status]
        n = d.counts.get(status, 0)
        cells.append(
            f'<td style="{TD}background:{bg};color:{fg};text-align:center;">'
            f'<div style="font-size:20px;font-weight:bold;">{n}</div>{_t(STATUS_LABELS[status])}</td>'
        )
    row = "".join(cells)
    return (
        f'<table role="presentation" cellpadding="0" cellspacing="0" style="{TABLE}"><tr>{row}</tr></table>'
    )


def _grid(grid: WeekGrid) -> str:
    if not grid.rows:
        return ""
    rows = []
    for category, cells in grid.rows:
        out = [_t(category)]
        for cell in cells:
            if cell is None:
                out.append("—")
                continue
            bg, fg = COLOURS.get(cell.worst, COLOURS["missing"])
            out.append(
                f'<span style="display:block;background:{bg};color:{fg};text-align:center;" '
                f'title="{_t(STATUS_LABELS.get(cell.worst, cell.worst))}">{cell.late}/{cell.total}</span>'
            )
        rows.append(out)
    note = (
        '<p style="font-size:12px;color:#57606a;margin:0 0 8px 0;">'
        "每格：需关注栏目数 / 栏目总数，颜色为最差状态。</p>"
    )
    return f'<h2 style="{H2}">近{len(grid.weeks)}周概况</h2>{note}' + _table(["类别", *grid.weeks], rows)


def render_html(d: Digest, *, title: str) -> str:
    """The whole HTML document for one digest."""
    parts = [
        f'<h1 style="font-size:20px;margin:0 0 4px 0;color:#1f2328;">{_t(title)}</h1>',
        f'<p style="margin:0 0 12px 0;color:#57606a;font-size:13px;">'
        f"{_t(d.audience)}：截至 {d.as_of.isoformat()}（{_t(d.week)}），共监测 {d.total} 个栏目。</p>",
        _summary(d),
    ]
    if not d.has_news:
        parts.append(f'<p style="{TD}border:none;">本周没有需要处理的栏目。</p>')
    headers = ["状态", "网站 / 栏目", "类别 · 事项", "已过天数", "最新一条"]
    if d.new_this_week:
        parts.append(f'<h2 style="{H2}">本周新增问题（{len(d.new_this_week)}）</h2>')
        parts.append(_table(headers, _column_rows(d.new_this_week)))
    if d.sites_down:
        rows = [[_t(s.site), _link(s.url), _t(s.reason)] for s in d.sites_down]
        parts.append(f'<h2 style="{H2}">无法访问的网站（{len(d.sites_down)}）</h2>')
        parts.append(_table(["网站", "地址", "原因"], rows))
    if d.late:
        parts.append(f'<h2 style="{H2}">需关注的栏目（{len(d.late)}，最严重的在前）</h2>')
        parts.append(_table(headers, _column_rows(d.late)))
    if d.missing:
        rows = [[_t(m.category), _t(m.item), _t(m.note) or "—"] for m in d.missing]
        parts.append(f'<h2 style="{H2}">未找到对应栏目的清单事项（{len(d.missing)}）</h2>')
        parts.append(_table(["类别", "事项", "说明"], rows))
    if d.items:
        rows = [
            [
                _t(ITEM_LABELS.get(i.kind, i.kind)),
                f"{_t(i.site)}<br>{_link(i.column_url, i.column or i.column_url)}",
                _link(i.url, i.title or i.url),
                _t(i.shown.isoformat() if i.shown else "—"),
                _t(i.seen.isoformat() if i.seen else "—"),
                _t(i.detail) or "—",
            ]
            for i in d.items
        ]
        parts.append(f'<h2 style="{H2}">发布时间存疑、已删除或被修改的条目（{len(d.items)}）</h2>')
        parts.append(_table(["情况", "网站 / 栏目", "标题", "显示日期", "发现日期", "说明"], rows))
    if d.broken:
        rows = [
            [
                _t(b.site),
                _link(b.page_url, b.page_title or b.page_url),
                _link(b.url, b.text or b.url),
                _t(b.error),
            ]
            for b in d.broken
        ]
        parts.append(f'<h2 style="{H2}">失效的附件和链接（{len(d.broken)}）</h2>')
        parts.append(_table(["网站", "所在页面", "附件 / 链接", "错误"], rows))
    parts.append(_grid(d.grid))
    parts.append(
        '<p style="font-size:12px;color:#57606a;margin:16px 0 0 0;">'
        "本邮件由 xxgk-monitor 根据已存储的抓取结果自动生成；"
        "时限依据《高等学校信息公开事项清单》及学校目录。</p>"
    )
    body = "".join(parts)
    return (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{_t(title)}</title></head>"
        f'<body style="margin:0;padding:0;background:#f4f5f7;{FONT}">'
        '<table role="presentation" width="100%" cellpadding="0" cellspacing="0" style="background:#f4f5f7;">'
        '<tr><td align="center" style="padding:16px;">'
        '<table role="presentation" cellpadding="0" cellspacing="0" '
        f'style="width:100%;max-width:880px;background:#ffffff;border:1px solid #d0d7de;{FONT}">'
        f'<tr><td style="padding:20px;color:#1f2328;">{body}</td></tr></table>'
        "</td></tr></table></body></html>"
    )
