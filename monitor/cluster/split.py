"""Split a crawl plan's sites into Scrapyd jobs by host, so that every request to one host comes from one
node (the per-host politeness of [crawl] concurrency_per_host, delay and autothrottle holds as on one
machine).

Sites that share a host (by their allowed_hosts, else the hosts of their start URLs) are one group, however
many; groups are then packed into jobs of at most `job_sites` sites, largest first, in the plan's order
otherwise, so the split is the same every time for the same plan.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit


def site_hosts(site: dict[str, Any]) -> set[str]:
    """The hosts a plan site is crawled on (crawler/plan.py's SitePlan.hosts, read from the plan dict)."""
    if site.get("allowed_hosts"):
        return {h.lower() for h in site["allowed_hosts"]}
    return {urlsplit(u).netloc.lower() for u in site["start_urls"]}


def host_groups(sites: list[dict[str, Any]]) -> list[list[str]]:
    """Site names grouped so that no host is in two groups; each group in plan order, groups by first site."""
    parent: dict[str, str] = {}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    owner: dict[str, str] = {}  # host -> a site crawled on it
    for site in sites:
        name = site["name"]
        parent[name] = name
        for host in sorted(site_hosts(site)):
            if host in owner:
                parent[root(name)] = root(owner[host])
            else:
                owner[host] = name
    groups: dict[str, list[str]] = {}
    for site in sites:
        groups.setdefault(root(site["name"]), []).append(site["name"])
    return list(groups.values())


def split_jobs(sites: list[dict[str, Any]], job_sites: int = 1) -> list[list[str]]:
    """The jobs of a crawl: lists of site names, each one or more whole host groups, at most `job_sites`
    sites unless one host group alone is larger."""
    groups = sorted(host_groups(sites), key=len, reverse=True)  # stable: plan order among equal sizes
    jobs: list[list[str]] = []
    for group in groups:
        for job in jobs:
            if len(job) + len(group) <= job_sites:
                job.extend(group)
                break
        else:
            jobs.append(list(group))
    order = {site["name"]: i for i, site in enumerate(sites)}
    for job in jobs:
        job.sort(key=order.__getitem__)
    return sorted(jobs, key=lambda job: order[job[0]])
