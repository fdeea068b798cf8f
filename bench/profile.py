"""Where a crawl's wall time goes: `xxgk crawl` under py-spy, summed by phase and by our function.

Run: `python -m bench.profile [--scale N] [--full] [--province]` — serves the quick base site (or N× it, or
the province of bench/province.py), profiles a first crawl and an unchanged recrawl with `py-spy record
--subprocesses --idle --threads` (the crawler is a child of `xxgk crawl`), keeps the raw collapsed stacks in
bench/.work/profile/ and prints a summary for docs/performance.md.

How samples are read: the main thread of each process (the reactor thread, where Scrapy and our callbacks
run); of the other threads (the storage writer, output relays) only their busy samples, summed. A main-thread
sample counts as a *phase*: `startup` while modules are imported, `waiting` when the reactor sits in
select/epoll (no work: the network, the server, or AutoThrottle's delay), `finish` inside the spider's close
(column assembly, the last flush, finish_run), else `crawling`. Within `crawling`, a sample is charged to the
innermost frame of our code (crawler/, storage/), else to the library at the leaf (scrapy, twisted, lxml ...).
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import replace
from pathlib import Path
from typing import Any

from .province import Province
from .site import SiteServer
from .sitegen import GeneratedSite
from .workspace import WORK, Workspace, child_env, crawl_argv

RATE = 100  # samples per second
FRAME = re.compile(r"^(?P<func>.*) \((?P<file>[^():]+)(?::(?P<line>\d+))?\)$")
OURS = ("crawler/", "storage/", "monitor/")
WAITS = ("select", "poll", "epoll", "_poll", "wait")


def py_spy() -> str | None:
    exe = Path(sys.executable).with_name("py-spy")
    return str(exe) if exe.exists() else shutil.which("py-spy")


def record(argv: list[str], out: Path) -> subprocess.CompletedProcess[str]:
    exe = py_spy()
    if exe is None:
        raise SystemExit("py-spy is not installed: pip install -e '.[dev]'")
    cmd = [exe, "record", "--subprocesses", "--idle", "--threads", "--format", "raw", "--rate", str(RATE)]
    return subprocess.run(
        [*cmd, "-o", str(out), "--", *argv], env=child_env(), capture_output=True, text=True
    )


def parse(line: str) -> tuple[str, list[str], int] | None:
    """(process label, frames root→leaf, count) of one collapsed-stack line; other threads than the main one
    are labelled "<process>, other threads"."""
    stack, _, count = line.rstrip().rpartition(" ")
    parts = stack.split(";")
    procs = [p for p in parts if p.startswith("process ")]
    threads = [p for p in parts if p.startswith("thread ")]
    if not procs or not count.isdigit():
        return None
    frames = [p for p in parts if not p.startswith(("process ", "thread "))]
    label = "crawler" if "-m crawler" in procs[-1] else "xxgk crawl (parent)"
    if threads and "MainThread" not in threads[0] and not _is_main(frames):
        label += ", other threads"
    return label, frames, int(count)


def _is_main(frames: list[str]) -> bool:
    return bool(frames) and ("<module>" in frames[0] or "_run_module_as_main" in frames[0])


def phase(frames: list[str]) -> str:
    text = ";".join(frames)
    if "_find_and_load" in text:
        return "startup"
    if "spider_closed" in text or "close_spider" in text:
        return "finish"
    leaf = frames[-1].split(" (")[0] if frames else ""
    if any(leaf.endswith(w) for w in WAITS):
        return "waiting"
    if "CrawlerProcess.start" not in text and "run_forever" not in text:
        return "startup"
    return "crawling"


def charge(frames: list[str]) -> str:
    """Our innermost function on the stack (entry points aside), else the leaf frame's library: [scrapy]."""
    for frame in reversed(frames):
        m = FRAME.match(frame)
        if m and m["file"].startswith(OURS) and not m["file"].endswith("__main__.py"):
            return f"{m['func']} ({m['file']})"
    m = FRAME.match(frames[-1]) if frames else None
    return f"[{m['file'].split('/')[0].removesuffix('.py')}]" if m else "[?]"


FRAMEWORK = frozenset(
    [
        "scrapy",
        "twisted",
        "asyncio",
        "pydispatch",
        "selectors",
        "interface",
        "zope",
        "_weakrefset",
        "contextlib",
    ]
)


