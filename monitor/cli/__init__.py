"""The `xxgk` command line: parse, call one function of the package API, print.

Each command lives in its own module with `register(sub)`; this module only wires them, handles the global
`--config` option and turns known errors — by class: `monitor.errors.Failure` and `storage.StorageError`, and
their subclasses — into one clear line and an exit code (2 for configuration mistakes, 1 for other failures);
the traceback of such a failure goes to the log at debug level only (`xxgk --debug COMMAND` shows it).
A command module that cannot be imported is an error, never a command silently missing.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from monitor.config import ConfigError
from monitor.errors import Failure

log = logging.getLogger("xxgk")

# The commands, in the order `xxgk --help` lists them: (module under monitor.cli, one-line summary group)
COMMANDS: tuple[str, ...] = (
    "demo",
    "demo_site",
    "crawl",
    "deploy",
    "inspect",
    "report",
    "email",
    "stats",
    "status",
    "schedule",
    "sql",
    "export",
    "diff",
)

EPILOG = """examples:
  xxgk demo                      serve the demo college, crawl it, report and write the email
  xxgk crawl --site disclosure   crawl one configured site
  xxgk report --format json      judge every column from what is stored
  xxgk sql "SELECT * FROM v_column_status LIMIT 5"
"""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The `xxgk` parser with every command, or with only the command module `only` (what `main` runs)."""
    parser = argparse.ArgumentParser(
        prog="xxgk",
        description="xxgk-monitor: watches what a college publishes under the MoE disclosure list "
        "(高校信息公开监测).",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--config",
        metavar="PATH",
        default=None,
        help="configuration file (default: $XXGK_CONFIG, or ./config.toml)",
    )
    parser.add_argument(
        "--debug", action="store_true", help="log at debug level, with the traceback of a known failure"
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMANDS if only is None else (only,):
        try:
            module = importlib.import_module(f"monitor.cli.{name}")
        except ImportError as exc:
            raise ImportError(
                f"xxgk: the command module monitor.cli.{name} cannot be imported: {exc}"
            ) from exc
        module.register(sub)
    return parser


def _command_of(argv: Sequence[str]) -> str | None:
    """The module of the command `argv` names (`demo-site` -> demo_site), or None when it names none we know
    (no command, --help, a typo: the whole parser answers those)."""
    rest = list(argv)
    while rest and (rest[0] in ("--config", "--debug") or rest[0].startswith("--config=")):
        rest = rest[2:] if rest[0] == "--config" else rest[1:]
    if not rest or rest[0].startswith("-"):
        return None
    name = rest[0].replace("-", "_")
    return name if name in COMMANDS else None


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    # Only the named command's module is loaded (and what it imports): `xxgk crawl` starts its crawler
    # without loading the judge, the report, the mail, the demo college or DuckDB first.
    parser = build_parser(only=_command_of(argv))
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    if args.debug:
        logging.basicConfig(level=logging.DEBUG, format="%(asctime)s %(name)s %(levelname)s: %(message)s")
    try:
        return int(args.func(args) or 0)
    except ConfigError as exc:
        print(f"xxgk: configuration error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("xxgk: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        # Known failures carry a clear message and are not a crash; anything else keeps its traceback.
        if not (isinstance(exc, Failure) or _storage_error(exc)):
            raise
        log.debug("%s: %s", type(exc).__name__, exc, exc_info=True)
        print(f"xxgk: {exc}", file=sys.stderr)
        return exc.exit_code if isinstance(exc, Failure) else 1


def _storage_error(exc: BaseException) -> bool:
    """True for a storage.StorageError. Commands import storage (DuckDB, Arrow) only when they use it, so that
    `xxgk crawl` starts its crawler without loading them first; an error of storage exists only once it is
    loaded."""
    errors = sys.modules.get("storage.errors")
    return errors is not None and isinstance(exc, errors.StorageError)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
