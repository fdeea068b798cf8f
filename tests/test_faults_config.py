"""Issue 9, point 4: every kind of configuration mistake, through the real `xxgk` command line.

tests/test_monitor_config.py checks the loader's messages (load_config) and one mistake end to end. Here each
kind of mistake — unknown key, wrong type, bad URL, bad cron or interval, bad timezone, duplicate site name,
unknown kind, unknown catalog id, a password written into the file, a file that is not UTF-8 — goes through
the command line: its entry point `monitor.cli.main` in this process for the long table, the real
`python -m monitor --config F <command>` for the daemon and for every command. Each must give: exit code 2,
exactly one line on stderr naming the file, the key and what was expected, nothing on stdout, no traceback,
and not one file written (no database, no lock, no data folder, no outbox, no export).
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from xxgkrun import xxgk

from monitor.cli import main

GOOD_SITE = """
[[sites]]
name = "disclosure"
kind = "disclosure"
start_urls = ["http://127.0.0.2:8000/"]
"""
HEAD = '[storage]\npath = "data/xxgk.duckdb"\n'
SECRET = "hunter2-Sm7p-pass"

# (id, config text before [storage], words the one message must contain besides the file's path)
MISTAKES: list[tuple[str, str, list[str]]] = [
    # unknown keys, at every level
    (
        "unknown-key-schedule",
        '[schedule]\ncrawl_at = "0 2 * * *"\n' + GOOD_SITE,
        ["schedule.crawl_at", "'crawl'"],
    ),
    ("unknown-table", '[schedul]\ncrawl = "0 2 * * *"\n' + GOOD_SITE, ["schedul", "'schedule'"]),
    (
        "unknown-key-route",
        GOOD_SITE + '[[email.routes]]\nto = ["d@example.edu.cn"]\nsite = ["disclosure"]\n',
        ["email.routes[0].site", "'sites'"],
    ),
    # wrong types
    ("bool-as-string", '[crawl]\nobey_robots = "yes"\n' + GOOD_SITE, ["crawl.obey_robots", "bool", "'yes'"]),
    ("int-as-string", GOOD_SITE + 'max_pages = "many"\n', ["sites[0].max_pages", "int", "'many'"]),
    (
        "list-as-string",
        GOOD_SITE.replace('["http://127.0.0.2:8000/"]', '"http://127.0.0.2:8000/"'),
        ["start_urls"],
    ),
    ("table-as-value", "schedule = 5\n" + GOOD_SITE, ["schedule", "table"]),
    ("below-minimum", "[crawl]\nmax_bytes = 10\n" + GOOD_SITE, ["crawl.max_bytes", "1024"]),
    ("negative-timeout", "[crawl]\ntimeout = -1\n" + GOOD_SITE, ["crawl.timeout", "0.1"]),
    # bad URLs
    ("url-ftp", GOOD_SITE.replace("http://127.0.0.2:8000/", "ftp://example.edu.cn/"), ["start_urls", "http"]),
    ("url-no-host", GOOD_SITE.replace("http://127.0.0.2:8000/", "http:///xxgk/"), ["start_urls", "host"]),
    ("url-empty-list", GOOD_SITE.replace('["http://127.0.0.2:8000/"]', "[]"), ["start_urls", "at least one"]),
    # CSS selector overrides that would be silently ignored (issue 14 §6)
    (
        "selector-does-not-compile",
        GOOD_SITE + '[sites.selectors]\nrow = "ul.news >> li"\n',
        ["sites[0].selectors", "row", "'ul.news >> li'", "CSS"],
    ),
    (
        "selector-unknown-name",
        GOOD_SITE + '[sites.selectors]\nrows = "ul.news li"\n',
        ["sites[0].selectors", "'rows'", "row_date"],
    ),
    (
        "selector-not-text",
        GOOD_SITE + "[sites.selectors]\npager_next = 3\n",
        ["sites[0].selectors", "pager_next"],
    ),
    # control characters in any string (issue 14 §9): they reach mail headers, logs and one-line reports
    (
        "control-route-name",
        GOOD_SITE + '[[email.routes]]\nto = ["d@example.edu.cn"]\nname = "教务处\\r\\nBcc: x@example.com"\n'
        'sites = ["disclosure"]\n',
        ["email.routes[0].name", "control character", "U+000D"],
    ),
    ("control-college-name", '[college]\nname = "示例\\u0000学院"\n' + GOOD_SITE, ["college.name", "U+0000"]),
    ("control-subject-tab", '[email]\nsubject = "周报\\t"\n' + GOOD_SITE, ["email.subject", "U+0009"]),
    (
        "control-in-a-list",
        '[email]\nto = ["a@example.edu.cn", "b@example.edu.cn\\n"]\n' + GOOD_SITE,
        ["email.to", "U+000A"],
    ),
    (
        "control-in-a-selector",
        GOOD_SITE + '[sites.selectors]\nrow = "li\\u0085"\n',
        ["sites[0].selectors", "U+0085"],
    ),
    # bad schedules
    ("cron-minute-61", '[schedule]\ncrawl = "61 * * * *"\n' + GOOD_SITE, ["schedule.crawl", "61"]),
    ("cron-four-fields", '[schedule]\nemail = "0 8 * *"\n' + GOOD_SITE, ["schedule.email", "5"]),
    ("interval-zero", '[schedule]\ncrawl = "every 0s"\n' + GOOD_SITE, ["schedule.crawl", "every 0s"]),
    ("interval-unit", '[schedule]\ncrawl = "every 5 fortnights"\n' + GOOD_SITE, ["schedule.crawl"]),
    (
        "timezone",
        '[schedule]\ntimezone = "Asia/Beijing"\n' + GOOD_SITE,
        ["schedule.timezone", "Asia/Shanghai"],
    ),
    # duplicates and unknown kinds
    ("duplicate-site", GOOD_SITE + GOOD_SITE.replace("127.0.0.2", "127.0.0.3"), ["sites[1].name", "unique"]),
    (
        "unknown-site-kind",
        GOOD_SITE.replace('kind = "disclosure"', 'kind = "portal-site"'),
        ["sites[0].kind"],
    ),
    ("unknown-report-format", '[report]\nformat = "pdf"\n' + GOOD_SITE, ["report.format", "'pdf'"]),
    ("unknown-security", '[email]\nsecurity = "tls1.3"\n' + GOOD_SITE, ["email.security", "'starttls'"]),
    (
        "unknown-catalog-item",
        GOOD_SITE + '[[rules.overrides]]\nitem = "basic.no_such_item"\nmax_age_days = 30\n',
        ["rules.overrides[0].item", "basic.no_such_item"],
    ),
    (
        "unknown-category",
        GOOD_SITE + '[[rules.overrides]]\ncategory = "不存在的类别"\nmax_age_days = 30\n',
        ["rules.overrides[0].category", "基本信息"],
    ),
    (
        "two-cadences",
        GOOD_SITE
        + '[[rules.overrides]]\ncolumn = "通知公告"\nmax_age_days = 30\n'
        + 'annual = { due = "10-31", period_end = "08-31" }\n',
        ["rules.overrides[0]", "max_age_days", "annual"],
    ),
    # e-mail settings
    (
        "bad-address",
        '[email]\nto = ["office-at-example.edu.cn"]\n' + GOOD_SITE,
        ["email.to", "office-at-example"],
    ),
    # the file itself
    ("toml-duplicate-key", "[crawl]\ntimeout = 1.0\ntimeout = 2.0\n" + GOOD_SITE, ["not valid TOML"]),
]


def _tree(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "config.toml"
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text + "\n" + HEAD, encoding="utf-8")
    return path


def _run_mistake(
    tmp_path: Path, text: str | bytes, *args: str
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """Run the real `python -m monitor --config F ...` on a faulty file; check it wrote nothing."""
    path = _write(tmp_path, text)
    before = _tree(tmp_path)
    try:
        proc = xxgk(path, *args, timeout=25)
    except subprocess.TimeoutExpired:
        pytest.fail(f"`xxgk {' '.join(args)}` started working with a configuration it should have refused")
    assert _tree(tmp_path) == before, "a configuration mistake must stop the command before it writes"
    return proc, path


def _main_mistake(
    tmp_path: Path, text: str | bytes, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> tuple[subprocess.CompletedProcess[str], Path]:
    """The same through `monitor.cli.main` in this process: the entry point minus interpreter start-up."""
    path = _write(tmp_path, text)
    monkeypatch.chdir(tmp_path)
    before = _tree(tmp_path)
    capsys.readouterr()
    try:
        code = main(["--config", str(path), "crawl"])
    except SystemExit as exc:  # argparse's own errors
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    assert _tree(tmp_path) == before, "a configuration mistake must stop the command before it writes"
    return subprocess.CompletedProcess(["xxgk", "crawl"], code, out, err), path


def _assert_one_clear_line(proc: subprocess.CompletedProcess[str], path: Path, words: list[str]) -> str:
    assert proc.returncode == 2, f"exit {proc.returncode}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.stdout == ""
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, f"expected one message line, got:\n{proc.stderr}"
    (line,) = lines
    assert str(path) in line, f"the message does not name the file: {line}"
    for word in words:
        assert word in line, f"the message does not say {word!r}: {line}"
    return line


Capture = pytest.CaptureFixture[str]


@pytest.mark.parametrize(("text", "words"), [(t, w) for _, t, w in MISTAKES], ids=[i for i, _, _ in MISTAKES])
def test_crawl_refuses_each_kind_of_mistake(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch, text: str, words: list[str]
) -> None:
    proc, path = _main_mistake(tmp_path, text, capsys, monkeypatch)
    _assert_one_clear_line(proc, path, words)


def test_password_written_in_the_file_is_refused_and_not_echoed(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = f'[email]\nsmtp_host = "smtp.example.edu.cn"\npassword = "{SECRET}"\n' + GOOD_SITE
    proc, path = _main_mistake(tmp_path, text, capsys, monkeypatch)
    line = _assert_one_clear_line(proc, path, ["email.password", "password_env"])
    assert SECRET not in line
    # pasting the password where the variable's NAME goes is refused too, without repeating it
    text = f'[email]\npassword_env = "{SECRET}"\n' + GOOD_SITE
    proc, path = _main_mistake(tmp_path, text, capsys, monkeypatch)
    line = _assert_one_clear_line(proc, path, ["email.password_env"])
    assert SECRET not in line


def test_config_saved_in_gbk_is_named_not_utf8(
    tmp_path: Path, capsys: Capture, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Editors on Chinese Windows save GBK by default: the message says so instead of failing obscurely."""
    text = ('[college]\nname = "示例职业学院"\n' + GOOD_SITE + HEAD).encode("gbk")
    proc, path = _main_mistake(tmp_path, text, capsys, monkeypatch)
    _assert_one_clear_line(proc, path, ["UTF-8"])


