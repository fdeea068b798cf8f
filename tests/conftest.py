"""Shared fixtures.

`demo_college` / `demo_college_small`: the demo college (the `demo` package) served on free ports of
127.0.0.2..6 for the whole test session. See `DemoCollegeHandle` for what they give.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from demo import DEFAULT_AS_OF, DemoCollege, DemoServer, Hit, serve_demo


class DemoCollegeHandle:
    """A running demo college, shared by the whole session.

    - `.sites`: site name → start URL, e.g. {"disclosure": "http://127.0.0.2:41234/", "portal": …,
      "dept-jwc": …, "dept-zsjy": …, "dept-cwc": …} (one port, one host per site);
    - `.ground_truth`: the parsed ground truth of the state now shown (a fresh copy each time; keys in
      demo.truth); `.write_ground_truth(path)` writes it as JSON;
    - `.as_of`: the day now shown (`.base_as_of` + `.days_later`); `.base_as_of` is 2026-11-26;
    - `.advance(days)`: show the college `days` more days later (new items, one edited article, one deleted
      item); `.reset()` goes back to the base day; `with handle.advanced(7): …` does both. The fixture is
      shared: a test that advances must reset (use the context manager);
    - `.hits(clear=False)`: the requests the server answered (site, method, path, status), e.g. to check that
      robots.txt was obeyed; `.college` and `.server` for everything else; `.stop()` stops serving (the
      fixture does it at the end of the session).
    """

    def __init__(self, college: DemoCollege, server: DemoServer) -> None:
        self.college = college
        self.server = server

    @property
    def sites(self) -> dict[str, str]:
        return self.server.sites

    @property
    def ground_truth(self) -> dict[str, Any]:
        return self.server.ground_truth()

    def write_ground_truth(self, path: str | Path) -> Path:
        return self.server.write_ground_truth(path)

    @property
    def base_as_of(self) -> date:
        return self.college.as_of

    @property
    def days_later(self) -> int:
        return self.server.days_later

    @property
    def as_of(self) -> date:
        return self.college.timeline.view_day(self.server.days_later)

    def advance(self, days: int) -> dict[str, Any]:
        """Show the college `days` more days later; returns the new ground truth."""
        self.server.set_days_later(self.server.days_later + days)
        return self.ground_truth

    def reset(self) -> None:
        self.server.set_days_later(0)

    @contextlib.contextmanager
    def advanced(self, days: int) -> Iterator[dict[str, Any]]:
        """`with demo_college.advanced(7) as truth:` shows the later state inside the block only."""
        try:
            yield self.advance(days)
        finally:
            self.reset()

    def hits(self, clear: bool = False) -> list[Hit]:
        return self.server.hits(clear)

    def stop(self) -> None:
        self.server.stop()


def _serve(scale: float) -> Iterator[DemoCollegeHandle]:
    college = DemoCollege(as_of=DEFAULT_AS_OF, scale=scale)
    handle = DemoCollegeHandle(college, serve_demo(college, port=0))
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture(scope="session")
def demo_college() -> Iterator[DemoCollegeHandle]:
    """The full demo college (scale 1: about 3,500 HTML pages over five sites), served for the session."""
    yield from _serve(1.0)


@pytest.fixture(scope="session")
def demo_college_small() -> Iterator[DemoCollegeHandle]:
    """The same college at scale 0.2 (about 800 pages): every column kind, quicker to crawl."""
    yield from _serve(0.2)
