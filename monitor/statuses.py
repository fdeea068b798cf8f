"""The judgement's vocabulary: column statuses (worst first) with their Chinese names, which call for action,
the kinds of item-level findings, how a 清单 item is covered, and the reasons the judgement words once.

Plain data read by the judgement and by every renderer (report, email, statistics, templates).
"""

from __future__ import annotations

# Column statuses, worst first (the report's and the email's order), with their Chinese names.
STATUS_LABELS: dict[str, str] = {
    "unreachable": "无法访问",
    "stale": "超期未更新",
    "blocked": "访问受限",
    "gone": "栏目消失",  # seen before, not in the latest crawl that could have seen it: with the reason
    "empty": "空白栏目",
    "missing": "未找到栏目",
    "unchecked": "本次未检查",  # a limit cut the crawl short before it: the last look stands, no verdict
    "undated": "未标注日期",  # a single page read with content but no date: its timeliness cannot be judged
    "fresh": "正常",
}
SEVERITY: dict[str, int] = {status: rank for rank, status in enumerate(STATUS_LABELS)}
# Statuses that call for action by the column's owner.
LATE = ("unreachable", "stale", "blocked", "empty")

# Why a 清单 item is `missing` (the judgement's words; the email leaves them out, its row's label says it).
MISSING_REASON = "各站点均未找到对应栏目，也没有标题显示该事项的信息"
# Why a site that answered is not judged column by column: none of its pages read as a column.
NO_COLUMNS_REASON = (
    "本次抓取未发现任何栏目（导航或列表可能由脚本生成、需要登录，或页面结构无法识别），其栏目均未检查"
)

# Item-level finding kinds.
FINDING_LABELS: dict[str, str] = {
    "backdated": "发布日期早于实际发布（迟发或倒签）",
    "deleted": "已删除",
    "edited": "发布后被修改",
}

# How a 清单 item is covered.
COVERED_VIA: dict[str, str] = {
    "column": "栏目对应",
    "titles": "条目标题",
    "column+titles": "栏目对应及条目标题",
    "none": "未找到",
}
