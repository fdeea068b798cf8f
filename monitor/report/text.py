"""The report as a readable Chinese table: grouped by institution, site and category, worst first.

A site that is down is one line, not one line per column. Every column shows how it was mapped to the 清单 and
which rule judged it, so a reader can see why it is stale (and fix a wrong mapping in config.toml).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from monitor.findings import Coverage, Section, SiteLine
from monitor.judgement import Judgement
from monitor.limits import error_words, menu_words, site_limits
from monitor.sitenames import KIND_NAMES
from monitor.statuses import COVERED_VIA, FINDING_LABELS, SEVERITY, STATUS_LABELS

from .textutil import clean, table

UNCATEGORISED = "未归类（通用规则）"
HEADER = ["状态", "栏目", "清单事项", "最新发布", "已过/时限(天)", "条目", "对应方式 · 规则 · 说明"]
WIDTHS = [10, 22, 28, 10, 13, 5, 0]


def _day(moment: datetime | None, zone: str) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d") if moment else "—"


def _age(s: Section) -> str:
    if s.status in ("empty", "missing"):
        return "—"
    age = "—" if s.age_days is None else str(s.age_days)
    limit = "—" if s.limit_days is None else str(s.limit_days)
    return f"{age}/{limit}"


def _row(s: Section) -> list[str]:
    why = " · ".join(x for x in (s.mapped_by, s.rule, s.reason) if x)
    return [
        s.label,
        clean(s.name, 60),
        clean(s.item or "—", 60),
        s.last_published.isoformat() if s.last_published else "—",
        _age(s),
        "—" if s.status == "missing" else f"{s.items}+" if s.partial else str(s.items),
        clean(why, 160),
    ]


def _summary(j: Judgement) -> str:
    counts = j.counts()
    parts = [f"{STATUS_LABELS[k]} {v}" for k, v in counts.items() if k != "missing"]
    by_titles = sum(1 for c in j.coverage if c.via == "titles")
    titles = f"（另有 {by_titles} 项无对应栏目、由条目标题确认）" if by_titles else ""
    return (
        f"栏目 {len(j.columns)} 个："
        + "，".join(parts)
        + f"；缺失的清单事项（无对应栏目、无标题显示）{counts['missing']} 项{titles}"
    )


def _coverage_line(j: Judgement, c: Coverage) -> str:
    newest = c.last_published.isoformat() if c.last_published else "—"
    return (
        f"  {c.label}｜【{c.category}】{clean(c.item)}｜{c.via_label}｜最新 {newest}"
        f"｜{clean(c.evidence_words(j.site_name), 240)}｜{clean(c.reason, 120)}"
    )


def _site_label(j: Judgement, site: str | None, kind: str | None) -> str:
    """A site as people read it: its display name, and its kind when the name does not say it."""
    name = clean(j.site_name(site), 60)
    label = KIND_NAMES.get(kind or "", "")
    return f"{name}（{label}）" if label and not name.endswith(("网站", label)) else name


def _site_line(j: Judgement, line: SiteLine) -> str:
    zone = j.zone
    name = _site_label(j, line.site, line.kind)
    if line.status == "never":
        return f"  {name}：尚未抓取"
    if line.status == "down":
        why = f"：{error_words(line.error)}" if line.error else ""
        since = _day(line.since, zone)
        return f"  {name}：整站无法访问，自 {since} 起{why}；其 {line.columns} 个栏目本次无法检查"
    ok = f"  {name}：正常，最近抓取 {_day(line.last_crawl, zone)}，栏目 {line.columns} 个"
    if line.limits:
        ok += f"；{clean(site_limits(line.limits), 200)}"
    if line.menu_notice:
        ok += f"；{clean(menu_words(line.menu_notice), 300)}"
    return ok


def _category_blocks(sections: list[Section], order: dict[str, int]) -> list[str]:
    groups: dict[str, list[Section]] = defaultdict(list)
    for s in sections:
        groups[s.category or UNCATEGORISED].append(s)

    def rank(name: str) -> tuple[int, int]:
        return (min(SEVERITY.get(s.status, 99) for s in groups[name]), order.get(name, 99))

    lines: list[str] = []
    for name in sorted(groups, key=rank):
        rows = [_row(s) for s in sorted(groups[name], key=Section.sort_key)]
        lines.append(f"  【{name}】")
        lines.extend(table(HEADER, rows, WIDTHS, indent="    "))
    return lines


def render_text(j: Judgement) -> str:
    order = {name: n for n, name in enumerate(j.categories)}
    title = f"信息公开监测报告{('：' + clean(j.college)) if j.college else ''}"
    lines = [
        title,
        f"判断日期：{j.as_of.isoformat()}" + (f"　站点：{_site_label(j, j.site, None)}" if j.site else ""),
        _summary(j),
    ]
    if j.crawl.note:
        lines.append(f"注意：{clean(j.crawl.note, 300)}")
    if j.sites:
        lines += ["", "站点"] + [_site_line(j, s) for s in j.sites]
    institutions = list(dict.fromkeys([s.institution for s in j.sites] + [s.institution for s in j.sections]))
    down = {s.site for s in j.sites if s.status == "down"}
    for inst in institutions:
        mine = [s for s in j.sections if s.institution == inst]
        if len(institutions) > 1:
            lines += ["", f"══ {clean(inst) or '本校'} ══"]
        by_site: dict[str, list[Section]] = defaultdict(list)
        for s in mine:
            if s.status != "missing":
                by_site[s.site or ""].append(s)
        for site, sections in by_site.items():
            line = next((x for x in j.sites if x.site == site), None)
            lines += ["", f"■ {_site_label(j, site, line.kind if line else None)}"]
            if site in down:
                lines.append(
                    f"  整站无法访问：{len(sections)} 个栏目未能检查（见上方站点说明），不作超期判断。"
                )
                continue
            lines += _category_blocks(sections, order)
        covered = [c for c in j.coverage if c.institution == inst and c.status != "missing"]
        if covered:
            kinds = "，".join(
                f"{label} {n}"
                for via, label in COVERED_VIA.items()
                if (n := sum(1 for c in covered if c.via == via))
            )
            lines += ["", f"■ 清单事项的公开依据（已覆盖 {len(covered)} 项：{kinds}）"]
            covered.sort(key=lambda c: (SEVERITY.get(c.status, 99), order.get(c.category, 99), c.item))
            lines += [_coverage_line(j, c) for c in covered]
        missing = [s for s in mine if s.status == "missing"]
        if missing:
            lines += ["", "■ 缺失的清单事项（没有对应栏目，也没有标题显示该事项的信息）"]
            for s in sorted(missing, key=lambda s: (order.get(s.category or "", 99), s.name)):
                lines.append(f"  【{s.category}】{clean(s.name)}（{s.rule}）")
    if j.findings:
        lines += ["", "■ 时效问题（单条信息）"]
        for f in sorted(j.findings, key=lambda f: (f.kind, f.site, f.url)):
            where = clean(f.column or f.column_url, 40)
            lines.append(
                f"  {FINDING_LABELS.get(f.kind, f.kind)}｜{clean(j.site_name(f.site), 40)}｜{where}"
                f"｜{clean(f.title, 60)}"
            )
            lines.append(f"      {clean(f.detail, 160)}  {clean(f.url, 200)}")
    if j.gone:
        lines += ["", "■ 栏目消失（之前发现、最近一次抓取未再发现的栏目）"]
        lines += [
            f"  {clean(j.site_name(s.site), 40)}｜{clean(s.name, 40)}｜{clean(s.reason, 120)}"
            f"｜{clean(s.url, 200)}"
            for s in j.gone
        ]
    if j.notes:
        lines += ["", "说明"] + [f"  {clean(n, 300)}" for n in j.notes]
    return "\n".join(lines) + "\n"
