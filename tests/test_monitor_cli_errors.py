"""The CLI tells failures from bugs by class (issue 18 §5): a known failure or any subclass of one is one line
and an exit code, a command module that does not import is an error, never a command silently missing."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import monitor.cli
import storage
from monitor.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]

HOLDER = textwrap.dedent(
    """
    import sys, time
    import storage
    with storage.open_readwrite(sys.argv[1]):
        print("holding", flush=True)
        time.sleep(float(sys.argv[2]))
    """
)


def test_a_command_module_that_does_not_import_is_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(monitor.cli, "COMMANDS", (*monitor.cli.COMMANDS, "no_such_command"))
    with pytest.raises(ImportError, match=r"monitor\.cli\.no_such_command cannot be imported"):
        build_parser()


def test_a_busy_database_is_one_line_with_exit_1(tmp_path: Path) -> None:
    """storage.DatabaseBusy is a StorageError: the same one line as its base class, not a traceback."""
    db = tmp_path / "h.duckdb"
    storage.start_run(str(db), ["setup"])
    config = tmp_path / "config.toml"
    config.write_text(
        f'[storage]\npath = "{db.name}"\nlock_wait = 0.3\n'
        '[[sites]]\nname = "d"\nkind = "disclosure"\nstart_urls = ["http://127.0.0.2:8000/"]\n',
        encoding="utf-8",
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(db), "60"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        proc = subprocess.run(
            [sys.executable, "-m", "monitor", "--config", str(config), "sql", "SELECT 1"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=ROOT,
        )
    finally:
        holder.kill()
        holder.wait(timeout=30)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "is busy" in lines[0] and str(db) in lines[0], proc.stderr