CATALOG_MISTAKES = [
    m for m in MISTAKES if m[0] in ("unknown-catalog-item", "unknown-category", "two-cadences")
]


@pytest.mark.parametrize(
    ("text", "words"), [(t, w) for _, t, w in CATALOG_MISTAKES], ids=[i for i, _, _ in CATALOG_MISTAKES]
)
def test_daemon_refuses_a_catalog_mistake_at_start(tmp_path: Path, text: str, words: list[str]) -> None:
    """A rule naming an unknown 清单 item must stop `xxgk schedule` now, not the Monday report later."""
    proc, path = _run_mistake(tmp_path, '[schedule]\ncrawl = "0 2 * * *"\n' + text, "schedule")
    _assert_one_clear_line(proc, path, words)


# Every command that reads the configuration refuses it the same way, and the ones that write do not.
COMMANDS = [
    ("crawl",),
    ("schedule",),
    ("report", "--format", "json"),
    ("email", "--dry-run", "--outbox", "outbox"),
    ("stats",),
    ("status",),
    ("sql", "SELECT 1"),
    ("export", "--format", "csv", "exported"),
]


def test_email_refuses_a_route_name_that_would_break_a_header(tmp_path: Path) -> None:
    """A route name with CR LF used to pass the load and kill `xxgk email` with a traceback."""
    text = (
        GOOD_SITE
        + '[[email.routes]]\nto = ["d@example.edu.cn"]\nname = "教务处\\r\\n"\nsites = ["disclosure"]\n'
    )
    proc, path = _run_mistake(tmp_path, text, "email", "--dry-run", "--outbox", "outbox")
    _assert_one_clear_line(proc, path, ["email.routes[0].name", "control character"])


@pytest.mark.parametrize("args", COMMANDS, ids=[c[0] for c in COMMANDS])
def test_every_command_refuses_a_bad_cron_and_writes_nothing(tmp_path: Path, args: tuple[str, ...]) -> None:
    proc, path = _run_mistake(tmp_path, '[schedule]\ncrawl = "61 * * * *"\n' + GOOD_SITE, *args)
    _assert_one_clear_line(proc, path, ["schedule.crawl"])
