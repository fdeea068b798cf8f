"""What every rule kind sees and says: the evidence of one column on one day, and the verdict.

A rule is a pure function `(Evidence, params) -> Verdict`: no I/O, no clock, no configuration object.
The judge gathers the evidence from storage's facts; the catalog and config supply `params`
(validated by `spec.py`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class Evidence:
    """A reachable column with items, as known on `as_of`.

    `newest` is the newest date shown on any of its items (None when every item is undated: undated items
    count as not updated). `generic_limit` is the government threshold for a column of this name, for
    rules that have no limit of their own.
    """

    as_of: date
    newest: date | None
    items: int
    undated: int = 0
    generic_limit: int = 365


@dataclass(frozen=True, slots=True)
class Verdict:
    """fresh or stale, with the numbers that explain it.

    Invariant kept by every rule: stale exactly when `age_days` is None or `age_days > limit_days`, so a
    reader (or a test) can recompute the status from the two numbers.
    """

    status: str  # fresh | stale
    age_days: int | None  # as_of - newest, None when no item shows a date
    limit_days: int  # the largest age that is still fresh on as_of
    reason: str  # Chinese, for the report
    due: date | None = None  # annual rules: the deadline that decides (the last one passed)
    next_due: date | None = None  # annual rules: the next deadline


Params = Mapping[str, Any]
RuleFunc = Callable[[Evidence, Params], Verdict]


@dataclass(frozen=True, slots=True)
class ParamSpec:
    """One parameter of a rule kind: its name, python type, whether it must be given, and its meaning."""

    name: str
    type: type
    required: bool
    help: str


@dataclass(frozen=True, slots=True)
class RuleKind:
    """A rule kind as registered in `monitor.rules.RULES`.

    `key` is how a catalog entry or a config override names it (`max_age_days = 30`, `annual = {...}`,
    `event = {...}`); `scalar` kinds take one value (their single parameter) instead of a table.
    """

    key: str
    label: str  # Chinese, for reports
    func: RuleFunc
    params: tuple[ParamSpec, ...]
    scalar: bool = False
    doc: str = ""


def cn_date(d: date) -> str:
    """2026年9月1日 (no leading zeros), as reports write dates in prose."""
    return f"{d.year}年{d.month}月{d.day}日"


def age_verdict(e: Evidence, limit: int, label: str) -> Verdict:
    """The age test of the kinds with a day limit: fresh while the newest is at most `limit` days old."""
    if e.newest is None:
        return Verdict(
            "stale", None, limit, f"{e.items}条信息均未标注发布日期，视为未更新（{label}{limit}天）"
        )
    age = (e.as_of - e.newest).days
    if age > limit:
        return Verdict("stale", age, limit, f"最新信息已{age}天未更新，超过{label}{limit}天")
    return Verdict("fresh", age, limit, f"最新信息{age}天前发布，在{label}{limit}天内")
