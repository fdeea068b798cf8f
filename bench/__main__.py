"""`python -m bench --quick|--full`: run every experiment, print the table, write bench/results.json.

`--only crawl,report,peer` runs a subset (the other figures are null, with the reason); `--output FILE` writes
the results elsewhere. Progress goes to stderr, the table to stdout.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
import traceback
from pathlib import Path
from typing import Any

from . import report, runs

EXPERIMENTS = ("crawl", "report", "peer")


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="smaller sites: a few minutes (the default)")
    mode.add_argument("--full", action="store_true", help="the reference sizes, repeated runs")
    parser.add_argument("--only", default=",".join(EXPERIMENTS), help="comma-separated: crawl, report, peer")
    parser.add_argument("--output", type=Path, default=report.RESULTS, help="where to write results.json")
    args = parser.parse_args(argv)
    sizes = runs.FULL if args.full else runs.QUICK
    chosen = [e.strip() for e in args.only.split(",") if e.strip()]
    unknown = set(chosen) - set(EXPERIMENTS)
    if unknown:
        parser.error(f"unknown experiment(s): {', '.join(sorted(unknown))}")

    def log(msg: str) -> None:
        print(f"[bench {time.monotonic() - started:6.1f}s] {msg}", file=sys.stderr, flush=True)

    # SIGTERM ends the bench like Ctrl-C does, so the child being measured is killed with its process group.
    signal.signal(signal.SIGTERM, _interrupt)
    started = time.monotonic()
    raw: dict[str, Any] = {}
    table = {"crawl": runs.crawl_costs, "report": runs.report_history, "peer": runs.peer_check}
    for name in chosen:
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
