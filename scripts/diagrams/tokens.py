"""The token/access map: who holds which secret names, and what each token reaches."""

from __future__ import annotations

from archmodel import Model

from .graph import Edge, Graph, Node, collapse, flowchart
from .inventory import AUTOMATIC_SECRETS, Inventory, primary, repo_components, secret_tokens

TOKEN_LIMIT = 30  # past it, holders and what the tokens reach collapse by group


def token_map(model: Model, edges: set[Edge], inv: Inventory) -> str:
    """Holders -> tokens (or bare secret names) -> what the tokens are for."""
    graph = Graph()
    tokens = secret_tokens(model)
    for comp in model:
        if comp.kind == "token":
            graph.add_component(comp)

    def secret_node(name: str) -> str:
        ids = tokens.get(name)
        if ids:
            return ids[0]  # a name listed by two token components is reported by the drift check
        key = f"secret:{name}"
        graph.nodes.setdefault(key, Node(key, f"{name} (no token page)", "secrets", "external"))
        return key

    holds: set[Edge] = set()
    for comp in model:
        if comp.kind == "token":
            continue
        for name in comp.get("credentials", []):
            holds.add(Edge(comp.id, secret_node(name), "holds", "curated", name))
    by_repo = repo_components(model)
    for key, facts in sorted(inv.repos.items()):
        if key not in by_repo:
            continue
        src = primary(by_repo[key]).id
        for name in facts.secrets:
            if name not in AUTOMATIC_SECRETS:
                holds.add(Edge(src, secret_node(name), "holds", "extracted", name))
    holders = {e.source for e in holds}
    for cid in sorted(holders):
        graph.add_component(model[cid])
    token_ids = {c.id for c in model if c.kind == "token"}
    for e in edges:
        if e.source in token_ids:
            if e.target not in graph.nodes:
                graph.add_component(model[e.target])
            graph.edges.add(e)
        elif e.target in token_ids and e.source not in holders:
            if e.source not in graph.nodes:
                graph.add_component(model[e.source])
            graph.edges.add(e)
    graph.edges |= holds
    # Token components stay; holders, reach and bare secret names collapse by group past the
    # limit. Holders are declared first, then tokens, then the rest: left to right.
    graph = collapse(graph, token_ids, TOKEN_LIMIT)
    order = sorted(graph.nodes, key=lambda k: (k in token_ids, k not in holders, k))
    title = "Token and access map: holders, secrets, reach"
    return flowchart(graph, title, subgraphs=False, order=order)
