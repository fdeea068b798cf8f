"""The plain records storage's queries return to the monitor: one dataclass per question, no behaviour.

Times are timezone-aware datetimes; dates shown on pages are `date`s. Text fields come from the web: whoever
displays them escapes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True)
class ColumnFacts:
    """A column as of a moment. `state` comes from its site's latest finished run: ok | empty | unreachable |
    blocked; 'gone' when that run reached the site but did not see the column; 'unchecked' when that run did
    not see it and a limit (max_pages, max_depth, a trap) cut it short, so it may simply not have been
    reached. `items`, `undated` and the `newest*` fields describe the last successful look (`last_ok_at`), so
    an unreachable or unchecked column keeps them. For gone and unchecked, `absent_since` is the first run
    that did not see it and `error` the reason in words (`limit: ...`, `not linked any more`, `not a list
    page any more: KIND`, `its page is now part of another column`)."""

    site: str
    url: str
    name: str
    name_source: str
    first_seen: datetime
    state: str
    observed_at: datetime
    run_id: int
    items: int
    undated: int
    newest: date | None
    newest_title: str | None
    newest_url: str | None
    last_ok_at: datetime | None
    failing_since: datetime | None  # first run of the current unreachable/blocked streak
    error: str | None
    pages: int
    failed_pages: int
    skipped_pages: int = 0  # pages of the column a limit kept from being requested in that run
    absent_since: datetime | None = None  # gone / unchecked: the first run that did not see it

    @property
    def partial(self) -> bool:
        """Read in part: a script pager hid pages (the crawler records error 'partial: …' on an ok column)."""
        return self.state == "ok" and (self.error or "").startswith("partial:")

    @property
    def shows_no_date(self) -> bool:
        """A single-page column read with content but no publication date (the crawler records error
        'undated: …' on an ok column): its timeliness cannot be judged."""
        return self.state == "ok" and (self.error or "").startswith("undated:")


@dataclass(frozen=True, slots=True)
class SiteFacts:
    """A site's latest finished run as of a moment."""

    site: str
    run_id: int
    observed_at: datetime
    pages: int
    pages_ok: int
    pages_failed: int
    home_url: str | None
    home_ok: bool
    error: str | None
    down: bool  # no page of the site was fetched (200 or 304) in that run
    down_since: datetime | None  # first run of the current down streak
    not_requested: int = 0  # requests the run's limits dropped
    limits: str | None = None  # the limits that run hit, in words ("max_pages (23 requests not made)")
    # that run's word that the site's menu is built by a script whose entries could not be read
    menu_notice: str | None = None


@dataclass(frozen=True, slots=True)
class ItemFacts:
    """An item (a row of a column) and when finished runs first and last listed it, and when it vanished."""

    site: str
    column_url: str
    url: str
    title: str
    date_shown: date | None
    first_seen: datetime
    last_seen: datetime
    vanished_at: datetime | None


@dataclass(frozen=True, slots=True)
class EditFacts:
    """An edited article: its main text changed between two finished runs (`old_hash`, `new_hash`: bodies)."""

    site: str
    url: str
    kind: str | None
    title: str | None
    observed_at: datetime
    run_id: int
    old_hash: str
    new_hash: str


@dataclass(frozen=True, slots=True)
class LinkFacts:
    """A link or attachment whose fetch failed in its site's latest finished run."""

    site: str
    url: str
    referer: str | None
    link_text: str | None
    role: str  # page | attachment
    outcome: str
    status: int | None
    error: str | None
    since: datetime  # first run of the current failing streak
    observed_at: datetime


@dataclass(frozen=True, slots=True)
class SnapshotFacts:
    """One column in one finished run."""

    run_id: int
    observed_at: datetime
    site: str
    column_url: str
    name: str
    state: str
    newest: date | None
    items: int


@dataclass(frozen=True, slots=True)
class PublishedCount:
    """How many items a column published in a date range, counted two ways (see items_published)."""

    site: str
    column_url: str
    column_name: str
    by_date_shown: int
    by_first_seen: int
    undated_first_seen: int


@dataclass(frozen=True, slots=True)
class RunFacts:
    run_id: int
    status: str
    started_at: datetime
    finished_at: datetime | None
    observed_at: datetime
    sites: tuple[str, ...]
    pages: int
    errors: int
    items: int
    message: str | None


@dataclass(frozen=True, slots=True)
class EmailFacts:
    week: str
    recipient: str
    message_id: str
    subject: str
    sent_at: datetime
