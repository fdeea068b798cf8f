"""Which egg this crawler came from, for a Scrapyd job: the version the monitor expects must be this one.

An egg built by the monitor (monitor/cluster/egg.py) carries `crawler/EGG_VERSION`; a checkout or an
installed package has none (`own_version()` is None: not run from an egg). A job scheduled with
`-a egg=VERSION` on a node whose egg is another version is refused: its run is marked failed with both
versions named, and nothing is fetched.
"""

from __future__ import annotations

from importlib import resources


def own_version() -> str | None:
    """The version of the egg this crawler was loaded from, or None when it was not loaded from one."""
    try:
        text = resources.files("crawler").joinpath("EGG_VERSION").read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError, OSError):
        return None
    return text.strip() or None


def refusal(expected: str | None) -> str | None:
    """Why a job that expects egg `expected` must not run here; None when it may."""
    if not expected:
        return None
    own = own_version()
    if own == expected:
        return None
    have = f"egg version {own}" if own else "a crawler not loaded from an egg"
    return (
        f"stale crawler: this node runs {have}, the monitor expects egg version {expected};"
        " upload the current egg with `xxgk deploy`"
    )
