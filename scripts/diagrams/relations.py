"""The relations drawn in every diagram: curated ones from the model plus extracted ones."""

from __future__ import annotations

from archmodel import Model

from .graph import Edge


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
