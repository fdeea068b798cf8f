"""Owns the demo college: a deterministic, offline imitation of a vocational college's websites.

Everything else is tested and demonstrated on it. A disclosure site (博达 VSB), a portal (WebPlus) and three
department sites (a query-paged ASP.NET site, a TRS-style site, an old GBK table site), each on its own
loopback host, with fresh, stale, empty, unreachable and blocked columns and missing 清单 items, dated
relative to `as_of`. Two more colleges (`demo.colleges`: a government-style 信息公开目录 and a TRS-style
site, one host each) make a three-college comparison; their columns pause and go stale, or leave the site.
A college is data (`demo.layout.CollegeSpec`): `DemoCollege(as_of, scale, spec=...)` serves any of them.

    college = DemoCollege(as_of=date(2026, 11, 26), scale=1.0)
    server = serve_demo(college, port=0)        # server.sites: name → start URL
    truth = server.ground_truth()               # what a perfect monitor finds
    server.set_days_later(7)                    # new items, one edited, one deleted
    server.stop()

A leaf: imports nothing outside the standard library and this package (never crawler, storage or monitor),
so the crawler tests, the bench and `xxgk demo` can all serve it. Its ground truth's fresh/stale verdicts
come from its own dates and the monitor's shipped rules table, read as TOML data (`demo.rules`), not from a
copy of the judging code.
"""

from demo.college import DEFAULT_AS_OF, DEFAULT_HOSTS, DEFAULT_PORT, DemoCollege
from demo.colleges import COLLEGES
from demo.layout import CollegeSpec
from demo.server import DemoServer, Hit, serve_demo

__all__ = [
    "COLLEGES",
    "DEFAULT_AS_OF",
    "DEFAULT_HOSTS",
    "DEFAULT_PORT",
    "CollegeSpec",
    "DemoCollege",
    "DemoServer",
    "Hit",
    "serve_demo",
]
