"""The hand-written truth of a test college's column, shared by the test sites that state it, and the one
check of a reported column against a truth (`assert_column`), for every crawl-level test site."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class Expected:
    """What `xxgk report --format json` must say of a column."""

    site: str
    host: str
    name: str
    path: str
    status: str
    items: int
    newest: date | None
    error: str | None = None  # a word the recorded reason must contain
    partial: bool = False  # the count is what could be read (a 加载更多 button's rows cannot be)


class ColumnTruth(Protocol):
    """What any test site's truth of a column says (its own Expected may hold more)."""

    @property
    def name(self) -> str: ...
    @property
    def status(self) -> str: ...
    @property
    def items(self) -> int: ...
    @property
    def newest(self) -> date | None: ...
    @property
    def error(self) -> str | None: ...


def assert_column(
    columns: dict[str, dict[str, Any]], url: str, want: ColumnTruth, *, partial: bool | None = None
) -> None:
    """The report's column at `url` (`columns`: the report's sections by URL) says exactly what `want` says:
    name, status, item count, newest date, a word of its reason; and `partial` when given."""
    assert url in columns, f"{want.name} ({url}) is missing; reported: {sorted(columns)}"
    got = columns[url]
    newest = want.newest.isoformat() if want.newest else None
    assert (got["name"], got["status"], got["items"], got["last_published"]) == (
        want.name,
        want.status,
        want.items,
        newest,
    ), got
    if partial is not None:
        assert got.get("partial", False) is partial, got
    if want.error:
        assert want.error in (got["error"] or ""), got
