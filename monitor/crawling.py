"""The crawl the configuration asks for: on the [cluster] Scrapyd nodes when it lists some, else here.

`xxgk crawl` and the scheduler call `crawl_configured`; `monitor.crawl_runner.run_crawl` runs one local
crawl (a child process), `monitor.cluster.dispatch.run_cluster_crawl` a crawl split into Scrapyd jobs.
"""

from __future__ import annotations

from typing import Any

from monitor.crawl_runner import CrawlOutcome, run_crawl


def crawl_configured(
    config: Any,
    sites: list[str] | None,
    *,
    local: bool = False,
    timeout: float | None = None,
    wait_lock: bool = False,
    observed_at: str | None = None,
    progress: str = "auto",
) -> CrawlOutcome:
    """Crawl `sites` (all when None) on the [cluster] nodes when configured (unless `local`), else here."""
    if config.cluster.nodes and not local:
        from monitor.cluster.dispatch import run_cluster_crawl

        return run_cluster_crawl(
            config, sites, timeout=timeout, wait_lock=wait_lock, observed_at=observed_at, progress=progress
        )
    return run_crawl(
        config, sites, timeout=timeout, wait_lock=wait_lock, observed_at=observed_at, progress=progress
    )
