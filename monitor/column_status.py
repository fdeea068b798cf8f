"""One column's section on a day: its mapping, its rule (override > directory > 清单 item > generic), its
status and the reason in Chinese, decided in the order `monitor.judge` lists.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from monitor.catalog import normalize
from monitor.findings import Section
from monitor.judge_context import Context, SiteInfo
from monitor.limits import error_words, gone_words, limit_words
from monitor.mapping import Mapping
from monitor.rules import Cadence, Evidence, evaluate
from monitor.rules.overrides import choose
from storage.facts import ColumnFacts

__all__ = ["judge_column", "rule_for"]

# Appended to the reason of a column read in part: the count is not the column's, the newest date is.
PARTIAL_NOTE = "；分页由脚本生成无法读取，仅统计已读到的部分页面（条目数不完整，最新日期仍有效）"
# A single page read with content but no publication date: no verdict on its timeliness, said so.
UNDATED_REASON = (
    "页面可以访问且有内容，但未标注发布日期，无法判断是否及时更新（请在页面上标注发布或更新日期）"
)


def rule_for(facts: ColumnFacts, mapping: Mapping, ctx: Context) -> tuple[Cadence, int, str]:
    """(cadence, generic limit, generic group) for a column: override > directory > 清单 item > generic."""
    name = normalize(facts.name)
    generic_limit, group = ctx.catalog.generic_for(name)
    override = choose(
        ctx.overrides,
        site=facts.site,
        category=mapping.category,
        items=mapping.covers,
        name=name,
        url=facts.url,
    )
    if override is not None:
        return override.cadence, generic_limit, group
    if mapping.cadence is not None:
        return mapping.cadence, generic_limit, group
    if mapping.item_id is not None:
        return ctx.catalog.item(mapping.item_id).cadence, generic_limit, group
    generic = Cadence("max_age_days", {"max_age_days": generic_limit}, f"generic:{group}")
    return generic, generic_limit, group


def judge_column(
    facts: ColumnFacts, info: SiteInfo, ctx: Context, *, as_of: date, site_down: bool
) -> Section:
    """One column's section: mapping, rule and status."""
    assert ctx.mapper is not None
    mapping = ctx.mapper.map(facts.site, facts.name, facts.url, info.institution)
    cadence, generic_limit, _ = rule_for(facts, mapping, ctx)
    base = Section(
        site=facts.site,
        name=facts.name,
        url=facts.url,
        category=mapping.category,
        item=ctx.catalog.name_of(mapping.item_id, info.institution) if mapping.item_id else None,
        last_published=facts.newest,
        items=facts.items,
        status="fresh",
        age_days=(as_of - facts.newest).days if facts.newest else None,
        limit_days=None,
        institution=info.institution,
        item_id=mapping.item_id,
        covers=tuple(ctx.catalog.name_of(i, info.institution) for i in mapping.covers),
        cover_ids=mapping.covers,
        via=mapping.via,
        mapped_by=mapping.describe(),
        rule=cadence.describe(),
        rule_source=cadence.source,
        undated=facts.undated,
        department=info.department,
        site_kind=info.kind,
        site_down=site_down,
        newest_title=facts.newest_title,
        newest_url=facts.newest_url,
        working_days=cadence.working_days,
    )
    since = facts.failing_since.astimezone(ctx.zone) if facts.failing_since else None
    if site_down or facts.state == "unreachable":
        when = f"自{since:%Y-%m-%d}起" if since else ""
        what = "整个站点无法访问" if site_down else "栏目页面无法访问"
        why = f"：{error_words(facts.error)}" if facts.error else ""
        reason = f"{when}{what}{why}"
        return replace(base, status="unreachable", since=since, error=facts.error, reason=reason)
    if facts.state == "blocked":
        when = f"自{since:%Y-%m-%d}起" if since else ""
        if facts.error and "needs JavaScript" in facts.error:
            reason = f"{when}栏目列表由网页脚本加载，无法读取其请求，未能检查内容"
        else:
            reason = f"{when}需要登录、验证码或脚本验证，无法读取内容"
        return replace(base, status="blocked", since=since, error=facts.error, reason=reason)
    if facts.state == "unchecked":
        since = facts.absent_since.astimezone(ctx.zone) if facts.absent_since else None
        when = f"自{since:%Y-%m-%d}起" if since else ""
        why = limit_words((facts.error or "").removeprefix("limit: ")) or "抓取上限"
        reason = f"{when}抓取达到{why}，本次未检查该栏目（保留上次所见）"
        return replace(base, status="unchecked", since=since, error=facts.error, reason=reason)
    if facts.state == "gone":
        since = facts.absent_since.astimezone(ctx.zone) if facts.absent_since else None
        when = f"自{since:%Y-%m-%d}起" if since else ""
        reason = f"{when}未再发现该栏目：{gone_words(facts.error)}"
        return replace(base, status="gone", since=since, error=facts.error, reason=reason)
    if facts.shows_no_date and facts.newest is None and facts.items > 0:
        return replace(base, status="undated", age_days=None, error=facts.error, reason=UNDATED_REASON)
    if facts.state == "empty" or facts.items == 0:
        return replace(base, status="empty", age_days=None, reason="栏目可以访问，但没有任何信息（空白栏目）")
    evidence = Evidence(as_of, facts.newest, facts.items, facts.undated, generic_limit)
    verdict = evaluate(cadence, evidence)
    partial = facts.partial
    return replace(
        base,
        status=verdict.status,
        age_days=verdict.age_days,
        limit_days=verdict.limit_days,
        reason=verdict.reason + (PARTIAL_NOTE if partial else ""),
        due=verdict.due,
        next_due=verdict.next_due,
        partial=partial,
    )
