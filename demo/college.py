"""`DemoCollege`: the public face of the demo — its timeline, its rendered sites, its ground truth.

Rendering needs the port and hosts the sites will be served on (pages link between sites with absolute
URLs), so every rendering call takes them; the defaults are the ones `config.toml` uses (127.0.0.2…6, port
8000). Renders are cached per (days_later, port, hosts), so the server and the ground truth share one.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

from demo import render_aspx, render_gov, render_legacy, render_trs, render_vsb, render_webplus
from demo.layout import BINJIANG, CollegeSpec
from demo.model import Timeline
from demo.render_common import RenderedSite, SiteView

DEFAULT_HOSTS: tuple[str, ...] = ("127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5", "127.0.0.6")
DEFAULT_PORT = 8000
DEFAULT_AS_OF = date(2026, 11, 26)

RENDERERS: dict[str, Callable[[SiteView], RenderedSite]] = {
    "vsb": render_vsb.render,
    "webplus": render_webplus.render,
    "aspx": render_aspx.render,
    "trs": render_trs.render,
    "legacy": render_legacy.render,
    "gov": render_gov.render,
}


class DemoCollege:
    """A deterministic imitation of a vocational college's websites. Same (as_of, scale, spec) → same bytes.

    `spec` says which college: demo.layout.BINJIANG (the five-site one) by default; demo.colleges has more.
    """

    def __init__(self, as_of: date = DEFAULT_AS_OF, scale: float = 1.0, spec: CollegeSpec = BINJIANG) -> None:
        self.as_of = as_of
        self.scale = scale
        self.spec = spec
        self.timeline = Timeline(as_of, scale, spec.sites, spec.name)
        self._cache: dict[tuple[int, int, tuple[str, ...]], dict[str, RenderedSite]] = {}
        self._truths: dict[tuple[int, int, tuple[str, ...]], dict[str, Any]] = {}
        self._lock = threading.RLock()

    @property
    def site_names(self) -> list[str]:
        return [s.name for s in self.timeline.sites]

    def hosts_of(self, hosts: Sequence[str]) -> dict[str, str]:
        """Site name → host: sites take the given hosts in order (disclosure, portal, dept-jwc, …)."""
        names = self.site_names
        if len(hosts) < len(names):
            raise ValueError(
                f"the demo college has {len(names)} sites and needs as many hosts, got {len(hosts)}"
            )
        return dict(zip(names, hosts, strict=False))

    def bases(self, port: int, hosts: Sequence[str]) -> dict[str, str]:
        return {name: f"http://{host}:{port}" for name, host in self.hosts_of(hosts).items()}

    def render(
        self, days_later: int = 0, *, port: int = DEFAULT_PORT, hosts: Sequence[str] = DEFAULT_HOSTS
    ) -> dict[str, RenderedSite]:
        """Every page of every site as it looks `days_later` days after as_of (cached)."""
        key = (days_later, port, tuple(hosts))
        with self._lock:
            cached = self._cache.get(key)
            if cached is None:
                cached = self._render(days_later, port, hosts)
                if len(self._cache) >= 3:  # a 10× college is large: keep only a few states
                    self._cache.pop(next(iter(self._cache)))
                self._cache[key] = cached
            return cached

    def _render(self, days_later: int, port: int, hosts: Sequence[str]) -> dict[str, RenderedSite]:
        tl = self.timeline
        bases = self.bases(port, hosts)
        out = {}
        for spec in tl.sites:
            view = SiteView(
                spec=spec,
                columns=tuple(
                    (c, tuple(tl.visible(spec.name, c.key, days_later)))
                    for c in spec.columns
                    if c.shown(days_later)
                ),
                day=tl.view_day(days_later),
                bases=bases,
                edited=tl.edited_ids(spec.name, days_later),
                retired=tuple(c for c in spec.columns if not c.shown(days_later)),
            )
            out[spec.name] = RENDERERS[spec.style](view)
        return out

    def ground_truth(
        self, days_later: int = 0, *, port: int = DEFAULT_PORT, hosts: Sequence[str] = DEFAULT_HOSTS
    ) -> dict[str, Any]:
        """What a perfect monitor would find (see demo.truth for the keys)."""
        from demo.truth import build_ground_truth

        key = (days_later, port, tuple(hosts))
        with self._lock:
            cached = self._truths.get(key)
        if cached is None:
            cached = build_ground_truth(self, days_later, port, tuple(hosts))
            with self._lock:
                self._truths[key] = cached
        return copy.deepcopy(cached)

    def write_ground_truth(
        self,
        path: str | Path,
        days_later: int = 0,
        *,
        port: int = DEFAULT_PORT,
        hosts: Sequence[str] = DEFAULT_HOSTS,
    ) -> Path:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        truth = self.ground_truth(days_later, port=port, hosts=hosts)
        path.write_text(json.dumps(truth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        return path

    def count_items(self, start: date, end: date, site: str | None = None, days_later: int = 0) -> int:
        """Items visible on that day whose shown date lies in [start, end] (undated, hidden ones excluded)."""
        tl = self.timeline
        total = 0
        for spec in tl.sites:
            if site is not None and spec.name != site:
                continue
            for col in spec.columns:
                if col.robots or not col.shown(days_later):
                    continue
                total += sum(
                    1 for i in tl.visible(spec.name, col.key, days_later) if i.dated and start <= i.day <= end
                )
        return total
