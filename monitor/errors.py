"""The failures the monitor explains in words: the CLI prints each on one line, no traceback.

`Failure` is the base of every such exception of the monitor (ConfigError, MailError, ReportError,
DemoError); storage's own is `storage.StorageError`. The CLI and the daemon tell them from bugs by class, so
a subclass (say `storage.DatabaseBusy`) is handled like its base. Imports nothing.
"""

from __future__ import annotations


class Failure(Exception):
    """A failure the user can act on, explained in its message; `exit_code` is what `xxgk` exits with."""

    exit_code = 1
