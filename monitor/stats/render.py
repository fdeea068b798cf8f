"""The statistics as Chinese text, JSON and CSV (the HTML page is in `html.py`)."""

from __future__ import annotations

import json
from typing import Any

from monitor.report.csvfmt import write_rows
from monitor.report.textutil import clean, table
from monitor.statuses import COVERED_VIA, STATUS_LABELS

from .model import CatalogRow, Stats


def share(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def wd_cell(met: int, known: int, days: int | None, count: int = 0) -> str:
    """ "12/15（80%）" for the n-working-day rule; "无法判断" when none of the period's `count` items could
    be known (all listed on their column's first crawl, long after their date); "—": no item or no rule."""
    if not days or not count:
        return "—"
    if not known:
        return "无法判断"
    return f"{met}/{known}（{met * 100 // known}%）"


def render_json(stats: Stats) -> str:
    return json.dumps(stats.to_json(), ensure_ascii=False, indent=2) + "\n"


def site_rows(stats: Stats) -> list[list[str]]:
    """Per site (by its display name): published (date shown), seen to appear, edited, deleted."""
    return [
        [
            stats.site_name(site),
            str(n),
            str(stats.appeared_by_site.get(site, 0)),
            str(stats.edited_by_site.get(site, 0)),
            str(stats.deleted_by_site.get(site, 0)),
        ]
        for site, n in stats.by_site.items()
    ]


def _titles(r: CatalogRow) -> list[str]:
    """The newest item whose title shows the 清单 item, when no column is mapped to it."""
    if r.columns or not r.titles:
        return []
    _, column, title, _, day = r.titles[0]
    more = f"等{len(r.titles)}条" if len(r.titles) > 1 else ""
    return [
        f"标题“{clean(title, 30)}”（{day.isoformat() if day else '未标注日期'}，{clean(column, 20)}）{more}"
    ]


def column_names(stats: Stats, r: CatalogRow) -> str:
    """The columns that carry a 清单 item, by site: "教务处网站：学籍管理；信息公开网：学籍管理、学籍异动"."""
    by_site: dict[str, list[str]] = {}
    for site, name, _ in r.columns:
        by_site.setdefault(site, []).append(clean(name, 30))
    return "；".join(
        f"{clean(stats.site_name(site), 20)}：{'、'.join(names)}" for site, names in by_site.items()
    )


def _catalog_row(stats: Stats, r: CatalogRow) -> list[str]:
    return [
        clean(r.category),
        clean(r.item, 40),
        "；".join(filter(None, [column_names(stats, r), *_titles(r)])) or "—",
        str(r.items_in_period),
        r.last_published.isoformat() if r.last_published else "—",
        STATUS_LABELS.get(r.status, r.status),
        wd_cell(r.met_working_days, r.known_working_days, r.working_days, r.items_in_period),
    ]


def render_text(stats: Stats) -> str:
    title = f"{clean(stats.college)}信息公开统计" if stats.college else "信息公开统计"
    period = f"{stats.start.isoformat()} 至 {stats.end.isoformat()}"
    lines = [title, f"统计期：{period}（状态按{stats.as_of.isoformat()}判断）"]
    lines += ["", f"一、发布信息数量（按标注的发布日期）共 {stats.total} 条"]
    rows = [[clean(r[0]), *r[1:]] for r in site_rows(stats)]
    lines += table(["站点", "发布", "监测到新出现", "修改", "删除"], rows, [16, 8, 12, 8, 0])
    lines += ["", "  按清单类别："]
    lines += table(["类别", "条数"], [[clean(k), str(v)] for k, v in stats.by_category.items()], [24, 0])
    lines += ["", "  按栏目："]
    rows = [
        [
            clean(stats.site_name(c.site)),
            clean(c.name, 40),
            clean(c.category or "—"),
            str(c.by_date_shown),
            str(c.appeared),
        ]
        for c in sorted(stats.columns, key=lambda c: (c.site, -c.by_date_shown, c.name))
    ]
    lines += table(["站点", "栏目", "类别", "发布", "监测到新出现"], rows, [14, 24, 22, 6, 0])
    lines += ["", "二、清单事项公开情况表"]
    header = ["类别", "事项", "栏目", "条数", "最新发布", "状态", "20个工作日内"]
    lines += table(header, [_catalog_row(stats, r) for r in stats.catalog], [20, 34, 50, 5, 10, 10, 0])
    if stats.departments:
        lines += ["", "三、各部门时效（每周最后一次抓取时栏目正常的比例）"]
        rows = [
            [
                clean(d.name, 30),
                str(d.columns),
                str(d.weeks),
                *map(share, (d.mean_share, d.min_share, d.last_share)),
            ]
            for d in stats.departments
        ]
        lines += table(["部门", "栏目", "周数", "平均", "最低", "最近"], rows, [24, 6, 6, 6, 6, 0])
    if stats.notes:
        lines += ["", "说明"] + [f"  {clean(n, 300)}" for n in stats.notes]
    return "\n".join(lines) + "\n"


CSV_HEADER = (
    "table",
    "institution",
    "site",
    "category",
    "item",
    "name",
    "url",
    "count",
    "appeared",
    "last_published",
    "status",
    "working_days",
    "met_working_days",
    "known_working_days",
    "via",
    "title",
    "title_url",
    "fresh_share_mean",
    "fresh_share_min",
    "fresh_share_last",
    "period_start",
    "period_end",
    "site_name",
)


def csv_rows(stats: Stats) -> list[dict[str, Any]]:
    """Every part of the statistics as rows of one long table; `table` names the part."""
    rows: list[dict[str, Any]] = []
    for site, n in stats.by_site.items():
        rows.append(
            {"table": "site", "site": site, "count": n, "appeared": stats.appeared_by_site.get(site, 0)}
        )
    for cat, n in stats.by_category.items():
        rows.append({"table": "category", "category": cat, "count": n})
    for c in stats.columns:
        rows.append(
            {"table": "column", "site": c.site, "name": c.name, "url": c.url, "category": c.category}
            | {"item": c.item, "count": c.by_date_shown, "appeared": c.appeared}
        )
    for r in stats.catalog:
        rows.append(
            {"table": "catalog", "institution": r.institution, "category": r.category, "item": r.item}
            | {
                "site": "；".join(s for s, _, _ in r.columns),
                "name": "；".join(n for _, n, _ in r.columns),
                "url": " ".join(u for _, _, u in r.columns),
                "count": r.items_in_period,
                "last_published": r.last_published.isoformat() if r.last_published else None,
                "status": r.status,
                "working_days": r.working_days,
                "met_working_days": r.met_working_days,
                "known_working_days": r.known_working_days,
                "via": r.via,
                "title": r.titles[0][2] if r.titles else None,
                "title_url": r.titles[0][3] if r.titles else None,
            }
        )
    for d in stats.departments:
        rows.append(
            {"table": "department", "name": d.name, "count": d.columns, "fresh_share_mean": d.mean_share}
            | {"fresh_share_min": d.min_share, "fresh_share_last": d.last_share}
        )
    for site, n in stats.deleted_by_site.items():
        rows.append({"table": "deleted", "site": site, "count": n})
    for site, n in stats.edited_by_site.items():
        rows.append({"table": "edited", "site": site, "count": n})
    for row in rows:  # each site's display name beside its config id
        if row.get("site"):
            ids = row["site"].split("；")
            row["site_name"] = "；".join(stats.site_name(i) for i in ids)
    return rows


# The people's form (`--excel`, [report] csv_style = "excel"): the same long table with Chinese headers,
# part names, status words and shares in per cent; BOM and CRLF so Excel on a Chinese Windows opens it.
EXCEL_HEADER = {
    "table": "表",
    "institution": "单位",
    "site": "站点",
    "category": "清单类别",
    "item": "清单事项",
    "name": "名称",
    "url": "网址",
    "count": "条数",
    "appeared": "监测到新出现",
    "last_published": "最新发布",
    "status": "状态",
    "working_days": "工作日时限",
    "met_working_days": "按时发布条数",
    "known_working_days": "可判断条数",
    "via": "公开依据",
    "title": "最新显示该事项的标题",
    "title_url": "该标题网址",
    "fresh_share_mean": "平均正常比例",
    "fresh_share_min": "最低正常比例",
    "fresh_share_last": "最近正常比例",
    "period_start": "统计期开始",
    "period_end": "统计期结束",
}
EXCEL_TABLES = {
    "site": "各站点发布",
    "category": "按清单类别",
    "column": "按栏目",
    "catalog": "清单事项公开情况表",
    "department": "各部门时效",
    "deleted": "删除",
    "edited": "修改",
}
_SHARES = ("fresh_share_mean", "fresh_share_min", "fresh_share_last")


def _for_people(row: dict[str, Any]) -> dict[str, Any]:
    out = dict(row)
    out["site"] = row.get("site_name")  # people read the site's display name, never its config id
    out["table"] = EXCEL_TABLES.get(row["table"], row["table"])
    if row.get("status"):
        out["status"] = STATUS_LABELS.get(row["status"], row["status"])
    if row.get("via"):
        out["via"] = COVERED_VIA.get(row["via"], row["via"])
    for key in _SHARES:
        if row.get(key) is not None:
            out[key] = share(row[key])
    return out


def render_csv(stats: Stats, style: str = "machine") -> str:
    """One long table: the `table` column says which part a row belongs to (site, catalog, department ...)."""
    period = {"period_start": stats.start.isoformat(), "period_end": stats.end.isoformat()}
    rows = [period | r for r in csv_rows(stats)]
    if style == "excel":
        keys = [k for k in CSV_HEADER if k in EXCEL_HEADER]
        return write_rows(keys, [_for_people(r) for r in rows], labels=[EXCEL_HEADER[k] for k in keys])
    return write_rows(CSV_HEADER, rows)
