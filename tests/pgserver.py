"""A real PostgreSQL server for tests: Debian's binaries, a temporary data directory, a loopback port.

    from pgserver import PgServer, pg_binaries, require_postgres

    with PgServer.start() as pg:          # initdb, then postgres on 127.0.0.1:<free port>
        dsn = pg.create_database("lake")  # "host=127.0.0.1 port=… dbname=lake user=xxgk"
        pg.stop(); pg.start_again()       # a restart keeps the data directory (and so every database)

or the pytest fixtures `pg_server` (one server for the session; stop/restart it only in a test that
starts its own) and `pg_dsn` (a new, empty database on it per test): import them into the test module
(`from pgserver import pg_dsn, pg_server  # noqa: F401`).

The binaries are found in $XXGK_PG_BIN, else /usr/lib/postgresql/<newest>/bin (Debian's `postgresql`
package), else the folder `pg_config --bindir` names. When they are missing a test skips with a message
saying how to install them, unless CI is set: under CI it fails (.ci/run installs the package). As root,
the server runs as the `postgres` user (else `nobody`): PostgreSQL refuses to run as root. Authentication is
`trust` on the loopback address only; the server is stopped (fast shutdown) when the context ends.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Self

import pytest

USER = "xxgk"  # the database superuser initdb creates
HOST = "127.0.0.1"


def pg_binaries() -> Path | None:
    """The folder with initdb, pg_ctl and postgres, or None when PostgreSQL is not installed."""
    candidates: list[str] = []
    if os.environ.get("XXGK_PG_BIN"):
        candidates.append(os.environ["XXGK_PG_BIN"])
    versions = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name.split(".")[0] or 0)
    )
    candidates.extend(reversed(versions))
    pg_config = shutil.which("pg_config")
    if pg_config:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            found = subprocess.run([pg_config, "--bindir"], capture_output=True, text=True, timeout=10)
            candidates.append(found.stdout.strip())
    for folder in candidates:
        if folder and all(os.access(Path(folder) / b, os.X_OK) for b in ("initdb", "pg_ctl", "postgres")):
            return Path(folder)
    return None


def require_postgres() -> Path:
    """The binaries' folder; skips the test when they are missing (fails under CI, which must run it)."""
    found = pg_binaries()
    if found is None:
        message = (
            "PostgreSQL server binaries not found (initdb, pg_ctl, postgres): install the Debian package "
            "`postgresql` (apt-get install postgresql) or set XXGK_PG_BIN to their folder"
        )
        if os.environ.get("CI"):
            pytest.fail(message + " — CI is set, so this test must run")
        pytest.skip(message)
    return found


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


def _run_as() -> str | None:
    """The unprivileged user to run the server as, when we are root (None: run as ourselves)."""
    if os.geteuid() != 0:
        return None
    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            pwd.getpwnam(name)
            return name
    raise RuntimeError("running as root, and there is no `postgres` or `nobody` user to run PostgreSQL as")


class PgServer:
    """One PostgreSQL server in its own temporary folder (data directory, socket, log)."""

    def __init__(self, bindir: Path, folder: Path, port: int, user: str | None) -> None:
        self.bindir = bindir
        self.folder = folder
        self.port = port
        self.user = user
        self.data = folder / "data"
        self.log = folder / "server.log"
        self.running = False

    # ---- life cycle

    @classmethod
    def start(cls, bindir: Path | None = None) -> Self:
        """initdb a new cluster in a temporary folder and start it; the caller stops it (or use `with`)."""
        bindir = bindir or require_postgres()
        user = _run_as()
        folder = Path(tempfile.mkdtemp(prefix="xxgk-pg-"))
        if user:
            entry = pwd.getpwnam(user)
            os.chown(folder, entry.pw_uid, entry.pw_gid)
        server = cls(bindir, folder, _free_port(), user)
        server._cmd(
            "initdb", "-D", str(server.data), "-U", USER, "--auth=trust", "-E", "UTF8", "--no-locale", "-N"
        )
        server.start_again()
        return server

    def start_again(self) -> None:
        """Start the server on its data directory (after `stop`); the port stays the same."""
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses={HOST} -c fsync=off "
            "-c max_connections=200 -c shared_buffers=32MB"
        )
        self._cmd(
            "pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.log), "-w", "-t", "60", "start"
        )
        self.running = True

    def stop(self) -> None:
        """Stop the server (fast shutdown: open sessions are ended). The data directory stays."""
        if self.running:
            self._cmd("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")
            self.running = False

    def kill(self) -> None:
        """End the server abruptly (immediate shutdown, as a crash would)."""
        if self.running:
            self._cmd("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "-t", "60", "stop")
            self.running = False

    def remove(self) -> None:
        """Stop the server and delete its folder."""
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()

    # ---- databases

    def dsn(self, dbname: str = "postgres") -> str:
        """The libpq connection string of a database on this server."""
        return f"host={HOST} port={self.port} dbname={dbname} user={USER}"

    def create_database(self, name: str) -> str:
        """Create database `name` (empty); return its connection string."""
        self._cmd("createdb", "-h", HOST, "-p", str(self.port), "-U", USER, name)
        return self.dsn(name)

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        """Run SQL through psql; return what it printed (unaligned, tuples only)."""
        where = ["-h", HOST, "-p", str(self.port), "-U", USER, "-d", dbname]
        return self._cmd("psql", *where, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql)

    def _cmd(self, binary: str, *args: str) -> str:
        command = [str(self.bindir / binary), *args]
        if self.user:
            command = ["runuser", "-u", self.user, "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, cwd=self.folder)
        if done.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise subprocess.CalledProcessError(
                done.returncode, command, done.stdout, f"{done.stderr}\n--- server log ---\n{log}"
            )
        return done.stdout


_counter = iter(range(1, 1_000_000))


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    """One PostgreSQL server for the whole test session (skips when PostgreSQL is not installed)."""
    with PgServer.start() as server:
        yield server


@pytest.fixture
def pg_dsn(pg_server: PgServer) -> str:
    """A new, empty database on the session's server: its libpq connection string."""
    name = f"t{os.getpid()}_{next(_counter)}_{int(time.time() * 1000) % 100000}"
    return pg_server.create_database(name)
