"""run_sql: queries run; anything that writes — the database, files, settings — is refused before it runs."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

import storage
from storage.readonly import check_script


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("ro") / "h.duckdb")
    storage.start_run(path, ["xxgk"])
    return path


REFUSED = [
    "INSERT INTO runs SELECT * FROM runs",
    "insert or replace into runs select * from runs",
    "UPDATE runs SET status = 'ok'",
    "DELETE FROM runs",
    "TRUNCATE runs",
    "CREATE TABLE t AS SELECT 1",
    "CREATE TEMP TABLE t (a INT)",
    "CREATE MACRO m() AS 1",
    "DROP TABLE runs",
    "ALTER TABLE runs ADD COLUMN x INT",
    "COMMENT ON TABLE runs IS 'x'",
    "COPY runs TO '/tmp/xxgk-out.csv'",
    "COPY (SELECT 1) TO '/tmp/xxgk-out.parquet' (FORMAT parquet)",
    "COPY runs FROM '/tmp/in.csv'",
    "EXPORT DATABASE '/tmp/xxgk-export'",
    "IMPORT DATABASE '/tmp/xxgk-export'",
    "ATTACH '/tmp/other.duckdb' AS other",
    "DETACH other",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET threads = 1",
    "RESET threads",
    "USE memory",
    "PRAGMA enable_profiling",
    "CHECKPOINT",
    "FORCE CHECKPOINT",
    "CALL checkpoint()",
    "VACUUM",
    "BEGIN TRANSACTION",
    "PREPARE p AS DELETE FROM runs",
    "EXECUTE p",
    "MERGE INTO runs USING runs AS r2 ON false WHEN NOT MATCHED THEN INSERT BY NAME",
    # disguised
    "WITH x AS (SELECT 1) INSERT INTO runs SELECT * FROM runs",
    "/* just a select */ DELETE FROM runs",
    "-- SELECT\nDROP TABLE runs",
    "SELECT 1; DROP TABLE runs",
    "SELECT 1; SELECT 2; COPY runs TO '/tmp/x.csv'",
    "EXPLAIN ANALYZE DELETE FROM runs",
    "explain analyze /* c */ update runs set pid = 0",
    "UPDATE EXTENSIONS",
    "",
    "-- nothing here",
]

ALLOWED = [
    ("SELECT count(*) FROM runs", [(1,)]),
    ("select 1 as a; select 2 as b", [(2,)]),  # the last statement's result
    ("-- a comment\nFROM runs SELECT status", [("running",)]),
    ("/* c */ WITH x AS (SELECT 41 AS n) SELECT n + 1 FROM x", [(42,)]),
    ("VALUES (1), (2)", [(1,), (2,)]),
    ("SELECT * FROM v_run_summary WHERE status = 'ok'", []),
    ("SELECT count(*) FROM column_status_at(now())", [(0,)]),
    ("SELECT 'DELETE FROM runs' AS text", [("DELETE FROM runs",)]),
]


@pytest.mark.parametrize("sql", REFUSED)
def test_writing_statements_are_refused(db, sql):
    before = hashlib.sha256(Path(db).read_bytes()).hexdigest()
    with pytest.raises(storage.StorageError, match="refused"):
        storage.run_sql(db, sql)
    assert hashlib.sha256(Path(db).read_bytes()).hexdigest() == before


@pytest.mark.parametrize("sql", ["SELEC 1", "SELECT 1 FORM runs", "DELETE runs WHERE"])
def test_a_typo_is_a_syntax_error_and_runs_nothing(db, sql):
    before = hashlib.sha256(Path(db).read_bytes()).hexdigest()
    with pytest.raises(storage.StorageError, match=r"^SQL syntax error: syntax error at or near"):
        storage.run_sql(db, sql)
    assert hashlib.sha256(Path(db).read_bytes()).hexdigest() == before


@pytest.mark.parametrize(("sql", "rows"), ALLOWED)
def test_queries_run(db, sql, rows):
    assert storage.run_sql(db, sql)[1] == rows


@pytest.mark.parametrize(
    "sql",
    [
        "SHOW TABLES",
        "DESCRIBE runs",
        "SUMMARIZE runs",
        "PRAGMA version",
        "PRAGMA table_info('runs')",
        "CALL duckdb_tables()",
        "EXPLAIN SELECT * FROM runs",
    ],
)
def test_inspection_statements_run(db, sql):
    columns, rows = storage.run_sql(db, sql)
    assert columns and rows


def test_the_refusal_names_the_statement():
    assert check_script("SELECT 1; /* x */ DROP TABLE runs") == (
        "DROP statements change the database, the files around it or the session: DROP TABLE runs"
    )
    assert check_script("SELECT 1") is None


def test_sql_errors_are_storage_errors(db):
    with pytest.raises(storage.StorageError, match=r"SQL error: .*no_such_table"):
        storage.run_sql(db, "SELECT * FROM no_such_table")


def test_column_names_come_back(db):
    assert storage.run_sql(db, "SELECT run_id, status AS state FROM runs")[0] == ["run_id", "state"]
