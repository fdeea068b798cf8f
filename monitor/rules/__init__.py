"""Timeliness rules as data plus one pure function per kind: evidence in, verdict out, no I/O.

Public names: `RULES` (the registry: key → RuleKind), `Evidence`, `Verdict`, `Cadence`, `SpecError`,
`cadence_from` (read and check a cadence from a table), `evaluate` (apply a cadence to evidence),
`deadline_window` (annual deadlines, also used by the stats). Imports nothing of the monitor but its own
modules, so `monitor.config.keys` can name the value checks of rule keys (`rule_check`, `check_month_day`).
"""

from __future__ import annotations

from .annual import deadline_window
from .base import Evidence, ParamSpec, RuleKind, Verdict, cn_date
from .registry import RULES
from .spec import Cadence, SpecError, cadence_from, check_month_day, parse_rule, rule_check

__all__ = [
    "RULES",
    "Cadence",
    "Evidence",
    "ParamSpec",
    "RuleKind",
    "SpecError",
    "Verdict",
    "cadence_from",
    "check_month_day",
    "cn_date",
    "deadline_window",
    "evaluate",
    "parse_rule",
    "rule_check",
]


def evaluate(cadence: Cadence, evidence: Evidence) -> Verdict:
    """Apply a validated cadence to a column's evidence."""
    return RULES[cadence.kind].func(evidence, cadence.params)
