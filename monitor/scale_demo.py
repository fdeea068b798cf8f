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

The cluster writes into the shared catalog (docs/scale.md, Storage): a PostgreSQL server started for the
demo (Debian's binaries, a temporary folder, a loopback port: tests/pgserver.py) holds the DuckLake catalog,
its Parquet files go to data/scale-demo/lake/, and PostgreSQL is restarted between the two weeks. Without
PostgreSQL's binaries (or with `--store file`) the jobs write one DuckDB file in turns instead (the file is
closed between batch flushes, [storage] lock_wait, the spool), and the demo says so. Everything runs
offline, on loopback, in data/scale-demo/ (emptied first); `python -m monitor.scale_demo --help` for the
sizes.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import Any

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
    p.add_argument(
        "--store",
        choices=("catalog", "file"),
        default="catalog",
        help="where the cluster writes: the shared catalog (DuckLake in PostgreSQL, the default when"
        " PostgreSQL is installed) or one DuckDB file",
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


def _config(
    path: Path, servers: list[DemoServer], db: str, nodes: list[str], job_sites: int, catalog: str = ""
) -> Path:
    lines = ['[college]\nname = "规模演示"\n']
    if nodes:
        listed = ", ".join(f'"{n}"' for n in nodes)
        lines.append(f"[cluster]\nnodes = [{listed}]\njob_sites = {job_sites}\npoll_interval = 0.5\n")
    lines.append(f'[storage]\npath = "{db}"\nlock_wait = 120\n')
    if catalog:
        lines[-1] += f'catalog = "{catalog}"\ndata_path = "lake"\n'
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
    between: Callable[[], None] | None = None,
) -> float:
    """Crawl each day (the demo shown as of that day); the seconds all crawls took. `doomed`: a node
    killed (-9, with its crawls) as soon as it is crawling in the first one; `between`: called before
    each crawl but the first (PostgreSQL restarted)."""
    spent = 0.0
    for day in days:
        if between is not None and day != days[0]:
            between()
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


def _volume(config: Path) -> list[tuple[int, int, int]]:
    """(runs, pages, bytes) of each crawl recorded in the database of `config`, oldest first."""
    import storage
    from monitor.configure import load_config

    database = load_config(config).database
    return [(runs, pages, size) for _, runs, pages, size in storage.crawl_volume(database)]


@contextlib.contextmanager
def _postgres(store: str) -> Iterator[Any]:
    """A PostgreSQL server for the shared catalog (tests/pgserver.py), or None: the file (asked for, or
    PostgreSQL's binaries or the catalog's extensions missing; said on one line)."""
    if store == "file":
        yield None
        return
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    try:
        from pgserver import PgServer, pg_binaries
    except ImportError as exc:
        print(f"scale demo: no shared catalog here ({exc}): the jobs write one DuckDB file", flush=True)
        yield None
        return
    binaries = pg_binaries()
    if binaries is None:
        print(
            "scale demo: PostgreSQL's binaries are not installed (apt-get install postgresql):"
            " the jobs write one DuckDB file",
            flush=True,
        )
        yield None
        return
    with PgServer.start(binaries) as server:
        yield server


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
    with _served(args.colleges, args.scale, days[0]) as servers, _postgres(args.store) as pg:
        sites = sum(len(s.sites) for s in servers)
        print(
            f"scale demo: {len(servers)} colleges, {sites} sites on loopback, {NODES} Scrapyd nodes",
            flush=True,
        )
        catalog, restart = "", None
        if pg is not None:
            catalog = "ducklake:postgres:" + pg.create_database("lake")
            print(f"storage: the shared catalog, DuckLake in PostgreSQL on port {pg.port}", flush=True)

            def restart() -> None:
                pg.stop()
                pg.start_again()
                print("scale demo: PostgreSQL restarted between the two crawls", flush=True)

        else:
            print("storage: one DuckDB file on the shared path, written by the jobs in turns", flush=True)
        cpu = _children_cpu()
        with _nodes(work, args.jobs_per_node) as nodes:
            egg = build_egg()
            for node in nodes:
                Node(node.url).add_version(PROJECT, egg.version, egg.data)
            print(f"egg {egg.version} uploaded to {', '.join(n.url for n in nodes)}", flush=True)
            urls = [n.url for n in nodes]
            cluster = _config(work / "cluster.toml", servers, "cluster.duckdb", urls, args.job_sites, catalog)
            print(f"\ncrawling through the cluster: {days[0]} and a week later, {days[1]}", flush=True)
            doomed = nodes[0] if args.kill_node else None
            cluster_s = _crawl_weeks(cluster, servers, days, None, doomed, restart)
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
        crawls, alone = _volume(cluster), _volume(local)
    difference = report_difference(reports[1], reports[0])
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
