"""A many-college demo (the scale demo, docs/scale.md): more colleges generated from the three demo ones.

College k (0-based) is demo college k % 3 (滨江 with five sites, 北岭 and 南湖 with one each) under another
name — its city changed — with its sites renamed `<site>-<k>`. Every page is drawn from generators seeded by
the site's name (demo/model.py), so each generated college publishes its own titles, dates and counts in
its layout, not a copy of the original. `many_hosts(colleges)` gives every site a loopback host of its
own: 127.0.<10 + k>.<2 + i>.
"""

from __future__ import annotations

from dataclasses import replace

from demo.colleges import COLLEGES
from demo.layout import CollegeSpec

CITIES = (
    "滨江", "北岭", "南湖", "东港", "西山", "临川", "安平", "青原", "云溪", "海宁", "石门", "长林",
    "江阳", "白沙", "金川", "玉泉", "清河", "柳州", "松山", "桐庐", "宁远", "嘉禾", "枫桥", "兰溪",
)  # fmt: skip


def many_colleges(count: int) -> tuple[CollegeSpec, ...]:
    """`count` demo colleges (the first three are the demo's own, renamed only from the fourth on)."""
    made = []
    for k in range(count):
        base = COLLEGES[k % len(COLLEGES)]
        if k < len(COLLEGES):
            made.append(base)
            continue
        old = base.name[:2]
        city = CITIES[k % len(CITIES)] if k < len(CITIES) else f"{CITIES[k % len(CITIES)]}{k}"
        sites = tuple(
            replace(site, name=f"{site.name}-{k}", title=site.title.replace(old, city)) for site in base.sites
        )
        made.append(replace(base, name=base.name.replace(old, city, 1), sites=sites))
    return tuple(made)


def many_hosts(colleges: tuple[CollegeSpec, ...]) -> list[tuple[str, ...]]:
    """The loopback hosts of each college's sites, one per site, no two alike."""
    return [tuple(f"127.0.{10 + k}.{2 + i}" for i in range(len(c.sites))) for k, c in enumerate(colleges)]
