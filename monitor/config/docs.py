"""Render docs/config.md from the declared keys, so the reference cannot drift from the code.

Run `python -m monitor.config.docs > docs/config.md`; a test fails when the committed file is out of date.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from .keys import ARRAYS, REQUIRED, TABLES, Key

HEADER = """# Configuration reference

`config.toml` (or the file named by `--config` / `$XXGK_CONFIG`) is validated on load: an unknown key, a wrong
type, a bad URL or cron expression, a CSS selector that does not compile, a control character in any string
(CR, LF, tab, NUL …), a duplicate site name or an unknown kind stops the command with a message naming the
file, the key and what was expected (exit code 2), before anything is written. Every key but the
ones marked *required* is optional. This page is generated from `monitor/config/keys.py`
(`python -m monitor.config.docs > docs/config.md`).
"""


def _default(value: Any) -> str:
    if value is REQUIRED:
        return "*required*"
    return "`" + json.dumps(value, ensure_ascii=False) + "`"


def _rows(keys: tuple[Key, ...]) -> list[str]:
    out = ["| key | type | default | meaning |", "|---|---|---|---|"]
    for k in keys:
        meaning = k.help
        if k.choices:
            meaning += " One of: " + ", ".join(f"`{c}`" for c in k.choices) + "."
        out.append(f"| `{k.name}` | {k.type} | {_default(k.default)} | {meaning} |")
    return out


def render() -> str:
    parts = [HEADER]
    for name, keys in TABLES.items():
        parts.append(f"\n## `[{name}]`\n")
        parts.extend(_rows(keys))
        for array, akeys in ARRAYS.items():
            if array.startswith(name + "."):
                parts.append(f"\n### `[[{array}]]`\n")
                parts.extend(_rows(akeys))
    for name, keys in ARRAYS.items():
        if "." not in name:
            parts.append(f"\n## `[[{name}]]`\n")
            parts.extend(_rows(keys))
    return "\n".join(parts) + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(render())
