"""Where a benchmark run keeps its files, and how it asks the product to crawl: config.toml, plan, commands.

Why a real config.toml: the crawl being timed must be the one a user gets, so the bench writes a configuration
like a user's (the product's defaults, except `max_pages`, raised so the 10× site is crawled whole) and lets
`monitor.config` turn it into the crawl plan. Crawls run as child processes: `xxgk crawl` when that command
exists, else `python -m crawler --plan FILE` (the same crawl; the command adds config loading and a lock).
Replayed crawls (52 weekly crawls recorded at past instants) pass `observed_at`; they are not timed, so they
run the crawler process alone, saving the second interpreter start of `xxgk crawl`.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / ".work"
MAX_PAGES = 1_000_000  # per site: the 10× site must be crawled whole; the product's default is 5000


def toml_str(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid TOML basic string


@dataclass
class Workspace:
    """One database and its config.toml under bench/.work/<name>/."""

    name: str
    sites: dict[str, str]  # site name → start URL
    kinds: dict[str, str] = field(default_factory=dict)  # site name → disclosure | portal | department
    institutions: dict[str, str] = field(default_factory=dict)  # site name → its college (the province)
    crawl: dict[str, object] = field(default_factory=dict)  # [crawl] overrides
    start_urls: dict[str, list[str]] = field(default_factory=dict)  # several start URLs for a site
    max_depth: int | None = None

    def __post_init__(self) -> None:
        self.dir = WORK / self.name
        self.dir.mkdir(parents=True, exist_ok=True)
        self.db = self.dir / "xxgk.duckdb"
        self.config = self.dir / "config.toml"
        self.write_config()

    def reset(self) -> None:
        """Remove the database (and its lock, WAL, exports) so the next crawl is a first crawl."""
        for p in self.dir.glob("xxgk.duckdb*"):
            p.unlink()

    def write_config(self) -> None:
        lines = [
            "[college]",
            'name = "滨江城市职业学院"',
            "[storage]",
            f"path = {toml_str(str(self.db))}",
            "[crawl]",
            f"max_pages = {MAX_PAGES}",
        ]
        for key, value in self.crawl.items():
            lines.append(f"{key} = {json.dumps(value)}")
        for name, url in self.sites.items():
            urls = self.start_urls.get(name, [url])
            lines += [
                "[[sites]]",
                f"name = {toml_str(name)}",
                f"kind = {toml_str(self.kinds.get(name, 'department'))}",
                f"start_urls = [{', '.join(toml_str(u) for u in urls)}]",
            ]
            if name in self.institutions:
                lines.append(f"institution = {toml_str(self.institutions[name])}")
            if self.max_depth is not None:
                lines.append(f"max_depth = {self.max_depth}")
        self.config.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def plan(self, observed_at: str | None = None) -> dict:
        """The crawl plan the product builds from this config (monitor.config does it, as for a user)."""
        from monitor.configure import load_config

        return load_config(self.config).plan(observed_at=observed_at, progress="off")

    def plan_file(self, observed_at: str | None = None, name: str = "plan.json") -> Path:
        path = self.dir / name
        path.write_text(json.dumps(self.plan(observed_at), ensure_ascii=False, indent=2), encoding="utf-8")
        return path


def has_command(name: str) -> bool:
    """Whether `xxgk NAME` exists in this checkout (commands are modules under monitor/cli/)."""
    return (ROOT / "monitor" / "cli" / f"{name}.py").exists()


def crawl_argv(ws: Workspace, observed_at: str | None = None, direct: bool = False) -> list[str]:
    """The command that crawls `ws` once as a user would (see the module docstring); `direct`: the crawler
    process alone (for building history, where only the stored result matters, not the time)."""
    if has_command("crawl") and not direct:
        extra = ["--observed-at", observed_at] if observed_at else []
        return [sys.executable, "-m", "monitor", "--config", str(ws.config), "crawl", *extra]
    return [sys.executable, "-m", "crawler", "--plan", str(ws.plan_file(observed_at))]


def report_argv(ws: Workspace) -> list[str]:
    return [sys.executable, "-m", "monitor", "--config", str(ws.config), "report"]


def child_env() -> dict[str, str]:
    """The environment for product processes: ours, with the repo importable and no terminal progress."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.pop("XXGK_CONFIG", None)
    return env
