"""Which crawl the judgement read, and whether a later one did not finish: said to the office, not guessed.

A crawl interrupted (Ctrl-C, SIGTERM, a kill the next crawl noticed), failed or still running is never
judged: every site is judged on its latest finished run. When the latest crawl up to the report's day is such
a run, the report says so and names the run it judged instead — otherwise a reader of a Monday report would
take Sunday night's interrupted crawl for the one judged.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from monitor.judgement import CrawlState
from storage.facts import RunFacts, SiteFacts

_WHAT = {"interrupted": "被中断", "failed": "失败", "running": "正在进行"}


def _at(moment: datetime | None, zone: ZoneInfo) -> str:
    return f"{moment.astimezone(zone):%Y-%m-%d %H:%M}" if moment else "时间未知"


def crawl_state(
    runs: Sequence[RunFacts], sites: Sequence[SiteFacts], zone: ZoneInfo, *, until: datetime
) -> CrawlState:
    """The latest run observed by `until` (`runs` newest first, any status) and the runs `sites` came from."""
    latest = next((r for r in runs if r.observed_at <= until), None)
    judged = {f.site: f.run_id for f in sites}
    if latest is None:
        return CrawlState(judged_runs=judged)
    state = CrawlState(latest.run_id, latest.status, latest.observed_at, judged)
    if latest.status == "ok" or latest.status not in _WHAT:
        return state
    observed = {f.run_id: f.observed_at for f in sites}
    ids = sorted(set(judged.values()))
    if not ids:
        used = "没有已完成的抓取可供判断"
    elif len(ids) == 1:
        used = f"本报告按第 {ids[0]} 次抓取（{_at(observed[ids[0]], zone)}）的结果判断"
    else:
        per_site = "，".join(f"{site} 第 {run} 次" for site, run in judged.items())
        used = f"本报告按各站点最近一次完成的抓取判断（{per_site}）"
    note = (
        f"最近一次抓取（第 {latest.run_id} 次，{_at(latest.observed_at, zone)} 开始，{zone.key}）"
        f"{_WHAT[latest.status]}，未完成的抓取不作判断；{used}。"
    )
    return CrawlState(latest.run_id, latest.status, latest.observed_at, judged, note)
