"""Configuration: every mistake gives one clear message (file, key, expectation), exit 2, nothing written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from monitor.config import ConfigError
from monitor.config.docs import render
from monitor.configure import load_config

ROOT = Path(__file__).resolve().parents[1]

GOOD_SITE = """
[[sites]]
name = "disclosure"
kind = "disclosure"
start_urls = ["http://127.0.0.2:8000/"]
"""

# (config text, words the message must contain)
MISTAKES = [
    ("[crawl]\ntimout = 3\n" + GOOD_SITE, ["crawl.timout", "did you mean 'timeout'"]),
    ("[crawl]\ntimeout = 'fast'\n" + GOOD_SITE, ["crawl.timeout", "expected a float", "'fast'"]),
    ("[crawl]\nconcurrency = 0\n" + GOOD_SITE, ["crawl.concurrency", "≥ 1"]),
    ("[storag]\npath = 'x'\n" + GOOD_SITE, ["unknown key storag", "did you mean 'storage'"]),
    (GOOD_SITE.replace("http://127.0.0.2:8000/", "127.0.0.2:8000"), ["sites[0].start_urls", "http(s) URLs"]),
    (GOOD_SITE.replace('kind = "disclosure"', 'kind = "news"'), ["sites[0].kind", "'disclosure'", "'news'"]),
    (GOOD_SITE + GOOD_SITE, ["sites[1].name", "unique", "'disclosure'"]),
    ('[[sites]]\nname = "x"\nkind = "portal"\n', ["missing key sites[0].start_urls"]),
    (GOOD_SITE.replace('name = "disclosure"', 'name = "d"\nstart_url = "http://a/"'), ["sites[0].start_url"]),
    ("[crawl\n", ["not valid TOML"]),
    (
        '[cluster]\nnodes = ["127.0.0.1:6800"]\n' + GOOD_SITE,
        ["cluster.nodes", "Scrapyd node URLs", "127.0.0.1:6800"],
    ),
    (
        '[cluster]\nnodes = ["http://127.0.0.1:6800/schedule.json"]\n' + GOOD_SITE,
        ["cluster.nodes", "'http://127.0.0.1:6800/schedule.json'"],
    ),
    ('[cluster]\nnodes = ["http://a:1", "http://a:1"]\n' + GOOD_SITE, ["cluster.nodes", "each node once"]),
    ("[cluster]\nattempts = 0\n" + GOOD_SITE, ["cluster.attempts", "≥ 1"]),
    ("crawl = 3\n", ["[crawl] must be a table"]),
    (
        GOOD_SITE + '[[email.routes]]\nto = ["a@b.cn"]\nsites = ["disclosure"]\ncategories = ["招生"]\n',
        ["email.routes[0].categories", "'招生'", "招生考试信息"],
    ),
]


@pytest.mark.parametrize(("text", "words"), MISTAKES)
def test_mistake_is_named(tmp_path: Path, text: str, words: list[str]) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(path)
    message = str(info.value)
    assert message.startswith(str(path))
    for word in words:
        assert word in message


def test_missing_file_says_how_to_point_at_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="give --config PATH or set XXGK_CONFIG"):
        load_config(tmp_path / "nope.toml")


def test_defaults_and_relative_db_path(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[storage]\npath = "d/x.duckdb"\n' + GOOD_SITE, encoding="utf-8")
    config = load_config(path)
    assert config.db_path == tmp_path / "d" / "x.duckdb"
    assert config.crawl.timeout == 15.0
    plan = config.plan()
    assert plan["sites"][0]["max_pages"] == config.crawl.max_pages
    assert plan["sites"][0]["institution"] == ""


def test_plan_is_what_the_crawler_reads(tmp_path: Path) -> None:
    """The monitor writes the plan as JSON without importing the crawler; the crawler must read it whole."""
    from crawler.plan import CrawlPlan

    path = tmp_path / "config.toml"
    path.write_text('[college]\nname = "示例职业学院"\n' + GOOD_SITE, encoding="utf-8")
    config = load_config(path)
    plan = CrawlPlan.from_dict(config.plan(observed_at="2026-01-05T02:00:00"))
    assert plan.sites[0].institution == "示例职业学院"
    assert plan.sites[0].hosts() == ["127.0.0.2:8000"]
    assert plan.observed_datetime() is not None


def test_cli_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[storage]\npath = "out.duckdb"\n[crawl]\ndelay = -1\n' + GOOD_SITE, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "monitor", "--config", str(path), "crawl"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2
    assert "crawl.delay" in proc.stderr and str(path) in proc.stderr
    assert "Traceback" not in proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"]


def test_shipped_config_is_valid() -> None:
    config = load_config(ROOT / "config.toml")
    assert config.sites, "the shipped config.toml watches the demo college"
    assert len({s.name for s in config.sites}) == len(config.sites)


def test_config_reference_is_current() -> None:
    assert (ROOT / "docs" / "config.md").read_text(encoding="utf-8") == render(), (
        "docs/config.md is out of date: run python -m monitor.config.docs > docs/config.md"
    )


def test_typed_values_agree_with_the_key_table(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each table's dataclass has exactly the declared keys with their types; a drift is named."""
    from dataclasses import dataclass

    from monitor.config import values

    assert values.mismatches() == []

    @dataclass(frozen=True)
    class Wrong:
        name: str
        timezone: int
        extra: str

    monkeypatch.setitem(values.TABLE_TYPES, "college", Wrong)
    problems = values.mismatches()
    assert "Wrong.timezone is int, keys.TABLES['college'] says str" in problems
    assert "Wrong.extra is not a key of keys.TABLES['college']" in problems


