"""Migrations: new files get the whole schema, older ones upgrade in place, newer ones are refused untouched;
and docs/schema.md documents every table, view and column."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import storage
from storage import schema

DOC = Path(__file__).resolve().parents[1] / "docs" / "schema.md"


def with_extra(monkeypatch, *sql: str) -> None:
    """Pretend the code ships further migrations after the real ones."""
    real = schema.migrations()
    extra = tuple(schema.Migration(len(real) + i + 1, f"extra_{i}", text) for i, text in enumerate(sql))
    monkeypatch.setattr(schema, "migrations", lambda: real + extra)


def digest(path: str) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def test_a_new_file_records_every_migration(tmp_path):
    db = str(tmp_path / "h.duckdb")
    with storage.open_readwrite(db) as conn:
        found = conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
    assert found == [(m.version, m.name) for m in schema.migrations()]
    assert found[0] == (1, "initial")


def test_an_older_file_upgrades_in_place(tmp_path, monkeypatch):
    db = str(tmp_path / "h.duckdb")
    run_id = storage.start_run(db, ["xxgk"])
    with_extra(monkeypatch, "ALTER TABLE runs ADD COLUMN note VARCHAR", "UPDATE runs SET note = 'upgraded'")
    # a reader triggers the upgrade too (briefly read-write), then reads the new schema
    _, found = storage.run_sql(db, "SELECT run_id, note FROM runs")
    assert found == [(run_id, "upgraded")]
    with storage.open_readonly(db) as conn:
        assert schema.db_version(conn) == schema.code_version() == len(schema.migrations())


def test_a_failed_migration_leaves_the_older_schema(tmp_path, monkeypatch):
    db = str(tmp_path / "h.duckdb")
    storage.start_run(db, ["xxgk"])
    with_extra(monkeypatch, "ALTER TABLE runs ADD COLUMN note VARCHAR; SELECT * FROM no_such_table")
    with pytest.raises(storage.StorageError, match=f"cannot upgrade the schema of database {db}"):
        storage.start_run(db, ["xxgk"])
    monkeypatch.undo()
    with storage.open_readonly(db) as conn:
        assert schema.db_version(conn) == schema.code_version()
        columns = [row[0] for row in conn.execute("DESCRIBE runs").fetchall()]
    assert "note" not in columns


def test_a_newer_file_is_refused_untouched(tmp_path):
    db = str(tmp_path / "h.duckdb")
    storage.start_run(db, ["xxgk"])
    con = duckdb.connect(db)
    con.execute("INSERT INTO schema_migrations VALUES (99, 'from_the_future', now())")
    con.close()
    before = digest(db)
    for attempt in (
        lambda: storage.start_run(db, ["xxgk"]),
        lambda: storage.run_sql(db, "SELECT 1"),
        lambda: storage.load_previous(db, "xxgk"),
    ):
        with pytest.raises(storage.StorageError, match="schema version 99, newer than this program knows"):
            attempt()
    assert digest(db) == before


def test_migration_files_are_numbered_without_gaps():
    versions = [m.version for m in schema.migrations()]
    assert versions == list(range(1, len(versions) + 1))


def documented_names() -> tuple[set[str], dict[str, set[str]]]:
    """Headings (`### name`) and the first cell of each table row under them, from docs/schema.md."""
    headings: set[str] = set()
    columns: dict[str, set[str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^###\s+`([a-z_]+)`", line)
        if heading:
            current = heading.group(1)
            headings.add(current)
            columns[current] = set()
            continue
        cell = re.match(r"^\|\s*`([a-z_]+)`", line)
        if cell and current:
            columns[current].add(cell.group(1))
    return headings, columns


def test_every_table_view_and_column_is_documented(tmp_path):
    db = str(tmp_path / "h.duckdb")
    storage.start_run(db, ["xxgk"])
    headings, columns = documented_names()
    with storage.open_readonly(db) as conn:
        relations = conn.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()"
            " AND NOT internal "
            "UNION ALL SELECT view_name FROM duckdb_views() WHERE database_name = current_database() "
            "AND NOT internal"
        ).fetchall()
        for (name,) in relations:
            assert name in headings, f"docs/schema.md has no section for {name}"
            actual = {row[0] for row in conn.execute(f"DESCRIBE {name}").fetchall()}
            assert actual == columns[name], f"docs/schema.md columns of {name} differ"


def test_a_process_killed_before_its_first_checkpoint_leaves_a_file_that_opens(tmp_path):
    """The whole schema written only to the write-ahead log (the process dies before the file is closed and
    checkpointed): the next open replays the log. DuckDB 1.5 cannot replay some statements (a column default
    that is a function call), so this is what keeps the migrations replayable."""
    db = str(tmp_path / "h.duckdb")
    child = (
        "import os, sys, duckdb\n"
        "from storage import schema\n"
        "conn = duckdb.connect(sys.argv[1], config={'checkpoint_threshold': '1GB'})\n"
        "schema.apply(conn, sys.argv[1])\n"
        "os._exit(0)\n"
    )
    subprocess.run([sys.executable, "-c", child, db], check=True, timeout=120)
    assert Path(db + ".wal").exists(), "the child checkpointed: this test no longer tests the replay"
    with storage.open_readonly(db) as conn:
        assert schema.db_version(conn) == schema.code_version()
