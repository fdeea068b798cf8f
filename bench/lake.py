"""`python -m bench.lake`: the shared catalog against the file, in one run on this machine (docs/scale.md).

The same synthetic crawls go through the storage API into a DuckDB file and into a DuckLake whose catalog is
in a PostgreSQL started for the purpose (tests/pgserver.py: Debian's binaries, a temporary folder, a loopback
port): a first crawl of PAGES new pages, then RECRAWLS recrawls where most pages are unchanged (a fetch row,
no body) and CHANGED are new. Printed: seconds per batch write (RunWriter.flush, BATCH pages each), seconds
of the finish, and the bytes each recrawl adds (the file's size; the lake's Parquet files plus PostgreSQL's
database size). Ratios within one run only: the machine is shared.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import storage
from storage import lake
from storage.records import ColumnObservation, FetchRecord, PageParse, Row

ROOT = Path(__file__).resolve().parents[1]
WORDS = tuple("信息公开通知公告学院招生就业财务预算决算年度报告关于工作开展做好印发办法")


def body(rng: random.Random, n: int, version: int) -> bytes:
    """A list page of about 20 KB, as colleges serve them (text in a table, a template around it)."""
    rows = "".join(
        f"<tr><td><a href='/info/{n}/{i}.htm'>{''.join(rng.choices(WORDS, k=8))}</a></td>"
        f"<td>2026-{1 + i % 12:02d}-{1 + i % 28:02d}</td></tr>"
        for i in range(40)
    )
    template = "<div class='nav'>" + "".join(f"<a href='/c{i}/'>栏目{i}</a>" for i in range(60)) + "</div>"
    return (
        f"<html><head><title>列表 {n} v{version}</title></head><body>{template}<table>{rows}</table>".encode()
    )


def crawl(path: str, run: int, pages: int, changed: set[int], batch: int, at: datetime) -> dict[str, float]:
    rng = random.Random(run)
    run_id = storage.start_run(path, ["bench"], observed_at=at)
    writer = storage.RunWriter(path, run_id, flush_rows=10**9, flush_seconds=10**9)
    flushes: list[float] = []
    columns = []
    for n in range(pages):
        url = f"http://bench.test/list/{n}.htm"
        fresh = n in changed
        content = body(rng, n, run if fresh else 0)
        digest = hashlib.sha256(content).hexdigest()
        writer.add_fetch(
            FetchRecord(site="bench", url=url, requested_at=at, outcome="ok" if fresh else "not_modified",
                        status=200 if fresh else 304, bytes=len(content) if fresh else 0, content_hash=digest)
        )  # fmt: skip
        rows = [
            Row(title=f"条目 {n}-{i}", url=f"{url}#{i}", date=date(2026, 1 + i % 12, 1)) for i in range(20)
        ]
        if fresh:
            writer.add_page(PageParse(url=url, content_hash=digest, kind="list", rows=rows), content)
        columns.append(
            ColumnObservation(site="bench", url=url, name=f"栏目{n}", state="ok", pages=1, rows=rows)
        )
        if (n + 1) % batch == 0:
            started = time.perf_counter()
            writer.flush()
            flushes.append(time.perf_counter() - started)
    started = time.perf_counter()
    assert writer.close(columns) is None
    finish = time.perf_counter() - started
    return {"flush_s": sum(flushes) / len(flushes), "finish_s": finish}


def folder_bytes(folder: Path) -> int:
    return sum(f.stat().st_size for f in folder.rglob("*") if f.is_file())


def demo_size(name: str, folder: Path, pg: object) -> int:
    if name == "file":
        return os.path.getsize(folder / "x.duckdb") if (folder / "x.duckdb").exists() else 0
    pg_bytes = pg.psql("SELECT pg_database_size('demo')")  # type: ignore[attr-defined]
    return folder_bytes(folder / "parquet") + int(pg_bytes.strip())


def demo_crawls(pg: object, work: Path, scale: float, weeks: int) -> None:
    """Real crawls (`xxgk crawl`, the crawler in its own process) of the demo college, a week apart, into a
    file and into the lake: the bytes each adds and the crawl's wall time."""
    import json
    import subprocess

    from demo import DEFAULT_AS_OF, DemoCollege, serve_demo

    server = serve_demo(DemoCollege(as_of=DEFAULT_AS_OF, scale=scale), port=0)
    truth = server.ground_truth()
    try:
        dsn = pg.create_database("demo")  # type: ignore[attr-defined]
        for name in ("file", "lake"):
            folder = work / f"demo-{name}"
            (folder / "parquet").mkdir(parents=True)
            storage_keys = 'path = "x.duckdb"\nlock_wait = 60\n'
            if name == "lake":
                storage_keys += f'catalog = "ducklake:postgres:{dsn}"\ndata_path = "parquet/"\n'
            sites = "".join(
                f'[[sites]]\nname = "{site}"\nkind = "{truth["sites"][site]["kind"]}"\n'
                f"start_urls = {json.dumps([url])}\n"
                for site, url in server.sites.items()
            )
            config = folder / "config.toml"
            head = f'[college]\nname = "示例职业学院"\n[storage]\n{storage_keys}'
            config.write_text(f"{head}[crawl]\nautothrottle = false\n{sites}", encoding="utf-8")

            before = demo_size(name, folder, pg)
            for week in range(weeks):
                server.set_days_later(7 * week)
                at = (DEFAULT_AS_OF + timedelta(days=7 * week)).isoformat() + "T08:00:00+08:00"
                started = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-m", "monitor", "--config", str(config), "crawl", "--observed-at", at],
                    capture_output=True,
                    text=True,
                    cwd=folder,
                )
                took = time.perf_counter() - started
                if done.returncode != 0:
                    raise SystemExit(f"{name}: xxgk crawl failed:\n{done.stderr[-2000:]}")
                after = demo_size(name, folder, pg)
                print(f"{name}: demo crawl {week + 1}  {took:.1f} s  +{(after - before) / 1e6:.2f} MB")
                before = after
    finally:
        server.stop()


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--recrawls", type=int, default=3)
    parser.add_argument("--changed", type=int, default=50)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--demo", type=float, default=0.0, help="also crawl the demo college at this scale")
    parser.add_argument("--weeks", type=int, default=3, help="demo crawls, a week apart")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    from pgserver import PgServer

    work = Path(tempfile.mkdtemp(prefix="xxgk-bench-lake-"))
    (work / "parquet").mkdir()
    with PgServer.start() as pg:
        dsn = pg.create_database("lake")
        targets = {
            "file": str(work / "x.duckdb"),
            "lake": lake.locator(
                f"ducklake:postgres:{dsn}", f"{work / 'parquet'}/", str(work / "node.duckdb")
            ),
        }

        def size(name: str) -> int:
            if name == "file":
                return os.path.getsize(targets["file"])
            pg_bytes = int(pg.psql("SELECT pg_database_size('lake')").strip())
            return folder_bytes(work / "parquet") + pg_bytes

        def parts() -> str:
            pg_bytes = int(pg.psql("SELECT pg_database_size('lake')").strip())
            parquet = folder_bytes(work / "parquet")
            return f"(Parquet {parquet / 1e6:.2f} MB, PostgreSQL {pg_bytes / 1e6:.2f} MB)"

        print(
            f"{args.pages} pages, {args.recrawls} recrawls, {args.changed} changed, batches of {args.batch}"
        )
        for name, path in targets.items():
            at = datetime(2026, 11, 2, tzinfo=UTC)
            with storage.open_readwrite(path):  # the empty schema: its size is not the crawl's
                pass
            empty = size(name)
            first = crawl(path, 1, args.pages, set(range(args.pages)), args.batch, at)
            before = size(name)
            print(
                f"{name}: first crawl flush {first['flush_s']:.3f} s/batch  finish {first['finish_s']:.2f} s"
                f"  +{(before - empty) / 1e6:.2f} MB over the empty schema's {empty / 1e6:.2f} MB"
            )
            rng = random.Random(7)
            for r in range(args.recrawls):
                changed = set(rng.sample(range(args.pages), args.changed))
                took = crawl(path, r + 2, args.pages, changed, args.batch, at + timedelta(days=7 * (r + 1)))
                after = size(name)
                print(f"{name}: recrawl {r + 1}     flush {took['flush_s']:.3f} s/batch  finish "
                      f"{took['finish_s']:.2f} s  +{(after - before) / 1e3:.0f} kB")  # fmt: skip
                before = after
            if name == "lake":
                print(f"lake: in all {parts()}")
        if args.demo:
            demo_crawls(pg, work, args.demo, args.weeks)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
