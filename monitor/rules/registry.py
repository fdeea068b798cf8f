"""The rule kinds, registered in one explicit dict: the key a catalog entry or override uses → its function.

Adding a kind: write one pure function `(Evidence, params) -> Verdict` in its own module, declare its
parameters here, and describe it in the header of monitor/catalog/moe_list.toml. Nothing else
dispatches on kind names.
"""

from __future__ import annotations

from .annual import annual
from .base import ParamSpec, RuleKind
from .event import event
from .max_age import max_age

RULES: dict[str, RuleKind] = {
    "max_age_days": RuleKind(
        key="max_age_days",
        label="最长更新周期",
        func=max_age,
        scalar=True,
        params=(ParamSpec("max_age_days", int, True, "days the newest dated item may be old"),),
        doc=max_age.__doc__ or "",
    ),
    "annual": RuleKind(
        key="annual",
        label="年度发布",
        func=annual,
        params=(
            ParamSpec("due", str, True, 'the yearly deadline, "MM-DD" (e.g. "10-31")'),
            ParamSpec("period_end", str, True, 'the end of the period the publication covers, "MM-DD"'),
        ),
        doc=annual.__doc__ or "",
    ),
    "event": RuleKind(
        key="event",
        label="事项发生后发布",
        func=event,
        params=(
            ParamSpec(
                "working_days", int, True, "working days after the fact within which it must be public"
            ),
            ParamSpec(
                "max_age_days", int, False, "days the column may stay silent (default: the generic limit)"
            ),
        ),
        doc=event.__doc__ or "",
    ),
}
