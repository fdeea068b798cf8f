"""The benchmark's arithmetic: the figures from raw numbers, nulls with reasons, results.json keys."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.report import KEYS, TARGETS, build, figures, table, write

ISSUE_KEYS = (
    "throughput_ratio",
    "recrawl_time_ratio",
    "recrawl_bytes_ratio",
    "storage_growth_unchanged",
    "memory_ratio_10x",
    "pages_per_s_ratio_10x",
    "report_ratio_52",
    "peer_ratio",
    "peer_recheck_ratio",
)
PROVINCE_KEYS = ("province_throughput_ratio", "province_memory_ratio")  # issue 17


def run(seconds: float, pages: int = 100, **extra: object) -> dict:
    return {"returncode": 0, "seconds": seconds, "pages": pages, "pages_per_s": pages / seconds, **extra}


def raw() -> dict:
    return {
        "crawl": {
            "baseline": run(10.0),
            "first": run(20.0, peak_rss_mb=100.0),
            "first_last": run(20.0, bytes_received=1_000_000, db_bytes=4_000_000),
            "recrawl": run(2.0, bytes_received=20_000, db_bytes=4_040_000),
            "first_10x": run(100.0, pages=1000, peak_rss_mb=130.0),
        },
        "report": {"report_1": {"seconds": 1.0}, "report_52": {"seconds": 1.5}},
        "peer": {
            "xxgk_first": {"returncode": 0, "urls_per_s": 160.0},
            "xxgk_recheck": {"returncode": 0, "urls_per_s": 300.0},
            "cdio_first": {"urls_per_s": 40.0},
            "cdio_recheck": {"urls_per_s": 120.0},
        },
        "province": {
            "baseline": run(100.0, pages=30_000),
            "first": run(125.0, pages=30_000, peak_rss_mb=140.0),
        },
    }


def test_the_keys_are_exactly_those_of_the_issues() -> None:
    assert KEYS == ISSUE_KEYS + PROVINCE_KEYS
    assert [t.key for t in TARGETS] == list(ISSUE_KEYS + PROVINCE_KEYS)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("throughput_ratio", 0.5),  # 5 pages/s ÷ 10 pages/s
        ("recrawl_time_ratio", 0.1),  # 2 s ÷ 20 s
        ("recrawl_bytes_ratio", 0.02),
        ("storage_growth_unchanged", 0.01),  # 40 kB growth ÷ 4 MB
        ("memory_ratio_10x", 1.3),
        ("pages_per_s_ratio_10x", 2.0),  # 10 pages/s ÷ 5 pages/s
        ("report_ratio_52", 1.5),
        ("peer_ratio", 4.0),
        ("peer_recheck_ratio", 2.5),
        ("province_throughput_ratio", 0.8),  # 240 pages/s ÷ 300 pages/s
        ("province_memory_ratio", 1.4),  # 140 MB ÷ the base site's 100 MB
    ],
)
def test_each_figure_divides_the_right_numbers(key: str, expected: float) -> None:
    values, why = figures(raw())
    assert values[key] == pytest.approx(expected)
    assert why == {}


def test_a_failed_or_missing_measurement_gives_null_and_says_why() -> None:
    data = raw()
    data["crawl"]["first_10x"] = {"returncode": 1, "seconds": 3.0, "error": "crawl failed: disk full"}
    data["peer"] = {"unavailable": "pip install exited 1: no matching distribution"}
    del data["report"]
    values, why = figures(data)
    assert values["memory_ratio_10x"] is None and "disk full" in why["memory_ratio_10x"]
    assert values["peer_ratio"] is None and "no matching distribution" in why["peer_ratio"]
    assert values["peer_recheck_ratio"] is None
    assert values["report_ratio_52"] is None and "report" in why["report_ratio_52"]
    assert values["throughput_ratio"] == pytest.approx(0.5)  # the rest still stand
    assert values["province_memory_ratio"] == pytest.approx(1.4)


@pytest.mark.parametrize(
    ("change", "null", "reason"),
    [
        (lambda d: d.pop("province"), PROVINCE_KEYS, "the province was not measured"),
        (lambda d: d.update(province={"error": "OSError: address in use"}), PROVINCE_KEYS, "address in use"),
        (
            lambda d: d["province"].update(first={"returncode": 1, "seconds": 9.0, "error": "killed"}),
            PROVINCE_KEYS,
            "the province crawl failed: killed",
        ),
        (lambda d: d["province"].pop("baseline"), ("province_throughput_ratio",), "the province baseline"),
        (lambda d: d["crawl"].pop("first"), ("province_memory_ratio",), "the base site crawl"),
    ],
)
def test_a_province_figure_without_its_measurements_is_null_and_says_why(change, null, reason) -> None:
    data = raw()
    change(data)
    values, why = figures(data)
    for key in null:
        assert values[key] is None and reason in why[key], key
    for key in set(PROVINCE_KEYS) - set(null):
        assert values[key] is not None, key


def test_results_json_starts_with_the_figures_and_carries_targets_raw_machine_date(tmp_path: Path) -> None:
    results = build(raw(), "quick", 12.5)
    path = write(results, tmp_path / "results.json")
    loaded = json.loads(path.read_text(encoding="utf-8"))
    assert tuple(loaded)[:11] == ISSUE_KEYS + PROVINCE_KEYS
    assert loaded["holds"]["throughput_ratio"] is False and loaded["holds"]["peer_ratio"] is True
    assert loaded["raw"]["crawl"]["baseline"]["seconds"] == 10.0
    assert loaded["machine"]["cores"] and loaded["date"] and loaded["mode"] == "quick"


def test_the_table_shows_every_figure_its_target_and_verdict() -> None:
    text = table(build(raw(), "quick", 1.0))
    for key in ISSUE_KEYS + PROVINCE_KEYS:
        assert key in text
    assert "MISS" in text and "ok" in text


def test_cpu_view_repeats_the_crawl_figures_in_cpu_seconds() -> None:
    data = raw()
    data["crawl"]["baseline"]["cpu_seconds"] = 5.0  # 50 ms a page
    data["crawl"]["first"]["cpu_seconds"] = 10.0  # 100 ms a page
    data["crawl"]["first_last"]["cpu_seconds"] = 10.0
    data["crawl"]["recrawl"]["cpu_seconds"] = 1.0
    data["crawl"]["first_10x"]["cpu_seconds"] = 80.0  # 80 ms a page
    view = build(data, "quick", 1.0)["cpu_view"]
    assert view["throughput_ratio_cpu"] == pytest.approx(0.5)
    assert view["recrawl_cpu_ratio"] == pytest.approx(0.1)
    assert view["pages_per_cpu_s_ratio_10x"] == pytest.approx(1.25)


def test_storage_growth_is_the_mean_over_the_unchanged_recrawls() -> None:
    data = raw()
    data["crawl"]["recrawls_db_bytes"] = [4_262_144, 4_262_144, 4_124_000]  # blocks added, then reused
    values, _ = figures(data)
    expected = (4_124_000 - 4_000_000) / 3 / 4_000_000
    assert values["storage_growth_unchanged"] == pytest.approx(expected, abs=1e-4)
