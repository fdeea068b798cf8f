"""The plain-text part of the weekly email: the same content as the HTML part, readable in any client.

Text from crawled pages is flattened to one line (control characters and line breaks removed), so a title
cannot fake extra lines or sections in the message.
"""

from __future__ import annotations

import re
import unicodedata

from monitor.findings import LATE, STATUS_LABELS

from .digest import ABSENT, ABSENT_TITLE, ITEM_LABELS, ColumnLine, Digest, WeekGrid

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def _one_line(text: object, limit: int = 200) -> str:
    """Crawled text as a single line, cut at `limit` characters."""
    s = _CONTROL.sub(" ", "" if text is None else str(text)).strip()
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _pad(text: str, width: int, *, right: bool = False) -> str:
    """Pad to `width` terminal columns, counting a Chinese character as two."""
    shown = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    fill = " " * max(width - shown, 0)
    return fill + text if right else text + fill


def _column(c: ColumnLine) -> list[str]:
    label = STATUS_LABELS.get(c.status, c.status)
    head = f"- [{label}] {_one_line(c.site)} / {_one_line(c.name)}"
    lines = [head]
    what = " · ".join(_one_line(x) for x in (c.category, c.item) if x)
    if what:
        lines.append(f"    类别：{what}")
    if c.status in ("unreachable", "blocked", *ABSENT):
        if c.note:
            lines.append(f"    原因：{_one_line(c.note)}")
    elif c.age_days is None:
        lines.append("    没有带日期的条目")
    else:
        limit = f"（时限 {c.limit_days} 天）" if c.limit_days is not None else ""
        lines.append(f"    距最新一条 {c.age_days} 天{limit}")
    if c.newest_title or c.last_published:
        when = c.last_published.isoformat() if c.last_published else "无日期"
        lines.append(f"    最新：{when} {_one_line(c.newest_title)}")
        if c.newest_url:
            lines.append(f"          {_one_line(c.newest_url, 500)}")
    lines.append(f"    栏目：{_one_line(c.url, 500)}")
    return lines


def _grid(grid: WeekGrid) -> list[str]:
    if not grid.rows:
        return []
    width = max((len(label) * 2 for label in grid.weeks), default=6)
    first = max((min(len(_one_line(cat, 12)) * 2, 24) for cat, _ in grid.rows), default=4) + 2
    lines = [f"近{len(grid.weeks)}周概况（需关注栏目数/栏目总数）", ""]
    lines.append(_pad("类别", first) + " ".join(_pad(w, width, right=True) for w in grid.weeks))
    for category, cells in grid.rows:
        shown = [_pad("-" if c is None else f"{c.late}/{c.total}", width, right=True) for c in cells]
        lines.append(_pad(_one_line(category, 12), first) + " ".join(shown))
    return lines


def render_text(d: Digest, *, title: str) -> str:
    """The whole plain-text body for one digest."""
    out = [
        title,
        "=" * 40,
        f"{d.audience}：截至 {d.as_of.isoformat()}（{d.week}），共监测 {d.total} 个栏目。",
        "",
    ]
    statuses = (*LATE, *(s for s in ABSENT if d.counts.get(s)), "fresh")
    counts = "，".join(f"{STATUS_LABELS[s]} {d.counts.get(s, 0)}" for s in statuses)
    out += [f"概况：{counts}", ""]
    if d.report_url:
        out += [f"完整报告（热力图、各栏目历史）：{_one_line(d.report_url, 500)}", ""]
    if not d.has_news:
        out += ["本周没有需要处理的栏目。", ""]
    if d.new_this_week:
        out.append(f"本周新增问题（{len(d.new_this_week)}）")
        for c in d.new_this_week:
            out += _column(c)
        out.append("")
    if d.sites_down:
        out.append(f"无法访问的网站（{len(d.sites_down)}）")
        out += [f"- {_one_line(s.site)} {_one_line(s.url, 500)}：{_one_line(s.reason)}" for s in d.sites_down]
        out.append("")
    if d.late:
        out.append(f"需关注的栏目（{len(d.late)}，最严重的在前）")
        for c in d.late:
            out += _column(c)
        out.append("")
    if d.absent:
        out.append(f"{ABSENT_TITLE}（{len(d.absent)}）")
        for c in d.absent:
            out += _column(c)
        out.append("")
    if d.missing:
        out.append(f"未找到对应栏目的清单事项（{len(d.missing)}）")
        out += [
            f"- {_one_line(m.category)} · {_one_line(m.item)} {_one_line(m.note)}".rstrip() for m in d.missing
        ]
        out.append("")
    if d.items:
        out.append(f"发布时间存疑、已删除或被修改的条目（{len(d.items)}）")
        for i in d.items:
            shown = i.shown.isoformat() if i.shown else "无日期"
            seen = f"，发现于 {i.seen.isoformat()}" if i.seen else ""
            out.append(f"- [{ITEM_LABELS.get(i.kind, i.kind)}] {_one_line(i.site)} / {_one_line(i.column)}")
            out.append(f"    {shown} {_one_line(i.title)}{seen}")
            if i.detail:
                out.append(f"    {_one_line(i.detail)}")
            out.append(f"    {_one_line(i.url, 500)}")
        out.append("")
    if d.broken:
        out.append(f"失效的附件和链接（{len(d.broken)}）")
        for b in d.broken:
            out.append(f"- {_one_line(b.site)} {_one_line(b.text or b.url)}：{_one_line(b.error)}")
            out.append(f"    {_one_line(b.url, 500)}（所在页面 {_one_line(b.page_url, 500)}）")
        out.append("")
    out += _grid(d.grid)
    out += ["", "本邮件由 xxgk-monitor 根据已存储的抓取结果自动生成。"]
    return "\n".join(out) + "\n"
