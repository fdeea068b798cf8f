"""The storage commands of the CLI (`xxgk sql`, `xxgk export`, `xxgk diff`) through the real entry point."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from datetime import UTC, datetime

import pytest

import storage
from monitor.cli import main
from monitor.cli.sql import plain, render
from storage.records import ColumnObservation, FetchRecord, PageParse, Row

URL = "http://xxgk.test/info/1.htm"


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    path = str(tmp_path_factory.mktemp("cli") / "h.duckdb")
    for day, text in ((1, "旧的内容"), (8, "新的内容")):
        run_id = storage.start_run(path, ["xxgk"], observed_at=datetime(2026, 3, day, tzinfo=UTC))
        writer = storage.RunWriter(path, run_id)
        body = f"<p>{text}</p>".encode()
        digest = hashlib.sha256(body).hexdigest()
        writer.add_page(PageParse(url=URL, content_hash=digest, kind="article"), body)
        writer.add_fetch(FetchRecord("xxgk", URL, datetime.now(UTC), "ok", 200, content_hash=digest))
        writer.flush()
        rows = [Row("标题\x1b[31m红", URL)]  # a title carrying a terminal escape sequence
        storage.finish_run(
            path, run_id, [ColumnObservation("xxgk", "http://xxgk.test/", "通知公告", "ok", rows=rows)]
        )
    return path


def test_sql_text_escapes_control_characters(db, capsys):
    assert main(["sql", "--db", db, "SELECT title, date_shown FROM items"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    assert "标题\\x1b[31m红" in out
    assert out.rstrip().endswith("(1 row)")


def test_sql_csv_and_json(db, capsys):
    assert (
        main(["sql", "--db", db, "--format", "csv", "SELECT run_id, status FROM runs ORDER BY run_id"]) == 0
    )
    assert list(csv.reader(io.StringIO(capsys.readouterr().out))) == [
        ["run_id", "status"],
        ["1", "ok"],
        ["2", "ok"],
    ]
    assert (
        main(["sql", "--db", db, "--format", "json", "SELECT run_id, observed_at, sites FROM runs LIMIT 1"])
        == 0
    )
    (row,) = json.loads(capsys.readouterr().out)
    assert row["run_id"] == 1 and row["sites"] == ["xxgk"]
    assert datetime.fromisoformat(row["observed_at"]) == datetime(2026, 3, 1, tzinfo=UTC)


def test_sql_refusal_is_one_line_and_exit_1(db, capsys):
    assert main(["sql", "--db", db, "DELETE FROM runs"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("xxgk: refused") and "DELETE" in err and "Traceback" not in err


def test_sql_on_a_missing_file(tmp_path, capsys):
    missing = str(tmp_path / "none.duckdb")
    assert main(["sql", "--db", missing, "SELECT 1"]) == 1
    assert f"no database at {missing}" in capsys.readouterr().err


def test_export_lists_the_files(db, tmp_path, capsys):
    assert main(["export", "--db", db, "--format", "csv", str(tmp_path / "x")]) == 0
    written = capsys.readouterr().out.split()
    assert (
        str(tmp_path / "x" / "runs.csv") in written and str(tmp_path / "x" / "v_column_status.csv") in written
    )


def test_diff_prints_the_change(db, capsys):
    assert main(["diff", "--db", db, URL]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "-旧的内容" in lines and "+新的内容" in lines
    assert main(["diff", "--db", db, URL, "--from", "2", "--to", "2"]) == 0
    assert capsys.readouterr().out.strip() == "no difference between the two snapshots"


@pytest.mark.parametrize("command", ["sql", "export", "diff"])
def test_help_has_an_example(command, capsys):
    with pytest.raises(SystemExit):
        main([command, "--help"])
    assert f"example:\n  xxgk {command} " in capsys.readouterr().out


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, ""),
        ("a\tb", "a\\tb"),
        ("\x1b[2J", "\\x1b[2J"),
        ("第一行\r\n", "第一行\\r\\n"),
        (b"\x00\x01", "<2 bytes>"),
    ],
)
def test_plain(value, shown):
    assert plain(value) == shown


def test_render_text_aligns_wide_characters():
    text = render(["名称", "n"], [("通知公告", 1), ("ab", 22)], "text").splitlines()

    def column(line: str, value: str) -> int:  # display columns before `value`; CJK characters count two
        return sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in line[: line.index(value)])

    assert column(text[0], "n") == column(text[2], "1") == column(text[3], "22") == 10


def test_sql_text_shows_moments_in_the_college_zone_and_names_it(db, capsys):
    # run 1 was observed 2026-03-01 00:00 UTC: 08:00 in Beijing (the default [college] timezone)
    assert main(["sql", "--db", db, "SELECT run_id, observed_at FROM runs ORDER BY run_id"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].split() == ["1", "2026-03-01", "08:00:00"]
    assert lines[-1] == "(2 rows; times in Asia/Shanghai)"
    assert main(["sql", "--db", db, "SELECT count(*) AS n FROM runs"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "(1 row)"  # no moment shown, no zone said


def test_sql_typo_is_a_syntax_error_not_a_refusal(db, capsys):
    assert main(["sql", "--db", db, "SELECT run_id FORM runs"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("xxgk: SQL syntax error") and "refused" not in err and "Traceback" not in err
