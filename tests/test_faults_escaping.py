"""Issue 9, point 6: `xxgk sql` refuses writes; hostile page text is inert wherever it is shown; the SMTP
password never leaves the environment.

A loopback college publishes a column whose heading and item titles carry HTML, JavaScript, a `</table>` and
terminal control sequences. The real commands run over it: crawl, report (text, json, csv), email (a dry run
to .eml files and a real send to an aiosmtpd server that requires a STARTTLS login), stats html, inspect and
sql. The password is only in the environment; afterwards no output, no file and no database text holds it.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import lxml.html
import pytest
from faultsite import Column, FaultSite, Row, days_ago
from mailsink import Server, self_signed, smtp_server
from xxgkrun import SiteConf, query, toml_value, write_config, xxgk

import storage

pytestmark = pytest.mark.slow

SITE = "hostile"
PASSWORD_ENV = "XXGK_FAULTS_SMTP_PASSWORD"
SECRET = "Pw-7f3c9e1b-Hostile!"
ESC = "\x1b"

# No ">" or "/" in the name (breadcrumbs are split on them) and short (longer trail items are dropped): this
# test is about showing text, not about extracting it.
HOSTILE_NAME = "招生章程<svg onload=alert(9) x=简章"
NEWEST_TITLE = "</table></td></tr><script>alert(1)</script><b>破坏表格</b>招生简章"
ATTR_TITLE = '"><img src=x onerror=alert(2)>录取通知'
TERMINAL_TITLE = f"{ESC}[2J{ESC}]0;pwned\a招生咨询"
HOSTILE_TITLES = (NEWEST_TITLE, ATTR_TITLE, TERMINAL_TITLE)


def _site() -> FaultSite:
    # The hostile column is stale (newest item 400 days old, over the 365-day limit of its 清单 item), so the
    # email lists it with its newest item's title; the other column is fresh: tables have more than one row.
    hostile = Column(
        "zszc",
        HOSTILE_NAME,
        [Row(t, f"/info/zszc/{i + 1}.htm", days_ago(400 + 10 * i)) for i, t in enumerate(HOSTILE_TITLES)],
    )
    calm = Column.of_articles("tzgg", "通知公告", [days_ago(d) for d in (2, 6)])
    return FaultSite(("127.0.0.7",), [hostile, calm], name="转义测试学院")


@dataclass
class Outputs:
    site: FaultSite
    config: Path
    db: Path
    smtp: Server
    procs: dict[str, subprocess.CompletedProcess[str]] = field(default_factory=dict)


def _email_config(server: Server, cert: Path) -> str:
    return (
        "\n[email]\n"
        f'smtp_host = "{server.host}"\nsmtp_port = {server.port}\nsecurity = "starttls"\n'
        f"ca_file = {toml_value(str(cert))}\n"
        f'username = "xxgk"\npassword_env = "{PASSWORD_ENV}"\n'
        'sender = "xxgk@example.edu.cn"\nto = ["office@example.edu.cn"]\nretries = 0\ntimeout = 5.0\n'
    )


@pytest.fixture(scope="module")
def outputs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Outputs]:
    folder = tmp_path_factory.mktemp("hostile")
    cert = self_signed(folder)
    with _site() as site, smtp_server(security="starttls", cert=cert, login=("xxgk", SECRET)) as smtp:
        config = write_config(folder, [SiteConf(SITE, [site.url("/")])], extra=_email_config(smtp, cert[0]))
        out = Outputs(site, config, folder / "data" / "xxgk.duckdb", smtp)
        env = {PASSWORD_ENV: SECRET}
        start, end = days_ago(800).isoformat(), date.today().isoformat()
        commands = {
            "crawl": ("crawl",),
            "report-text": ("report", "--format", "text"),
            "report-json": ("report", "--format", "json"),
            "report-csv": ("report", "--format", "csv"),
            "email-dry": ("email", "--dry-run", "--outbox", str(folder / "outbox")),
            "email-send": ("email",),
            "stats-html": ("stats", "--format", "html", "--from", start, "--to", end),
            "report-html": ("report", "--format", "html", "--output", str(folder / "report")),
            "sql": ("sql", "SELECT title FROM page_rows ORDER BY title"),
            "inspect": ("inspect", site.url("/zszc.htm")),
            "status": ("status",),
        }
        for name, args in commands.items():
            out.procs[name] = xxgk(config, *args, env=env)
        yield out


def _ok(out: Outputs, name: str) -> str:
    proc = out.procs[name]
    assert proc.returncode == 0, f"xxgk {name} exited {proc.returncode}:\n{proc.stderr[-3000:]}"
    return proc.stdout


# ------------------------------------------------------------------------------------------------ xxgk sql

WRITES = [
    "INSERT INTO runs (run_id, started_at, observed_at, status, sites) VALUES (9, now(), now(), 'ok', [])",
    "UPDATE runs SET status = 'ok'",
    "DELETE FROM items",
    "DROP TABLE runs",
    "CREATE TABLE evil AS SELECT 1",
    "ALTER TABLE runs ADD COLUMN evil INTEGER",
    "TRUNCATE fetches",
    "CREATE VIEW v_evil AS SELECT 1",
    "CREATE MACRO evil() AS 1",
    "WITH x AS (SELECT 1) INSERT INTO runs SELECT * FROM runs",
    "SELECT 1; DROP TABLE runs",
    "/* a comment */ delete from items",
    "-- comment\nDELETE FROM items",
    "COPY runs TO '{out}/copied.csv'",
    "COPY (SELECT * FROM runs) TO '{out}/copied.parquet' (FORMAT parquet)",
    "EXPORT DATABASE '{out}/exported'",
    "ATTACH '{out}/other.duckdb' AS other",
    "INSTALL httpfs",
    "LOAD httpfs",
    "SET threads = 1",
    "CHECKPOINT",
    "PRAGMA enable_checkpoint_on_shutdown",
    "CALL pragma_enable_profiling()",
    "VACUUM",
    "BEGIN TRANSACTION",
]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("statement", WRITES)
def test_sql_refuses_statements_that_write(outputs: Outputs, tmp_path: Path, statement: str) -> None:
    """storage.run_sql, the function behind `xxgk sql`: refused before it runs, nothing changed or written."""
    _ok(outputs, "crawl")
    before = _digest(outputs.db)
    text = statement.format(out=tmp_path)
    with pytest.raises(storage.StorageError, match="read-only"):
        storage.run_sql(str(outputs.db), text)
    assert _digest(outputs.db) == before, "the database file changed"
    assert list(tmp_path.iterdir()) == [], "a refused statement wrote a file"


@pytest.mark.parametrize(
    "statement", ["DELETE FROM items", "SELECT 1; DROP TABLE runs", "COPY runs TO '{out}/r.csv'"]
)
def test_sql_command_refuses_with_one_line(outputs: Outputs, tmp_path: Path, statement: str) -> None:
    _ok(outputs, "crawl")
    before = _digest(outputs.db)
    proc = xxgk(outputs.config, "sql", statement.format(out=tmp_path))
    assert proc.returncode != 0, f"`xxgk sql {statement!r}` was accepted:\n{proc.stdout}"
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "read-only" in lines[0], proc.stderr
    assert proc.stdout == ""
    assert _digest(outputs.db) == before
    assert list(tmp_path.iterdir()) == []


def test_sql_reads(outputs: Outputs) -> None:
    _ok(outputs, "crawl")
    proc = xxgk(
        outputs.config, "sql", "SELECT count(*) AS n FROM runs WHERE status = 'ok'", "--format", "json"
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout) == [{"n": 1}]


# ------------------------------------------------------------------------------------------------ shown text


def test_crawler_keeps_hostile_text_as_text(outputs: Outputs) -> None:
    """The stored titles are the page's text: not executed, not half-stripped, not entity-encoded twice."""
    _ok(outputs, "crawl")
    titles = {t for (t,) in query(outputs.db, "SELECT title FROM items")}
    for title in (NEWEST_TITLE, ATTR_TITLE):
        assert title in titles, f"{title!r} not stored as text; titles: {sorted(titles)}"
    names = {n for (n,) in query(outputs.db, "SELECT name FROM columns")}
    assert HOSTILE_NAME in names, names


