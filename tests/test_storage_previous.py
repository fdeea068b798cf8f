"""load_previous and known_columns: what the next crawl needs for conditional requests and 304s."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import UTC, date, datetime

import storage
from storage.previous import known_columns_sites, load_previous_sites
from storage.records import ColumnObservation, FetchRecord, Link, PageParse, Row

SITE = "xxgk"
URL = "http://xxgk.test/tzgg/list.htm"


def full_parse(body: bytes, url: str = URL) -> PageParse:
    return PageParse(
        url=url,
        content_hash=hashlib.sha256(body).hexdigest(),
        kind="list",
        encoding="gb18030",
        title="通知公告-某某职业技术学院",
        column_name="通知公告",
        column_name_source="breadcrumb",
        breadcrumb=("首页", "信息公开", "通知公告"),
        published=date(2026, 2, 1),
        published_source="meta:PubDate",
        rows=[
            Row(
                "关于2026年招生章程的公告", "http://xxgk.test/info/1074/2.htm", date(2026, 2, 1), "2026-02-01"
            ),
            Row("无日期的条目", "http://xxgk.test/info/1074/1.htm", None, None),
        ],
        pager=["http://xxgk.test/tzgg/list/3.htm", "http://xxgk.test/tzgg/list/2.htm"],
        pager_first=URL,
        pager_next="http://xxgk.test/tzgg/list/2.htm",
        links=[
            Link("http://xxgk.test/", "首页", "nav"),
            Link("http://xxgk.test/info/1074/2.htm", "关于2026年招生章程的公告", "content"),
            Link("http://xxgk.test/tzgg/list/3.htm", "下页", "pager"),
        ],
        attachments=[Link("http://xxgk.test/files/a.pdf", "附件1.pdf", "attachment")],
        blocked_reason=None,
    )


def fetched(
    url: str, outcome: str, digest: str | None, etag: str | None, modified: str | None = None, role="page"
):
    return FetchRecord(
        SITE,
        url,
        datetime(2026, 3, 1, tzinfo=UTC),
        outcome,
        200 if outcome == "ok" else 304 if outcome == "not_modified" else 500,
        etag=etag,
        last_modified=modified,
        content_hash=digest,
        role=role,
    )


def one_run(
    db: str, pages: list[tuple[PageParse, bytes]], fetches: list[FetchRecord], finish: bool = True
) -> int:
    run_id = storage.start_run(db, [SITE])
    writer = storage.RunWriter(db, run_id)
    for parse, body in pages:
        writer.add_page(parse, body)
    for rec in fetches:
        writer.add_fetch(rec)
    writer.flush()
    if finish:
        storage.finish_run(db, run_id, [])
    return run_id


def test_a_stored_parse_comes_back_whole(tmp_path):
    db = str(tmp_path / "h.duckdb")
    body = "<html>通知公告</html>".encode("gb18030")
    parse = full_parse(body)
    one_run(
        db, [(parse, body)], [fetched(URL, "ok", parse.content_hash, '"e1"', "Tue, 03 Mar 2026 10:00:00 GMT")]
    )
    previous = storage.load_previous(db, SITE)
    assert list(previous) == [URL]
    got = previous[URL]
    assert (got.etag, got.last_modified, got.content_hash) == (
        '"e1"',
        "Tue, 03 Mar 2026 10:00:00 GMT",
        parse.content_hash,
    )
    assert got.parse == parse


def test_validators_follow_the_latest_body(tmp_path):
    db = str(tmp_path / "h.duckdb")
    v1, v2 = b"<p>1</p>", b"<p>2</p>"
    p1, p2 = full_parse(v1), full_parse(v2)
    p2.title = "新标题"
    one_run(db, [(p1, v1)], [fetched(URL, "ok", p1.content_hash, '"e1"')])
    # a 304 without an ETag keeps the one that came with the body it confirms
    one_run(db, [], [fetched(URL, "not_modified", p1.content_hash, None)])
    assert storage.load_previous(db, SITE)[URL].etag == '"e1"'
    one_run(db, [(p2, v2)], [fetched(URL, "ok", p2.content_hash, '"e2"')])
    # a failure afterwards does not forget what the page was
    one_run(db, [], [fetched(URL, "http_error", None, None)])
    got = storage.load_previous(db, SITE)[URL]
    assert (got.etag, got.content_hash) == ('"e2"', p2.content_hash)
    assert got.parse is not None and got.parse.title == "新标题"


def test_only_parsed_pages_of_the_site_are_returned(tmp_path):
    db = str(tmp_path / "h.duckdb")
    body = b"<p>x</p>"
    parse = full_parse(body)
    one_run(
        db,
        [(parse, body)],
        [
            fetched(URL, "ok", parse.content_hash, '"e"'),
            fetched("http://xxgk.test/files/a.pdf", "ok", "pdfhash", '"p"', role="attachment"),
            fetched("http://xxgk.test/never-parsed.htm", "ok", "nohash", '"n"'),
        ],
    )
    assert list(storage.load_previous(db, SITE)) == [URL]
    assert storage.load_previous(db, "portal") == {}


def test_an_interrupted_runs_parses_are_usable(tmp_path):
    db = str(tmp_path / "h.duckdb")
    body = b"<p>y</p>"
    parse = full_parse(body)
    run_id = one_run(db, [(parse, body)], [fetched(URL, "ok", parse.content_hash, '"e"')], finish=False)
    storage.mark_run(db, run_id, "interrupted", "killed")
    assert storage.load_previous(db, SITE)[URL].parse == parse


def test_known_columns_are_those_of_finished_runs(tmp_path):
    db = str(tmp_path / "h.duckdb")
    run_id = storage.start_run(db, [SITE])
    storage.finish_run(
        db,
        run_id,
        [
            ColumnObservation(SITE, URL, "通知公告", "ok"),
            ColumnObservation("portal", "http://www.test/xw/", "新闻", "ok"),
        ],
    )
    unfinished = storage.start_run(db, [SITE])
    assert unfinished > run_id
    assert storage.known_columns(db, SITE) == {URL: "通知公告"}


def test_several_sites_load_as_each_site_alone(tmp_path):
    db = str(tmp_path / "h.duckdb")
    body, other_body = b"<p>xxgk</p>", b"<p>portal</p>"
    parse = full_parse(body)
    portal_url = "http://www.test/xw/list.htm"
    other = full_parse(other_body, portal_url)  # the same nav links as the xxgk page: shared when loaded
    other.rows = other.rows[::-1]
    other.links = other.links[::-1]
    portal_fetch = replace(fetched(portal_url, "ok", other.content_hash, '"p1"'), site="portal")
    run_id = storage.start_run(db, [SITE, "portal"])
    writer = storage.RunWriter(db, run_id)
    writer.add_page(parse, body)
    writer.add_page(other, other_body)
    writer.add_fetch(fetched(URL, "ok", parse.content_hash, '"e1"'))
    writer.add_fetch(portal_fetch)
    writer.flush()
    storage.finish_run(db, run_id, [])

    together = load_previous_sites(db, [SITE, "portal", "dept"])
    assert together == {
        SITE: storage.load_previous(db, SITE),
        "portal": storage.load_previous(db, "portal"),
        "dept": {},
    }
    assert together[SITE][URL].parse == parse
    assert together["portal"][portal_url].parse == other  # rows and links in each page's own order
    assert together["portal"][portal_url].etag == '"p1"'


def test_known_columns_of_several_sites_at_once(tmp_path):
    db = str(tmp_path / "h.duckdb")
    run_id = storage.start_run(db, [SITE, "portal"])
    storage.finish_run(
        db,
        run_id,
        [
            ColumnObservation(SITE, URL, "通知公告", "ok"),
            ColumnObservation(SITE, "http://xxgk.test/a/", "甲", "ok"),
            ColumnObservation("portal", "http://www.test/xw/", "新闻", "ok"),
        ],
    )
    assert known_columns_sites(db, [SITE, "portal", "dept"]) == {
        SITE: {"http://xxgk.test/a/": "甲", URL: "通知公告"},
        "portal": {"http://www.test/xw/": "新闻"},
        "dept": {},
    }
    assert known_columns_sites(db, [SITE])[SITE] == storage.known_columns(db, SITE)