def test_defaults_outside_the_config_equal_the_key_table() -> None:
    """The crawler and storage cannot import the key table; the defaults they keep for callers without a
    config (a plan written by hand, a storage call without `wait`) must be the table's, not other values."""
    from dataclasses import MISSING, fields

    import storage
    from crawler.plan import CrawlPlan, SitePlan
    from monitor.config import ARRAYS, TABLES, default
    from monitor.judge_context import Context

    def plan_defaults(cls: type) -> dict[str, object]:
        out: dict[str, object] = {}
        for f in fields(cls):
            if f.default is not MISSING:
                out[f.name] = f.default
            elif f.default_factory is not MISSING:
                out[f.name] = f.default_factory()
        return out

    crawl = plan_defaults(CrawlPlan)
    crawl_keys = {k.name for k in TABLES["crawl"]}
    shared = crawl_keys & set(crawl)
    assert {"timeout", "concurrency", "user_agent", "revisit_every"} <= shared
    assert {k: crawl[k] for k in shared} == {k: default("crawl", k) for k in shared}
    assert crawl["timezone"] == default("college", "timezone")
    assert crawl["lock_wait"] == default("storage", "lock_wait")
    from crawler.jsonrows import COLLEGE_ZONE
    from crawler.plan import DEFAULT_TIMEZONE

    assert DEFAULT_TIMEZONE == COLLEGE_ZONE.key == default("college", "timezone")
    site = plan_defaults(SitePlan)
    # a site's own max_pages / max_depth default to "the [crawl] value", which a plan carries resolved
    assert site.pop("max_pages") == default("crawl", "max_pages")
    assert site.pop("max_depth") == default("crawl", "max_depth")
    site_keys = {k.name for k in ARRAYS["sites"]}
    assert set(site) <= site_keys
    assert site == {k: default("sites", k) for k in site}
    assert default("storage", "lock_wait") == storage.DEFAULT_WAIT
    from storage.queries import LOCAL_ZONE

    assert default("college", "timezone") == LOCAL_ZONE
    from monitor.catalog import load_catalog

    ctx = Context(catalog=load_catalog(), sites=[])
    assert ctx.zone.key == default("college", "timezone")
    assert (ctx.backdated_days, ctx.changes_days, ctx.working_days) == (
        default("rules", "backdated_days"),
        default("report", "changes_days"),
        default("rules", "working_days"),
    )
