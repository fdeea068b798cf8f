"""Reading py-spy's collapsed stacks: a sample's phase, and which of our functions it is charged to."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.profile import RATE, charge, parse, phase, summarize

CRAWLER = 'process 2:"python -m crawler --plan p.json"'
PARENT = 'process 1:"python -m monitor --config c.toml crawl"'
REACTOR = [
    "<module> (crawler/__main__.py:72)",
    "main (crawler/__main__.py:54)",
    "CrawlerProcess.start (scrapy/crawler.py:897)",
    "BaseEventLoop.run_forever (asyncio/base_events.py:607)",
]


@pytest.mark.parametrize(
    ("frames", "expected"),
    [
        (["<module> (crawler/__main__.py:1)", "_find_and_load (<frozen importlib._bootstrap>:1)"], "startup"),
        ([*REACTOR, "EpollSelector.select (selectors.py:468)"], "waiting"),
        (
            [*REACTOR, "StoragePipeline.spider_closed (crawler/pipelines.py:121)", "x (storage/ingest.py:9)"],
            "finish",
        ),
        (
            [
                *REACTOR,
                "CollegeSpider.parse (crawler/spiders/college.py:1)",
                "build_doc (crawler/extract/dom.py:5)",
            ],
            "crawling",
        ),
        (["<module> (crawler/__main__.py:1)", "load (crawler/plan.py:3)"], "startup"),
    ],
)
def test_phase(frames: list[str], expected: str) -> None:
    assert phase(frames) == expected


@pytest.mark.parametrize(
    ("frames", "expected"),
    [
        (
            [*REACTOR, "parse (crawler/spiders/college.py:1)", "fromstring (lxml/html/__init__.py:9)"],
            "parse (crawler/spiders/college.py)",
        ),
        ([*REACTOR, "Scraper._scrape (scrapy/core/scraper.py:258)"], "[scrapy]"),
        ([*REACTOR, "getsource (inspect.py:1262)"], "[inspect]"),
    ],
)
def test_charge_goes_to_our_innermost_function_else_the_leaf_library(
    frames: list[str], expected: str
) -> None:
    assert charge(frames) == expected


def test_main_threads_other_threads_and_processes_are_told_apart() -> None:
    main = f"{PARENT};{CRAWLER};thread (7): MainThread;{';'.join(REACTOR)} 12"
    writer = f"{PARENT};{CRAWLER};thread (8): xxgk-storage-writer;run (threading.py:1) 5"
    parent = f"{PARENT};thread (1): MainThread;<module> (monitor/__main__.py:1);wait (subprocess.py:1) 3"
    assert parse(main) == ("crawler", REACTOR, 12)
    assert parse(writer) == ("crawler, other threads", ["run (threading.py:1)"], 5)
    assert parse(parent) is not None and parse(parent)[0] == "xxgk crawl (parent)"  # type: ignore[index]


def test_summarize_adds_seconds_per_phase_and_function(tmp_path: Path) -> None:
    head = f"{PARENT};{CRAWLER};thread (7): MainThread;{';'.join(REACTOR)}"
    lines = [
        f"{head};parse (crawler/spiders/college.py:1) {RATE}",
        f"{head};select (selectors.py:1) {RATE // 2}",
    ]
    path = tmp_path / "raw.txt"
    path.write_text("\n".join(lines) + "\n")
    summary = summarize(path)
    assert summary["phases"] == {"crawler: crawling": 1.0, "crawler: waiting": 0.5}
    assert summary["functions"] == {"parse (crawler/spiders/college.py)": 1.0}


def test_the_lifeline_thread_waiting_in_select_is_not_counted_busy(tmp_path: Path) -> None:
    """py-spy shows a thread blocked in select.select as its Python frame: the lifeline's watch is a wait."""
    head = f"{PARENT};{CRAWLER}"
    lines = [
        f"{head};thread (9): xxgk-lifeline;_bootstrap (threading.py:1);_watch (crawler/lifeline.py:98) 300",
        f"{head};thread (8): xxgk-storage-writer;run (threading.py:1);compress (storage/codec.py:1) {RATE}",
    ]
    path = tmp_path / "raw.txt"
    path.write_text("\n".join(lines) + "\n")
    assert summarize(path)["phases"] == {"crawler, other threads: busy": 1.0}
