"""The architecture overview flowchart, plus one detail flowchart per group (the split view)."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

from archmodel import Component, Model

from .graph import (
    GROUP_ORDER,
    GROUP_TITLES,
    Edge,
    Graph,
    Node,
    collapse,
    flowchart,
    group_page,
    merge_origins,
)
from .mermaid import GROUP_CLASS, counted

OVERVIEW_SKIPS = {"tokens"}  # tokens have their own access map
CHUNK = 12
GROUP_LIMIT = 0  # every other group with two or more neighbours: one node


def _group_of(comp: Component) -> str:
    return "retired" if comp.status == "retired" else comp.group


def overview(model: Model, edges: set[Edge]) -> str:
    """One node per group (with its counts by kind), one edge per pair of related groups; retired
    components are one unconnected node. Each node links to the group's index page."""
    members: dict[str, list[Component]] = defaultdict(list)
    for comp in model:
        if comp.group not in OVERVIEW_SKIPS:
            members[_group_of(comp)].append(comp)
    graph = Graph()
    for group, comps in members.items():
        kinds = Counter(c.kind for c in comps)
        breakdown = ", ".join(counted(n, k) for k, n in sorted(kinds.items()) if len(kinds) > 1)
        title = GROUP_TITLES.get(group, group)
        graph.nodes[f"group:{group}"] = Node(
            f"group:{group}",
            f"{title} ({len(comps)})\n{breakdown}",
            group,
            GROUP_CLASS.get(group, "collapsed"),
            group_page(group),
            tooltip=f"{title}: open the group's index",
        )
    where = {c.id: _group_of(c) for cs in members.values() for c in cs}
    graph.edges = {
        replace(e, source=f"group:{where[e.source]}", target=f"group:{where[e.target]}", label="")
        for e in edges
        if e.source in where
        and e.target in where
        and "retired" not in (where[e.source], where[e.target])
        and where[e.source] != where[e.target]
    }
    graph.edges = merge_origins(graph.edges)
    order = [f"group:{g}" for g in GROUP_ORDER]
    title = "Architecture overview: groups and how they relate"
    return flowchart(graph, title, direction="TB", subgraphs=False, order=order)


def group_diagrams(model: Model, edges: set[Edge]) -> dict[str, str]:
    """``group-<group>[-N].mmd`` -> a flowchart of the group's components and their neighbours."""
    groups = sorted({c.group for c in model})
    out = {}
    for group in groups:
        members = sorted(
            (c for c in model if c.group == group),
            key=lambda c: (c.status != "active", c.kind, c.id),
        )
        chunks = [members[i : i + CHUNK] for i in range(0, len(members), CHUNK)]
        for n, chunk in enumerate(chunks, 1):
            name = f"group-{group}" + (f"-{n}" if len(chunks) > 1 else "")
            graph = Graph()
            keep = {c.id for c in chunk}
            for comp in chunk:
                graph.add_component(comp)
            for e in sorted(edges):
                if e.source in keep or e.target in keep:
                    for cid in (e.source, e.target):
                        if cid not in graph.nodes:
                            graph.add_component(model[cid])
                    graph.edges.add(e)
            part = f" (part {n} of {len(chunks)})" if len(chunks) > 1 else ""
            title = f"Group {group}{part}: its components and their direct relations"
            graph = collapse(graph, keep, GROUP_LIMIT)
            out[f"{name}.mmd"] = flowchart(graph, title, subgraphs=False)
    return out
