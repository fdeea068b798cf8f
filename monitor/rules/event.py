"""`event = {working_days = 20, max_age_days = N}`: information published when it arises.

The 清单's rule is "within 20 working days after the information is produced or changes". A monitor cannot see
when a fact arose, so `working_days` is used by the timeliness checks (publication lag, the stats table); the
column itself is judged by age against `max_age_days` when the item gives one, else against the government
threshold for a column of its name (`Evidence.generic_limit`): a column of event-driven information that has
been silent for that long is "not updated" in the inspectors' sense.
"""

from __future__ import annotations

from .base import Evidence, Params, Verdict, age_verdict


def event(e: Evidence, p: Params) -> Verdict:
    """Fresh while the newest dated item is within `max_age_days`, or the generic limit of the name."""
    limit = p.get("max_age_days")
    if limit is None:
        return age_verdict(e, e.generic_limit, "同类栏目更新周期")
    return age_verdict(e, int(limit), "更新周期")
