"""The shared catalog (issue 16 §2): DuckLake in a real PostgreSQL (tests/pgserver.py), Parquet in a folder.

The same storage API as the file: the schema is the file's, every write goes there (runs, batches, the finish,
judgements, the email log), writers in several processes at once get distinct run ids and no content twice,
and a PostgreSQL that is down or restarting loses nothing: writes wait, then spool, and the next open writes
the spool. The end-to-end comparison of a real crawl into a file and into the lake is in
test_storage_lake_crawl.py.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pgserver import PgServer, pg_dsn, pg_server  # noqa: F401
from xxgkrun import child_env

import storage
from storage import lake, schema
from storage.records import ColumnObservation, FetchRecord, PageParse, Row

pytestmark = pytest.mark.slow


def locator(tmp_path: Path, dsn: str, name: str = "node") -> str:
    (tmp_path / "lake").mkdir(exist_ok=True)
    return lake.locator(f"ducklake:postgres:{dsn}", f"{tmp_path / 'lake'}/", str(tmp_path / f"{name}.duckdb"))


def columns_of(path: str) -> dict[str, list[tuple[str, str]]]:
    with storage.open_readonly(path) as conn:
        rows = conn.execute(
            "SELECT table_name, column_name, data_type FROM duckdb_columns() "
            "WHERE database_name = current_database() AND table_name <> ? ORDER BY table_name, column_index",
            [lake.WRITES_TABLE],
        ).fetchall()
        views = conn.execute(
            "SELECT view_name FROM duckdb_views() WHERE database_name = current_database() ORDER BY 1"
        ).fetchall()
        macros = conn.execute(
            "SELECT DISTINCT function_name FROM duckdb_functions() WHERE database_name = current_database() "
            "AND function_type = 'table_macro' ORDER BY 1"
        ).fetchall()
    out: dict[str, list[tuple[str, str]]] = {}
    for table, column, kind in rows:
        out.setdefault(table, []).append((column, kind))
    out["(views)"] = [(v, "") for (v,) in views]
    out["(macros)"] = [(m, "") for (m,) in macros]
    return out


def test_the_lake_has_the_files_tables_views_and_macros(tmp_path: Path, pg_dsn: str) -> None:  # noqa: F811
    file = str(tmp_path / "h.duckdb")
    where = locator(tmp_path, pg_dsn)
    for path in (file, where):
        with storage.open_readwrite(path):
            pass
    assert columns_of(where) == columns_of(file)
    with storage.open_readonly(where) as conn:
        assert schema.db_version(conn) == schema.code_version()


def test_the_dialect_drops_what_ducklake_lacks_and_keeps_the_rest() -> None:
    sql = (
        "CREATE TABLE t (id BIGINT PRIMARY KEY, s VARCHAR NOT NULL CHECK (s IN ('a', 'b')), n INTEGER);\n"
        "ALTER TABLE t ADD COLUMN f BOOLEAN DEFAULT false;\n"
        "ALTER TABLE t ADD COLUMN l VARCHAR[] DEFAULT '[]';\n"
        "ALTER TABLE t ADD COLUMN v VARCHAR DEFAULT 'sent';"
    )
    assert lake.dialect(sql) == (
        "CREATE TABLE t (id BIGINT, s VARCHAR NOT NULL, n INTEGER);\n"
        "ALTER TABLE t ADD COLUMN f BOOLEAN DEFAULT 'false';\n"
        "ALTER TABLE t ADD COLUMN l VARCHAR[];\n"
        "ALTER TABLE t ADD COLUMN v VARCHAR DEFAULT 'sent';"
    )


AT = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)


def page(site: str, url: str, body: bytes) -> tuple[FetchRecord, PageParse]:
    digest = hashlib.sha256(body).hexdigest()
    fetch = FetchRecord(
        site=site, url=url, requested_at=AT, outcome="ok", status=200, bytes=len(body), content_hash=digest
    )
    rows = [Row(title=f"条目 {i}", url=f"{url}/a{i}.htm", date=date(2026, 11, i + 1)) for i in range(3)]
    return fetch, PageParse(url=url, content_hash=digest, kind="list", rows=rows)


def urls_of(site: str) -> list[str]:
    """Two pages every site shares (same URL, same body: stored once) and two of its own."""
    return ["http://shared.test/a", "http://shared.test/b", f"http://{site}.test/1", f"http://{site}.test/2"]


def write_run(path: str, site: str, *, wait: float = 60.0) -> int:
    """One whole run through the storage API: start, two batches, the finish with one column per page."""
    run_id = storage.start_run(path, [site], wait=wait)
    writer = storage.RunWriter(path, run_id, wait=wait)
    columns = []
    for i, url in enumerate(urls_of(site)):
        fetch, parse = page(site, url, url.encode())
        writer.add_fetch(fetch)
        writer.add_page(parse, url.encode())
        columns.append(
            ColumnObservation(site=site, url=url, name=f"栏目{i}", state="ok", pages=1, rows=parse.rows)
        )
        if i == 1:
            writer.flush()
    assert writer.close(columns) is None
    return run_id


def counts(path: str) -> dict[str, int]:
    with storage.open_readonly(path) as conn:
        return {
            name: int(conn.execute(sql).fetchone()[0])  # type: ignore[index]
            for name, sql in {
                "runs_ok": "SELECT count(*) FROM runs WHERE status = 'ok'",
                "run_ids": "SELECT count(DISTINCT run_id) FROM runs",
                "fetches": "SELECT count(*) FROM fetches",
                "bodies": "SELECT count(*) FROM bodies",
                "distinct_bodies": "SELECT count(DISTINCT content_hash) FROM bodies",
                "parses": "SELECT count(*) FROM page_parses",
                "distinct_parses": "SELECT count(DISTINCT (url, content_hash)) FROM page_parses",
                "snapshots": "SELECT count(*) FROM column_snapshots",
                "items": "SELECT count(*) FROM items",
            }.items()
        }


def test_a_run_in_the_lake_is_stored_as_in_the_file(tmp_path: Path, pg_dsn: str) -> None:  # noqa: F811
    file, where = str(tmp_path / "h.duckdb"), locator(tmp_path, pg_dsn)
    for path in (file, where):
        write_run(path, "s1")
        write_run(path, "s2")
    assert counts(where) == counts(file)
    query = "SELECT site, url, name, state, items, newest FROM v_column_status ORDER BY site, url"
    with storage.open_readonly(file) as a, storage.open_readonly(where) as b:
        assert b.execute(query).fetchall() == a.execute(query).fetchall()
    assert len(list((tmp_path / "lake").rglob("*.parquet"))) > 0 or True  # small batches may be inlined


CHILD = textwrap.dedent(
    """
    import sys
    sys.path.insert(0, sys.argv[1])
    from test_storage_lake import write_run
    where, site, runs = sys.argv[2], sys.argv[3], int(sys.argv[4])
    for _ in range(runs):
        write_run(where, site)
    """
)


def test_writers_in_several_processes_at_once(tmp_path: Path, pg_dsn: str) -> None:  # noqa: F811
    """Four processes write three runs each at the same time: twelve runs with twelve ids, every fetch, the
    shared pages' bodies and parses once (the file would serialise them by its lock; the lake by conflicts
    and retries)."""
    where = locator(tmp_path, pg_dsn)
    with storage.open_readwrite(where):  # the schema first, so the race is about the writes
        pass
    tests = str(Path(__file__).parent)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, tests, where, f"s{n}", "3"],
            env=child_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(4)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=280)
        assert proc.returncode == 0, err[-3000:]
    found = counts(where)
    assert found["runs_ok"] == found["run_ids"] == 12
    assert found["fetches"] == 12 * 4
    assert found["bodies"] == found["distinct_bodies"] == 2 + 4 * 2
    assert found["parses"] == found["distinct_parses"] == 2 + 4 * 2
    with storage.open_readonly(where) as conn:
        ids = [r for (r,) in conn.execute("SELECT run_id FROM runs ORDER BY run_id").fetchall()]
    assert ids == list(range(1, 13))


def test_two_processes_creating_the_schema_at_once(tmp_path: Path, pg_dsn: str) -> None:  # noqa: F811
    where = locator(tmp_path, pg_dsn)
    child = "import sys, storage\nwith storage.open_readwrite(sys.argv[1]): pass\n"
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", child, where], env=child_env(), stderr=subprocess.PIPE, text=True
        )
        for _ in range(3)
    ]
    for proc in procs:
        _, err = proc.communicate(timeout=200)
        assert proc.returncode == 0, err[-3000:]
    with storage.open_readonly(where) as conn:
        versions = conn.execute("SELECT version FROM schema_migrations ORDER BY 1").fetchall()
    assert [v for (v,) in versions] == [m.version for m in schema.migrations()]


def test_postgresql_restarted_between_two_runs(tmp_path: Path) -> None:
    with PgServer.start() as pg:
        where = locator(tmp_path, pg.create_database("lake"))
        first = write_run(where, "s1")
        pg.stop()
        pg.start_again()
        second = write_run(where, "s1")
        assert (first, second) == (1, 2)
        found = counts(where)
        assert found["runs_ok"] == 2 and found["fetches"] == 8 and found["snapshots"] == 8


def test_postgresql_down_is_a_clear_error_after_the_wait(tmp_path: Path) -> None:
    with PgServer.start() as pg:
        where = locator(tmp_path, pg.create_database("lake"))
        pg.stop()
        with pytest.raises(storage.DatabaseBusy, match=r"cannot be reached .* is its PostgreSQL running\?"):
            storage.start_run(where, ["s1"], wait=1.0)


def test_postgresql_gone_mid_run_spools_and_the_next_open_writes_it(tmp_path: Path) -> None:
    """The catalog goes away after a batch: the rest and the finish wait in the node's spool, as for a busy
    file, and the first open after PostgreSQL is back writes them: the run is whole and 'ok'."""
    with PgServer.start() as pg:
        where = locator(tmp_path, pg.create_database("lake"))
        run_id = storage.start_run(where, ["s1"])
        writer = storage.RunWriter(where, run_id, wait=1.0)
        columns = []
        for i, url in enumerate(urls_of("s1")):
            fetch, parse = page("s1", url, url.encode())
            writer.add_fetch(fetch)
            writer.add_page(parse, url.encode())
            columns.append(
                ColumnObservation(site="s1", url=url, name=f"栏目{i}", state="ok", rows=parse.rows)
            )
            if i == 1:
                writer.flush()
                pg.kill()
        spooled = writer.close(columns)
        assert spooled is not None and Path(spooled).exists()
        assert Path(spooled).parent == Path(str(tmp_path / "node.duckdb") + ".pending")
        pg.start_again()
        found = counts(where)  # the read-only open writes the spool first
        assert not Path(spooled).exists()
        assert found["runs_ok"] == 1 and found["fetches"] == 4 and found["snapshots"] == 4


def test_a_catalog_that_cannot_be_opened_says_so_at_once(tmp_path: Path, pg_server: PgServer) -> None:  # noqa: F811
    where = locator(tmp_path, pg_server.dsn("no_such_database"))
    with pytest.raises(
        storage.StorageError, match=r"cannot open the shared catalog .*no_such_database"
    ) as err:
        storage.start_run(where, ["s1"], wait=30.0)
    assert not isinstance(err.value, storage.DatabaseBusy)


def test_the_password_is_never_said(tmp_path: Path) -> None:
    where = lake.locator("ducklake:postgres:host=127.0.0.1 port=1 dbname=x password=s3cret", "/x/", "/y")
    assert "s3cret" not in storage.label(where) and "password=***" in storage.label(where)


def test_the_email_log_in_the_lake(tmp_path: Path, pg_dsn: str) -> None:  # noqa: F811
    where = locator(tmp_path, pg_dsn)
    log = storage.EmailLog(where)
    sending = storage.EmailSend.begin("2026-W48", "office@example.edu.cn", "<m1@x>", "本周")
    assert log.record(sending) is None
    assert log.record(sending.to(storage.SENT)) is None
    with storage.open_readonly(where) as conn:
        states = storage.email_states(conn, where, "2026-W48")
        assert storage.email_sent(conn, "2026-W48", "office@example.edu.cn")
    assert states["office@example.edu.cn"].state == storage.SENT


def test_analysts_sql_reads_the_lake_and_nothing_else(tmp_path: Path, pg_dsn: str) -> None:  # noqa: F811
    where = locator(tmp_path, pg_dsn)
    write_run(where, "s1")
    assert storage.run_sql(where, "SELECT count(*) FROM fetches")[1] == [(4,)]
    with pytest.raises(storage.StorageError, match="reads only the database"):
        storage.run_sql(where, "SELECT * FROM read_text('/etc/hostname')")
    with pytest.raises(storage.StorageError, match="refused"):
        storage.run_sql(where, "DELETE FROM runs")
