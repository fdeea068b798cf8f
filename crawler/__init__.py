"""The crawler: a Scrapy project that fetches college sites and hands what it finds to storage.

Owns the `college` spider (`spiders/`: the spider, its frontier, what each answer becomes) and its wiring
(`settings.py`), the downloader middlewares (robots, redirects, conditional GET, timing), the revisit policy
(`revisit.py`: which known articles a recrawl asks for), request outcomes (`outcomes.py`), the storage
pipeline, column assembly (`columns.py`), the progress display (`progress.py`), page extraction (`extract/`,
pure functions) and the crawl plan format (`plan.py`).
It may import `storage` only (records and ingest functions); the monitor never imports it, but starts
`python -m crawler --plan PLAN.json` as a child process.
"""

__all__ = ["columns", "outcomes", "pipelines", "plan", "progress", "revisit", "settings"]
