"""Scrapy settings of the crawler (scrapy.cfg at the repo root points here).

Every component is wired explicitly: the *_BASE tables are emptied so nothing runs that is not listed below
with its reason. Values that come from the crawl plan (user agent, concurrency, delay, timeout, size limit,
robots, conditional GET, progress) are applied by the spider's `from_crawler` (crawler/spiders/college.py), so
`scrapy crawl college -a plan=PLAN.json` and `python -m crawler --plan PLAN.json` behave the same.
"""

BOT_NAME = "xxgk"
SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# Nothing implicit: the tables below are the whole pipeline.
DOWNLOADER_MIDDLEWARES_BASE: dict[str, int] = {}
SPIDER_MIDDLEWARES_BASE: dict[str, int] = {}
EXTENSIONS_BASE: dict[str, int] = {}

DOWNLOADER_MIDDLEWARES = {
    # stamp when a request is first sent, so failures have a time and an elapsed figure too
    "crawler.middlewares.timing.TimingMiddleware": 10,
    # obey robots.txt; a denial raises RobotsDenied, recorded as robots_denied and never requested
    "crawler.middlewares.robots.RobotsMiddleware": 100,
    # per-request timeout from DOWNLOAD_TIMEOUT (the plan's timeout)
    "scrapy.downloadermiddlewares.downloadtimeout.DownloadTimeoutMiddleware": 350,
    # Accept / Accept-Language headers a browser would send
    "scrapy.downloadermiddlewares.defaultheaders.DefaultHeadersMiddleware": 400,
    # the plan's User-Agent
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware": 500,
    # If-None-Match / If-Modified-Since from the previous crawl (a 304 re-uses the stored parse)
    "crawler.middlewares.conditional.ConditionalGetMiddleware": 520,
    # one retry of 5xx / network errors; the last attempt's outcome is what gets recorded
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": 550,
    # gzip / deflate / br bodies
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware": 590,
    # redirects and meta refresh inside the site; off-site targets and loops are recorded, not followed
    "crawler.middlewares.redirects.SiteRedirectMiddleware": 600,
    # session cookies some CMSs set before answering (a cookie-then-redirect dance would otherwise loop)
    "scrapy.downloadermiddlewares.cookies.CookiesMiddleware": 700,
    # http(s)_proxy from the environment, for colleges reached through a proxy
    "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware": 750,
    # (no DownloaderStats: it serialises every request and response to count bytes, ~4 % of a recrawl's CPU;
    # each FetchRecord carries the body bytes, and the database is where the counts are read)
}

# No spider middlewares: the spider sets depth, referer and offsite limits itself (per site), and handles
# every HTTP status (handle_httpstatus_all) so that each one is recorded. Each middleware here would run on
# every request and item the spider yields.
SPIDER_MIDDLEWARES: dict[str, int] = {}

EXTENSIONS = {
    # start/finish time, item and response counts in the stats
    "scrapy.extensions.corestats.CoreStats": 0,
    # log message counts per level in the stats
    "scrapy.extensions.logcount.LogCount": 0,
    # adapt each host's delay to its response time (when the plan says autothrottle); a 304 counts as normal
    "crawler.throttle.Throttle": 0,
    # one live line per site on a terminal, periodic log lines otherwise, and the closing summary
    "crawler.progress.Progress": 0,
}

ITEM_PIPELINES = {
    # buffer fetch records and parses into storage.RunWriter; assemble columns and finish the run at the end
    "crawler.pipelines.StoragePipeline": 300,
}

# The spider keeps its own per-site seen-set (every URL gets exactly one FetchRecord), so Scrapy's
# fingerprint filter would only cost time.
DUPEFILTER_CLASS = "scrapy.dupefilters.BaseDupeFilter"

# Never the HTTP cache: its RFC2616 policy serves the cached page on a 5xx or a download error, so an outage
# would look healthy. Conditional GET is done by ConditionalGetMiddleware and the spider.
HTTPCACHE_ENABLED = False

# Items are handled synchronously (the pipeline only buffers), so parallel item processing would only cost:
# Scrapy starts CONCURRENT_ITEMS asyncio tasks for every response's output.
CONCURRENT_ITEMS = 1
# Scrapy re-reads a generator callback's source to warn about `return value`; its cache is keyed by bound
# method objects, which are new for every request, so it parses this module's source again and again.
WARN_ON_GENERATOR_RETURN_VALUE = False
ROBOTSTXT_OBEY = True
RETRY_ENABLED = True
RETRY_TIMES = 1
REDIRECT_MAX_TIMES = 10
METAREFRESH_MAXDELAY = 100
COOKIES_ENABLED = True
TELNETCONSOLE_ENABLED = False
DOWNLOAD_FAIL_ON_DATALOSS = True
DOWNLOAD_WARNSIZE = 0
AUTOTHROTTLE_MAX_DELAY = 30.0
# Below this wanted delay (seconds) a host counts as healthy and gets no delay at all (crawler/throttle.py).
XXGK_THROTTLE_NEGLIGIBLE = 0.05
DEFAULT_REQUEST_HEADERS = {
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5",
}
LOG_LEVEL = "INFO"
# How often, in seconds, the progress display redraws (terminal) or logs (otherwise).
XXGK_PROGRESS_INTERVAL_TTY = 0.5
XXGK_PROGRESS_INTERVAL_LOG = 10.0
# The pipeline hands buffered records to the storage writer thread after this many items or seconds.
XXGK_FLUSH_ITEMS = 500
XXGK_FLUSH_SECONDS = 2.0