def area(charged: str) -> str:
    """A charged name rolled up: our extraction, the rest of our crawler, storage, the framework, others."""
    if charged.startswith("["):
        return "Scrapy / Twisted / asyncio" if charged.strip("[]") in FRAMEWORK else "other libraries"
    file = charged.rpartition("(")[2].rstrip(")")
    if file.startswith("crawler/extract/"):
        return "crawler/extract (page analysis)"
    return "storage" if file.startswith("storage/") else "crawler (spider, middlewares, pipeline)"


def summarize(path: Path) -> dict[str, Counter[str]]:
    """Seconds per phase (per process) and per charged function (crawler, crawling phase only)."""
    phases: Counter[str] = Counter()  # values are seconds (floats)
    functions: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        parsed = parse(line)
        if parsed is None:
            continue
        label, frames, count = parsed
        seconds: Any = count / RATE
        if label.endswith("other threads"):  # only their busy time: it competes with the reactor for the GIL
            if not label.startswith("crawler") or "xxgk-lifeline" in line:
                # the parent's threads only relay the crawler's output (blocked in a C read); the lifeline
                # sits in select.select, which py-spy shows as its Python frame, never as a wait
                continue
            leaf = frames[-1].split(" (")[0] if frames else ""
            if not any(leaf.endswith(w) for w in (*WAITS, "get", "sleep", "acquire", "readline", "read")):
                phases[f"{label}: busy"] += seconds
            continue
        p = phase(frames)
        phases[f"{label}: {p}"] += seconds
        if label == "crawler" and p == "crawling":
            functions[charge(frames)] += seconds
            areas[area(charge(frames))] += seconds
    return {"phases": phases, "functions": functions, "areas": areas}


def render(title: str, summary: dict[str, Counter[str]], top: int = 15) -> str:
    lines = [f"## {title}", "", "| phase (main thread; other threads: busy only) | seconds |", "|---|---:|"]
    lines += [f"| {k} | {v:.2f} |" for k, v in sorted(summary["phases"].items())]
    lines += ["", "| crawling, by area | seconds |", "|---|---:|"]
    lines += [f"| {k} | {v:.2f} |" for k, v in summary["areas"].most_common()]
    lines += ["", "| crawling, by function | seconds |", "|---|---:|"]
    lines += [f"| `{k}` | {v:.2f} |" for k, v in summary["functions"].most_common(top)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    from .runs import FULL, QUICK

    parser = argparse.ArgumentParser(prog="python -m bench.profile", description=__doc__)
    parser.add_argument("--scale", type=int, default=1, help="profile the N× base site")
    parser.add_argument("--full", action="store_true", help="the full bench's base site (default: quick's)")
    parser.add_argument("--first-only", action="store_true", help="profile the first crawl only")
    parser.add_argument("--province", action="store_true", help="the province (40 colleges) instead")
    args = parser.parse_args(argv)
    sizes = FULL if args.full else QUICK
    site: GeneratedSite | Province
    if args.province:
        site = Province(sizes.province)
        server = SiteServer(site, hosts=site.addresses())
    else:
        site = GeneratedSite(replace(sizes.base, scale=args.scale))
        server = SiteServer(site)
    out_dir = WORK / "profile"
    out_dir.mkdir(parents=True, exist_ok=True)
    text = []
    with server:
        names = site.names() if isinstance(site, Province) else []
        institutions = dict(zip(server.sites, names, strict=True)) if names else {}
        name = "profile-province" if args.province else "profile-crawl"
        ws = Workspace(name, server.sites, server.kinds(), institutions=institutions)
        ws.reset()
        for name in ("first crawl", "unchanged recrawl")[: 1 if args.first_only else 2]:
            size = f"{'full' if args.full else 'quick'}_{'province' if args.province else f'x{args.scale}'}"
            raw = out_dir / f"{name.replace(' ', '_')}_{size}.txt"
            done = record(crawl_argv(ws), raw)
            if done.returncode != 0:
                tail = done.stderr.strip()[-500:]
                print(f"{name}: py-spy exited {done.returncode}: {tail}", file=sys.stderr)
                return 1
            text.append(render(f"{name}, {site.page_count()} pages (raw stacks: {raw})", summarize(raw)))
    print("\n".join(text))
    return 0


if __name__ == "__main__":
    sys.exit(main())
