"""One flowchart per component: what relates to it on the left, what it relates to on the right."""

from __future__ import annotations

from collections import defaultdict

from archmodel import Model

from .graph import GROUP_TITLES, Edge, Graph, Node, flowchart, group_page
from .mermaid import counted
from .relations import holds_edges

MAX_NEIGHBOURS = 12


def _collapse(model: Model, sides: dict[str, str]) -> dict[str, str]:
    """Neighbour id -> drawn key: past the limit, the biggest kinds on a side become one node
    each, then (if still past it) the biggest groups among the rest."""
    drawn = {cid: cid for cid in sides}
    for field in ("kind", "group"):
        buckets: dict[tuple[str, str], list[str]] = defaultdict(list)
        for cid, side in sides.items():
            if drawn[cid] == cid:
                buckets[(side, model[cid].get(field))].append(cid)
        for side, value in sorted(buckets, key=lambda b: (-len(buckets[b]), b)):
            if len(set(drawn.values())) <= MAX_NEIGHBOURS or len(buckets[(side, value)]) < 2:
                break
            for cid in buckets[(side, value)]:
                drawn[cid] = f"{side}:{field}:{value}"
    return drawn


def _kind_node(model: Model, key: str, members: list[str]) -> Node:
    """A node standing for several neighbours of one kind (or group), linked to their index."""
    comps = sorted((model[m] for m in members), key=lambda c: c.title.lower())
    groups = sorted({c.group for c in comps})
    retired = all(c.status == "retired" for c in comps)
    tip = ", ".join(c.title for c in comps)
    if ":kind:" in key:
        text = counted(len(comps), comps[0].kind)
    else:
        text = f"{GROUP_TITLES.get(groups[0], groups[0])} ({len(comps)})"
    return Node(
        key,
        text + (" (retired)" if retired else ""),
        "",
        "retired" if retired else "collapsed",
        group_page("retired" if retired else groups[0]),
        tooltip=f"{tip}: see the group's index",
    )


def neighbourhood(model: Model, edges: set[Edge], cid: str) -> str:
    """The component in the middle; sources of incoming relations left, targets right (a
    neighbour with both is on the right); past 12 neighbours, collapsed by kind (then group)."""
    mine = sorted(e for e in edges if cid in (e.source, e.target) and e.source != e.target)
    right = sorted({e.target for e in mine if e.source == cid})
    left = sorted({e.source for e in mine if e.target == cid} - set(right))
    drawn = _collapse(model, {c: "in" for c in left} | {c: "out" for c in right})
    drawn[cid] = cid
    graph = Graph()
    for other in [*left, cid, *right]:
        key = drawn[other]
        if key == other:
            graph.add_component(model[other], group="")
        elif key not in graph.nodes:
            graph.nodes[key] = _kind_node(model, key, [m for m, k in drawn.items() if k == key])
    graph.edges = {Edge(drawn[e.source], drawn[e.target], e.type, e.origin) for e in mine}
    order = list(dict.fromkeys(drawn[o] for o in [*left, cid, *right]))
    title = f"Neighbourhood of {cid}"
    return flowchart(graph, title, subgraphs=False, focus=cid, order=order)


def neighbourhoods(model: Model, edges: set[Edge]) -> dict[str, str]:
    """``components/<id>.mmd`` for every component of the model; who holds a token is drawn
    too (from the holders' ``credentials``), so a token's page shows where it sits."""
    edges = edges | holds_edges(model)
    return {f"components/{c.id}.mmd": neighbourhood(model, edges, c.id) for c in model}
