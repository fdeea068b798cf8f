"""A crawl in which every site failed exits 1, so cron notices (issue 19 §4); a dead site among live ones: 0.

Real child processes against loopback: a port nothing listens on (connection refused) is a dead site; the
fault site on 127.0.0.2 is a live one. The run is still recorded `ok` (its sites are judged `unreachable`).
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest
from faultsite import FaultSite
from xxgkrun import SiteConf, query, write_config, xxgk


def _dead_url(host: str) -> str:
    """A URL on `host` whose port was free a moment ago and has no listener: connections are refused."""
    with socket.socket() as s:
        s.bind((host, 0))
        port = s.getsockname()[1]
    return f"http://{host}:{port}/"


@pytest.fixture
def live() -> Iterator[FaultSite]:
    with FaultSite(hosts=("127.0.0.2",)) as site:
        yield site


def test_every_site_down_exits_1_with_one_line(tmp_path: Path) -> None:
    sites = [SiteConf("a", [_dead_url("127.0.0.7")]), SiteConf("b", [_dead_url("127.0.0.8")])]
    config = write_config(tmp_path, sites)
    proc = xxgk(config, "crawl")
    assert proc.returncode == 1, proc.stderr
    ours = [line for line in proc.stderr.splitlines() if line.startswith("xxgk crawl:")]
    assert len(ours) == 1, proc.stderr
    assert "every site failed" in ours[0] and "a" in ours[0] and "b" in ours[0], ours[0]
    assert "Traceback" not in proc.stderr, proc.stderr
    # the run is recorded, not discarded: its sites are judged unreachable from it
    (status,) = query(tmp_path / "data/xxgk.duckdb", "SELECT status FROM runs")[0]
    assert status == "ok"


def test_one_site_down_among_live_ones_exits_0(tmp_path: Path, live: FaultSite) -> None:
    sites = [SiteConf("live", [live.url("/")]), SiteConf("dead", [_dead_url("127.0.0.7")])]
    config = write_config(tmp_path, sites)
    proc = xxgk(config, "crawl")
    assert proc.returncode == 0, proc.stderr
