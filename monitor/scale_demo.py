"""`make scale-demo` (issue 16 §3): many colleges crawled by three Scrapyd nodes, checked against one machine.

1. Serves a many-college demo on loopback (demo/many.py: 18 colleges, 42 sites, one host each, one port).
2. Starts three Scrapyd nodes (monitor/cluster/localnodes.py: child processes, each its own folder and
   port) and uploads the crawler's egg to them (addversion.json).
3. Crawls the demo through the cluster (`xxgk crawl` with [cluster] nodes: its progress is shown), then a
   week later again (a recrawl: list pages and a rotation of known articles), into one database file.
4. Crawls the same two weeks on one machine (`xxgk crawl`, one child process) into a plain file.
5. Compares the two `xxgk report --format json` of the last day (run ids aside: monitor/cluster/compare.py),
   stops everything it started, and ends with one line:
   `scale-out: 3 Scrapyd nodes, N sites, M pages in S s; report identical to one machine: yes` (or `no`
   with the first difference). Exit 0 only for `yes`.

Storage is one DuckDB file on the shared path, which the nodes' jobs write in turns (the file is closed
between batch flushes, [storage] lock_wait, the spool). Everything runs offline, on loopback, in
data/scale-demo/ (emptied first); `python -m monitor.scale_demo --help` for the sizes.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path

from demo import DEFAULT_AS_OF, DemoCollege, DemoServer, serve_demo
from demo.many import many_colleges, many_hosts
from monitor.cluster.compare import report_difference
from monitor.cluster.egg import PROJECT, build_egg
from monitor.cluster.localnodes import LocalNode
from monitor.cluster.scrapyd import Node

NODES = 3


def _args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m monitor.scale_demo", description=__doc__.split("\n")[0])
    p.add_argument("--colleges", type=int, default=18, help="colleges to serve (default 18: 42 sites)")
    p.add_argument("--scale", type=float, default=0.2, help="item counts of each college (default 0.2)")
    p.add_argument("--jobs-per-node", type=int, default=1, help="Scrapyd max_proc of each node (default 1)")
    p.add_argument("--job-sites", type=int, default=4, help="[cluster] job_sites (default 4)")
    p.add_argument(
        "--kill-node",
        action="store_true",
        help="kill -9 the first node mid-crawl: its jobs run again on the others, the report is the same",
    )
    p.add_argument("--dir", type=Path, default=Path("data/scale-demo"), help="working folder (emptied)")
    return p.parse_args(argv)


@contextlib.contextmanager
def _served(colleges: int, scale: float, as_of: date) -> Iterator[list[DemoServer]]:
    servers: list[DemoServer] = []
    try:
        specs = many_colleges(colleges)
        port = 0
        for spec, hosts in zip(specs, many_hosts(specs), strict=True):
            servers.append(
                serve_demo(DemoCollege(as_of=as_of, scale=scale, spec=spec), port=port, hosts=hosts)
            )
            port = servers[0].port
        yield servers
    finally:
        for server in servers:
            server.stop()


@contextlib.contextmanager
def _nodes(folder: Path, jobs: int) -> Iterator[list[LocalNode]]:
    nodes: list[LocalNode] = []
    try:
        for i in range(NODES):
            nodes.append(LocalNode(folder / f"node{i + 1}", max_proc=jobs).start())
        yield nodes
    finally:
        for node in nodes:
            node.stop()


def _config(path: Path, servers: list[DemoServer], db: str, nodes: list[str], job_sites: int) -> Path:
    lines = ['[college]\nname = "规模演示"\n']
    if nodes:
        listed = ", ".join(f'"{n}"' for n in nodes)
        lines.append(f"[cluster]\nnodes = [{listed}]\njob_sites = {job_sites}\npoll_interval = 0.5\n")
    lines.append(f'[storage]\npath = "{db}"\nlock_wait = 120\n')
    lines.append("[crawl]\nautothrottle = false\n")
    for server in servers:
        spec = server.college.spec
        kinds = {s.name: s.kind for s in spec.sites}
        for name, url in server.sites.items():
            lines.append(
                f'[[sites]]\nname = "{name}"\nkind = "{kinds[name]}"\ninstitution = "{spec.name}"\n'
                f'start_urls = ["{url}"]\n'
            )
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _xxgk(config: Path, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "monitor", "--config", str(config), *args]
    return subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)


def _crawl_weeks(
    config: Path,
    servers: list[DemoServer],
    days: list[date],
    log: Path | None,
    doomed: LocalNode | None = None,
) -> float:
    """Crawl each day (the demo shown as of that day); the seconds all crawls took. `doomed`: a node
    killed (-9, with its crawls) as soon as it is crawling in the first one."""
    spent = 0.0
    for day in days:
        for server in servers:
            server.set_days_later((day - days[0]).days)
        started = time.monotonic()
        command = [sys.executable, "-m", "monitor", "--config", str(config), "crawl"]
        command += ["--observed-at", f"{day.isoformat()}T08:00:00"]
        with contextlib.ExitStack() as stack:
            err = stack.enter_context(log.open("a", encoding="utf-8")) if log else None
            crawl = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=err)
            if doomed is not None and day == days[0]:
                _kill_when_crawling(doomed, crawl)
            code = crawl.wait()
        spent += time.monotonic() - started
        if code != 0:
            raise DemoFailed(f"the crawl of {day} with {config.name} failed (exit {code})")
    return spent


def _kill_when_crawling(node: LocalNode, crawl: subprocess.Popen[bytes]) -> None:
    while crawl.poll() is None:
        with contextlib.suppress(OSError, ValueError):
            if node.jobs(PROJECT).get("running"):
                time.sleep(2.0)  # mid-crawl: its job has fetched for a while
                node.kill()
                print(f"scale demo: killed node {node.url} (kill -9 of the node and its crawls)", flush=True)
                return
        time.sleep(0.2)


def _children_cpu() -> float:
    """CPU seconds (user + system) of every child process ended so far, and of theirs."""
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _volume(db: Path) -> list[tuple[int, int, int]]:
    """(runs, pages, bytes) of each crawl recorded in `db`, oldest first."""
    import storage

    return [(runs, pages, size) for _, runs, pages, size in storage.crawl_volume(str(db))]


class DemoFailed(Exception):
    """A step of the scale demo failed: said in one line, and the last line says `no`."""


def main(argv: Sequence[str] | None = None) -> int:
    args = _args(argv)
    try:
        return _run(args)
    except (DemoFailed, RuntimeError, OSError) as exc:
        print(f"scale demo: {exc}", file=sys.stderr)
        print(f"scale-out: {NODES} Scrapyd nodes; report identical to one machine: no ({exc})")
        return 1


def _run(args: argparse.Namespace) -> int:
    work = args.dir.resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    days = [DEFAULT_AS_OF, DEFAULT_AS_OF + timedelta(days=7)]
    began = time.monotonic()
    with _served(args.colleges, args.scale, days[0]) as servers:
        sites = sum(len(s.sites) for s in servers)
        print(
            f"scale demo: {len(servers)} colleges, {sites} sites on loopback, {NODES} Scrapyd nodes",
            flush=True,
        )
        cpu = _children_cpu()
        with _nodes(work, args.jobs_per_node) as nodes:
            egg = build_egg()
            for node in nodes:
                Node(node.url).add_version(PROJECT, egg.version, egg.data)
            print(f"egg {egg.version} uploaded to {', '.join(n.url for n in nodes)}", flush=True)
            print("storage: one DuckDB file on the shared path, written by the jobs in turns", flush=True)
            cluster = _config(
                work / "cluster.toml", servers, "cluster.duckdb", [n.url for n in nodes], args.job_sites
            )
            print(f"\ncrawling through the cluster: {days[0]} and a week later, {days[1]}", flush=True)
            cluster_s = _crawl_weeks(cluster, servers, days, None, nodes[0] if args.kill_node else None)
        # the nodes and their crawls have ended: their CPU time is ours to read
        cluster_cpu, cpu = _children_cpu() - cpu, _children_cpu()
        local = _config(work / "local.toml", servers, "local.duckdb", [], args.job_sites)
        print(f"crawling the same on one machine (log: {work / 'local.log'})", flush=True)
        local_s = _crawl_weeks(local, servers, days, work / "local.log")
        local_cpu = _children_cpu() - cpu
    reports = []
    for config in (cluster, local):
        done = _xxgk(config, "report", "--format", "json", "--as-of", days[-1].isoformat())
        if done.returncode != 0:
            raise DemoFailed(f"the report of {config.name} failed (exit {done.returncode})")
        (work / f"{config.stem}-report.json").write_text(done.stdout, encoding="utf-8")
        reports.append(done.stdout)
    difference = report_difference(reports[1], reports[0])
    crawls = _volume(work / "cluster.duckdb")
    alone = _volume(work / "local.duckdb")
    pages = sum(c[1] for c in crawls)
    for what, volume, seconds, used in (
        ("cluster", crawls, cluster_s, cluster_cpu),
        ("one machine", alone, local_s, local_cpu),
    ):
        each = "; ".join(
            f"{day}: {runs} runs, {n} pages, {size / 1e6:.1f} MB"
            for day, (runs, n, size) in zip(days, volume, strict=False)
        )
        total = sum(c[1] for c in volume)
        print(
            f"{what}: {each}; {total} pages in {seconds:.0f} s ({total / seconds:.1f} pages/s),"
            f" CPU {used:.0f} s ({used / max(total, 1) * 1000:.1f} ms per page)",
            flush=True,
        )
    print(f"whole demo {time.monotonic() - began:.0f} s; configurations, logs and reports in {work}")
    answer = "yes" if difference is None else f"no: {difference}"
    print(
        f"scale-out: {NODES} Scrapyd nodes, {sites} sites, {pages} pages in {cluster_s:.0f} s;"
        f" report identical to one machine: {answer}"
    )
    return 0 if difference is None else 1


if __name__ == "__main__":
    sys.exit(main())