def test_report_json_carries_hostile_text_as_data(outputs: Outputs) -> None:
    report = json.loads(_ok(outputs, "report-json"))
    ours = [
        s
        for s in report["sections"]
        if s.get("site") == SITE and s.get("url") == outputs.site.url("/zszc.htm")
    ]
    assert len(ours) == 1
    assert ours[0]["name"] == HOSTILE_NAME
    assert ours[0]["status"] == "stale"


def test_report_csv_is_well_formed(outputs: Outputs) -> None:
    rows = list(csv.reader(io.StringIO(_ok(outputs, "report-csv"))))
    width = len(rows[0])
    assert all(len(r) == width for r in rows), "a hostile value broke the CSV structure"
    assert any(HOSTILE_NAME in cell for r in rows for cell in r)


@pytest.mark.parametrize("name", ["report-text", "report-csv", "sql", "inspect", "status", "report-json"])
def test_terminal_output_has_no_control_sequences(outputs: Outputs, name: str) -> None:
    """A title holding ESC sequences must not clear the analyst's screen or retitle the terminal."""
    text = _ok(outputs, name)
    assert ESC not in text and "\a" not in text, f"xxgk {name} prints raw control characters"
    if name in ("sql", "inspect"):
        assert "招生咨询" in text  # the title is shown, its control characters neutralised


