"""Script pagers: page links that call a function (`javascript:goPage(3)`, `onclick="turnPage(3)"`).

The URL of page n is whatever the function sends the browser to. When the page's own inline script defines the
function and its body assigns `location.href` / `window.location` (or calls `location.replace`, `window.open`)
with an expression made of string literals, the parameter (`n`, `(n-1)`, `parseInt(n)`) and variables bound
to string literals, the template is read and the pages are followed like printed links. Anything else (a form
submitted with the page number, a URL built from values only a browser knows) cannot be read: the pager is
`partial`, the column's count says so, and its newest date still counts.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from .dom import Doc, collapse, resolve_url

__all__ = ["ScriptPager", "bound_strings", "load_more", "script_pager", "split_plus"]

_CALL = re.compile(
    r"""^\s*(?:javascript\s*:\s*)?(?:return\s+)?([A-Za-z_$][\w$]{0,40})\s*\(\s*['"]?(\d{1,5})['"]?\s*"""
    r"""(?:,[^()]{0,80})?\)\s*;?\s*(?:return\s+false\s*;?)?\s*$""",
    re.I,
)
_NOT_PAGERS = frozenset({"__doPostBack", "open", "alert", "void", "history", "print", "close", "scroll"})
_NEXT = re.compile(r"^(下一页|下页|后页|next|>|›|»)$", re.I)
_PAGE_WORD = re.compile(
    r"^(下一页|下页|后页|上一页|上页|前页|首页|尾页|末页|next|prev|first|last|[<>›‹»«]{1,2}|\.\.\.|…)$", re.I
)
_STRING = r"""(?:'([^'\n]{0,300})'|"([^"\n]{0,300})")"""
_TARGETS = (
    re.compile(r"""(?:window\.|self\.|top\.|document\.)?location(?:\.href)?\s*=\s*([^;\n}]{1,300})"""),
    re.compile(r"""location\.(?:replace|assign)\s*\(\s*([^;\n]{1,300})\)"""),
    re.compile(r"""window\.open\s*\(\s*([^,;\n)]{1,300})"""),
)
MAX_PAGES = 2000
# A button that makes a script append the next rows (加载更多, 点击查看更多, load more): no page to follow.
_LOAD_MORE = re.compile(
    r"^(点击)?(加载|查看|显示|浏览)更多(内容|信息|新闻|通知|文章|数据)?$|^load\s*more$", re.I
)
_CONTROLS = ("a", "button", "div", "span", "p", "li")


@dataclass(slots=True)
class ScriptPager:
    """The pages a script pager links (absolute URLs), its 下一页 page, and whether its template was read."""

    urls: list[str] = field(default_factory=list)
    next: str | None = None
    partial: bool = False  # page links call a function whose URL cannot be read: only this page is known
    text: str = ""


def load_more(doc: Doc) -> ScriptPager | None:
    """A 加载更多 control a script drives (no URL of its own: `javascript:`, `#`, none; or an onclick): the
    list's other rows cannot be read, so its count is partial. A 查看更多 link to a page is a link."""
    if not doc.script_count:
        return None
    for el in doc.body.iter(*_CONTROLS):
        if not _LOAD_MORE.match(collapse("".join(el.itertext())).strip(" []【】()>»+")):
            continue
        href = (el.get("href") or "").strip().lower()
        if el.tag == "a" and href and not href.startswith(("javascript", "#")):
            continue
        if el.tag != "a" and not (el.get("onclick") or el.get("id") or el.get("class")):
            continue
        return ScriptPager(partial=True, text="a 加载更多 button: the rows a script appends cannot be read")
    return None


def script_pager(doc: Doc) -> ScriptPager | None:
    """The script pager of a page, or None when no page link calls a function."""
    calls: dict[str, set[int]] = {}
    nexts: dict[str, int] = {}
    for a in doc.root.iter("a"):
        for raw in (a.get("href") or "", a.get("onclick") or ""):
            m = _CALL.match(raw)
            if m is None or m.group(1) in _NOT_PAGERS:
                continue
            text = collapse("".join(a.itertext())).strip(" []【】()")
            if text != m.group(2) and not _PAGE_WORD.match(text):
                continue  # tabs and slides call functions with numbers too; pagers print them
            calls.setdefault(m.group(1), set()).add(int(m.group(2)))
            if _NEXT.match(text):
                nexts.setdefault(m.group(1), int(m.group(2)))
    name, numbers = max(calls.items(), key=lambda kv: len(kv[1]), default=(None, set()))
    if name is None or not (len(numbers) >= 2 or name in nexts):
        return None
    template = _template(doc.scripts, name)
    text = f"script pager {name}(n)"
    if template is None:
        return ScriptPager(partial=True, text=text + ": its URL cannot be read from the page")
    pager = ScriptPager(text=text)
    for n in sorted(numbers):
        if not 1 <= n <= MAX_PAGES:
            continue
        url = resolve_url(doc.base, template(n))
        if url is None:
            return ScriptPager(partial=True, text=text + ": its URL is not a page")
        if url != doc.url and url not in pager.urls:
            pager.urls.append(url)
        if nexts.get(name) == n and url != doc.url:
            pager.next = url
    return pager


def _template(scripts: str, name: str) -> Callable[[int], str] | None:
    """A function n -> URL text, read from `function name(p) { … location.href = … }`, or None."""
    head = re.search(
        rf"""function\s+{re.escape(name)}\s*\(\s*([A-Za-z_$][\w$]*)[^)]*\)\s*\{{"""
        rf"""|\b{re.escape(name)}\s*=\s*function\s*\(\s*([A-Za-z_$][\w$]*)[^)]*\)\s*\{{""",
        scripts,
    )
    if head is None:
        return None
    param = head.group(1) or head.group(2)
    body = _block(scripts, head.end())
    strings = bound_strings(scripts)
    for pattern in _TARGETS:
        for m in pattern.finditer(body):
            parts = _parts(m.group(1).strip(), param, strings)
            if parts is not None and any(not isinstance(p, str) for p in parts):
                return _filler(parts)
    return None


def _filler(parts: list[str | tuple[int]]) -> Callable[[int], str]:
    def fill(n: int) -> str:
        return "".join(p if isinstance(p, str) else str(n + p[0]) for p in parts)

    return fill


def _block(text: str, start: int) -> str:
    depth = 1
    for i in range(start, min(len(text), start + 4000)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return text[start:i]
    return text[start : start + 4000]


def bound_strings(scripts: str) -> dict[str, str]:
    """Variables assigned a string literal once (`var base = "list_";`)."""
    found: dict[str, list[str]] = {}
    for m in re.finditer(
        r"(?:\bvar|\blet|\bconst)?\s*\b([A-Za-z_$][\w$]*)\s*=\s*" + _STRING + r"\s*[;\n]", scripts
    ):
        found.setdefault(m.group(1), []).append(m.group(2) if m.group(2) is not None else m.group(3))
    return {k: v[0] for k, v in found.items() if len(set(v)) == 1}


def _parts(expr: str, param: str, strings: dict[str, str]) -> list[str | tuple[int]] | None:
    """The expression as literal pieces and (offset,) for the parameter; None when any piece is unknown."""
    pieces: list[str | tuple[int]] = []
    for token in split_plus(expr):
        token = token.strip()
        lit = re.fullmatch(_STRING, token)
        if lit:
            pieces.append(lit.group(1) if lit.group(1) is not None else lit.group(2))
            continue
        inner = token
        while inner.startswith("(") and inner.endswith(")"):
            inner = inner[1:-1].strip()
        inner = re.sub(r"^(?:parseInt|Number|String)\s*\((.*)\)$", r"\1", inner).strip()
        offset = re.fullmatch(rf"{re.escape(param)}\s*(?:([+-])\s*(\d{{1,3}}))?", inner)
        if offset:
            k = int(offset.group(2) or 0)
            pieces.append((-k if offset.group(1) == "-" else k,))
            continue
        if token in strings:
            pieces.append(strings[token])
            continue
        return None
    return pieces


def split_plus(expr: str) -> list[str]:
    """`a + (n + 1) + 'x'` split at the top-level `+` signs (outside quotes and parentheses)."""
    out: list[str] = []
    current: list[str] = []
    depth, quote = 0, ""
    for ch in expr:
        if quote:
            current.append(ch)
            if ch == quote:
                quote = ""
            continue
        if ch in "'\"":
            quote = ch
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "+" and depth == 0:
            out.append("".join(current))
            current = []
            continue
        current.append(ch)
    out.append("".join(current))
    return out
