"""The bench asks the product to crawl as a user would: a valid config.toml, the plan the monitor builds."""

from __future__ import annotations

import pytest

from bench import workspace
from bench.workspace import Workspace, crawl_argv


@pytest.fixture
def ws(tmp_path, monkeypatch) -> Workspace:
    monkeypatch.setattr(workspace, "WORK", tmp_path)
    return Workspace(
        "t",
        {"lists": "http://127.0.0.2:8000/a.htm", "www": "http://127.0.0.3:8000/"},
        {"lists": "disclosure", "www": "portal"},
        start_urls={"lists": ["http://127.0.0.2:8000/a.htm", "http://127.0.0.4:8000/b.htm"]},
        max_depth=0,
    )


def test_the_config_is_valid_and_the_plan_carries_every_site_and_start_url(ws: Workspace) -> None:
    plan = ws.plan(observed_at="2026-01-05T10:00")
    assert plan["db_path"] == str(ws.db)
    assert plan["observed_at"] == "2026-01-05T10:00"
    sites = {s["name"]: s for s in plan["sites"]}
    assert sites["lists"]["start_urls"] == ["http://127.0.0.2:8000/a.htm", "http://127.0.0.4:8000/b.htm"]
    assert sites["lists"]["kind"] == "disclosure" and sites["www"]["kind"] == "portal"
    assert sites["lists"]["max_depth"] == 0
    assert sites["www"]["max_pages"] == workspace.MAX_PAGES


def test_reset_removes_the_database_and_its_companions(ws: Workspace) -> None:
    for suffix in ("", ".wal", ".crawl.lock"):
        (ws.dir / f"xxgk.duckdb{suffix}").write_text("x")
    ws.reset()
    assert not list(ws.dir.glob("xxgk.duckdb*"))
    assert ws.config.exists()


def test_crawls_go_through_the_product_command_with_the_observed_time(ws: Workspace) -> None:
    argv = crawl_argv(ws, "2026-01-05T10:00")
    if workspace.has_command("crawl"):
        assert argv[-3:] == ["crawl", "--observed-at", "2026-01-05T10:00"]
        assert str(ws.config) in argv
    else:
        assert argv[1:3] == ["-m", "crawler"]
