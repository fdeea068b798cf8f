"""The monitor's judgement stored as rows, so analysts query what the report says (views in docs/schema.md).

`record_judgement` replaces one as-of day's rows of `judged_columns` (one per report section: a column, or a
清单 item no column maps to) and `judged_items` (one per 清单 item per institution) in one short transaction,
each table in one `INSERT ... SELECT` from an Arrow table. Storage stores what the monitor decided; it judges
nothing itself.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date

import pyarrow as pa

from storage import lake
from storage.arrowscan import streamed
from storage.connection import DEFAULT_WAIT, begin, io_error, open_readwrite
from storage.timeutil import now


@dataclass(frozen=True, slots=True)
class JudgedColumn:
    """One report section as judged: a column (`url` set) or a missing 清单 item (`url` None)."""

    institution: str
    site: str | None
    department: str
    name: str
    url: str | None
    category: str | None
    item: str | None
    item_id: str | None
    covers: tuple[str, ...]
    last_published: date | None
    items: int
    status: str
    age_days: int | None
    limit_days: int | None
    due: date | None
    rule: str
    reason: str
    error: str | None


@dataclass(frozen=True, slots=True)
class JudgedTitle:
    """An item whose title shows a 清单 item: where it is listed, its title, URL and date shown."""

    site: str
    column_name: str
    title: str
    url: str
    date_shown: date | None


@dataclass(frozen=True, slots=True)
class JudgedItem:
    """One 清单 item of an institution: its status, the columns (`site/name`) and the titles that cover it."""

    institution: str
    category: str | None
    item_id: str
    item: str
    status: str
    covered_by: tuple[str, ...]
    last_published: date | None
    via: str = "column"  # column | titles | column+titles | none
    titles: tuple[JudgedTitle, ...] = ()
    decided_by: str | None = None  # column | titles: whose numbers follow
    newest_title: str | None = None
    newest_url: str | None = None
    age_days: int | None = None
    limit_days: int | None = None
    due: date | None = None
    reason: str | None = None


def _schema(cls: type, types: dict[str, pa.DataType]) -> pa.Schema:
    return pa.schema([(f.name, types.get(f.name, pa.string())) for f in fields(cls)])


_COLUMNS = _schema(
    JudgedColumn,
    {
        "covers": pa.list_(pa.string()),
        "last_published": pa.date32(),
        "items": pa.int32(),
        "age_days": pa.int32(),
        "limit_days": pa.int32(),
        "due": pa.date32(),
    },
)
_TITLE = pa.struct(
    [(f.name, pa.date32() if f.name == "date_shown" else pa.string()) for f in fields(JudgedTitle)]
)
_ITEMS = _schema(
    JudgedItem,
    {
        "covered_by": pa.list_(pa.string()),
        "last_published": pa.date32(),
        "titles": pa.list_(_TITLE),
        "age_days": pa.int32(),
        "limit_days": pa.int32(),
        "due": pa.date32(),
    },
)


def _cell(value: object) -> object:
    """A row's value for Arrow: tuples become lists, records (JudgedTitle) dicts."""
    if isinstance(value, tuple):
        return [_cell(v) for v in value]
    if isinstance(value, JudgedTitle):
        return {f.name: getattr(value, f.name) for f in fields(JudgedTitle)}
    return value


def _table(rows: Sequence[object], schema: pa.Schema) -> pa.Table:
    return pa.table(
        {f.name: [_cell(getattr(r, f.name)) for r in rows] for f in schema},
        schema=schema,
    )


@lake.retrying
def record_judgement(
    path: str,
    as_of: date,
    columns: Sequence[JudgedColumn],
    items: Sequence[JudgedItem],
    *,
    wait: float = DEFAULT_WAIT,
) -> None:
    """Store the judgement of `as_of`, replacing what an earlier judgement of that day stored.

    Raises StorageError (DatabaseBusy when another process held the file for more than `wait` seconds).
    """
    cols, its = _table(columns, _COLUMNS), _table(items, _ITEMS)
    params = {"as_of": as_of, "at": now()}
    with open_readwrite(path, wait=wait) as conn:
        try:
            begin(conn, path, wait)
            conn.execute("DELETE FROM judged_columns WHERE as_of = $as_of", {"as_of": as_of})
            conn.execute("DELETE FROM judged_items WHERE as_of = $as_of", {"as_of": as_of})
            with streamed(conn, {"j_columns": cols, "j_items": its}):  # each read once (storage/arrowscan.py)
                conn.execute(
                    "INSERT INTO judged_columns BY NAME "
                    "SELECT $as_of AS as_of, $at AS judged_at, * FROM j_columns",
                    params,
                )
                conn.execute(
                    "INSERT INTO judged_items BY NAME "
                    "SELECT $as_of AS as_of, $at AS judged_at, * FROM j_items",
                    params,
                )
            conn.execute("COMMIT")
        except Exception as exc:
            with contextlib.suppress(Exception):
                conn.execute("ROLLBACK")
            raise io_error(path, exc, "store the judgement in") from exc
