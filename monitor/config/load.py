"""Read config.toml and check it against the declared keys: one clear message for the first mistake.

A mistake names the file, the key (as a dotted path, with the array index for [[tables]]) and what was
expected. Nothing is written before the configuration is valid.
"""

from __future__ import annotations

import difflib
import os
import tomllib
import unicodedata
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from monitor.errors import Failure

from .keys import ARRAYS, REQUIRED, TABLES, Key

DEFAULT_PATH = "config.toml"


class ConfigError(Failure):
    """A configuration mistake; the message names the file, the key and what was expected."""

    exit_code = 2


def resolve_path(cli_value: str | None) -> Path:
    """--config wins, then $XXGK_CONFIG, then ./config.toml."""
    return Path(cli_value or os.environ.get("XXGK_CONFIG") or DEFAULT_PATH)


def read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such file (give --config PATH or set XXGK_CONFIG)") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read ({exc.strerror})") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def _type_error(key: Key, value: Any) -> str | None:
    t = key.type
    ok: bool
    if t == "str" or t == "cron":
        ok = isinstance(value, str)
    elif t == "bool":
        ok = isinstance(value, bool)
    elif t == "int":
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif t == "float":
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif t in ("list[str]", "url-list"):
        ok = isinstance(value, list) and all(isinstance(v, str) for v in value)
    elif t == "list[table]":
        ok = isinstance(value, list) and all(isinstance(v, dict) for v in value)
    elif t == "table":
        ok = isinstance(value, dict)
    elif t == "date":
        ok = isinstance(value, str)
    else:  # pragma: no cover - a declaration mistake
        raise AssertionError(f"unknown key type {t}")
    if not ok:
        return f"a {t}, got {type(value).__name__} {value!r}"
    if key.choices and value not in key.choices:
        return "one of " + ", ".join(repr(c) for c in key.choices) + f", got {value!r}"
    if key.minimum is not None and isinstance(value, int | float) and value < key.minimum:
        return f"a number ≥ {key.minimum:g}, got {value!r}"
    if t == "url-list":
        if not value:
            return "at least one URL"
        for url in value:
            parts = urlsplit(url)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                return f"http(s) URLs with a host, got {url!r}"
    return None


def control_character(value: Any) -> str | None:
    """What is wrong when a string in `value` (a string, a list, a table, nested) holds a control character.

    Control characters (C0, DEL, C1 and the Unicode line and paragraph separators) are never meant in a name,
    an address, a selector or a subject, and they break what the value reaches: a mail header (CR LF starts
    a new header), a log line, a one-line report. The value itself is not repeated (it may be a password).
    """
    if isinstance(value, str):
        for i, ch in enumerate(value):
            if unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
                return f"text without control characters, found U+{ord(ch):04X} at position {i + 1}"
        return None
    if isinstance(value, list):
        items: list[Any] = value
    elif isinstance(value, dict):
        items = [x for pair in value.items() for x in pair]
    else:
        return None
    for item in items:
        if problem := control_character(item):
            return problem
    return None


def _unknown(path: Path, where: str, name: str, known: list[str]) -> ConfigError:
    hint = difflib.get_close_matches(name, known, n=1)
    did = f" (did you mean {hint[0]!r}?)" if hint else ""
    choices = ", ".join(known)
    return ConfigError(f"{path}: unknown key {where}{name}{did}; known keys here: {choices}")


def _check_table(path: Path, section: str, where: str, raw: dict[str, Any], keys: tuple[Key, ...]) -> dict:
    declared = {k.name: k for k in keys}
    for name in raw:
        if name not in declared:
            raise _unknown(path, where, name, list(declared))
    values: dict[str, Any] = {}
    for key in keys:
        if key.name not in raw:
            if key.default is REQUIRED:
                raise ConfigError(f"{path}: missing key {where}{key.name}: expected {key.help}")
            values[key.name] = key.default
            continue
        value = raw[key.name]
        problem = _type_error(key, value) or control_character(value)
        if problem is None and key.check is not None:
            problem = key.check(value)
        if problem:
            raise ConfigError(f"{path}: key {where}{key.name}: expected {problem}")
        values[key.name] = float(value) if key.type == "float" else value
    return values


def validate(path: Path, raw: dict[str, Any]) -> dict[str, Any]:
    """Check every table and array of tables; return plain validated values, defaults filled in."""
    out: dict[str, Any] = {}
    known = list(TABLES) + list(ARRAYS)
    for name in raw:
        if name not in TABLES and name not in ARRAYS:
            raise _unknown(path, "", name, known)
    for section, keys in TABLES.items():
        table = raw.get(section, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: [{section}] must be a table, got {type(table).__name__}")
        nested = {k: v for k, v in table.items() if f"{section}.{k}" in ARRAYS}
        plain = {k: v for k, v in table.items() if k not in nested}
        out[section] = _check_table(path, section, f"{section}.", plain, keys)
        for sub, entries in nested.items():
            out[f"{section}.{sub}"] = _check_array(path, f"{section}.{sub}", entries)
    for section in ARRAYS:
        if "." not in section:
            out[section] = _check_array(path, section, raw.get(section, []))
        else:
            out.setdefault(section, [])
    return out


def _check_array(path: Path, section: str, entries: Any) -> list[dict[str, Any]]:
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise ConfigError(f"{path}: {section} must be an array of tables ([[{section}]])")
    return [
        _check_table(path, section, f"{section}[{i}].", entry, ARRAYS[section])
        for i, entry in enumerate(entries)
    ]
