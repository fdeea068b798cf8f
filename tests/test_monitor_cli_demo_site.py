"""`xxgk demo-site` as a user runs it: a real child process, real ports, Ctrl-C to stop."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import urllib.request
from pathlib import Path

from demo import COLLEGES, DEFAULT_HOSTS
from monitor.cli.demo_site import ALL_HOSTS


def test_demo_site_serves_prints_start_urls_and_stops_on_ctrl_c(tmp_path: Path) -> None:
    truth_path = tmp_path / "truth.json"
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "monitor",
            "demo-site",
            "--port",
            "0",
            "--scale",
            "0.05",
            "--as-of",
            "2026-11-26",
            "--ground-truth",
            str(truth_path),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("serving until Ctrl-C"):
                break
        else:
            raise AssertionError(f"no start-up banner: {lines} {proc.stderr.read() if proc.stderr else ''}")
        urls = dict(line.split() for line in lines if line.startswith("  "))
        assert list(urls) == ["disclosure", "portal", "dept-jwc", "dept-zsjy", "dept-cwc"]
        assert [u.split("//")[1].split(":")[0] for u in urls.values()] == list(DEFAULT_HOSTS)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        for url in urls.values():
            with opener.open(url, timeout=10) as resp:
                assert resp.status == 200 and resp.headers["ETag"]
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        assert {name: site["start_url"] for name, site in truth["sites"].items()} == urls
        assert truth["as_of"] == "2026-11-26" and truth["scale"] == 0.05
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_demo_site_all_serves_the_three_colleges_on_one_port() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "monitor", "demo-site", "--all", "--port", "0", "--scale", "0.05"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        lines = []
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if line.startswith("serving until Ctrl-C"):
                break
        else:
            raise AssertionError(f"no start-up banner: {lines} {proc.stderr.read() if proc.stderr else ''}")
        assert sum(line.startswith("demo college ") for line in lines) == len(COLLEGES)
        urls = dict(line.split() for line in lines if line.startswith("  "))
        assert list(urls) == [site.name for college in COLLEGES for site in college.sites]
        assert [u.split("//")[1].split(":")[0] for u in urls.values()] == list(ALL_HOSTS)
        assert len({u.rsplit(":", 1)[1] for u in urls.values()}) == 1, "not one port"
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        for url in urls.values():
            with opener.open(url, timeout=10) as resp:
                assert resp.status == 200
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_demo_site_help_has_an_example() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "monitor", "demo-site", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "example:" in out and "xxgk demo-site" in out
    for option in ("--port", "--as-of", "--scale", "--ground-truth"):
        assert option in out