def _inert_html(html: str, what: str, shown: tuple[str, ...]) -> None:
    """Parse HTML as a mail client or browser would; the hostile text must have stayed text.

    `shown`: hostile strings that must appear as text; a shown `</table>` must sit in a table that goes on.
    """
    doc = lxml.html.document_fromstring(html)
    assert doc.xpath("//script") == [], f"{what}: a <script> element came from crawled text"
    assert doc.xpath("//*[@onerror or @onload]") == [], f"{what}: an event handler came from crawled text"
    assert doc.xpath("//b[contains(., '破坏表格')]") == [], f"{what}: crawled markup became a <b> element"
    text = doc.text_content()
    for hostile in shown:
        assert hostile in text, f"{what}: {hostile!r} is not shown as text"
    if any("</table>" in h for h in shown):
        holders = doc.xpath("//*[contains(text(), '</table>')]")
        assert holders, f"{what}: the literal '</table>' is not shown as text"
        for el in holders:
            tables = el.xpath("ancestor::table")
            assert tables, f"{what}: the hostile text escaped its table"
            assert len(tables[-1].xpath(".//tr")) > 1, f"{what}: the table holding hostile text was cut short"


def _eml(path: Path) -> EmailMessage:
    msg = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(msg, EmailMessage)
    return msg


def test_email_html_is_inert(outputs: Outputs) -> None:
    _ok(outputs, "email-dry")
    emls = sorted((outputs.config.parent / "outbox").rglob("*.eml"))
    assert emls, "the dry run wrote no .eml file"
    for path in emls:
        msg = _eml(path)
        html_part = msg.get_body(("html",))
        assert html_part is not None
        _inert_html(html_part.get_content(), path.name, (HOSTILE_NAME, NEWEST_TITLE))
        plain = msg.get_body(("plain",))
        assert plain is not None and ESC not in plain.get_content()


def test_sent_email_is_inert_too(outputs: Outputs) -> None:
    _ok(outputs, "email-send")
    assert outputs.smtp.sink.logins == [("xxgk", SECRET)], "the password from the environment was not used"
    assert outputs.smtp.sink.messages
    for received in outputs.smtp.sink.messages:
        html_part = received.message.get_body(("html",))
        assert html_part is not None
        _inert_html(html_part.get_content(), "sent message", (HOSTILE_NAME, NEWEST_TITLE))


def test_stats_html_is_inert(outputs: Outputs) -> None:
    _inert_html(_ok(outputs, "stats-html"), "stats html", (HOSTILE_NAME,))


