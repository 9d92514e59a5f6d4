"""One flowchart per component: the component and its direct relations, in and out."""

from __future__ import annotations

from archmodel import Model

from .graph import LIMIT, Edge, Graph, collapse, flowchart


def neighbourhood(model: Model, edges: set[Edge], cid: str) -> str:
    """The component, what it relates to and what relates to it (collapsed by group past 30)."""
    graph = Graph()
    graph.add_component(model[cid])
    for e in sorted(edges):
        if cid in (e.source, e.target):
            for other in (e.source, e.target):
                if other not in graph.nodes:
                    graph.add_component(model[other])
            graph.edges.add(e)
    title = f"Neighbourhood of {cid}"
    return flowchart(collapse(graph, {cid}, LIMIT), title, focus=cid)


def neighbourhoods(model: Model, edges: set[Edge]) -> dict[str, str]:
    """``components/<id>.mmd`` for every component of the model."""
    return {f"components/{c.id}.mmd": neighbourhood(model, edges, c.id) for c in model}
