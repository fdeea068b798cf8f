"""The weekly digest as a chat robot's markdown message (企业微信 group robot, 钉钉 robot).

A chat message is short: the subject, the counts, then one line per late column (most severe first), sites
down and 清单 items not found, cut to the robot's size limit with the number of lines left out said (nothing
is dropped silently: the email carries the full list). Text from crawled pages is one line and has every
markdown and HTML character replaced by its full-width form, so a title cannot make a link, a heading or a
`<font>` tag; URLs are the links' targets only when they are http(s).
"""

from __future__ import annotations

import re

from monitor.findings import LATE, STATUS_LABELS

from .digest import ColumnLine, Digest

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


def _column(c: ColumnLine) -> str:
    label = STATUS_LABELS.get(c.status, c.status)
    where = _link(f"{shown(c.site, 30)} / {shown(c.name, 40)}", c.url)
    if c.status in ("unreachable", "blocked"):
        why = f"：{shown(c.note, 60)}" if c.note else ""
    elif c.age_days is None:
        why = "：没有带日期的条目"
    else:
        limit = f"（时限 {c.limit_days} 天）" if c.limit_days is not None else ""
        why = f"：距最新一条 {c.age_days} 天{limit}"
    return f"- **{label}** {where}{why}"


def render_markdown(d: Digest, *, title: str, max_bytes: int) -> str:
    """The message for one digest, at most `max_bytes` of UTF-8."""
    counts = "，".join(f"{STATUS_LABELS[s]} {d.counts.get(s, 0)}" for s in (*LATE, "fresh"))
    head = [
        f"### {shown(title, 120)}",
        f"{shown(d.audience, 40)}：截至 {d.as_of.isoformat()}（{d.week}），共监测 {d.total} 个栏目。",
        f"> {counts}",
    ]
    body: list[str] = []
    if not d.has_news:
        body.append("本周没有需要处理的栏目。")
    if d.sites_down:
        body.append(f"**无法访问的网站（{len(d.sites_down)}）**")
        body += [f"- {_link(shown(s.site, 30), s.url)}：{shown(s.reason, 60)}" for s in d.sites_down]
    if d.late:
        body.append(f"**需关注的栏目（{len(d.late)}，最严重的在前）**")
        body += [_column(c) for c in d.late]
    if d.missing:
        body.append(f"**未找到对应栏目的清单事项（{len(d.missing)}）**")
        body += [f"- {shown(m.category, 20)} · {shown(m.item, 40)}" for m in d.missing]
    others = len(d.items) + len(d.broken)
    if others:
        body.append(f"另有 {others} 条存疑、删除、修改的条目或失效链接，详见邮件。")
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
