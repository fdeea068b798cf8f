"""Real Scrapyd nodes for the cluster tests (monitor/cluster/localnodes.py: `python -m scrapyd` child
processes, each with its own folder and scrapyd.conf, on a free loopback port; `.kill()` is a kill -9 of the
node and its crawls).

`cluster_config()` writes a test college's config with or without `[cluster] nodes`, `xxgk()` runs the real
CLI on it as a child process.

`scrapyd_missing()` says why the tests cannot run here (None when they can): Scrapyd not importable, and
only outside CI — under CI (`$CI` set) a missing Scrapyd is a failure, not a skip.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

from monitor.cluster.localnodes import LocalNode as ScrapydNode

__all__ = ["ScrapydNode", "cluster_config", "running_nodes", "scrapyd_missing", "xxgk"]


def scrapyd_missing() -> str | None:
    if importlib.util.find_spec("scrapyd") is not None:
        return None
    if os.environ.get("CI"):
        raise RuntimeError("CI is set but scrapyd is not installed: `make install` installs the dev extras")
    return "scrapyd is not installed (pip install -e '.[cluster]'): the cluster tests need real Scrapyd nodes"


def xxgk(config: Path, *args: str, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(config), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def cluster_config(
    folder: Path, sites: dict[str, str], nodes: list[str], storage: str = 'path = "x.duckdb"\n'
) -> Path:
    """config.toml for `sites` (name → start URL; "disclosure" is the disclosure site, the rest departments),
    crawled on `nodes` (none: on this machine), with `storage` as the [storage] table's keys."""
    folder.mkdir(parents=True, exist_ok=True)
    cluster = ""
    if nodes:
        listed = ", ".join(f'"{n}"' for n in nodes)
        cluster = f"[cluster]\nnodes = [{listed}]\npoll_interval = 0.3\n\n"
    entries = "".join(
        f'[[sites]]\nname = "{name}"\nkind = "{"disclosure" if name == "disclosure" else "department"}"\n'
        f'start_urls = ["{url}"]\n\n'
        for name, url in sites.items()
    )
    path = folder / "config.toml"
    path.write_text(
        f'[college]\nname = "滨江城市职业学院"\n\n{cluster}[storage]\n{storage}\n'
        f"[crawl]\nautothrottle = false\n\n{entries}",
        encoding="utf-8",
    )
    return path


@contextlib.contextmanager
def running_nodes(root: Path, count: int = 2) -> Iterator[list[ScrapydNode]]:
    """`count` Scrapyd nodes under `root` (node0, node1 …), stopped on leaving."""
    started = []
    try:
        for i in range(count):
            started.append(ScrapydNode(root / f"node{i}").start())
        yield started
    finally:
        for node in started:
            node.stop()
