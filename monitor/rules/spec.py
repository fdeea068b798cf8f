"""Reading a cadence out of a table (catalog TOML, config override) and checking it, naming the faulty key.

A table names its rule kind by the key it uses: exactly one of the keys of `RULES` (`max_age_days`, `annual`,
`event`). Any problem is a `SpecError` whose message starts with the dotted key, so the config loader and the
catalog loader can put the file name in front. Imports nothing of the monitor's config: `monitor.config.keys`
attaches `rule_check(kind)` from here to the cadence keys.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .registry import RULES


class SpecError(ValueError):
    """A cadence mistake: `key` is the dotted path of the faulty key, `expected` what should be there."""

    def __init__(self, key: str, expected: str):
        super().__init__(f"{key}: expected {expected}")
        self.key = key
        self.expected = expected


@dataclass(frozen=True, slots=True)
class Cadence:
    """A validated rule: its kind (a key of RULES), its parameters, where it came from (for the report)."""

    kind: str
    params: Mapping[str, Any] = field(default_factory=dict)
    source: str = ""

    @property
    def working_days(self) -> int | None:
        value = self.params.get("working_days")
        return int(value) if value is not None else None

    def describe(self) -> str:
        """Chinese one-liner for reports: 每14天 / 每年10月31日前 / 事项发生后20个工作日内."""
        p = self.params
        if self.kind == "max_age_days":
            return f"每{p['max_age_days']}天"
        if self.kind == "annual":
            m, d = (int(x) for x in str(p["due"]).split("-"))
            return f"每年{m}月{d}日前"
        if self.kind == "event":
            text = f"事项发生后{p['working_days']}个工作日内"
            return text + (f"，{p['max_age_days']}天内须有更新" if p.get("max_age_days") is not None else "")
        return self.kind


def check_month_day(value: Any) -> str | None:
    """None when `value` is "MM-DD" naming a day that exists every year; else what was expected."""
    if not isinstance(value, str) or len(value) != 5 or value[2] != "-":
        return f'"MM-DD" such as "10-31", got {value!r}'
    try:
        date(2001, int(value[:2]), int(value[3:]))  # 2001: not a leap year, so 02-29 is refused
    except ValueError:
        return f'a day that exists every year as "MM-DD", got {value!r}'
    return None


def _check_param(key: str, name: str, typ: type, value: Any) -> None:
    if typ is int and (not isinstance(value, int) or isinstance(value, bool) or value < 1):
        raise SpecError(key, f"a whole number ≥ 1, got {value!r}")
    if typ is str:
        problem = check_month_day(value)
        if problem:
            raise SpecError(key, problem)


def parse_rule(kind: str, value: Any, where: str) -> dict[str, Any]:
    """The parameters of one `kind = value` entry, checked; `where` is the dotted path of the entry."""
    rule = RULES.get(kind)
    if rule is None:
        raise SpecError(f"{where}{kind}", "one of the rule kinds " + ", ".join(RULES))
    key = f"{where}{kind}"
    if rule.scalar:
        (param,) = rule.params
        _check_param(key, param.name, param.type, value)
        return {param.name: value}
    if not isinstance(value, Mapping):
        raise SpecError(key, "a table such as " + _example(kind) + f", got {value!r}")
    declared = {p.name: p for p in rule.params}
    for name in value:
        if name not in declared:
            raise SpecError(f"{key}.{name}", "no such key; known keys here: " + ", ".join(declared))
    params: dict[str, Any] = {}
    for p in rule.params:
        if p.name not in value:
            if p.required:
                raise SpecError(f"{key}.{p.name}", f"{p.help} (missing)")
            continue
        _check_param(f"{key}.{p.name}", p.name, p.type, value[p.name])
        params[p.name] = value[p.name]
    return params


def _example(kind: str) -> str:
    return {
        "annual": '{due = "10-31", period_end = "08-31"}',
        "event": "{working_days = 20}",
    }.get(kind, "{...}")


def cadence_from(table: Mapping[str, Any], where: str, *, source: str, required: bool) -> Cadence | None:
    """The cadence a table carries (exactly one rule key), or None when it carries none and none is required.

    A config override table holds every rule key with an "unset" default (0 or {}): those count as absent.
    """
    given = [k for k in RULES if k in table and table[k] not in (None, 0, {})]
    if len(given) > 1:
        raise SpecError(f"{where}{given[1]}", f"only one of {', '.join(RULES)} (also given: {given[0]})")
    if not given:
        if required:
            raise SpecError(where.rstrip("."), "a cadence: one of the keys " + ", ".join(RULES))
        return None
    kind = given[0]
    return Cadence(kind, parse_rule(kind, table[kind], where), source)


def rule_check(kind: str) -> Callable[[Any], str | None]:
    """The value check of a cadence key (`annual`, `event`, `max_age_days`) for the config key table."""

    def check(value: Any) -> str | None:
        if value in ({}, 0):  # the declared "unset" default
            return None
        try:
            parse_rule(kind, value, "")
        except SpecError as exc:
            sub = exc.key[len(kind) + 1 :]
            return f"{_example(kind)}; key {sub}: {exc.expected}" if sub else exc.expected
        return None

    return check
