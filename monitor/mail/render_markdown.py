"""The weekly digest as a chat robot's markdown message (企业微信 group robot, 钉钉 robot).

A chat message is short: the subject, the counts, then one line per late column (most severe first), sites
down and 清单 items not found, cut to the robot's size limit with the number of lines left out said (nothing
is dropped silently: the email carries the full list). Text from crawled pages is one line and has every
markdown and HTML character replaced by its full-width form, so a title cannot make a link, a heading or a
`<font>` tag; URLs are the links' targets only when they are http(s).
"""

from __future__ import annotations

import re

from monitor.statuses import LATE, STATUS_LABELS

from .digest import Digest, TodoRow

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_MARKUP = str.maketrans(
    {
        "[": "［",
        "]": "］",
        "(": "（",
        ")": "）",
        "<": "＜",
        ">": "＞",
        "*": "＊",
        "_": "＿",
        "`": "｀",
        "#": "＃",
        "~": "～",
        "|": "｜",
        "\\": "＼",
        "!": "！",
        "&": "＆",
    }
)
_URL = re.compile(r"^https?://[^\s()<>\[\]]+$")


def shown(text: object, limit: int = 80) -> str:
    """Crawled text as inert markdown: one line, markup characters full-width, cut at `limit`."""
    s = _CONTROL.sub(" ", "" if text is None else str(text)).strip().translate(_MARKUP)
    return s if len(s) <= limit else s[: limit - 1] + "…"


def _link(label: str, url: str | None) -> str:
    return f"[{label}]({url})" if url and _URL.match(url) else label


def _row(r: TodoRow) -> str:
    what = " / ".join(shown(x, 40) for x in (r.site, r.column or r.item) if x) or shown(r.item, 40)
    where = _link(what, r.url)
    why = f"；{shown(r.why, 60)}" if r.why else ""
    return f"- **{r.label}** {where}：应完成 {shown(r.due.text, 60)}{why}"


def render_markdown(d: Digest, *, title: str, max_bytes: int) -> str:
    """The message for one digest, at most `max_bytes` of UTF-8."""
    counts = "，".join(f"{STATUS_LABELS[s]} {d.counts.get(s, 0)}" for s in (*LATE, "fresh"))
    head = [
        f"### {shown(title, 120)}",
        f"{shown(d.audience, 40)}：截至 {d.as_of.isoformat()}（{d.week}），共监测 {d.total} 个栏目。",
        f"> {counts}",
    ]
    if d.crawl_note:
        head.append(f"注意：{shown(d.crawl_note, 200)}")
    body: list[str] = []
    if not d.has_news:
        body.append("本周没有需要处理的栏目。")
    if d.groups:
        body.append(shown(d.order_line, 200))
    for g in d.groups:
        body.append(f"**{shown(g.owner.label, 40)}（{shown(g.owner.reach, 80)}）：{len(g.rows)} 项**")
        body += [_row(r) for r in g.rows]
    others = len(d.items) + len(d.broken) + sum(1 for c in d.absent if c.status == "gone")
    if others:
        body.append(f"另有 {others} 条栏目消失、存疑、删除、修改的条目或失效链接，详见邮件。")
    return _fit(head, body, max_bytes)


def _fit(head: list[str], body: list[str], max_bytes: int) -> str:
    """Head and as many body lines as fit, then a line saying how many were left out."""
    text = "\n".join(head + body)
    if len(text.encode()) <= max_bytes:
        return text
    kept = list(head)
    for n, line in enumerate(body):
        rest = len(body) - n
        tail = f"……另有 {rest} 行未列出（消息长度所限），完整内容见邮件或 xxgk report。"
        if len("\n".join([*kept, line, tail]).encode()) > max_bytes:
            return "\n".join([*kept, tail])
        kept.append(line)
    return "\n".join(kept)
