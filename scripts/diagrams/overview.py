"""The architecture overview flowchart, plus one detail flowchart per group (the split view)."""

from __future__ import annotations

from dataclasses import replace

from archmodel import Model

from .graph import LIMIT, Edge, Graph, collapse, flowchart

OVERVIEW_SKIPS = {"tokens"}  # tokens have their own access map
CHUNK = 25


def overview(model: Model, edges: set[Edge]) -> str:
    """Every component but tokens, in subgraphs by group; big groups collapse past the limit."""
    graph = Graph()
    for comp in model:
        if comp.group in OVERVIEW_SKIPS:
            continue
        graph.add_component(comp, "retired" if comp.status == "retired" else comp.group)
    # Relation types only: the labels are on the group and neighbourhood diagrams.
    graph.edges = {
        replace(e, label="") for e in edges if e.source in graph.nodes and e.target in graph.nodes
    }
    return flowchart(collapse(graph), "Architecture overview: components by group")


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
            out[f"{name}.mmd"] = flowchart(collapse(graph, keep, LIMIT), title)
    return out
