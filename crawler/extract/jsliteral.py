"""JavaScript read as data, without running it: tokens, string literals, and the array / object literals a
script writes (`var nav = [{name: '学校概况', url: '/xxgk/'}, …]`).

Nothing here evaluates code. `literals(script)` returns every top-level array or object literal the script
spells out, as Python lists and dicts (keys quoted or not, single or double quotes, trailing commas,
comments); a member whose value is not a literal (a variable, a call, a function) is `UNKNOWN`, and the rest
of the literal is still read. `strings_soup(script)` joins the script's string literals the way `+`
concatenation would, with `HOLE` wherever a value only the browser knows sits between them (`'<a href="' +
item.url + '">'`), so the HTML a script writes (`document.write`, `innerHTML = …`, `html += …`) can be parsed.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["HOLE", "UNKNOWN", "literals", "strings_soup", "tokens", "unquote"]

HOLE = "\ue000"  # where a script puts a value it computes at run time
MAX_SCRIPT = 300_000  # characters of script read: beyond that, a bundled library, not a site's menu
MAX_DEPTH = 12


class _Unknown:
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Any = _Unknown()

_TOKEN = re.compile(
    r"""(?P<ws>\s+)"""
    r"""|(?P<comment>//[^\n]*|/\*.*?(?:\*/|\Z))"""
    r"""|(?P<str>'(?:[^'\\\n]|\\.|\\\n)*'|"(?:[^"\\\n]|\\.|\\\n)*"|`(?:[^`\\]|\\.)*`)"""
    r"""|(?P<num>\d+(?:\.\d+)?)"""
    r"""|(?P<name>[A-Za-z_$][\w$]*)"""
    r"""|(?P<op>\+=|[\[\]{}():,;+=.])"""
    r"""|(?P<other>.)""",
    re.S,
)
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\n|.)", re.S)
_SIMPLE = {"n": "\n", "t": "\t", "r": "", "b": "", "f": "", "v": "", "0": "", "\n": ""}
_INTERPOLATION = re.compile(r"\$\{[^}]*\}")
_CONSTANTS = {"true": True, "false": False, "null": None, "undefined": None}

Token = tuple[str, str]  # (kind, text): kind is str, num, name, op or other (no whitespace, no comments)


def tokens(script: str) -> list[Token]:
    """The script's tokens, without whitespace and comments (a regular expression literal may be misread as
    other tokens: it holds no menu)."""
    out: list[Token] = []
    for m in _TOKEN.finditer(script[:MAX_SCRIPT]):
        kind = m.lastgroup or "other"
        if kind != "ws" and kind != "comment":
            out.append((kind, m.group()))
    return out


def unquote(literal: str) -> str:
    """The value of a string literal token (quotes removed, escapes decoded, `${…}` holes marked)."""
    quote, body = literal[0], literal[1:-1]
    if "\\" in body:
        body = _ESCAPE.sub(_unescape, body)
    if quote == "`" and "${" in body:
        body = _INTERPOLATION.sub(HOLE, body)
    return body


def _unescape(m: re.Match[str]) -> str:
    code = m.group(1)
    if code[0] == "u" and len(code) > 1:
        digits = code[2:-1] if code[1] == "{" else code[1:]
        try:
            return chr(int(digits, 16))
        except ValueError:
            return ""
    if code[0] == "x" and len(code) == 3:
        return chr(int(code[1:], 16))
    return _SIMPLE.get(code, code)


def literals(script: str) -> list[Any]:
    """Every top-level array or object literal written in `script` (lists and dicts; UNKNOWN for members
    that are not literals). A brace that opens a block of code is no literal and is skipped."""
    toks = tokens(script)
    found: list[Any] = []
    i = 0
    while i < len(toks):
        kind, text = toks[i]
        if kind == "op" and text in "[{":
            value, end = _value(toks, i, 0)
            if end > i and value is not UNKNOWN and value:
                found.append(value)
                i = end
                continue
        i += 1
    return found


def _value(toks: list[Token], i: int, depth: int) -> tuple[Any, int]:
    """The literal starting at token i and the index after it; (UNKNOWN, i) when it is none."""
    if i >= len(toks) or depth > MAX_DEPTH:
        return UNKNOWN, i
    kind, text = toks[i]
    if kind == "op" and text == "[":
        return _array(toks, i + 1, depth)
    if kind == "op" and text == "{":
        return _object(toks, i + 1, depth)
    if kind == "str":
        value, j = unquote(text), i + 1
        while j + 1 < len(toks) and toks[j] == ("op", "+") and toks[j + 1][0] == "str":
            value += unquote(toks[j + 1][1])
            j += 2
        return value, j
    if kind == "num":
        return (float(text) if "." in text else int(text)), i + 1
    if kind == "name" and text in _CONSTANTS:
        return _CONSTANTS[text], i + 1
    return UNKNOWN, i


def _skip(toks: list[Token], i: int) -> int:
    """The index of the `,` or closing bracket that ends the expression starting at i (not consumed)."""
    depth = 0
    while i < len(toks):
        kind, text = toks[i]
        if kind == "op":
            if text in "([{":
                depth += 1
            elif text in ")]}":
                if depth == 0:
                    return i
                depth -= 1
            elif text == "," and depth == 0:
                return i
        i += 1
    return i


def _member(toks: list[Token], i: int, depth: int) -> tuple[Any, int]:
    """A member value: a literal when the whole member is one, else UNKNOWN (skipped to its end)."""
    value, j = _value(toks, i, depth)
    if j > i and j < len(toks) and (toks[j] == ("op", ",") or toks[j][1] in ("]", "}")):
        return value, j
    return UNKNOWN, _skip(toks, i)


def _array(toks: list[Token], i: int, depth: int) -> tuple[Any, int]:
    out: list[Any] = []
    while i < len(toks):
        if toks[i] == ("op", "]"):
            return out, i + 1
        if toks[i] == ("op", ","):
            i += 1
            continue
        value, j = _member(toks, i, depth + 1)
        if j >= len(toks) or toks[j][1] not in (",", "]"):
            return UNKNOWN, i
        out.append(value)
        i = j
    return UNKNOWN, i


def _object(toks: list[Token], i: int, depth: int) -> tuple[Any, int]:
    out: dict[str, Any] = {}
    while i < len(toks):
        kind, text = toks[i]
        if (kind, text) == ("op", "}"):
            return out, i + 1
        if (kind, text) == ("op", ","):
            i += 1
            continue
        if kind not in ("str", "name", "num") or i + 1 >= len(toks) or toks[i + 1] != ("op", ":"):
            return UNKNOWN, i  # a block of code, a method or a shorthand member: not data
        key = unquote(text) if kind == "str" else text
        value, j = _member(toks, i + 2, depth + 1)
        if j >= len(toks) or toks[j][1] not in (",", "}"):
            return UNKNOWN, i
        out[key] = value
        i = j
    return UNKNOWN, i


def strings_soup(script: str) -> str:
    """The script's string literals joined as concatenation would join them: literals joined by `+` run
    together; anything else between two literals (a variable, a call, another statement) is a HOLE."""
    parts: list[str] = []
    joined = False  # the tokens since the last literal were only `+`
    for kind, text in tokens(script):
        if kind == "str":
            if parts and not joined:
                parts.append(HOLE)
            parts.append(unquote(text))
            joined = False
        elif (kind, text) == ("op", "+") and parts and parts[-1] != HOLE:
            joined = True
        elif (parts and not (kind == "op" and text in "(),;")) or text == "+=":
            joined = False
            if parts and parts[-1] != HOLE:
                parts.append(HOLE)
    return "".join(parts)
