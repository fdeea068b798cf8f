"""Plain-text helpers for terminal tables: web text made harmless, and column widths that know CJK is wide.

`clean` removes what could hijack a terminal or a log: control characters (ANSI escapes start with ESC),
bidirectional overrides (which can reorder what a reader sees), line breaks; and it shortens very long text.
"""

from __future__ import annotations

import unicodedata

_BIDI = {
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u200e",
    "\u200f",
}


def clean(text: object, limit: int = 200) -> str:
    """One displayable line: control and bidi characters dropped, whitespace collapsed, cut at `limit`."""
    if text is None:
        return ""
    out = []
    for ch in str(text):
        if ch in _BIDI:
            continue
        cat = unicodedata.category(ch)
        if cat[0] == "C":  # Cc control (ESC, NUL, newlines ...), Cf format, Co/Cs/Cn
            out.append(" " if ch in "\t\n\r\x0b\x0c" else "")
            continue
        out.append(ch)
    line = " ".join("".join(out).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


def width(text: str) -> int:
    """Columns the text takes in a terminal: wide (CJK) and full-width characters count 2."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def fit(text: str, cols: int) -> str:
    """`text` cut (with …) or padded with spaces to exactly `cols` terminal columns."""
    if width(text) > cols:
        out, used = [], 0
        for ch in text:
            w = width(ch)
            if used + w > cols - 1:
                break
            out.append(ch)
            used += w
        text = "".join(out) + "…"
    return text + " " * (cols - width(text))


def table(header: list[str], rows: list[list[str]], widths: list[int], indent: str = "  ") -> list[str]:
    """Lines of a fixed-width table; the last column is not padded (it may be long)."""
    lines = []
    for row in [header, *rows]:
        cells = [fit(c, w) for c, w in zip(row[:-1], widths[:-1], strict=True)] + [row[-1]]
        lines.append((indent + "  ".join(cells)).rstrip())
    return lines
