"""`xxgk demo-site`: serve the offline demo college on loopback hosts until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import threading
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from demo import DEFAULT_HOSTS, DEFAULT_PORT, DemoCollege, serve_demo
from monitor.cli.common import config_of
from monitor.config import ConfigError, default

EXAMPLE = "xxgk demo-site --port 8000 --as-of 2026-11-26 --ground-truth data/demo/ground_truth.json"


def register(sub: argparse._SubParsersAction) -> None:
    summary = "serve the demo college (five sites on 127.0.0.2..6) until Ctrl-C"
    parser = sub.add_parser(
        "demo-site",
        help=summary,
        description=summary
        + ". Dates are relative to --as-of, so the demo always shows fresh, stale, empty, "
        "unreachable, blocked and missing columns.",
        epilog=f"example:\n  {EXAMPLE}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--port",
        type=int,
        default=DEFAULT_PORT,
        help=f"port on every host; 0 picks a free one (default {DEFAULT_PORT})",
    )
    parser.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        metavar="DATE",
        help="the demo's today (default: today in [college] timezone)",
    )
    parser.add_argument("--scale", type=float, default=1.0, help="multiply item counts (default 1.0)")
    parser.add_argument(
        "--days-later", type=int, default=0, metavar="N", help="show the college N days later"
    )
    parser.add_argument(
        "--hosts",
        default=",".join(DEFAULT_HOSTS),
        help="comma-separated loopback hosts, one per site (default %(default)s)",
    )
    parser.add_argument(
        "--ground-truth", type=Path, default=None, metavar="PATH", help="write the ground truth JSON"
    )
    parser.set_defaults(func=run)


def college_today(args: argparse.Namespace) -> date:
    """Today in [college] timezone of the config, or of the key table's default when there is no usable
    config (the demo site needs none); never the machine's date."""
    try:
        zone = config_of(args).college.timezone
    except ConfigError:
        zone = str(default("college", "timezone"))
    return datetime.now(ZoneInfo(zone)).date()


def run(args: argparse.Namespace) -> int:
    college = DemoCollege(as_of=args.as_of or college_today(args), scale=args.scale)
    hosts = tuple(h.strip() for h in args.hosts.split(",") if h.strip())
    try:
        server = serve_demo(college, port=args.port, hosts=hosts, days_later=args.days_later)
    except (OSError, ValueError) as exc:
        print(f"xxgk demo-site: {exc}", file=sys.stderr)
        return 1
    try:
        truth = server.ground_truth()
        print(
            f"demo college {truth['college']} as of {truth['as_of']} (scale {args.scale:g}): "
            f"{truth['pages_total']} pages, {len(truth['columns'])} columns",
            flush=True,
        )
        for name, url in server.sites.items():
            print(f"  {name:<12} {url}", flush=True)
        if args.ground_truth:
            print(f"ground truth: {server.write_ground_truth(args.ground_truth)}", flush=True)
        print("serving until Ctrl-C", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        server.stop()
    return 0
