"""The hand-written truth of a test college's column, shared by the test sites that state it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


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
