"""Driving the real `xxgk` command in tests: write a config, run a command as a child, read the database.

Shared by the fault tests (issue 9) and the scheduler test; the fault-injection site is tests/faultsite.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from faultsite import MAX_BYTES, ROOT

# Crawl settings for fault tests: short timeouts, so a hanging endpoint costs seconds, not the default 15 s.
FAST_CRAWL: dict[str, Any] = {
    "timeout": 2.0,
    "max_bytes": MAX_BYTES,
    "autothrottle": False,
    "concurrency": 16,
    "concurrency_per_host": 8,
    "delay": 0.0,
    "crawl_timeout": 120.0,
}


@dataclass(slots=True)
class SiteConf:
    """One [[sites]] entry of a test config."""

    name: str
    start_urls: list[str]
    kind: str = "disclosure"
    allowed_hosts: list[str] = field(default_factory=list)
    max_depth: int | None = None
    max_pages: int | None = None
    department: str = ""
    title: str = ""


def toml_value(value: Any) -> str:
    """A Python value as TOML (strings through JSON escapes, which TOML basic strings share)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML for {value!r}")


def write_config(
    folder: Path,
    sites: Iterable[SiteConf],
    *,
    db: str = "data/xxgk.duckdb",
    crawl: dict[str, Any] | None = None,
    college: str = "故障测试学院",
    extra: str = "",
    storage: dict[str, Any] | None = None,
) -> Path:
    """Write folder/config.toml for `sites` with fast crawl settings; return its path."""
    lines = ["[college]", f"name = {toml_value(college)}", "", "[storage]", f"path = {toml_value(db)}"]
    lines += [f"{k} = {toml_value(v)}" for k, v in (storage or {}).items()]
    lines += ["", "[crawl]"]
    lines += [f"{k} = {toml_value(v)}" for k, v in {**FAST_CRAWL, **(crawl or {})}.items()]
    for s in sites:
        lines += ["", "[[sites]]", f"name = {toml_value(s.name)}", f"kind = {toml_value(s.kind)}"]
        lines.append(f"start_urls = {toml_value(s.start_urls)}")
        if s.allowed_hosts:
            lines.append(f"allowed_hosts = {toml_value(s.allowed_hosts)}")
        if s.max_depth is not None:
            lines.append(f"max_depth = {s.max_depth}")
        if s.max_pages is not None:
            lines.append(f"max_pages = {s.max_pages}")
        for key in ("department", "title"):
            if getattr(s, key):
                lines.append(f"{key} = {toml_value(getattr(s, key))}")
    path = folder / "config.toml"
    path.write_text("\n".join(lines) + "\n" + extra, encoding="utf-8")
    return path


def xxgk(
    config: Path, *args: str, env: dict[str, str] | None = None, timeout: float = 240
) -> subprocess.CompletedProcess[str]:
    """Run the real `xxgk` entry point (`python -m monitor --config F ...`) in the config's folder."""
    return subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), *args],
        cwd=config.parent,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=child_env(env),
    )


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a child `xxgk`: ours, with the repository importable from any working directory."""
    path = os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)
    return {**os.environ, "PYTHONPATH": path, **(extra or {})}


def report_json(config: Path, *args: str) -> dict[str, Any]:
    """`xxgk report --format json`, parsed; fails the test with the command's stderr when it fails."""
    proc = xxgk(config, "report", "--format", "json", *args)
    assert proc.returncode == 0, f"xxgk report failed ({proc.returncode}):\n{proc.stderr}"
    data: dict[str, Any] = json.loads(proc.stdout)
    return data


def office_text(outbox: Path, to: str = "office@example.edu.cn") -> str:
    """The plain-text body of the message to `to` that `xxgk email --dry-run --outbox` wrote."""
    from email import message_from_bytes, policy
    from email.message import EmailMessage

    emls = sorted(outbox.rglob("*.eml"))
    assert emls, f"no message written to {outbox}"
    for eml in emls:
        msg = message_from_bytes(eml.read_bytes(), policy=policy.default)
        assert isinstance(msg, EmailMessage)
        if to in str(msg["To"]):
            part = msg.get_body(preferencelist=("plain",))
            assert part is not None
            return str(part.get_content())
    raise AssertionError(f"no message to {to} in {outbox}")


def query(db: Path | str, sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    """Rows of a read-only query on the DuckDB file, through storage's own read-only opener."""
    import storage

    with storage.open_readonly(str(db)) as conn:
        return conn.execute(sql, params or []).fetchall()


# What Scrapy and Twisted print when code of ours raised and the error was swallowed: a crash but for the
# exit code. (Scrapy also logs the sites' download errors with tracebacks: the sites' faults, not crashes.)
CRASH_MARKERS = (
    "Spider error processing",
    "Error caught on signal handler",
    "Error processing {",
    "Error downloading",  # only when followed by one of our frames; see no_crash
    "Unhandled error in Deferred",
    "Unhandled Error",
)


def crashes(log: str) -> list[str]:
    """Lines of a crawl's log that show an exception in our own code (crawler/, storage/, monitor/)."""
    found = []
    for marker in CRASH_MARKERS:
        for chunk in log.split(marker)[1:]:
            block = chunk.split("\n20")[0]  # up to the next timestamped log line
            if marker != "Error downloading" or any(
                f"/{p}/" in block for p in ("crawler", "storage", "monitor")
            ):
                found.append(marker + block[:400])
    return found


def crawl_ok(proc: subprocess.CompletedProcess[str]) -> None:
    """Assert that a crawl command ended normally and nothing of ours crashed on the way."""
    shown = f"stdout:\n{proc.stdout[-3000:]}\nstderr:\n{proc.stderr[-6000:]}"
    assert proc.returncode == 0, f"crawl exited {proc.returncode}\n{shown}"
    assert crashes(proc.stderr) == [], "\n".join(crashes(proc.stderr))
