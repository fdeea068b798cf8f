"""`xxgk sql`: analysts' queries, read-only by construction and by inspection, and confined to the database.

Three guards. The connection is opened read-only, so DuckDB itself refuses to change the database. It is
opened with DuckDB's external access off (`enable_external_access = false`, which no statement can turn back
on), so a query reads the database file and nothing else: not `read_text('/etc/shadow')`, `read_csv`,
`read_blob('/proc/self/environ')` (where the SMTP password would be), `glob`, `ATTACH`, extensions or
secrets. What stays allowed: every table, view and macro of the database, DuckDB's catalog functions
(`duckdb_tables()`, `duckdb_columns()` ...) and the built-in functions that read no file (`range`, `unnest`
...). And every
statement is classified by DuckDB's own parser (`duckdb.extract_statements`) before anything runs: only
queries (SELECT, VALUES, FROM ..., SHOW, DESCRIBE, SUMMARIZE), EXPLAIN of a query, and a short list of
read-only PRAGMAs and CALLs pass. That also refuses what a read-only database would allow but an analyst tool
should not do: writing files (COPY ... TO, EXPORT DATABASE), attaching other databases, installing or loading
extensions, changing settings. A script with several statements runs only if every one of them passes.
"""

from __future__ import annotations

import re

import duckdb

from storage.connection import DEFAULT_WAIT, io_error, is_damage, open_readonly
from storage.errors import StorageError
from storage.timeutil import set_session_zone

_ALLOWED_PRAGMAS = frozenset(
    {
        "version",
        "platform",
        "database_size",
        "database_list",
        "show_databases",
        "show_tables",
        "show_tables_expanded",
        "show",
        "table_info",
        "storage_info",
        "metadata_info",
        "functions",
        "collations",
        "user_agent",
    }
)
_COMMENTS = re.compile(r"(--[^\n]*\n?|/\*.*?\*/|\s+)", re.S)
_PRAGMA_NAME = re.compile(r"pragma\s+([a-z_][a-z0-9_]*)", re.I)
_CALL_NAME = re.compile(r"call\s+([a-z_][a-z0-9_]*)", re.I)
_EXPLAIN = re.compile(r"explain(\s+analy[sz]e)?\s", re.I)


def _head(text: str) -> str:
    """The statement without leading comments and whitespace."""
    pos = 0
    while True:
        match = _COMMENTS.match(text, pos)
        if not match or match.end() == pos:
            return text[pos:]
        pos = match.end()


def refusal(statement_text: str, kind: duckdb.StatementType | None) -> str | None:
    """Why a statement may not run in `xxgk sql`, or None when it is a read-only query."""
    head = _head(statement_text)
    first = head.split(None, 1)[0].upper() if head.split() else ""
    if kind == duckdb.StatementType.SELECT:
        return None
    if kind == duckdb.StatementType.EXPLAIN:
        match = _EXPLAIN.match(head)
        inner = head[match.end() :] if match else ""
        return check_script(inner) if inner.strip() else "EXPLAIN without a query"
    if kind == duckdb.StatementType.PRAGMA:
        match = _PRAGMA_NAME.match(head)
        name = match.group(1).lower() if match else ""
        if name in _ALLOWED_PRAGMAS:
            return None
        allowed = ", ".join(sorted(_ALLOWED_PRAGMAS))
        return f"PRAGMA {name or first} is not one of the read-only pragmas ({allowed})"
    if kind == duckdb.StatementType.CALL:
        match = _CALL_NAME.match(head)
        name = match.group(1).lower() if match else ""
        if name.startswith("duckdb_") or name.removeprefix("pragma_") in _ALLOWED_PRAGMAS:
            return None
        return (
            f"CALL {name or '?'} may change something; only duckdb_*() and read-only pragma_*() are allowed"
        )
    label = kind.name if kind is not None else first or "this statement"
    return f"{label} statements change the database, the files around it or the session"


# Statements DuckDB's parser itself carries out: parsing IMPORT DATABASE 'dir' reads dir/schema.sql (DuckDB
# 1.5), so such a statement is refused from its tokens, before anything parses it.
_EXPANDED_BY_THE_PARSER = frozenset({"import"})


def _parser_would_read_files(sql: str) -> str | None:
    """The first statement-leading keyword whose parsing reads files, or None."""
    at_start = True
    for pos, kind in duckdb.tokenize(sql):
        if kind == duckdb.token_type.comment:
            continue
        word = re.match(r"[A-Za-z_]+", sql[pos:])
        name = word.group(0) if word else ""
        if at_start and kind == duckdb.token_type.keyword and name.lower() in _EXPANDED_BY_THE_PARSER:
            return name.upper()
        at_start = kind == duckdb.token_type.operator and sql[pos] == ";"
    return None


def check_script(sql: str) -> str | None:
    """Why the script may not run (the first offending statement), or None when every statement is a query."""
    early = _parser_would_read_files(sql)
    if early:
        return f"{early} statements change the database, the files around it or the session"
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.Error as exc:
        return f"cannot parse the SQL: {str(exc).strip()}"
    if not statements:
        return "no SQL statement given"
    for statement in statements:
        try:
            kind: duckdb.StatementType | None = statement.type
        except ValueError:  # a statement type this duckdb build cannot name (e.g. UPDATE EXTENSIONS)
            kind = None
        why = refusal(statement.query, kind)
        if why:
            return f"{why}: {_head(statement.query).strip()[:80]}"
    return None


def run_sql(
    path: str, query: str, *, wait: float = DEFAULT_WAIT, timezone: str | None = None
) -> tuple[list[str], list[tuple]]:
    """Run read-only SQL on the database at `path`; return the column names and rows of the last statement.

    `timezone` (the college's) is the session's TimeZone: timestamps come back and cast to dates in it.

    Raises StorageError for SQL that does not parse ("SQL syntax error: ..."), for a statement that would
    write (refused before anything runs), for SQL errors, and when the file cannot be opened within `wait`
    seconds.
    """
    why = _parser_would_read_files(query) and check_script(query)
    if why:
        raise StorageError(f"refused, the query must be read-only: {why}")
    try:
        duckdb.extract_statements(query)
    except duckdb.Error as exc:  # a typo is a typo, not a refusal: say what DuckDB's parser says
        raise StorageError(f"SQL syntax error: {str(exc).strip().removeprefix('Parser Error: ')}") from exc
    why = check_script(query)
    if why:
        raise StorageError(f"refused, the query must be read-only: {why}")
    with open_readonly(path, wait=wait, sandbox=True) as conn:
        set_session_zone(conn, timezone)
        try:
            result = None
            for statement in duckdb.extract_statements(query):
                result = conn.execute(statement)
            if result is None or result.description is None:
                return [], []
            columns = [d[0] for d in result.description]
            return columns, result.fetchall()
        except duckdb.PermissionException as exc:
            raise StorageError(
                f"refused, xxgk sql reads only the database, no other file: {str(exc).strip()}"
            ) from exc
        except duckdb.Error as exc:
            if is_damage(exc):
                raise io_error(path, exc, "read") from exc
            raise StorageError(f"SQL error: {str(exc).strip()}") from exc
