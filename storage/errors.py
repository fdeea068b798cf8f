"""The exceptions storage raises on purpose, so callers (the CLI above all) print them without a traceback."""

from __future__ import annotations


class StorageError(Exception):
    """A database problem explained in words: which file, what went wrong, what to do about it."""


class DatabaseBusy(StorageError):
    """Another process held the file for longer than the caller was willing to wait."""


class DatabaseDamaged(StorageError):
    """The file is not a whole DuckDB database: truncated, overwritten, a block failing its checksum."""


class SchemaTooNew(StorageError):
    """The file was written by a newer xxgk-monitor, whose tables this program does not know."""


class DiskFull(StorageError):
    """The disk (or quota) holding the database has no room for what was to be written."""
