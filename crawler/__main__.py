"""`python -m crawler --plan PLAN.json`: one crawl, in its own process (a Twisted reactor cannot restart).

Opens the run in storage first and prints `run_id=N` on stdout, so the parent (monitor/crawl_runner.py) can
mark the run failed if this process is killed. Exit status: 0 when the crawl finished and its run is recorded
— fetch failures of the sites are data, not errors; 1 when the crawl itself failed (database, a crash), with
one line `crawl failed: <reason>` on stderr; 2 when the plan cannot be read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

import storage
from crawler.plan import CrawlPlan
from crawler.spiders.college import CollegeSpider

RUN_ID_PREFIX = "run_id="


def settings_for(plan: CrawlPlan) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    # The progress lines (live on a terminal, plain every few seconds otherwise) and the summary table are the
    # crawl's log; Scrapy's own start-up dump of settings and stats is noise in cron mail and journald.
    settings.set("LOG_LEVEL", "WARNING", priority="cmdline")
    return settings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler", description="Crawl the sites of a crawl plan.")
    parser.add_argument("--plan", required=True, metavar="PLAN.json", help="the plan written by the monitor")
    args = parser.parse_args(argv)
    try:
        plan = CrawlPlan.load(args.plan)
    except (OSError, ValueError, TypeError) as exc:
        print(f"crawl failed: cannot read the plan {args.plan}: {exc}", file=sys.stderr)
        return 2
    try:
        run_id = storage.start_run(
            plan.db_path, [s.name for s in plan.sites], observed_at=plan.observed_datetime()
        )
    except storage.StorageError as exc:
        print(f"crawl failed: {exc}", file=sys.stderr)
        return 1
    print(f"{RUN_ID_PREFIX}{run_id}", flush=True)

    process = CrawlerProcess(settings_for(plan))
    crawler = process.create_crawler(CollegeSpider)
    process.crawl(crawler, plan=args.plan, run_id=run_id)
    process.start()

    stats = crawler.stats
    if stats is not None and stats.get_value("xxgk/finished"):
        return 0
    reason = (
        stats.get_value("xxgk/failure") if stats is not None else None
    ) or "the crawl stopped before finishing"
    if stats is None or stats.get_value("xxgk/failure") is None:
        try:
            storage.mark_run(plan.db_path, run_id, "failed", reason)
        except storage.StorageError as exc:
            print(f"crawl failed: could not mark run {run_id} failed: {exc}", file=sys.stderr)
    print(f"crawl failed: run {run_id}: {reason}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
