"""The one rule for a CSV cell people open in a spreadsheet: text that would run as a formula stays text.

Column names, titles and URLs come from the web; a cell starting with = + - @ (or a tab or CR, which some
spreadsheets skip before reading a formula) gets a leading apostrophe, unless it is a plain number such as
-5. `xxgk report`, `xxgk stats`, `xxgk sql --format csv` and `xxgk export --format csv` all use `cell`.
Lives in storage (which imports nothing of ours) so that storage's export and the monitor share it.
"""

from __future__ import annotations

from typing import Any

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def cell(value: Any) -> str:
    """A CSV cell: empty for None, true/false for booleans, formula-looking text defused."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(FORMULA_PREFIXES) and not _is_number(text):
        return "'" + text
    return text


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
