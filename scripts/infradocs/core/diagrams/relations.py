"""The relations drawn in every diagram: curated ones from the model plus extracted ones."""

from __future__ import annotations

from infradocs.core.archmodel import Model
from infradocs.core.diagrams.extracted import secret_tokens
from infradocs.core.diagrams.graph import Edge


def curated_edges(model: Model) -> set[Edge]:
    """Every relation written in the model, marked curated."""
    return {
        Edge(comp.id, rel["target"], rel["type"], "curated", rel.get("label", ""))
        for comp in model
        for rel in comp.get("relations", [])
    }


def all_edges(model: Model, extracted: set[Edge]) -> set[Edge]:
    """Curated and extracted relations together (merged to ``both`` when drawn)."""
    return curated_edges(model) | extracted


def holds_edges(model: Model) -> set[Edge]:
    """Component -> token for each secret name in its ``credentials`` that a token component
    lists (a channel's list names the tokens that write to it: channels hold none)."""
    tokens = secret_tokens(model)
    return {
        Edge(comp.id, tid, "holds", "curated")
        for comp in model
        if comp.kind not in ("token", "channel")
        for name in comp.get("credentials", [])
        for tid in tokens.get(name, [])
    }