def test_report_html_is_inert(outputs: Outputs) -> None:
    """Every page of the HTML report: its one script is the report's own sorting script (by id, inline),
    the rest is inert; the overview and the site page name the hostile column, its page shows the titles."""
    _ok(outputs, "report-html")
    pages = sorted((outputs.config.parent / "report").glob("*.html"))
    assert len(pages) >= 4, pages  # index, the site, two columns
    hostile_page = None
    for path in pages:
        doc = lxml.html.document_fromstring(path.read_text(encoding="utf-8"))
        scripts = doc.xpath("//script")
        assert [s.get("id") for s in scripts] == ["xxgk-sort"] and scripts[0].get("src") is None, path.name
        assert "alert" not in (scripts[0].text or "")
        scripts[0].drop_tree()
        html = lxml.html.tostring(doc, encoding="unicode")
        names_column = path.name in ("index.html",) or path.name.startswith("site-")
        _inert_html(html, f"report {path.name}", (HOSTILE_NAME,) if names_column else ())
        if NEWEST_TITLE in doc.text_content():
            hostile_page = path
            _inert_html(html, f"report {path.name}", (HOSTILE_NAME, NEWEST_TITLE, ATTR_TITLE))
    assert hostile_page is not None, "no page shows the hostile column's newest title"


# ------------------------------------------------------------------------------------------------ credentials


def _secret_forms() -> list[bytes]:
    """The password as it could leak: plain, and as SMTP AUTH PLAIN / LOGIN would encode it."""
    raw = SECRET.encode()
    return [
        raw,
        base64.b64encode(raw),
        base64.b64encode(b"\0xxgk\0" + raw),
        base64.b64encode(b"xxgk\0xxgk\0" + raw),
        SECRET.encode("utf-16-le"),
    ]


def test_password_never_printed_stored_or_written(outputs: Outputs) -> None:
    _ok(outputs, "email-send")
    forms = _secret_forms()
    for name, proc in outputs.procs.items():
        for form in forms:
            assert form.decode("latin-1") not in proc.stdout + proc.stderr, (
                f"xxgk {name} printed the password"
            )
    for path in outputs.config.parent.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for form in forms:
                assert form not in data, f"{path} holds the password"
    with storage.open_readonly(str(outputs.db)) as conn:
        columns = conn.execute(
            "SELECT table_name, column_name FROM duckdb_columns() WHERE NOT internal "
            "AND (data_type LIKE 'VARCHAR%' OR data_type = 'BLOB' OR data_type LIKE '%[]')"
        ).fetchall()
        assert columns
        for table, column in columns:
            found = conn.execute(
                f'SELECT count(*) FROM "{table}" WHERE contains(CAST("{column}" AS VARCHAR), ?)', [SECRET]
            ).fetchone()
            assert found == (0,), f"{table}.{column} holds the password"


def test_wrong_password_fails_without_echoing_it(outputs: Outputs) -> None:
    _ok(outputs, "crawl")
    wrong = "Wrong-" + SECRET
    proc = xxgk(outputs.config, "email", "--force", env={PASSWORD_ENV: wrong})
    assert proc.returncode != 0, "a refused login must fail the command"
    assert "Traceback" not in proc.stderr, proc.stderr
    assert wrong not in proc.stdout + proc.stderr
    assert base64.b64encode(b"\0xxgk\0" + wrong.encode()).decode() not in proc.stderr
    assert ("xxgk", wrong) in outputs.smtp.sink.logins


# ------------------------------------------------------------------------------------------------ templates

# Every template in monitor/templates and the test above that renders it from the hostile crawl.
TEMPLATE_TESTS = {
    "email.html": "test_email_html_is_inert",
    "stats.html": "test_stats_html_is_inert",
    "report/_base.html": "test_report_html_is_inert",
    "report/_macros.html": "test_report_html_is_inert",
    "report/index.html": "test_report_html_is_inert",
    "report/site.html": "test_report_html_is_inert",
    "report/column.html": "test_report_html_is_inert",
}


def test_every_template_is_autoescaped_and_checked_here() -> None:
    """Escaping is a property of the one environment: on for every template, and each one has a test above."""
    from monitor.templating import environment

    env = environment()
    assert env.autoescape is True
    assert env.from_string("{{ t }}").render(t=NEWEST_TITLE).count("<") == 0
    assert set(env.list_templates()) == set(TEMPLATE_TESTS), "a template without a hostile-text test"
    for test in TEMPLATE_TESTS.values():
        assert callable(globals()[test])
