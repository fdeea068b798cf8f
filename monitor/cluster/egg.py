"""The crawler as a Scrapy project egg for Scrapyd, and the version that names it.

Scrapyd runs a project from an egg it was given (`addversion.json`): a zip of the packages with an
`EGG-INFO/entry_points.txt` naming the settings module (`[scrapy] settings = crawler.settings`, what
scrapy.cfg says for a checkout). The egg holds the crawler and storage packages (the crawler imports storage;
the node's environment supplies Scrapy, DuckDB and the other dependencies) and a file `crawler/EGG_VERSION`.

The version is the package's version plus a digest of every file the egg holds (`0.1.0+3f9c2a…`), so two
trees with the same code have the same version and any change makes another one. The monitor computes it
from the files installed with it and schedules every job with `_version` set to it: a node without that egg
is refused before anything is scheduled on it, and the spider compares the version it was asked for with the
one it carries (a job that starts anyway on stale code fails with both versions said).

The packages are read as files, never imported: the monitor does not import the crawler.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import importlib.util
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

PROJECT = "xxgk"  # the Scrapyd project name (scrapy.cfg's)
PACKAGES = ("crawler", "storage")
VERSION_FILE = "crawler/EGG_VERSION"
_SUFFIXES = (".py", ".sql", ".toml", ".txt")
# a fixed time for every zip entry, so the same files make the same bytes
_STAMP = (2020, 1, 1, 0, 0, 0)


@dataclass(frozen=True, slots=True)
class Egg:
    version: str
    data: bytes


def package_dir(name: str) -> Path:
    """Where the installed package `name` lives (found, not imported)."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the package {name!r} is not installed with xxgk-monitor")
    return Path(next(iter(spec.submodule_search_locations)))


def source_files(root: dict[str, Path] | None = None) -> list[tuple[str, Path]]:
    """(path in the egg, file) of every source file of the packages, sorted; `root` maps a package to the
    folder to read it from (default: where it is installed)."""
    files: list[tuple[str, Path]] = []
    for name in PACKAGES:
        base = (root or {}).get(name) or package_dir(name)
        for path in sorted(base.rglob("*")):
            if path.is_file() and path.suffix in _SUFFIXES and "__pycache__" not in path.parts:
                arc = f"{name}/{path.relative_to(base).as_posix()}"
                if arc != VERSION_FILE:
                    files.append((arc, path))
    return sorted(files)


def _project_version() -> str:
    try:
        return importlib.metadata.version("xxgk-monitor")
    except importlib.metadata.PackageNotFoundError:
        return "0"


def egg_version(root: dict[str, Path] | None = None) -> str:
    """The version of the egg the installed (or `root`'s) crawler and storage make."""
    digest = hashlib.sha256()
    for arc, path in source_files(root):
        digest.update(arc.encode() + b"\0" + path.read_bytes() + b"\0")
    return f"{_project_version()}+{digest.hexdigest()[:12]}"


def build_egg(root: dict[str, Path] | None = None, *, version: str | None = None) -> Egg:
    """The egg of the installed (or `root`'s) crawler and storage. `version` overrides the computed one
    (only tests need that: an egg that claims to be what it is not)."""
    files = source_files(root)
    version = version or egg_version(root)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as egg:

        def add(arc: str, data: bytes) -> None:
            info = zipfile.ZipInfo(arc, _STAMP)
            info.compress_type = zipfile.ZIP_DEFLATED
            egg.writestr(info, data)

        for arc, path in files:
            add(arc, path.read_bytes())
        add(VERSION_FILE, version.encode() + b"\n")
        add(
            "EGG-INFO/PKG-INFO",
            f"Metadata-Version: 2.1\nName: {PROJECT}\nVersion: {version}\n"
            "Summary: the xxgk-monitor crawler for Scrapyd\n".encode(),
        )
        add("EGG-INFO/entry_points.txt", b"[scrapy]\nsettings = crawler.settings\n")
        add("EGG-INFO/top_level.txt", "\n".join(PACKAGES).encode() + b"\n")
        add("EGG-INFO/SOURCES.txt", "\n".join(arc for arc, _ in files).encode() + b"\n")
        add("EGG-INFO/zip-safe", b"\n")
    return Egg(version, buffer.getvalue())


def write_egg(path: Path, egg: Egg) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(egg.data)
    return path
