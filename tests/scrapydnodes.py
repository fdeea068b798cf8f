"""Real Scrapyd nodes for the cluster tests (monitor/cluster/localnodes.py: `python -m scrapyd` child
processes, each with its own folder and scrapyd.conf, on a free loopback port; `.kill()` is a kill -9 of the
node and its crawls).

`scrapyd_missing()` says why the tests cannot run here (None when they can): Scrapyd not importable, and
only outside CI — under CI (`$CI` set) a missing Scrapyd is a failure, not a skip.
"""

from __future__ import annotations

import importlib.util
import os

from monitor.cluster.localnodes import LocalNode as ScrapydNode

__all__ = ["ScrapydNode", "scrapyd_missing"]


def scrapyd_missing() -> str | None:
    if importlib.util.find_spec("scrapyd") is not None:
        return None
    if os.environ.get("CI"):
        raise RuntimeError("CI is set but scrapyd is not installed: `make install` installs the dev extras")
    return "scrapyd is not installed (pip install -e '.[cluster]'): the cluster tests need real Scrapyd nodes"
