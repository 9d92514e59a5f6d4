"""A small graph of model components: nodes, edges, groups, and the words an arrow carries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from infradocs.core.archmodel import Component
from infradocs.core.archmodel.phrases import phrase as relation_phrase
from infradocs.core.diagrams.mermaid import KIND_CLASS

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


def group_rank(group: str) -> int:
    """A group's place in GROUP_ORDER (groups it does not name come last)."""
    return GROUP_ORDER.index(group) if group in GROUP_ORDER else len(GROUP_ORDER)


def token_or_class(node: Node) -> str:
    """``token`` for a token or a box standing for several tokens, else the node's class."""
    if node.group == "tokens" or node.key.endswith((":kind:token", ":group:tokens")):
        return "token"
    return node.cls
