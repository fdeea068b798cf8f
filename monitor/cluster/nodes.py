"""Which configured Scrapyd nodes may crawl: up, and holding the egg of this xxgk's crawler.

A node that does not answer is down; one without our egg version (an older deployment, or none) is
refused, with what it has and what to do. The crawl goes on with the nodes left; with none, it fails before
any run is opened.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from monitor.cluster.scrapyd import Node, NodeDown, NodeError


def stored_name(version: str) -> str:
    """The name Scrapyd files (and lists) a version under: every character but [A-Za-z0-9_-] becomes _."""
    return re.sub(r"[^A-Za-z0-9_-]", "_", version)


@dataclass(slots=True)
class NodeState:
    node: Node
    usable: bool = True
    why: str = ""  # refused or down: in words
    failures: int = 0  # API calls in a row it did not answer
    active: set[str] = field(default_factory=set)  # job ids scheduled on it and not yet ended

    @property
    def url(self) -> str:
        return self.node.url


def refusal(node: Node, project: str, version: str) -> str | None:
    """Why `node` cannot run this crawler's egg `version` of `project`; None when it can."""
    try:
        versions = node.versions(project)
    except NodeDown as exc:
        return f"node {node.url} is down: {exc}"
    except NodeError as exc:
        return f"node {node.url} refused: {exc}"
    if stored_name(version) in versions:
        return None
    has = ", ".join(versions) if versions else "no egg"
    return (
        f"node {node.url} refused: stale egg: it has {has} of project {project!r}, this xxgk's crawler is"
        f" egg version {version} (stored as {stored_name(version)}); upload it with `xxgk deploy`"
    )


def check_nodes(urls: list[str], project: str, version: str, timeout: float) -> list[NodeState]:
    """Every configured node, usable or not (with why)."""
    states = []
    for url in urls:
        node = Node(url, timeout)
        why = refusal(node, project, version)
        states.append(NodeState(node, why is None, why or ""))
    return states
