"""The plain-text part of the weekly email: the same content as the HTML part, readable in any client.

Text from crawled pages is flattened to one line (control characters and line breaks removed), so a title
cannot fake extra lines or sections in the message.
"""

from __future__ import annotations

import re
import unicodedata

from monitor.statuses import LATE, STATUS_LABELS

from .digest import (
    ABSENT,
    ABSENT_TITLE,
    ITEM_LABELS,
    MISSING_WHY,
    SITE_KINDS,
    ColumnLine,
    Digest,
    TodoRow,
    WeekGrid,
)

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


def _column(c: ColumnLine, site: str) -> list[str]:
    """A column of the 栏目消失 / 本次未检查 section."""
    label = STATUS_LABELS.get(c.status, c.status)
    lines = [f"- [{label}] {_one_line(site)} / {_one_line(c.name)}"]
    what = " · ".join(_one_line(x) for x in (c.category, c.item) if x)
    if what:
        lines.append(f"    类别：{what}")
    if c.owner is not None:
        lines.append(f"    责任部门：{_one_line(c.owner.label)}")
    if c.note:
        lines.append(f"    原因：{_one_line(c.note)}")
    if c.newest_title or c.last_published:
        when = c.last_published.isoformat() if c.last_published else "无日期"
        lines.append(f"    最新：{when} {_one_line(c.newest_title)}")
    lines.append(f"    栏目：{_one_line(c.url, 500)}")
    return lines


def _row(r: TodoRow) -> list[str]:
    """One to-do row: what, by when, why, and where to look."""
    what = " · ".join(_one_line(x) for x in (r.category, r.item) if x)
    new = "（本周新增）" if r.new_this_week else ""
    if not r.column and r.kind not in SITE_KINDS:  # a 清单 item without a column of its own: two lines
        why = "" if r.why == MISSING_WHY else f"：{_one_line(r.why)}"  # a missing one's reason is its label
        college = f"【{_one_line(r.site)}】" if r.site else ""
        return [f"- [{r.label}] {college}{what}{why}", f"    应完成：{_one_line(r.due.text)}"]
    where = " / ".join(_one_line(x) for x in (r.site, r.column) if x)
    lines = [f"- [{r.label}] {where}{new}"]
    if what:
        lines.append(f"    清单事项：{what}")
    lines.append(f"    应完成：{_one_line(r.due.text)}")
    if r.why:
        lines.append(f"    原因：{_one_line(r.why)}")
    if r.newest_title or r.last_published:
        when = r.last_published.isoformat() if r.last_published else "无日期"
        lines.append(f"    最新：{when} {_one_line(r.newest_title)}")
        if r.newest_url:
            lines.append(f"          {_one_line(r.newest_url, 500)}")
    if r.url:
        lines.append(f"    地址：{_one_line(r.url, 500)}")
    return lines


def _groups(d: Digest) -> list[str]:
    if not d.groups:
        return []
    out = [f"待办事项（{d.todo}）", _one_line(d.order_line, 300), ""]
    for g in d.groups:
        out.append(
            f"【{_one_line(g.owner.label)}】联系人：{_one_line(g.owner.reach, 300)}（{len(g.rows)} 项）"
        )
        for r in g.rows:
            out += _row(r)
        out.append("")
    return out


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
    if d.crawl_note:
        out += [f"注意：{_one_line(d.crawl_note, 300)}", ""]
    out += [f"栏目概况：{counts}"]
    tally = "、".join(f"{name} {n}" for name, n in d.tally())
    new = sum(1 for c in d.late if c.new_this_week)
    if tally:
        out.append(f"本周待办：{tally}" + (f"（其中本周新增 {new} 项）" if new else ""))
    out.append("")
    if d.report_url:
        out += [f"完整报告（热力图、各栏目历史）：{_one_line(d.report_url, 500)}", ""]
    if not d.has_news:
        out += ["本周没有需要处理的栏目。", ""]
    out += _groups(d)
    if d.absent:
        out.append(f"{ABSENT_TITLE}（{len(d.absent)}）")
        for c in d.absent:
            out += _column(c, d.site_name(c.site))
        out.append("")
    if d.items:
        out.append(f"发布时间存疑、已删除或被修改的条目（{len(d.items)}）")
        for i in d.items:
            shown = i.shown.isoformat() if i.shown else "无日期"
            seen = f"，发现于 {i.seen.isoformat()}" if i.seen else ""
            site = _one_line(d.site_name(i.site))
            out.append(f"- [{ITEM_LABELS.get(i.kind, i.kind)}] {site} / {_one_line(i.column)}")
            out.append(f"    {shown} {_one_line(i.title)}{seen}")
            if i.detail:
                out.append(f"    {_one_line(i.detail)}")
            out.append(f"    {_one_line(i.url, 500)}")
        out.append("")
    if d.broken:
        out.append(f"失效的附件和链接（{len(d.broken)}）")
        for b in d.broken:
            out.append(
                f"- {_one_line(d.site_name(b.site))} {_one_line(b.text or b.url)}：{_one_line(b.error)}"
            )
            out.append(f"    {_one_line(b.url, 500)}（所在页面 {_one_line(b.page_url, 500)}）")
        out.append("")
    out += _grid(d.grid)
    out += ["", "本邮件由 xxgk-monitor 根据已存储的抓取结果自动生成。"]
    return "\n".join(out) + "\n"
