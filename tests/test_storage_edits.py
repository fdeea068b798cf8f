"""Edited and deleted items across two real crawls of the demo college, a week apart.

A week later the demo college publishes new items, edits exactly one article and deletes one item. Every
article whose prev/next links or sidebar now name a newer item gets a new body too; only the article whose own
text changed is an edit (`page_parses.text_hash`, `page_changes`, `storage.edited_items`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

import storage
from storage.ingest import text_hash

pytestmark = pytest.mark.slow


@dataclass
class TwoCrawls:
    db: str
    truth: dict[str, Any]  # the ground truth a week later (its `changes` are relative to the first crawl)
    first_at: datetime
    second_at: datetime


def _crawl(db: Path, tmp: Path, college: Any, truth: dict[str, Any], observed_at: datetime) -> None:
    plan = {
        "db_path": str(db),
        "progress": "log",
        "observed_at": observed_at.isoformat(),
        # every known article every crawl: by default they are asked again only on a rotation
        # (crawler/revisit.py), and an article not asked for cannot show its edit
        "revisit_every": 1,
        "sites": [
            {"name": name, "kind": truth["sites"][name]["kind"], "start_urls": [url]}
            for name, url in college.sites.items()
        ],
    }
    plan_file = tmp / f"plan-{truth['days_later']}.json"
    plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "crawler", "--plan", str(plan_file)],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]


@pytest.fixture(scope="module")
def crawls(demo_college_small: Any, tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoCrawls]:
    tmp = tmp_path_factory.mktemp("edits")
    db = tmp / "edits.duckdb"
    first = demo_college_small.ground_truth
    first_at = datetime.fromisoformat(f"{first['as_of']}T08:00:00+08:00")
    _crawl(db, tmp, demo_college_small, first, first_at)
    with demo_college_small.advanced(7) as later:
        second_at = datetime.fromisoformat(f"{later['as_of']}T08:00:00+08:00")
        _crawl(db, tmp, demo_college_small, later, second_at)
    yield TwoCrawls(str(db), later, first_at, second_at)


def test_only_the_article_whose_text_changed_is_edited(crawls: TwoCrawls) -> None:
    with storage.open_readonly(crawls.db) as conn:
        edits = storage.edited_items(conn, since=crawls.first_at, until=crawls.second_at)
        before = storage.edited_items(conn, since=crawls.first_at - timedelta(days=1), until=crawls.first_at)
    assert [e.url for e in edits] == [crawls.truth["changes"]["edited"]]
    assert [(e.kind, e.observed_at) for e in edits] == [("article", crawls.second_at.astimezone(UTC))]
    assert before == []  # a first crawl edits nothing


def test_articles_whose_body_changed_around_the_text_are_not_edits(crawls: TwoCrawls) -> None:
    """The week's new items change the bodies of other articles (prev/next, sidebars): many new bodies at
    known article URLs, each with the text it had, so this test would fail if edits compared bodies."""
    _, changed = storage.run_sql(
        crawls.db,
        """SELECT n.url, o.text_hash = n.text_hash FROM fetches f
           JOIN page_parses n ON n.url = f.url AND n.content_hash = f.content_hash AND n.kind = 'article'
           JOIN page_parses o ON o.url = f.url AND o.content_hash <> f.content_hash AND o.kind = 'article'
           WHERE f.run_id = 2 AND f.outcome = 'ok' ORDER BY n.url""",
    )
    same_text = [url for url, same in changed if same]
    assert len(same_text) >= 5, changed
    assert crawls.truth["changes"]["edited"] not in same_text
    assert [url for url, same in changed if not same] == [crawls.truth["changes"]["edited"]]


def test_the_deleted_item_is_deleted(crawls: TwoCrawls) -> None:
    with storage.open_readonly(crawls.db) as conn:
        deleted = storage.deleted_items(conn, since=crawls.first_at, until=crawls.second_at)
    assert [d.url for d in deleted] == [crawls.truth["changes"]["deleted"]]


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("正文 第一段", "正文 第一段"),
        ("  正文\n\t第一段  ", "正文 第一段"),  # whitespace is not text
        ("正文\u3000第一段", "正文 第一段"),  # nor is an ideographic space
        ("", None),  # no text: no hash
        (" \n ", None),
    ],
)
def test_text_hash_ignores_whitespace(text: str, same_as: str | None) -> None:
    expected = text_hash(same_as) if same_as is not None else None
    assert text_hash(text) == expected
    if same_as is not None:
        assert text_hash(text) != text_hash(same_as + "。")
