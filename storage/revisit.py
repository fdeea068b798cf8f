"""What the crawler's revisit policy needs from history: a rotation counter, known attachments, failing URLs.

A recrawl asks again for every list page, but known articles and attachments only on a rotation: each run
takes the slice whose URL hash matches the site's finished-run count, so every one is revisited within N
runs. That needs three facts per site, read in one short read-only connection: how many runs of the site
finished ok (the counter: it advances only with a run that counts), which attachment URLs answered the last
time they were checked, and which URLs failed the last time they were requested (those are always asked
again, so a broken link stays reported until it is fixed). A file link that last answered an HTML page (a
sign-in page where the file was linked) counts as failing: its check is repeated every crawl.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from storage.connection import DEFAULT_WAIT, open_readonly

GOOD_OUTCOMES = ("ok", "not_modified")

# Per URL of the site: the role and outcome of its latest request (one fetch per URL per run), and whether
# that answer was an HTML page where a file was linked (a sign-in page): not a file that answered.
_LATEST = """
SELECT url, arg_max(role, run_id) AS role, arg_max(outcome, run_id) AS outcome,
       arg_max(role = 'attachment' AND lower(coalesce(content_type, '')) LIKE 'text/html%', run_id) AS page
FROM fetches WHERE site = $site GROUP BY url
"""


@dataclass(frozen=True, slots=True)
class RevisitHistory:
    """What a site's past crawls say about revisiting: see the module docstring."""

    finished_runs: int  # runs that crawled the site and finished 'ok'
    attachments: frozenset[str]  # attachment URLs whose latest check answered
    failing: frozenset[str]  # URLs (pages or attachments) whose latest request did not succeed


def revisit_history(path: str, site: str, *, wait: float = DEFAULT_WAIT) -> RevisitHistory:
    """The rotation counter, the known good attachments and the failing URLs of `site`."""
    with open_readonly(path, wait=wait) as conn:
        return revisit_in(conn, site)


def revisit_in(conn: duckdb.DuckDBPyConnection, site: str) -> RevisitHistory:
    """`revisit_history` on an open connection."""
    good = ", ".join(f"'{o}'" for o in GOOD_OUTCOMES)
    row = conn.execute(
        "SELECT count(*) FROM runs WHERE status = 'ok' AND list_contains(sites, $site)", {"site": site}
    ).fetchall()
    found = conn.execute(
        f"SELECT url, outcome IN ({good}) AND NOT page FROM ({_LATEST})"
        f" WHERE outcome NOT IN ({good}) OR role = 'attachment'",
        {"site": site},
    ).fetchall()
    return RevisitHistory(
        finished_runs=int(row[0][0]) if row else 0,
        attachments=frozenset(url for url, ok in found if ok),
        failing=frozenset(url for url, ok in found if not ok),
    )
