"""`max_age_days = N`: the newest dated item may be at most N days old (the government-site thresholds)."""

from __future__ import annotations

from .base import Evidence, Params, Verdict, age_verdict


def max_age(e: Evidence, p: Params) -> Verdict:
    """Fresh while the newest dated item is at most `max_age_days` old; a column without any date is stale."""
    return age_verdict(e, int(p["max_age_days"]), "更新周期")
