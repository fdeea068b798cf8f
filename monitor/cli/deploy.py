"""`xxgk deploy`: build the crawler's Scrapy egg and upload it to every [cluster] node (addversion.json)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from monitor.cli.common import add_command, config_of
from monitor.errors import Failure


def register(sub: argparse._SubParsersAction) -> None:
    p = add_command(
        sub,
        "deploy",
        "Upload the crawler's egg to the [cluster] Scrapyd nodes (or write it to a file).",
        "xxgk deploy --node http://127.0.0.1:6800",
    )
    p.add_argument(
        "--node",
        action="append",
        metavar="URL",
        default=None,
        help="upload to this Scrapyd node only (repeatable; default: every [cluster] node)",
    )
    p.add_argument(
        "--egg", metavar="FILE", type=Path, default=None, help="write the egg to FILE instead of uploading it"
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from monitor.cluster.egg import build_egg, write_egg
    from monitor.cluster.scrapyd import Node, NodeDown, NodeError

    egg = build_egg()
    if args.egg is not None:
        write_egg(args.egg, egg)
        print(f"egg {egg.version}: {args.egg} ({len(egg.data)} bytes)")
        return 0
    config = config_of(args)
    nodes = args.node or config.cluster.nodes
    if not nodes:
        raise Failure("no Scrapyd node to deploy to: set [cluster] nodes, or give --node URL")
    failed = 0
    for url in nodes:
        node = Node(url, config.cluster.node_timeout)
        try:
            answer = node.add_version(config.cluster.project, egg.version, egg.data)
        except (NodeDown, NodeError) as exc:
            print(f"xxgk deploy: {exc}", file=sys.stderr)
            failed += 1
            continue
        print(
            f"{url}: project {config.cluster.project} egg {egg.version}, {answer.get('spiders', '?')} spider"
        )
    return 1 if failed else 0
