"""`xxgk demo-site`: serve the offline demo college (--all: the three) on loopback until Ctrl-C."""

from __future__ import annotations

import argparse
import sys
import threading
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from demo import COLLEGES, DEFAULT_HOSTS, DEFAULT_PORT, DemoCollege, DemoServer, serve_demo
from monitor.cli.common import config_of
from monitor.config import ConfigError, default

ALL_HOSTS = tuple(f"127.0.0.{n}" for n in range(2, 2 + sum(len(c.sites) for c in COLLEGES)))
EXAMPLE = "xxgk demo-site --port 8000 --as-of 2026-11-26 --ground-truth data/demo/ground_truth.json"


def register(sub: argparse._SubParsersAction) -> None:
    summary = "serve the demo college (five sites on 127.0.0.2..6; --all: three, on ..8) until Ctrl-C"
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
        default=None,
        help=f"comma-separated loopback hosts, one per site (default {','.join(DEFAULT_HOSTS)}; with --all "
        f"{','.join(ALL_HOSTS)})",
    )
    parser.add_argument(
        "--all",
        action="store_true",
        help="serve all three demo colleges (seven sites, as config.toml lists them: what `xxgk crawl` of "
        "the shipped config reads); the ground truth is the first college's",
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


def _serve_all(args: argparse.Namespace, hosts: tuple[str, ...], as_of: date) -> list[DemoServer]:
    """One server per college (the first one's only without --all), all on one port."""
    colleges = COLLEGES if args.all else COLLEGES[:1]
    servers: list[DemoServer] = []
    port = args.port
    try:
        for spec in colleges:
            mine, hosts = hosts[: len(spec.sites)], hosts[len(spec.sites) :]
            college = DemoCollege(as_of=as_of, scale=args.scale, spec=spec)
            servers.append(serve_demo(college, port=port, hosts=mine, days_later=args.days_later))
            port = servers[0].port  # port 0: the others take the free port the first one found
    except BaseException:
        for server in servers:
            server.stop()
        raise
    return servers


def run(args: argparse.Namespace) -> int:
    default_hosts = ALL_HOSTS if args.all else DEFAULT_HOSTS
    hosts = tuple(h.strip() for h in (args.hosts or ",".join(default_hosts)).split(",") if h.strip())
    try:
        servers = _serve_all(args, hosts, args.as_of or college_today(args))
    except (OSError, ValueError) as exc:
        print(f"xxgk demo-site: {exc}", file=sys.stderr)
        return 1
    server = servers[0]
    try:
        for each in servers:
            truth = each.ground_truth()
            print(
                f"demo college {truth['college']} as of {truth['as_of']} (scale {args.scale:g}): "
                f"{truth['pages_total']} pages, {len(truth['columns'])} columns",
                flush=True,
            )
            for name, url in each.sites.items():
                print(f"  {name:<12} {url}", flush=True)
        if args.ground_truth:
            print(f"ground truth: {server.write_ground_truth(args.ground_truth)}", flush=True)
        print("serving until Ctrl-C", flush=True)
        threading.Event().wait()
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        for each in servers:
            each.stop()
    return 0
