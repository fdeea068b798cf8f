"""The judgement of one day as a whole: its rows (monitor/findings.py), the crawl it read, its notes.

`Judgement` is what `monitor.judge` returns and every output reads (text, JSON, CSV and HTML reports, the
weekly email, the statistics, the stored judgement); `to_json` is the report's JSON document. `CrawlState`
says which crawl was judged (monitor/crawl_state.py builds it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from monitor.config import default
from monitor.findings import Coverage, Finding, Section, SiteLine, iso
from monitor.statuses import STATUS_LABELS


@dataclass(frozen=True, slots=True)
class CrawlState:
    """The latest crawl up to `as_of` and the run judged for each site (an unfinished run is never judged).

    `note` says, in Chinese, when the latest crawl is not the one judged (interrupted, failed or still
    running) and which run the judgement read instead; "" when the latest crawl finished.
    """

    latest_run: int | None = None
    latest_status: str | None = None  # running | ok | failed | interrupted
    latest_observed_at: datetime | None = None  # when it began (its --observed-at)
    judged_runs: dict[str, int] = field(default_factory=dict)  # site -> the run its facts come from
    note: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "latest_run": self.latest_run,
            "latest_status": self.latest_status,
            "latest_observed_at": iso(self.latest_observed_at),
            "judged_runs": dict(self.judged_runs),
            "note": self.note,
        }


@dataclass(slots=True)
class Judgement:
    """Everything judged for one day. `sections` holds the columns and then the missing 清单 items."""

    as_of: date
    sections: list[Section] = field(default_factory=list)
    sites: list[SiteLine] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    coverage: list[Coverage] = field(default_factory=list)  # every applicable 清单 item per institution
    gone: list[Section] = field(default_factory=list)  # columns seen before, not in the latest crawl (also in
    # `sections`, status "gone": counted, never covering a 清单 item)
    notes: list[str] = field(
        default_factory=list
    )  # caveats in Chinese (calendar fallback, never crawled ...)
    site: str | None = None  # the --site filter, if any
    college: str = ""
    categories: list[str] = field(default_factory=list)  # the 清单 categories in order, for grouping
    # the college's zone, in which times are shown (by hand: the config's default, from the key table)
    zone: str = field(default_factory=lambda: default("college", "timezone"))
    crawl: CrawlState = field(default_factory=CrawlState)  # the latest crawl and the runs judged
    site_names: dict[str, str] = field(default_factory=dict)  # config id -> display name (monitor.sitenames)

    def site_name(self, site: str | None) -> str:
        """A site as people read it: its display name, never its config id (unknown: 网站)."""
        return self.site_names.get(site or "") or "网站"

    @property
    def columns(self) -> list[Section]:
        return [s for s in self.sections if s.status != "missing"]

    @property
    def missing(self) -> list[Section]:
        return [s for s in self.sections if s.status == "missing"]

    @property
    def sites_down(self) -> list[SiteLine]:
        return [s for s in self.sites if s.status == "down"]

    def counts(self) -> dict[str, int]:
        """Sections per status, every status present (0 when none), in severity order."""
        out = dict.fromkeys(STATUS_LABELS, 0)
        for s in self.sections:
            out[s.status] = out.get(s.status, 0) + 1
        return out

    def to_json(self) -> dict[str, Any]:
        """The report's JSON document: `as_of` and `sections` are the contract; the rest is extra."""
        return {
            "as_of": self.as_of.isoformat(),
            "sections": [self._named(s.to_json()) for s in self.sections],
            "sites": [self._named(s.to_json()) for s in self.sites],
            "findings": [f.to_json() for f in self.findings],
            "coverage": [c.to_json() for c in self.coverage],
            "gone": [self._named(s.to_json()) for s in self.gone],
            "counts": self.counts(),
            "notes": list(self.notes),
            "crawl": self.crawl.to_json(),
            "site_names": dict(self.site_names),
        }

    def _named(self, row: dict[str, Any]) -> dict[str, Any]:
        """A JSON row with its site's display name beside the config id."""
        return row | {"site_name": self.site_name(row["site"]) if row.get("site") else None}
