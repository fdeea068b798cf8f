"""The bench's province: 40 colleges on 20 loopback addresses, served for real, crawled by both spiders."""

from __future__ import annotations

import re
import urllib.request
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from bench import runs, workspace
from bench.province import Province, ProvinceShape
from bench.report import figures
from bench.site import SiteServer
from bench.sitegen import SiteShape

TINY = ProvinceShape(sites=4, hosts=2, site=SiteShape(hosts=1, columns=2, list_pages=2, rows=3))


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as r:
        return r.read()


def test_the_full_province_is_forty_colleges_two_to_an_address_and_over_30000_pages() -> None:
    province = Province(ProvinceShape(), as_of=date(2026, 6, 1))
    addresses = Counter(province.addresses())
    assert len(province.colleges) == 40 and len(addresses) == 20
    assert set(addresses.values()) == {2}
    assert all(re.fullmatch(r"127\.0\.0\.\d+", a) for a in addresses)
    assert province.page_count() >= 30_000
    assert len(set(province.names())) == 40


def test_no_two_colleges_serve_the_same_page() -> None:
    province = Province(TINY, as_of=date(2026, 6, 1))
    for path in ("/index.htm", "/list/c0.htm", "/info/1/1000.htm"):
        bodies = [province.render(i, path) for i in range(TINY.sites)]
        assert all(b is not None for b in bodies), path
        assert len({b.body for b in bodies if b is not None}) == TINY.sites, path
    assert province.render(TINY.sites, "/index.htm") is None


def test_each_college_is_served_on_its_own_port_and_links_only_its_own_pages() -> None:
    province = Province(TINY, as_of=date(2026, 6, 1))
    with SiteServer(province, hosts=province.addresses()) as server:
        starts = list(server.sites.values())
        assert len(starts) == TINY.sites
        assert len({u.split("/")[2].split(":")[0] for u in starts}) == TINY.hosts  # shared addresses
        assert len({u.split("/")[2] for u in starts}) == TINY.sites  # one port each
        for i, college in enumerate(province.colleges):
            base = server.base_url(i)
            todo, seen = ["/index.htm"], set()
            while todo:
                path = todo.pop()
                if path in seen:
                    continue
                seen.add(path)
                body = fetch(base + path).decode()
                assert college.college in body
                todo += [p for p in re.findall(r'href="(/[^"#]*\.htm)"', body) if p not in seen]
            assert seen == set(college.html_paths(0))
        stats = server.reset_stats()
    assert stats.pages == province.page_count()


@pytest.mark.slow
def test_the_province_experiment_crawls_every_page_with_both_spiders(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setattr(workspace, "WORK", tmp_path)
    sizes = replace(runs.QUICK, province=TINY)
    logged: list[str] = []
    out = runs.province_costs(sizes, logged.append)
    pages = Province(TINY).page_count()
    assert out["site"] == {"pages": pages, "sites": 4, "hosts": 2, "shape": repr(TINY.site)}
    for run in (out["baseline"], out["first"]):
        assert run["returncode"] == 0, run.get("error")
        assert run["pages"] == pages  # every page of every college, each once
        assert run["peak_rss_mb"] > 0
    config = (tmp_path / "province" / "config.toml").read_text(encoding="utf-8")
    assert config.count("[[sites]]") == 4 and config.count("institution = ") == 4
    raw = {"province": out, "crawl": {"first": out["first"]}}  # the province's own crawl as the base
    values, why = figures(raw)
    assert values["province_memory_ratio"] == pytest.approx(1.0)
    assert values["province_throughput_ratio"] == pytest.approx(
        out["first"]["pages_per_s"] / out["baseline"]["pages_per_s"], rel=1e-3
    )
    assert "province_throughput_ratio" not in why and "province_memory_ratio" not in why
