"""One flowchart per component: what relates to it on the left, what it relates to on the right.

Neighbours are grouped by how they relate (a box per relation, titled with its words, one arrow
each), so the drawing has three columns whatever the count: it fits a page's text column, where
one labelled arrow per neighbour made five columns (up to twice the column's width).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace

from infradocs.core.archmodel import Model
from infradocs.core.diagrams.graph import (
    EDGE_STYLE,
    GROUP_TITLES,
    Edge,
    Graph,
    Node,
    group_page,
    merge_origins,
    phrase,
    token_or_class,
)
from infradocs.core.diagrams.mermaid import (
    HEADER,
    SUBGRAPH_STYLE,
    class_lines,
    counted,
    label,
    node_id,
    page_link,
)
from infradocs.core.diagrams.overview_svg import wrap
from infradocs.core.diagrams.relations import holds_edges

MAX_NEIGHBOURS = 12
FONT = 16  # Mermaid's flowchart text size, for wrapping the boxes' titles
WIDTH = 150  # px a line of a box takes at most (in Arial's metrics)
# A title line at most this wide in Arial stays under Mermaid's wrapping width in the site's
# wider font, so the lines drawn are the lines counted for the title's room.
TITLE_WIDTH = 125
LINE = 24  # px a title line takes in a box's title (Mermaid reserves one line only)
INIT = (
    '%%{{init: {{"flowchart": {{"useMaxWidth": false, "nodeSpacing": 16, "rankSpacing": 26, '
    '"wrappingWidth": 160, "subGraphTitleMargin": {{"top": 2, "bottom": {bottom}}}}}}}}}%%'
)
ORIGIN_RANK = {"both": 0, "curated": 1, "extracted": 2}


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


def _words(types: set[str], from_token: bool) -> str:
    return ", ".join(phrase(t, "token" if from_token else "") for t in sorted(types))


def neighbourhood(model: Model, edges: set[Edge], cid: str) -> str:
    """The component in the middle; sources of incoming relations left, targets right (a
    neighbour with both is on the right); past 12 neighbours, collapsed by kind (then group);
    the neighbours of each side grouped in boxes by how they relate."""
    mine = sorted(e for e in edges if cid in (e.source, e.target) and e.source != e.target)
    right = sorted({e.target for e in mine if e.source == cid})
    left = sorted({e.source for e in mine if e.target == cid} - set(right))
    drawn = _collapse(model, {c: "in" for c in left} | {c: "out" for c in right})
    graph = Graph()
    for other in [*left, cid, *right]:
        key = drawn.get(other, other)  # the component itself is drawn as itself
        if key == other:
            graph.add_component(model[other], group="")
        elif key not in graph.nodes:
            graph.nodes[key] = _kind_node(model, key, [m for m, k in drawn.items() if k == key])
    # Per drawn neighbour: the relation types out of the component and into it, and the
    # strongest origin among them.
    out_types: dict[str, set[str]] = defaultdict(set)
    in_types: dict[str, set[str]] = defaultdict(set)
    origin: dict[str, str] = {}
    drawn[cid] = cid
    for e in merge_origins(
        {replace(e, source=drawn[e.source], target=drawn[e.target]) for e in mine}
    ):
        other = e.target if e.source == cid else e.source
        (out_types if e.source == cid else in_types)[other].add(e.type)
        origin[other] = min(origin.get(other, e.origin), e.origin, key=ORIGIN_RANK.__getitem__)
    from_token = model[cid].kind == "token"
    boxes: dict[tuple, list[str]] = defaultdict(list)
    for key in dict.fromkeys(drawn[o] for o in [*left, *right]):
        side = "out" if key in out_types else "in"
        token = token_or_class(graph.nodes[key]) == "token"
        box = (side, tuple(sorted(out_types[key])), tuple(sorted(in_types[key])), token)
        boxes[(*box, origin[key])].append(key)
    return _write(graph, cid, boxes, from_token)


def _box_title(side: str, outs: tuple, ins: tuple, tokens: bool, from_token: bool) -> str:
    """How the box's members relate, read along its arrows: to them (right) or from them
    (``tokens``: the members are tokens; ``from_token``: the component is one)."""
    if side == "in":
        return _words(set(ins), tokens) + " it"
    text = _words(set(outs), from_token)
    return text + (f"; {_words(set(ins), tokens)} it" if ins else "")


def _write(graph: Graph, cid: str, boxes: dict[tuple, list[str]], from_token: bool) -> str:
    """The flowchart: the component, a titled box per way of relating, one arrow per box."""
    ids = {k: node_id(k, "n") for k in graph.nodes}
    order = sorted(boxes, key=lambda b: (b[0] != "in", *b[1:4], ORIGIN_RANK[b[4]]))
    titles = [wrap(_box_title(*key[:4], from_token), TITLE_WIDTH, FONT) for key in order]
    bottom = 4 + LINE * (max((len(t) for t in titles), default=1) - 1)
    lines = [HEADER, f"%% Neighbourhood of {cid}", INIT.format(bottom=bottom), "flowchart LR"]
    arrows = []
    for n, key in enumerate(order):
        side, _outs, ins, _token, origin = key
        box = f"b_{side}_{n}"
        text = "<br>".join(label(x) for x in titles[n])
        lines.append(f'  subgraph {box}["{text}"]')
        # Mermaid turns a box's direction against the chart's: LR stacks its members.
        lines.append("    direction LR")
        for member in sorted(boxes[key], key=lambda k: graph.nodes[k].text.lower()):
            lines.append(f'    {ids[member]}["{_wrapped(graph.nodes[member])}"]')
        lines.append("  end")
        if side == "in" or ins:
            arrows.append(f"  {box} {EDGE_STYLE[origin]} {ids[cid]}")
        if side == "out":
            arrows.append(f"  {ids[cid]} {EDGE_STYLE[origin]} {box}")
        lines.append(f"  style {box} {SUBGRAPH_STYLE}")
    lines.insert(4, f'  {ids[cid]}["{_wrapped(graph.nodes[cid])}"]')
    lines += arrows
    for node in sorted(graph.nodes.values(), key=lambda n: n.key):
        if node.page:
            tip = f' "{label(node.tooltip)}"' if node.tooltip else ""
            lines.append(f'  click {ids[node.key]} href "{page_link(node.page)}"{tip}')
    assigned: dict[str, list[str]] = defaultdict(list)
    for node in graph.nodes.values():
        assigned[node.cls].append(ids[node.key])
    assigned["focus"].append(ids[cid])
    lines += class_lines(assigned)
    return "\n".join(lines) + "\n"


def _wrapped(node: Node) -> str:
    """A node's label in lines of at most WIDTH px (long names broken after - / _)."""
    return "<br>".join(label(line) for line in wrap(node.text, WIDTH, FONT))


def neighbourhoods(model: Model, edges: set[Edge]) -> dict[str, str]:
    """``components/<id>.mmd`` for every component of the model; who holds a token is drawn
    too (from the holders' ``credentials``), so a token's page shows where it sits."""
    edges = edges | holds_edges(model)
    return {f"components/{c.id}.mmd": neighbourhood(model, edges, c.id) for c in model}
