"""The exceptions storage raises on purpose, so callers (the CLI above all) print them without a traceback."""

from __future__ import annotations


class StorageError(Exception):
    """A database problem explained in words: which file, what went wrong, what to do about it."""


class DatabaseBusy(StorageError):
    """Another process held the file for longer than the caller was willing to wait."""
