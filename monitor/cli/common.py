"""Small helpers shared by the command modules: loading the configuration once, the formatter class, --db."""

from __future__ import annotations

import argparse

from monitor.config import Config
from monitor.configure import load_config


def config_of(args: argparse.Namespace) -> Config:
    """The validated configuration named by --config / $XXGK_CONFIG / ./config.toml, loaded once per call."""
    cached = getattr(args, "_config", None)
    if cached is None:
        cached = load_config(args.config)
        args._config = cached
    return cached


def add_command(
    sub: argparse._SubParsersAction, name: str, help: str, example: str
) -> argparse.ArgumentParser:
    """Add a command whose --help ends with an example (every command has one; a test checks it)."""
    return sub.add_parser(
        name,
        help=help,
        description=help,
        epilog=f"example:\n  {example}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )


def add_db_option(p: argparse.ArgumentParser) -> None:
    """The --db option of the commands that read the history database (`db_path` reads it)."""
    p.add_argument("--db", default=None, metavar="PATH", help="the DuckDB file (default: [storage] path)")


def db_path(args: argparse.Namespace) -> str:
    """The DuckDB file: --db when the command has it and it was given, else [storage] path of the config."""
    given = getattr(args, "db", None)
    return str(given) if given else config_of(args).database
