"""The province: many generated colleges crawled by one `xxgk crawl`, on twenty loopback addresses.

Why: a provincial office watches every college of its province from one configuration, so one crawl holds
40 sites and 30,000+ pages at once, where the base site holds one college's 1,500. The figures ask whether
the product keeps pace with a bare Scrapy spider at that size (`province_throughput_ratio`) and whether its
memory stays near that of one college (`province_memory_ratio`), which is what a crawl that keeps something
per page (pending requests, buffered records, the database's working memory) would fail.

Each college is a `GeneratedSite` of its own (its own seed, so its columns differ, and its own name in every
page's header, so no two colleges serve the same bodies), one host of it per college. Colleges share the
twenty addresses 127.0.0.2–127.0.0.21 two by two, each on its own port: Scrapy's per-host concurrency is keyed
by the address, so two colleges on one address share its four slots, as sites on shared hosting do. The
`Province` answers what `bench.site.SiteServer` asks of a site (`shape.hosts` listening sockets, `render`,
`list_pages`), socket i being college i.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .sitegen import GeneratedSite, Page, SiteShape

ADDRESSES = tuple(f"127.0.0.{i}" for i in range(2, 22))  # twenty loopback addresses
CITIES = ("滨江", "临湖", "云山", "青石", "东湾", "白鹭", "金川", "南屏", "北林", "西岭")
KINDS = ("职业学院", "理工学院", "师范学院", "医学院")


def college_name(i: int) -> str:
    """A distinct college name per index (the province's colleges differ in every page's header)."""
    city = CITIES[i % len(CITIES)]
    kind = KINDS[(i // len(CITIES)) % len(KINDS)]
    lap = i // (len(CITIES) * len(KINDS))
    return f"{city}{kind}" + (str(lap + 1) if lap else "")


@dataclass(frozen=True, slots=True)
class ProvinceShape:
    """How many colleges, on how many addresses, each shaped like `site` (one host per college)."""

    sites: int = 40
    hosts: int = 20
    site: SiteShape = field(default_factory=lambda: SiteShape(hosts=1, columns=16, list_pages=3, rows=15))

    def __post_init__(self) -> None:
        if not 1 <= self.hosts <= len(ADDRESSES):
            raise ValueError(f"1 to {len(ADDRESSES)} addresses, not {self.hosts}")
        if self.site.hosts != 1:
            raise ValueError("a province's college has one host")


@dataclass(frozen=True, slots=True)
class _Sockets:
    hosts: int  # what SiteServer reads: one listening socket per college


class Province:
    """The colleges of a province, served as one site whose host i is college i."""

    def __init__(self, shape: ProvinceShape, as_of: date | None = None):
        self.province = shape
        day = as_of or date.today()
        self.colleges = [
            GeneratedSite(shape.site, as_of=day, seed=100 + i, college=college_name(i))
            for i in range(shape.sites)
        ]
        self.shape = _Sockets(shape.sites)

    def addresses(self) -> list[str]:
        """The address of each college's socket: college i on address i mod hosts."""
        return [ADDRESSES[i % self.province.hosts] for i in range(self.province.sites)]

    def names(self) -> list[str]:
        return [c.college for c in self.colleges]

    def render(self, host: int, path: str) -> Page | None:
        if not 0 <= host < len(self.colleges):
            return None
        return self.colleges[host].render(0, path)

    def list_pages(self) -> list[tuple[int, str]]:
        return [(i, path) for i, c in enumerate(self.colleges) for _, path in c.list_pages()]

    def page_count(self) -> int:
        return sum(c.page_count() for c in self.colleges)
