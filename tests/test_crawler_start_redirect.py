"""A start URL that moved to another host takes its site along; other redirects off the site do not."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from storage import open_readonly

OLD, NEW, ELSEWHERE = "127.0.0.31", "127.0.0.32", "127.0.0.33"

LIST = """<html><head><meta charset="utf-8"><title>通知公告</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/tzgg.html">通知公告</a></div>
<div class="pos">当前位置：<a href="/">首页</a> &gt; 通知公告</div>
<ul class="list">
<li><a href="/a1.html">关于寒假放假的通知</a><span>2026-11-20</span></li>
<li><a href="/a2.html">关于期末考试安排的通知</a><span>2026-11-02</span></li>
<li><a href="/a3.html">关于开展安全检查的通知</a><span>2026-10-15</span></li>
</ul></body></html>"""
HOME = """<html><head><meta charset="utf-8"><title>某学院</title></head><body>
<div class="nav"><a href="/">首页</a> <a href="/tzgg.html">通知公告</a> <a href="/away">校友会</a></div>
</body></html>"""
ARTICLE = """<html><head><meta charset="utf-8"><title>通知</title></head><body><h1>通知</h1>
<p>发布时间：2026-11-20</p><div class="content"><p>正文。</p></div></body></html>"""


def _server(host: str, port: int, routes: dict[str, tuple[int, str]]) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            status, payload = routes.get(self.path, (404, "not found"))
            body = payload.encode("utf-8") if status == 200 else b""
            self.send_response(status)
            if status in (301, 302):
                self.send_header("Location", payload)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture
def moved_site() -> Iterator[int]:
    routes: dict[str, tuple[int, str]] = {}  # filled once the port is known; handlers read it per request
    new = _server(NEW, 0, routes)
    port = new.server_address[1]
    routes.update(
        {
            "/": (200, HOME),
            "/tzgg.html": (200, LIST),
            "/away": (302, f"http://{ELSEWHERE}:{port}/"),
            **{f"/a{i}.html": (200, ARTICLE) for i in (1, 2, 3)},
        }
    )
    servers = [
        new,
        _server(OLD, port, {"/": (301, f"http://{NEW}:{port}/")}),
        _server(ELSEWHERE, port, {"/": (200, HOME)}),
    ]
    yield port
    for s in servers:
        s.shutdown()
        s.server_close()


def test_a_moved_start_url_takes_its_site_along(tmp_path: Path, moved_site: int) -> None:
    port = moved_site
    db = tmp_path / "x.duckdb"
    plan = {
        "db_path": str(db),
        "progress": "off",
        "obey_robots": False,
        "sites": [{"name": "s", "kind": "portal", "start_urls": [f"http://{OLD}:{port}/"]}],
    }
    (tmp_path / "plan.json").write_text(json.dumps(plan), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "crawler", "--plan", str(tmp_path / "plan.json")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    with open_readonly(str(db)) as conn:
        columns = conn.execute(
            "SELECT column_url, name, state, items, newest FROM column_snapshots"
        ).fetchall()
        outcomes = dict(conn.execute("SELECT url, outcome FROM fetches").fetchall())
    assert [(u, n, st, i, str(d)) for u, n, st, i, d in columns] == [
        (f"http://{NEW}:{port}/tzgg.html", "通知公告", "ok", 3, "2026-11-20")
    ]
    # the start URL's move is followed; a later link that redirects off the site is recorded, not followed
    assert outcomes[f"http://{NEW}:{port}/away"] == "offsite_redirect"
    assert not any(ELSEWHERE in u for u in outcomes)
