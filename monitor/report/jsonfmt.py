"""The report as JSON: `{"as_of": "YYYY-MM-DD", "sections": [...]}` plus extra keys (sites, findings, counts).

The contract (docs and tests): one section per discovered column (site, name, url: its first list page as
linked, category, item, last_published: null without a dated item, items, status, age_days, limit_days),
then one per missing 清单 item (url null, status "missing"). Among the extra keys, `partial` (true: a script
pager hid pages, `items` counts the pages read; docs/patterns.md). `coverage` lists every 清单 item expected
of each institution with the evidence that covers it (`via`: column | titles | column+titles | none; its
`columns`; the `titles` that show it, the newest 20, `title_count` all of them; the newest date, due date
and reason of the evidence that decided). JSON escaping makes web text safe here.
"""

from __future__ import annotations

import json

from monitor.judgement import Judgement

CONTRACT_KEYS = (
    "site",
    "name",
    "url",
    "category",
    "item",
    "last_published",
    "items",
    "status",
    "age_days",
    "limit_days",
)


def render_json(judgement: Judgement) -> str:
    return json.dumps(judgement.to_json(), ensure_ascii=False, indent=2) + "\n"
