"""`python -m bench --quick|--full`: run every experiment, print the table, write bench/results.json.

`--only crawl,report,peer,province` runs a subset (the other figures are null, with the reason);
`--output FILE` writes the results elsewhere. Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from . import cdio, report, runs

# In this order: the report history's 52 crawls are not timed, so a first install of changedetection.io runs
# in the background meanwhile (it takes ~2 minutes) and is waited for before anything timed starts.
# The province last: it is the longest, and its memory figure divides by the base site crawl's peak.
EXPERIMENTS = ("report", "crawl", "peer", "province")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _install(log: Callable[[str], None]) -> None:
    try:
        cdio.ensure_installed(log)
        log("changedetection.io installed")
    except cdio.PeerUnavailable as exc:  # the peer experiment tries again and reports why
        log(f"changedetection.io install failed: {exc}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="smaller sites: a few minutes (the default)")
    mode.add_argument("--full", action="store_true", help="the reference sizes, repeated runs")
    parser.add_argument(
        "--only", default=",".join(EXPERIMENTS), help="comma-separated: report, crawl, peer, province"
    )
    parser.add_argument("--output", type=Path, default=report.RESULTS, help="where to write results.json")
    args = parser.parse_args(argv)
    sizes = runs.FULL if args.full else runs.QUICK
    chosen = [e.strip() for e in args.only.split(",") if e.strip()]
    unknown = set(chosen) - set(EXPERIMENTS)
    if unknown:
        parser.error(f"unknown experiment(s): {', '.join(sorted(unknown))}")
    chosen = [e for e in EXPERIMENTS if e in chosen]

    def log(msg: str) -> None:
        print(f"[bench {time.monotonic() - started:6.1f}s] {msg}", file=sys.stderr, flush=True)

    # SIGTERM ends the bench like Ctrl-C does, so the child being measured is killed with its process group.
    signal.signal(signal.SIGTERM, _interrupt)
    started = time.monotonic()
    raw: dict[str, Any] = {}
    installer: threading.Thread | None = None
    if "peer" in chosen and not cdio.installed():
        log("installing changedetection.io into bench/.cdio in the background (once)")
        installer = threading.Thread(target=_install, args=(log,), name="cdio-install", daemon=True)
        installer.start()

    def quiet() -> None:
        if installer is not None and installer.is_alive():
            log("waiting for the changedetection.io install to finish before timing anything")
            installer.join()

    table: dict[str, Callable[[runs.Sizes, runs.Log], dict[str, Any]]] = {
        "report": partial(runs.report_history, quiet=quiet),
        "crawl": runs.crawl_costs,
        "peer": runs.peer_check,
        "province": runs.province_costs,
    }
    for name in chosen:
        if name != "report":
            quiet()
        log(f"== {name}")
        load = [round(x, 2) for x in os.getloadavg()]
        try:
            raw[name] = table[name](sizes, log)
            raw[name]["load_average_before"] = load
        except KeyboardInterrupt:
            log("interrupted")
            return 130
        except Exception as exc:  # a crash of one experiment must not lose the others' numbers
            raw[name] = {"error": f"{type(exc).__name__}: {exc}"}
            log(traceback.format_exc())
    results = report.build(raw, "full" if args.full else "quick", time.monotonic() - started)
    path = report.write(results, args.output)
    print(report.table(results))
    print(f"written: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
