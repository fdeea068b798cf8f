"""Issue 20 §2: every known condition of the database ends every command with one clear line and exit 1.

A real crawl makes a real history; then, on a copy of it each time, another process holds the file for writing
past `[storage] lock_wait`, the file is truncated, a block of it is overwritten, or its schema is newer than
this program. `report`, `status`, `email`, `stats`, `sql` and `crawl` (the real `xxgk`, as child processes)
each print exactly one line on stderr, name the file, exit 1, and show no traceback; `xxgk --debug` logs the
traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from faultsite import Column, FaultSite, days_ago
from xxgkrun import SiteConf, crawl_ok, write_config, xxgk

pytestmark = pytest.mark.slow

EMAIL = """
[email]
smtp_host = "127.0.0.1"
smtp_port = 9
security = "none"
sender = "xxgk@example.edu.cn"
to = ["xxgkb@example.edu.cn"]
outbox = "outbox"
"""

COMMANDS: dict[str, tuple[str, ...]] = {
    "report": ("report",),
    "status": ("status",),
    "email": ("email", "--dry-run"),
    "stats": ("stats",),
    "sql": ("sql", "SELECT count(*), max(title) FROM items"),
    "crawl": ("crawl",),
}

HOLDER = textwrap.dedent(
    """
    import sys, time
    import duckdb
    conn = duckdb.connect(sys.argv[1])  # an analyst's DuckDB, open for writing
    print("holding", flush=True)
    time.sleep(300)
    """
)


@pytest.fixture(scope="module")
def site() -> Iterator[FaultSite]:
    news = Column.of_articles("xwdt", "校园新闻动态", [days_ago(d) for d in (1, 3, 50)])
    notices = Column.of_articles("tzgg", "通知公告", [days_ago(d) for d in range(2, 200, 3)])
    with FaultSite(("127.0.0.10",), [news, notices]) as s:
        yield s


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory, site: FaultSite) -> Path:
    """A folder with a config and a database holding one real crawl (copied by each test)."""
    folder = tmp_path_factory.mktemp("history")
    config = write_config(
        folder,
        [SiteConf("college", [site.url("/")], max_depth=2)],
        extra=EMAIL,
        storage={"lock_wait": 1.0},
    )
    crawl_ok(xxgk(config, "crawl"))
    return folder


def _copy(history: Path, tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "copy"
    shutil.copytree(history, folder)
    return folder / "config.toml", folder / "data" / "xxgk.duckdb"


def _one_clear_line(proc: subprocess.CompletedProcess[str], db: Path, *words: str) -> str:
    shown = f"exit {proc.returncode}\nstderr:\n{proc.stderr[-3000:]}"
    assert proc.returncode == 1, shown
    assert "Traceback" not in proc.stderr, shown
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one line, got {len(lines)}:\n{shown}"
    line = lines[0]
    assert line.startswith("xxgk"), line
    assert str(db) in line or db.name in line, f"the line does not name the database: {line}"
    for word in words:
        assert word in line, f"{word!r} not in: {line}"
    return line


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_database_held_for_writing_past_lock_wait(history: Path, tmp_path: Path, command: str) -> None:
    config, db = _copy(history, tmp_path)
    holder = subprocess.Popen([sys.executable, "-c", HOLDER, str(db)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        proc = xxgk(config, *COMMANDS[command], timeout=120)
    finally:
        holder.kill()
        holder.wait(30)
    _one_clear_line(proc, db, "busy", "lock_wait")


def _truncate(db: Path) -> None:
    os.truncate(db, 3 * 4096 + 262144)  # the file headers and the first block: a copy cut short


def _overwrite_blocks(db: Path) -> None:
    data = bytearray(db.read_bytes())
    for i in range(3 * 4096, len(data), 4093):  # every block after the file headers
        data[i] ^= 0xFF
    db.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [_truncate, _overwrite_blocks], ids=["truncated", "overwritten"])
@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_damaged_file(history: Path, tmp_path: Path, command: str, damage: object) -> None:
    config, db = _copy(history, tmp_path)
    damage(db)  # type: ignore[operator]
    proc = xxgk(config, *COMMANDS[command], timeout=120)
    _one_clear_line(proc, db, "damaged", "backup")


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_newer_schema(history: Path, tmp_path: Path, command: str) -> None:
    config, db = _copy(history, tmp_path)
    conn = duckdb.connect(str(db))
    conn.execute("INSERT INTO schema_migrations VALUES (999, 'from_the_future', now())")
    conn.close()
    before = db.read_bytes()
    proc = xxgk(config, *COMMANDS[command], timeout=120)
    _one_clear_line(proc, db, "newer", "upgrade")
    assert db.read_bytes() == before, "a newer file was changed"


def test_debug_logs_the_traceback(history: Path, tmp_path: Path) -> None:
    config, db = _copy(history, tmp_path)
    _truncate(db)
    proc = xxgk(config, "--debug", "report", timeout=120)
    assert proc.returncode == 1
    assert "Traceback" in proc.stderr and "DatabaseDamaged" in proc.stderr
