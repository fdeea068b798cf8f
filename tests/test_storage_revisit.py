"""revisit_history: the rotation counter, known attachments and failing URLs the revisit policy reads."""

from __future__ import annotations

from datetime import UTC, datetime

import storage
from storage.records import FetchRecord

SITE = "xxgk"
OTHER = "portal"


def fetch(url: str, outcome: str, role: str = "page", site: str = SITE) -> FetchRecord:
    return FetchRecord(site, url, datetime(2026, 3, 1, tzinfo=UTC), outcome, role=role)


def run(
    db: str, fetches: list[FetchRecord], *, sites: tuple[str, ...] = (SITE,), finish: bool = True
) -> None:
    run_id = storage.start_run(db, list(sites))
    writer = storage.RunWriter(db, run_id)
    for record in fetches:
        writer.add_fetch(record)
    writer.flush()
    if finish:
        storage.finish_run(db, run_id, [])
    else:
        storage.mark_run(db, run_id, "failed", "test")


def test_an_empty_history(tmp_path) -> None:
    db = str(tmp_path / "r.duckdb")
    run(db, [], sites=(OTHER,))  # creates the file; another site's run does not count
    assert storage.revisit_history(db, SITE) == storage.RevisitHistory(0, frozenset(), frozenset())


def test_the_latest_request_of_each_url_decides(tmp_path) -> None:
    db = str(tmp_path / "r.duckdb")
    run(
        db,
        [
            fetch("http://x/a.pdf", "ok", "attachment"),
            fetch("http://x/b.pdf", "http_error", "attachment"),
            fetch("http://x/c.pdf", "ok", "attachment"),
            fetch("http://x/1.htm", "ok"),
            fetch("http://x/2.htm", "timeout"),
            fetch("http://x/3.htm", "ok"),
            fetch("http://y/z.pdf", "ok", "attachment", site=OTHER),
        ],
        sites=(SITE, OTHER),
    )
    # the next run: b.pdf and 2.htm recovered, c.pdf and 3.htm broke; a.pdf and 1.htm were not requested
    run(
        db,
        [
            fetch("http://x/b.pdf", "ok", "attachment"),
            fetch("http://x/c.pdf", "network_error", "attachment"),
            fetch("http://x/2.htm", "not_modified"),
            fetch("http://x/3.htm", "http_error"),
        ],
    )
    got = storage.revisit_history(db, SITE)
    assert got.finished_runs == 2
    assert got.attachments == {"http://x/a.pdf", "http://x/b.pdf"}
    assert got.failing == {"http://x/c.pdf", "http://x/3.htm"}


def test_only_finished_runs_advance_the_counter_but_every_request_counts(tmp_path) -> None:
    db = str(tmp_path / "r.duckdb")
    run(db, [fetch("http://x/1.htm", "ok")])
    run(db, [fetch("http://x/1.htm", "http_error")], finish=False)
    got = storage.revisit_history(db, SITE)
    assert (got.finished_runs, got.failing) == (1, {"http://x/1.htm"})
