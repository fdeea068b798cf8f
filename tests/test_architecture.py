"""The house layout, kept by tests: imports run one way, packages say what they own, commands have docs."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("crawler", "storage", "monitor", "demo")
# What each package may import of ours (besides itself).
ALLOWED = {"crawler": {"storage"}, "storage": set(), "monitor": {"storage", "demo"}, "demo": set()}


def _our_imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found.update(n.split(".")[0] for n in names if n.split(".")[0] in PACKAGES)
    return found


@pytest.mark.parametrize("package", PACKAGES)
def test_imports_run_one_way(package: str) -> None:
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        bad = _our_imports(path) - ALLOWED[package] - {package}
        if bad:
            offenders.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert not offenders, "\n".join(offenders)


def _modules() -> dict[str, Path]:
    """Every module of the product by dotted name (a package by its own name, for its __init__.py)."""
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _module_imports(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The product modules `name` imports anywhere in its file (top level, in functions, under TYPE_CHECKING).

    `from pkg import x` is an edge to the module pkg.x when that is a module, else to pkg; a relative import
    is resolved against the module's package.
    """
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            candidates = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            candidates = [
                f"{module}.{a.name}" if f"{module}.{a.name}" in modules else module for a in node.names
            ]
        else:
            continue
        for target in candidates:
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                targets.add(target)
    return targets


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_no_import_circle_among_modules() -> None:
    """No module reaches itself through imports, counting imports inside functions: swapping two import lines
    or importing lazily must never be what keeps the product loadable."""
    modules = _modules()
    graph = {name: _module_imports(name, path, modules) for name, path in modules.items()}
    circles = [
        " → ".join(c) + f" (edges: {', '.join(f'{m}→{t}' for m in c for t in sorted(graph[m] & set(c)))})"
        for c in _cycles(graph)
    ]
    assert not circles, "import circles:\n" + "\n".join(circles)


def test_the_circle_finder_finds_circles() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def test_loading_the_config_builds_no_judge() -> None:
    """Reading config.toml needs neither the catalog, the judge, the mail nor storage."""
    code = (
        "import sys; import monitor.config; monitor.config.read_config('config.toml'); "
        "print(sorted(m for m in sys.modules if m.startswith(('monitor', 'storage', 'duckdb'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    loaded = set(ast.literal_eval(out.stdout))
    assert not {m for m in loaded if m.startswith(("monitor.judge", "monitor.catalog", "monitor.mail"))}
    assert not {m for m in loaded if m.startswith(("storage", "duckdb"))}


def test_xxgk_crawl_starts_its_crawler_without_loading_storage_or_the_judge() -> None:
    """`xxgk crawl` parses only its own command: DuckDB, Arrow, the judge, the mail and the demo college are
    not loaded before the crawler child starts (issue 17: start-up), nor after it unless a run is left to
    mark."""
    code = (
        "import sys; import monitor.cli as cli; import monitor.crawl_runner\n"
        "cli.build_parser(only=cli._command_of(['--config', 'c.toml', 'crawl', '--site', 'x'])).parse_args("
        "['--config', 'c.toml', 'crawl', '--site', 'x'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('storage', 'duckdb', 'pyarrow', 'scrapy',"
        " 'monitor.judge', 'monitor.mail.weekly', 'monitor.report', 'monitor.demo_run', 'demo'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert out.returncode == 0, out.stderr
    assert ast.literal_eval(out.stdout) == []


@pytest.mark.parametrize(
    ("argv", "module"),
    [
        (["crawl"], "crawl"),
        (["--config", "x.toml", "--debug", "demo-site", "--port", "0"], "demo_site"),
        (["--config=x.toml", "report", "--format", "json"], "report"),
        (["--help"], None),
        ([], None),
        (["no-such-command"], None),
        (["--conf", "x.toml", "crawl"], None),  # an abbreviation: the whole parser decides
    ],
)
def test_the_command_a_command_line_names(argv: list[str], module: str | None) -> None:
    from monitor.cli import _command_of

    assert _command_of(argv) == module


@pytest.mark.parametrize("package", PACKAGES)
def test_package_docstring_says_what_it_owns(package: str) -> None:
    doc = ast.get_docstring(ast.parse((ROOT / package / "__init__.py").read_text(encoding="utf-8"))) or ""
    assert "Owns" in doc or "owns" in doc
    assert "import" in doc


def _commands() -> list[str]:
    from monitor.cli import build_parser

    parser = build_parser()
    sub = next(a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices)  # type: ignore[attr-defined]


def test_every_command_has_help_with_an_example_and_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = _commands()
    assert {"crawl", "report", "email", "schedule", "sql"} <= set(commands)
    for name in commands:
        out = subprocess.run(
            [sys.executable, "-m", "monitor", name, "--help"], capture_output=True, text=True, timeout=60
        )
        assert out.returncode == 0, out.stderr
        assert "example" in out.stdout and f"xxgk {name}" in out.stdout, (
            f"`xxgk {name} --help` has no example"
        )
        assert f"xxgk {name}" in readme, f"README.md does not mention `xxgk {name}`"


def test_the_license_is_an_spdx_expression() -> None:
    """PEP 639: `license = "MIT"`, not the deprecated table setuptools warns about at every install."""
    import importlib.metadata
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    assert importlib.metadata.metadata("xxgk-monitor")["License-Expression"] == "MIT"  # as installed
