"""A small graph of model components, collapsed past a node limit and written as a flowchart."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace

from archmodel import Component
from archmodel.phrases import phrase as relation_phrase

from .mermaid import (
    HEADER,
    KIND_CLASS,
    NATURAL_SIZE,
    SUBGRAPH_STYLE,
    class_lines,
    label,
    node_id,
    page_link,
)
from .mermaid import lines as lines_label

LIMIT = 30
GROUP_TITLES = {
    "repositories": "Sources: repositories",
    "automation": "Automation and bots",
    "ci": "CI",
    "delivery": "Delivery",
    "hosting": "Hosting",
    "tokens": "Tokens and credentials",
    "organisations": "Users, teams and organisations",
    "retired": "Retired",
    "secrets": "Secret names without a token page",
}
GROUP_ORDER = list(GROUP_TITLES)
EDGE_STYLE = {"curated": "-->", "extracted": "-.->", "both": "==>"}
EDGE_LEAD = {"curated": "---", "extracted": "-.-", "both": "==="}  # up to an arrow's words


def phrase(relation_type: str, source_cls: str = "") -> str:
    """The words an arrow of ``relation_type`` carries, read from its source (archmodel's)."""
    return relation_phrase(relation_type, from_token=source_cls == "token")


@dataclass(frozen=True, order=True)
class Edge:
    """A relation between two nodes; origin is curated, extracted (inventory) or both."""

    source: str
    target: str
    type: str
    origin: str = "curated"
    label: str = ""


@dataclass(frozen=True)
class Node:
    """One drawn node: a component, a collapsed group, or something outside the model."""

    key: str
    text: str
    group: str
    cls: str
    page: str | None = None
    tooltip: str = ""


@dataclass
class Graph:
    """Nodes by key and a set of edges between them."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: set[Edge] = field(default_factory=set)

    def add_component(self, comp: Component, group: str | None = None) -> None:
        """Add a component as a node (retired components get the retired style)."""
        cls = "retired" if comp.status == "retired" else KIND_CLASS[comp.kind]
        text = comp.title + (" (retired)" if comp.status == "retired" else "")
        self.nodes[comp.id] = Node(
            comp.id, text, group or comp.group, cls, comp.page, tooltip=comp.summary
        )


def group_page(group: str) -> str:
    """The index page of a group of components (bare secret names: the tokens index)."""
    special = {"retired": "retired/index", "secrets": "reference/tokens/index"}
    return special.get(group, f"reference/{group}/index")


def collapse(graph: Graph, keep: set[str] = frozenset(), limit: int = LIMIT) -> Graph:
    """Collapse the largest groups into one node each (with a count) until at most ``limit``."""
    nodes, mapping = dict(graph.nodes), {k: k for k in graph.nodes}
    while len(nodes) > limit:
        members: dict[str, list[str]] = defaultdict(list)
        for key, node in nodes.items():
            if key not in keep and node.cls != "collapsed":
                members[node.group].append(key)
        if not members:
            break
        group = min(members, key=lambda g: (-len(members[g]), _order(g)))
        if len(members[group]) < 2:
            break
        gkey = f"group:{group}"
        for key in members[group]:
            del nodes[key]
            for src, dst in mapping.items():
                if dst == key:
                    mapping[src] = gkey
        count = len(members[group])
        nodes[gkey] = Node(
            gkey,
            f"{GROUP_TITLES.get(group, group)} ({count})",
            group,
            "collapsed",
            group_page(group),
            tooltip="Collapsed: open the group page",
        )
    edges = set()
    for e in graph.edges:
        src, dst = mapping.get(e.source, e.source), mapping.get(e.target, e.target)
        if src == dst:
            continue
        collapsed = src != e.source or dst != e.target
        edges.add(replace(e, source=src, target=dst, label="" if collapsed else e.label))
    return Graph(nodes, merge_origins(edges))


def merge_origins(edges: set[Edge]) -> set[Edge]:
    """One edge per (source, target, type): curated + extracted become ``both``; labels joined."""
    seen: dict[tuple, list[Edge]] = defaultdict(list)
    for e in edges:
        seen[(e.source, e.target, e.type)].append(e)
    out = set()
    for (src, dst, typ), group in seen.items():
        origins = {e.origin for e in group}
        origin = "both" if "both" in origins or len(origins) > 1 else next(iter(origins))
        text = "; ".join(sorted({e.label for e in group if e.label}))
        out.add(Edge(src, dst, typ, origin, text))
    return out


def _order(group: str) -> int:
    return GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)


def pair_edges(edges: set[Edge]) -> list[tuple[str, str, str, str]]:
    """One drawn edge per (source, target): its relation types one a line, the strongest origin
    (both, then curated, then extracted); sorted for stable output."""
    pairs: dict[tuple[str, str], list[Edge]] = defaultdict(list)
    for e in merge_origins(edges):
        pairs[(e.source, e.target)].append(e)
    out = []
    for (src, dst), group in sorted(pairs.items()):
        origins = {e.origin for e in group}
        origin = next(o for o in ("both", "curated", "extracted") if o in origins)
        out.append((src, dst, "\n".join(sorted({e.type for e in group})), origin))
    return out


def flowchart(
    graph: Graph,
    title: str,
    direction: str = "LR",
    subgraphs: bool = True,
    focus: str | None = None,
    order: list[str] | None = None,
) -> str:
    """The graph as a Mermaid flowchart: subgraphs per group (outlines only), one labelled edge
    per node pair, click links and colour classes. ``order``: node keys in declaration order."""
    ids = {k: node_id(k.replace("group:", "group-"), "n") for k in graph.nodes}
    lines = [HEADER, f"%% {title}", NATURAL_SIZE["flowchart"], f"flowchart {direction}"]
    by_group: dict[str, list[Node]] = defaultdict(list)
    for node in graph.nodes.values():
        by_group[node.group if subgraphs else ""].append(node)
    rank = {k: i for i, k in enumerate(order or [])}
    for group in sorted(by_group, key=lambda g: (_order(g), g)):
        indent = "    " if group else "  "
        if group:
            lines.append(
                f'  subgraph {node_id(group, "g")}["{label(GROUP_TITLES.get(group, group))}"]'
            )
        for node in sorted(by_group[group], key=lambda n: (rank.get(n.key, len(rank)), n.key)):
            lines.append(f'{indent}{ids[node.key]}["{node_text(node)}"]')
        if group:
            lines.append("  end")
    # Each arrow's words are a small borderless node on it (Mermaid places edge labels after
    # the layout, where converging edges laid them over each other and over boxes; as nodes
    # the layout keeps them apart). One line each: the relation types joined.
    for n, (src, dst, text, origin) in enumerate(pair_edges(graph.edges)):
        cls = token_or_class(graph.nodes[src]) if src in graph.nodes else ""
        words = label(", ".join(phrase(t, cls) for t in text.split("\n")))
        lines.append(f'  e_{n}@{{ shape: text, label: "{words}" }}')
        lines.append(f"  {ids[src]} {EDGE_LEAD[origin]} e_{n} {EDGE_STYLE[origin]} {ids[dst]}")
    for node in sorted(graph.nodes.values(), key=lambda n: n.key):
        if node.page:
            tip = f' "{label(node.tooltip)}"' if node.tooltip else ""
            lines.append(f'  click {ids[node.key]} href "{page_link(node.page)}"{tip}')
    if subgraphs:
        lines += [f"  style {node_id(g, 'g')} {SUBGRAPH_STYLE}" for g in sorted(by_group) if g]
    assigned: dict[str, list[str]] = defaultdict(list)
    for node in graph.nodes.values():
        assigned[node.cls].append(ids[node.key])
    if focus is not None and focus in ids:
        assigned["focus"].append(ids[focus])
    lines += class_lines(assigned)
    return "\n".join(lines) + "\n"


def token_or_class(node: Node) -> str:
    """``token`` for a token or a box standing for several tokens, else the node's class."""
    if node.group == "tokens" or node.key.endswith((":kind:token", ":group:tokens")):
        return "token"
    return node.cls


def node_text(node: Node) -> str:
    """A node's escaped label; a ``\\n`` in its text starts a new line."""
    return lines_label(*node.text.split("\n"))
