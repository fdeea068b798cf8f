"""Issue 14.7, analyst outputs: `xxgk sql` reads the database and no other file (not /etc/shadow, not
/proc/self/environ where the SMTP password is), and the CSV of `xxgk sql` and `xxgk export` keeps a
web-sourced formula as text, with the same cell rule as `xxgk report`."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pytest

import storage
from monitor.cli import main
from storage.records import ColumnObservation, Row

FORMULA = '=HYPERLINK("http://evil.test","点击")'
TITLES = [FORMULA, "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "-5", "通知公告"]
SECRET = "TOPSECRET-4f9a"


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = str(tmp_path_factory.mktemp("analyst") / "h.duckdb")
    run_id = storage.start_run(path, ["xxgk"], observed_at=datetime(2026, 3, 1, tzinfo=UTC))
    rows = [Row(t, f"http://xxgk.test/{i}.htm") for i, t in enumerate(TITLES)]
    storage.finish_run(
        path, run_id, [ColumnObservation("xxgk", "http://xxgk.test/", "@通知", "ok", rows=rows)]
    )
    return path


@pytest.fixture(scope="module")
def secret_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("outside") / "secret.csv"
    path.write_text(f"a,b\n{SECRET},1\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "query",
    [
        "SELECT content FROM read_text('{f}')",
        "SELECT * FROM read_csv('{f}')",
        "SELECT content FROM read_blob('{f}')",
        "SELECT * FROM read_json('{f}')",
        "SELECT * FROM glob('{d}/*')",
        "SELECT * FROM sniff_csv('{f}')",
        "SELECT content FROM read_text('/etc/passwd')",
        "SELECT count(*) FROM glob('/root/*')",
    ],
)
def test_sql_reads_no_file_outside_the_database(db: str, secret_file: Path, query: str) -> None:
    sql = query.format(f=secret_file, d=secret_file.parent)
    with pytest.raises(storage.StorageError, match="reads only the database") as info:
        storage.run_sql(db, sql)
    assert SECRET not in str(info.value)


def test_what_stays_allowed(db: str) -> None:
    assert storage.run_sql(db, "SELECT count(*) FROM items")[1] == [(len(TITLES),)]
    assert storage.run_sql(db, "SELECT count(*) FROM range(3)")[1] == [(3,)]
    assert storage.run_sql(db, "SELECT count(*) > 0 FROM duckdb_tables()")[1] == [(True,)]
    assert storage.run_sql(db, "SELECT count(*) FROM column_status_at(now())")[1] == [(1,)]


def test_the_smtp_password_never_shows_through_proc_environ(db: str) -> None:
    password = "pw-" + SECRET
    env = {"PATH": "/usr/bin:/bin", "XXGK_SMTP_PASSWORD": password}
    for query in (
        "SELECT content FROM read_blob('/proc/self/environ')",
        "SELECT content FROM read_text('/proc/self/environ')",
        "SELECT * FROM read_csv('/proc/self/environ', header = false, sep = '=')",
    ):
        proc = subprocess.run(
            [sys.executable, "-m", "monitor", "sql", "--db", db, query],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert proc.returncode == 1 and "reads only the database" in proc.stderr, proc.stderr
        assert password not in proc.stdout + proc.stderr
        assert "Traceback" not in proc.stderr


def _defused(text: str) -> str:
    return text if text == "-5" or not text.startswith(("=", "+", "-", "@")) else "'" + text


def test_sql_csv_defuses_formulas(db: str, capsys: pytest.CaptureFixture[str]) -> None:
    query = "SELECT title, -5 AS n FROM items ORDER BY url"
    assert main(["sql", "--db", db, "--format", "csv", query]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0] == ["title", "n"]
    assert [r[0] for r in rows[1:]] == [_defused(t) for t in TITLES]
    assert {r[1] for r in rows[1:]} == {"-5"}  # a number is not a formula


def test_export_csv_defuses_formulas_and_keeps_every_row(db: str, tmp_path: Path) -> None:
    storage.export(db, str(tmp_path), "csv")
    with open(tmp_path / "items.csv", encoding="utf-8", newline="") as f:
        items = list(csv.DictReader(f))
    assert sorted(r["title"] for r in items) == sorted(_defused(t) for t in TITLES)
    with open(tmp_path / "v_column_status.csv", encoding="utf-8", newline="") as f:
        (column,) = list(csv.DictReader(f))
    assert column["name"] == "'@通知"
    storage.export(db, str(tmp_path / "pq"), "parquet")  # data, not a spreadsheet: values as stored
    fresh = duckdb.connect()
    titles = fresh.execute("SELECT title FROM read_parquet(?)", [str(tmp_path / "pq" / "items.parquet")])
    assert sorted(t for (t,) in titles.fetchall()) == sorted(TITLES)
