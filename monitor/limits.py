"""The limits a crawl can hit, and why a column was not seen, in the Chinese the report and email use.

A crawl cut short by a limit (max_pages, max_depth, a crawler trap) is no verdict on what it did not reach:
storage records the limits a site's run hit (`SiteFacts.limits`, `ColumnFacts.error` of an `unchecked`
column) in English words naming the configuration key; these helpers say them to the office.
"""

from __future__ import annotations

import re

from monitor.failure_words import error_words

__all__ = ["error_words", "gone_words", "limit_words", "menu_words", "site_limits"]

_LIMITS = (
    ("max_pages", "页数上限（max_pages）"),
    ("max_depth", "链接深度上限（max_depth）"),
    ("trap", "无限链接（爬虫陷阱）"),
)
# Limits that can keep a column from being reached (a trap is a URL space avoided, not a gap in the site).
CUTTING = ("max_pages", "max_depth")
_COUNT = re.compile(r"(max_pages|max_depth|trap) \((\d+) requests? not made\)")


def limit_words(text: str | None, keys: tuple[str, ...] = ("max_pages", "max_depth", "trap")) -> str:
    """The limits among `keys` named in `text` ("max_pages (23 requests not made); trap ..."), in Chinese."""
    if not text:
        return ""
    counts = {name: int(n) for name, n in _COUNT.findall(text)}
    parts = []
    for key, words in _LIMITS:
        if key in keys and key in text:
            n = counts.get(key)
            parts.append(f"{words}，{n} 个链接未抓取" if n else words)
    return "；".join(parts)


def site_limits(text: str | None) -> str:
    """What a site's latest crawl hit, for its report line: "" when it hit no limit."""
    cut = limit_words(text, CUTTING)
    trap = limit_words(text, ("trap",))
    parts = []
    if cut:
        parts.append(f"本次抓取未完成：达到{cut}，未见到的栏目记为“本次未检查”")
    if trap:
        parts.append(f"已跳过{trap}")
    return "；".join(parts)


_MENU = re.compile(r"^script menu: (\S+?)(?: on (\d+) pages)?: ")


def menu_words(notice: str | None) -> str:
    """A site's menu drawn by a script that could not be read (`SiteFacts.menu_notice`), in Chinese: ""
    when there is none."""
    if not notice:
        return ""
    m = _MENU.match(notice)
    where = f"（{m.group(1)}" + (f" 等 {m.group(2)} 个页面" if m.group(2) else "") + "）" if m else ""
    return (
        f"导航菜单由脚本生成，未能读取其中的栏目{where}，报告中可能缺少只在该菜单中出现的栏目；"
        "请用 xxgk inspect 检查该页面"
    )


# Why a column seen before is not seen now (storage's words for a gone column -> the office's).
_GONE = (
    ("not linked any more", "站点已不再链接该栏目"),
    ("not a list page any more", "栏目页面已不是信息列表（可能显示“页面不存在”或已改版）"),
    ("its page is now part of another column", "栏目页面已并入其他栏目"),
)


def gone_words(error: str | None) -> str:
    """Why a gone column was not seen, in Chinese."""
    for prefix, words in _GONE:
        if error and error.startswith(prefix):
            return words
    return "最近一次抓取未再发现该栏目"
